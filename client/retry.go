package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

const defaultTimeout = 60 * time.Second

// RetryPolicy says how often and how patiently failed calls are retried. Only failures Graph marks as
// temporary are retried: rate limits (codes 4, 17, 32, 341, 613, 80007, 80008), transient errors (codes
// 1 and 2, or is_transient), and HTTP 5xx or network errors on GET. Creating a flow is retried only after
// a rate limit, which Graph answers before doing anything, so a retry never makes a second flow.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 means no retries.
	MaxAttempts int
	// InitialBackoff is the wait before the first retry; each further wait doubles, up to MaxBackoff,
	// and is jittered down by up to half.
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	// MaxRetryAfter is the longest Retry-After the client will wait for; a longer one returns the error.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy retries up to three times, starting at half a second.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, InitialBackoff: 500 * time.Millisecond, MaxBackoff: 20 * time.Second, MaxRetryAfter: time.Minute}

// NoRetry makes every call once.
var NoRetry = RetryPolicy{MaxAttempts: 1}

// retryClass says which failures a request may be retried after.
type retryClass int

const (
	classRead   retryClass = iota // GET: anything temporary, including 5xx and network errors
	classWrite                    // POST/DELETE on an existing object: rate limits and transient errors
	classCreate                   // creating a flow: rate limits only
)

type retryClassKey struct{}

func withClass(ctx context.Context, class retryClass) context.Context {
	return context.WithValue(ctx, retryClassKey{}, class)
}

func classOf(req *http.Request) retryClass {
	if c, ok := req.Context().Value(retryClassKey{}).(retryClass); ok {
		return c
	}
	if req.Method == http.MethodGet {
		return classRead
	}
	return classCreate // unknown writes are treated as the least safe kind
}

// retryDoer is the HTTP layer under the generated client: it sends a request and retries it while the
// policy allows.
type retryDoer struct {
	next   *http.Client
	policy RetryPolicy
	// sleep waits for d or until ctx ends; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// Do implements gen.HttpRequestDoer.
func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	class := classOf(req)
	for attempt := 1; ; attempt++ {
		res, err := d.next.Do(req)
		last := attempt >= d.policy.MaxAttempts || req.Body != nil && req.GetBody == nil
		if err != nil {
			if last || class != classRead || ctx.Err() != nil {
				return nil, err
			}
		} else if last || !d.shouldRetry(class, res) {
			return res, nil
		}
		wait := d.backoff(attempt)
		if res != nil {
			if ra, ok := retryAfter(res.Header.Get("Retry-After")); ok {
				if ra > d.policy.MaxRetryAfter {
					return res, nil
				}
				wait = ra
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		if err := d.wait(ctx, wait); err != nil {
			return nil, err
		}
		next := req.Clone(ctx)
		if req.GetBody != nil {
			if next.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		req = next
	}
}

// shouldRetry reads the error body (putting it back for the caller) and applies the request's class.
func (d *retryDoer) shouldRetry(class retryClass, res *http.Response) bool {
	if res.StatusCode < 400 {
		return false
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	var env envelope
	json.Unmarshal(body, &env)
	code, transient := 0, false
	if env.Error != nil {
		code, transient = env.Error.Code, env.Error.IsTransient
	}
	if isRateLimitCode(code) {
		return true
	}
	switch class {
	case classRead:
		return transient || code == 1 || code == 2 || res.StatusCode >= 500
	case classWrite:
		return transient || code == 1 || code == 2
	}
	return false
}

// backoff is the jittered exponential wait before retry number attempt.
func (d *retryDoer) backoff(attempt int) time.Duration {
	w := d.policy.InitialBackoff << (attempt - 1)
	if w <= 0 || w > d.policy.MaxBackoff {
		w = d.policy.MaxBackoff
	}
	return w/2 + time.Duration(rand.Int64N(int64(w/2)+1))
}

func (d *retryDoer) wait(ctx context.Context, w time.Duration) error {
	if d.sleep != nil {
		return d.sleep(ctx, w)
	}
	t := time.NewTimer(w)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(h string) (time.Duration, bool) {
	if h == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}
