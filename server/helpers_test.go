package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/postgres"
	"github.com/waflows/waflows/api/sqlite"
	"github.com/waflows/waflows/gen"
	"github.com/waflows/waflows/internal/contracttest"
	"github.com/waflows/waflows/internal/pgtest"
	"github.com/waflows/waflows/server"
)

// The access file every test server uses: two business accounts with a phone number each, an app for
// the first, a token for each account and one for both.
const (
	waba1    = "102290129340398"
	waba2    = "109876543210987"
	phone1   = "106540352242922"
	phone2   = "106540352242933"
	app1     = "1234567890123456"
	secret1  = "acme-app-secret"
	tokenA   = "token-acme"
	tokenB   = "token-other"
	tokenAll = "token-both"
)

const accessYAML = `
business_accounts:
  - id: "102290129340398"
    name: "Acme Clinic"
    phone_numbers:
      - id: "106540352242922"
        display_phone_number: "+1 555-0100"
  - id: "109876543210987"
    name: "Other Co"
    phone_numbers:
      - id: "106540352242933"
apps:
  - id: "1234567890123456"
    name: "Acme app"
    secret: "acme-app-secret"
tokens:
  - token: "token-acme"
    business_accounts: ["102290129340398"]
    app: "1234567890123456"
  - token: "token-other"
    business_accounts: ["109876543210987"]
  - token: "token-both"
    business_accounts: ["102290129340398", "109876543210987"]
`

// clock is a settable clock for expiry tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// backend is the storage a test server runs on.
type backend string

const (
	backendSQLite    backend = "sqlite"     // one instance on a SQLite file
	backendPostgres  backend = "postgres"   // one instance on a PostgreSQL schema
	backendPostgres2 backend = "postgres-2" // two instances on one PostgreSQL schema; requests alternate between them
)

// eachBackend runs test once per backend: SQLite, PostgreSQL, and two instances on PostgreSQL whose
// consecutive requests alternate, the three at once. test passes the backend to MustOpenServer with
// on(bk). The PostgreSQL runs skip (or fail under CI) without a test database.
func eachBackend(t *testing.T, test func(t *testing.T, bk backend)) {
	for _, bk := range []backend{backendSQLite, backendPostgres, backendPostgres2} {
		t.Run(string(bk), func(t *testing.T) {
			t.Parallel() // each backend has its own storage
			if bk != backendSQLite {
				pgtest.DSN(t)
			}
			test(t, bk)
		})
	}
}

// env is one running server over HTTP, on one or two instances.
type env struct {
	tb       testing.TB
	Root     string // http://127.0.0.1:port
	Base     string // Root + /v21.0
	backend  backend
	storage  string // the SQLite file, or the PostgreSQL schema
	Store    api.FlowStore
	Clock    *clock
	Server   *server.Server // the first instance
	HTTP     *httptest.Server
	contract *contracttest.Handler
	closers  []func()
}

type serverOption func(*serverOptions)

type serverOptions struct {
	contract bool
	backend  backend
	storage  string
	config   func(*server.Config)
	http     func(*http.Server)
}

// withHTTP changes the http.Server's settings (timeouts) before the guard reads them.
func withHTTP(f func(*http.Server)) serverOption { return func(o *serverOptions) { o.http = f } }

// withConfig changes the server's configuration before it starts.
func withConfig(f func(*server.Config)) serverOption { return func(o *serverOptions) { o.config = f } }

// withContract wraps the server in request and response validation against the merged spec.
func withContract() serverOption { return func(o *serverOptions) { o.contract = true } }

// on runs the server on backend bk (the default is SQLite).
func on(bk backend) serverOption { return func(o *serverOptions) { o.backend = bk } }

// withDB uses an existing SQLite database file.
func withDB(path string) serverOption {
	return func(o *serverOptions) { o.backend, o.storage = backendSQLite, path }
}

// MustOpenServer starts the real server over HTTP on new storage of the backend on(…) names (SQLite
// unless told otherwise).
func MustOpenServer(tb testing.TB, opts ...serverOption) *env {
	tb.Helper()
	o := serverOptions{backend: backendSQLite}
	for _, f := range opts {
		f(&o)
	}
	if o.storage == "" {
		if o.backend == backendSQLite {
			o.storage = filepath.Join(tb.TempDir(), "waflows.db")
		} else {
			o.storage = pgtest.Schema(tb)
		}
	}
	ctx := context.Background()
	access, err := server.ParseAccess([]byte(accessYAML))
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{tb: tb, backend: o.backend, storage: o.storage, Clock: &clock{t: time.Now().UTC()}}
	ts := httptest.NewUnstartedServer(nil)
	ts.Config.ReadHeaderTimeout = 5 * time.Second
	if o.http != nil {
		o.http(ts.Config)
	}
	ts.Listener = server.WrapListener(ts.Listener, ts.Config)
	e.Root = "http://" + ts.Listener.Addr().String()
	e.Base = e.Root + server.APIPrefix
	instances := 1
	if o.backend == backendPostgres2 {
		instances = 2
	}
	var handlers []http.Handler
	for i := range instances {
		store := e.openStore(ctx)
		cfg := server.Config{Store: store, Access: access, PublicURL: e.Root, Now: e.Clock.Now}
		if o.config != nil {
			o.config(&cfg)
		}
		srv, err := server.New(ctx, cfg)
		if err != nil {
			tb.Fatal(err)
		}
		if i == 0 {
			e.Store, e.Server = store, srv
		}
		handlers = append(handlers, srv)
	}
	var next atomic.Uint64
	var handler http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers[next.Add(1)%uint64(len(handlers))].ServeHTTP(w, r)
	})
	if o.contract {
		e.contract = contracttest.New(tb, e.Base, handler)
		handler = e.contract
	}
	ts.Config.Handler = handler
	ts.Start()
	e.HTTP = ts
	tb.Cleanup(e.close)
	return e
}

