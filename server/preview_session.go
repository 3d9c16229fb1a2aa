// Preview sessions: one person's run of a flow, held between page requests, and the table that bounds
// how many are kept and how much memory they hold. A session's engine runs in a goroutine of its own
// while an action is under way, so that a data endpoint request can wait for the person to answer it.
package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

// Bounds of the preview sessions (UNCONFIRMED: Meta does not say what its preview keeps).
const (
	// maxPreviewSessions is how many sessions are kept at once; the least recently used goes first.
	maxPreviewSessions = 200
	// previewBudget bounds the memory the sessions hold together, as estimated by previewSession.cost.
	previewBudget = 512 << 20
	// previewIdle is how long an unused session is kept.
	previewIdle = 2 * time.Hour
	// maxSessionFiles bounds the bytes of the photos and documents one session holds.
	maxSessionFiles = 32 << 20
)

// errSessionEnded is the error of an engine action cut short because its session was dropped.
var errSessionEnded = errors.New("the preview session ended")

// exchangeAsk is an endpoint request the engine is waiting on, and where its answer goes.
type exchangeAsk struct {
	req   endpoint.Request
	reply chan exchangeReply
}

type exchangeReply struct {
	resp *endpoint.Response
	err  error
}

// previewSession is one run of a flow. mu is held by the request working on it; the engine's goroutine
// runs only while that request waits for it (run and answer), so the engine is never used concurrently.
type previewSession struct {
	mu       sync.Mutex
	id       string
	flowKey  string // the flow id or the file path
	hash     string // of the flow JSON the session plays
	params   pageParams
	ctx      context.Context
	cancel   context.CancelFunc
	ps       *player.Session // nil until Start returns
	startErr error           // Start's error, when it failed
	// pending is the endpoint request waiting for the person's answer; running is the action it belongs
	// to, which reports on done.
	pending *exchangeAsk
	asks    chan *exchangeAsk
	done    chan error
	// fieldErrors are the messages of values the engine refused, by input name; partial holds a range
	// CalendarPicker's one chosen date until the other comes.
	fieldErrors map[string]string
	partial     map[string]map[string]string
	banner      string // shown once, above the screen
	// endpoint, when set, is the real endpoint the data exchanges go to (else the person answers them);
	// resolve looks it up again for each call (set by each page request); calls are its HTTP attempts
	// and replyBytes what its replies weighed.
	endpoint   *previewEndpoint
	resolve    func(context.Context) (*previewEndpoint, error)
	calls      endpointCalls
	replyBytes atomic.Int64
	lastUsed   time.Time
	flowSize   int
	flowJSON   []byte
	fileBytes  int
}

// cost estimates the memory a session holds: its parsed flow (a few times the JSON) and its files.
// flowJSONForOutline is the Flow JSON the session plays.
func (ss *previewSession) flowJSONForOutline() []byte { return ss.flowJSON }

func (ss *previewSession) cost() int64 {
	return int64(ss.flowSize)*8 + int64(ss.fileBytes) + 2*ss.replyBytes.Load() + 64<<10
}

// exchange is the engine's DataExchange when the flow has no endpoint to call: the request waits for the
// person to answer it on the page.
func (ss *previewSession) exchange(ctx context.Context, req endpoint.Request) (*endpoint.Response, error) {
	ask := &exchangeAsk{req: req, reply: make(chan exchangeReply, 1)}
	select {
	case ss.asks <- ask:
	case <-ctx.Done():
		return nil, errSessionEnded
	}
	select {
	case r := <-ask.reply:
		return r.resp, r.err
	case <-ctx.Done():
		return nil, errSessionEnded
	}
}

// run starts fn on the engine and waits until it finishes or asks the endpoint something. It reports
// whether fn finished, and fn's error. ss.mu must be held.
func (ss *previewSession) run(fn func() error) (finished bool, err error) {
	ss.done = make(chan error, 1)
	go func() { ss.done <- fn() }()
	return ss.wait()
}

// answer gives the waiting endpoint request its reply and waits as run does. ss.mu must be held.
func (ss *previewSession) answer(r exchangeReply) (finished bool, err error) {
	ask := ss.pending
	ss.pending = nil
	ask.reply <- r
	return ss.wait()
}

func (ss *previewSession) wait() (bool, error) {
	select {
	case err := <-ss.done:
		ss.done = nil
		return true, err
	case ask := <-ss.asks:
		ss.pending = ask
		return false, nil
	}
}

// stop ends the session: a waiting engine action returns errSessionEnded.
func (ss *previewSession) stop() { ss.cancel() }

// previewSessions is the table of live sessions, bounded in number, memory and idle time.
type previewSessions struct {
	mu    sync.Mutex
	m     map[string]*previewSession
	bytes int64
	now   func() time.Time
	// max and budget are the bounds (tests lower them).
	max    int
	budget int64
}

func newPreviewSessions(now func() time.Time) *previewSessions {
	return &previewSessions{m: map[string]*previewSession{}, now: now, max: maxPreviewSessions, budget: previewBudget}
}

func newSessionID() string {
	var b [18]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// add keeps ss, dropping the least recently used sessions while the bounds would be exceeded.
func (t *previewSessions) add(ss *previewSession) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ss.lastUsed = t.now()
	t.expireLocked()
	for len(t.m) > 0 && (len(t.m) >= t.max || t.bytes+ss.cost() > t.budget) {
		t.dropOldestLocked()
	}
	t.m[ss.id] = ss
	t.bytes += ss.cost()
}

// get returns the live session id, or nil when there is none (never made, dropped or idle too long).
func (t *previewSessions) get(id string) *previewSession {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expireLocked()
	ss := t.m[id]
	if ss != nil {
		ss.lastUsed = t.now()
	}
	return ss
}

// resize records a change in what ss holds (old is its cost before), dropping other sessions when the
// budget is exceeded.
func (t *previewSessions) resize(ss *previewSession, old int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m[ss.id] != ss {
		return
	}
	t.bytes += ss.cost() - old
	for t.bytes > t.budget && len(t.m) > 1 {
		if !t.dropOldestExceptLocked(ss) {
			break
		}
	}
}

// remove drops ss.
func (t *previewSessions) remove(ss *previewSession) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m[ss.id] == ss {
		t.dropLocked(ss)
	}
}

func (t *previewSessions) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

func (t *previewSessions) expireLocked() {
	cutoff := t.now().Add(-previewIdle)
	for _, ss := range t.m {
		if ss.lastUsed.Before(cutoff) {
			t.dropLocked(ss)
		}
	}
}

func (t *previewSessions) dropOldestLocked() { t.dropOldestExceptLocked(nil) }

func (t *previewSessions) dropOldestExceptLocked(keep *previewSession) bool {
	var oldest *previewSession
	for _, ss := range t.m {
		if ss != keep && (oldest == nil || ss.lastUsed.Before(oldest.lastUsed)) {
			oldest = ss
		}
	}
	if oldest == nil {
		return false
	}
	t.dropLocked(oldest)
	return true
}

func (t *previewSessions) dropLocked(ss *previewSession) {
	delete(t.m, ss.id)
	t.bytes -= ss.cost()
	ss.stop()
}