func (e *env) openStore(ctx context.Context) api.FlowStore {
	e.tb.Helper()
	var store api.FlowStore
	var err error
	if e.backend == backendSQLite {
		store, err = sqlite.Open(ctx, e.storage)
	} else {
		store, err = postgres.OpenConfig(ctx, pgtest.Config(e.tb, e.storage))
	}
	if err != nil {
		e.tb.Fatal(err)
	}
	e.closers = append(e.closers, func() { store.Close() })
	return store
}

func (e *env) close() {
	if e.HTTP != nil {
		e.HTTP.Close()
	}
	for _, c := range e.closers {
		c()
	}
	e.closers = nil
}

// restart stops the server and starts a new one on the same storage.
func (e *env) restart() *env {
	e.close()
	return MustOpenServer(e.tb, func(o *serverOptions) { o.backend, o.storage = e.backend, e.storage })
}

// Client returns the generated client, authenticated with token.
func (e *env) Client(token string) *gen.ClientWithResponses {
	e.tb.Helper()
	c, err := gen.NewClientWithResponses(e.Base, gen.WithRequestEditorFn(func(ctx context.Context, req *http.Request) error {
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return nil
	}))
	if err != nil {
		e.tb.Fatal(err)
	}
	return c
}

// response is a decoded HTTP response.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r response) JSON(tb testing.TB) map[string]any {
	tb.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		tb.Fatalf("response is not a JSON object: %v\n%s", err, r.Body)
	}
	return v
}

// do sends a raw request with token (none when empty).
func (e *env) do(method, path, token, contentType string, body io.Reader) response {
	e.tb.Helper()
	url := path
	if !strings.HasPrefix(path, "http") {
		url = e.Base + path
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		e.tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.tb.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

func (e *env) get(path, token string) response { return e.do("GET", path, token, "", nil) }

func (e *env) postJSON(path, token string, body any) response {
	e.tb.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.tb.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	return e.do("POST", path, token, "application/json", r)
}

// createFlow creates a flow and returns its id.
func (e *env) createFlow(token, waba, name string) string {
	e.tb.Helper()
	res := e.postJSON("/"+waba+"/flows", token, map[string]any{"name": name, "categories": []string{"OTHER"}})
	if res.Status != 200 {
		e.tb.Fatalf("create %q: %d %s", name, res.Status, res.Body)
	}
	return res.JSON(e.tb)["id"].(string)
}

// multipartBody builds an upload body with the given fields; file is the flow JSON.
func multipartBody(tb testing.TB, file []byte, fields map[string]string) (string, *bytes.Buffer) {
	tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	if file != nil {
		fw, err := w.CreateFormFile("file", "flow.json")
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write(file)
	}
	w.Close()
	return w.FormDataContentType(), &buf
}

// upload posts a flow JSON the way Graph expects it.
func (e *env) upload(token, flowID string, file []byte) response {
	e.tb.Helper()
	ct, body := multipartBody(e.tb, file, map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
	return e.do("POST", "/"+flowID+"/assets", token, ct, body)
}

// graphError checks that r is a Graph error with the given HTTP status and code, and returns its body.
func graphError(tb testing.TB, r response, status, code int) map[string]any {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("status = %d, want %d\n%s", r.Status, status, r.Body)
	}
	v := r.JSON(tb)
	e, ok := v["error"].(map[string]any)
	if !ok {
		tb.Fatalf("no error envelope: %s", r.Body)
	}
	if int(e["code"].(float64)) != code {
		tb.Fatalf("code = %v, want %d\n%s", e["code"], code, r.Body)
	}
	trace, _ := e["fbtrace_id"].(string)
	if trace == "" || r.Header.Get("X-FB-Trace-Id") != trace {
		tb.Fatalf("fbtrace_id %q does not match header %q", trace, r.Header.Get("X-FB-Trace-Id"))
	}
	return e
}

// wantMessage checks the error message contains want.
func wantMessage(tb testing.TB, e map[string]any, want string) {
	tb.Helper()
	if msg, _ := e["message"].(string); !strings.Contains(msg, want) {
		tb.Fatalf("message %q does not contain %q", msg, want)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return v
}

// syncBuffer is a bytes.Buffer that the server's goroutines and the test can share (for logs).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
