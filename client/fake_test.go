package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waflows/waflows/client"
)

// fakeGraph imitates graph.facebook.com under a non-empty base path (as behind a proxy), with bodies
// shaped like those in Meta's Postman collection. Each path can be given a script of failures to play
// before it succeeds.
type fakeGraph struct {
	t      *testing.T
	srv    *httptest.Server
	prefix string

	mu       sync.Mutex
	calls    map[string]int      // "METHOD path" -> count
	failures map[string][]string // "METHOD path" -> failure kinds still to play
	authSeen map[string]string   // path -> Authorization header
}

const fakeBase = "/graph-proxy/v21.0"

func newFakeGraph(t *testing.T) *fakeGraph {
	f := &fakeGraph{t: t, prefix: fakeBase, calls: map[string]int{}, failures: map[string][]string{}, authSeen: map[string]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGraph) base() string { return f.srv.URL + f.prefix }

func (f *fakeGraph) fail(method, path string, kinds ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[method+" "+path] = append(f.failures[method+" "+path], kinds...)
}

func (f *fakeGraph) count(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method+" "+path]
}

func (f *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.authSeen[r.URL.Path] = r.Header.Get("Authorization")
	if r.URL.Path == "/cdn/flow.json" {
		f.mu.Unlock()
		w.Write([]byte(`{"version":"7.3","screens":[]}`))
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, f.prefix)
	if !ok {
		f.mu.Unlock()
		f.t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	key := r.Method + " " + path
	f.calls[key]++
	var kind string
	if q := f.failures[key]; len(q) > 0 {
		kind, f.failures[key] = q[0], q[1:]
	}
	f.mu.Unlock()
	w.Header().Set("x-fb-trace-id", "Fake1234567")
	if kind != "" {
		writeFailure(w, kind)
		return
	}
	if r.Header.Get("Authorization") != "Bearer good-token" {
		writeFailure(w, "auth")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	switch key {
	case "POST /waba-1/flows":
		io.WriteString(w, `{"id": "flow-1"}`)
	case "GET /waba-1/flows":
		io.WriteString(w, `{"data": [{"name": "my first flow", "status": "DRAFT", "categories": ["SIGN_UP"], "validation_errors": [], "id": "flow-1"},
			{"name": "my second flow", "status": "PUBLISHED", "categories": ["LEAD_GENERATION"], "validation_errors": [], "id": "flow-2"}],
			"paging": {"cursors": {"before": "QVFIUnpKT", "after": "QVFIUmx1W"}}}`)
	case "GET /flow-1":
		io.WriteString(w, `{"id": "flow-1", "name": "Launch \"2024-01-01T00:00:00+0000\" batch", "categories": ["OTHER"],
			"preview": {"preview_url": "https://business.facebook.com/wa/manage/flows/55000/preview/?token=b9d6", "expires_at": "2023-05-21T11:18:09+0000"},
			"status": "DRAFT", "validation_errors": [], "json_version": "3.0", "data_api_version": "3.0",
			"data_channel_uri": "https://example.com", "health_status": {"can_send_message": "BLOCKED", "entities": []},
			"whatsapp_business_account": {"id": "waba-1", "name": "My Awesome WABA", "timezone_id": "54"},
			"application": {"link": "https://www.facebook.com/games/?app_id=1", "name": "My App", "id": "1"}}`)
	case "POST /flow-1/assets":
		io.WriteString(w, `{"success": true, "validation_errors": [
			{"error": "INVALID_PROPERTY", "error_type": "JSON_SCHEMA_ERROR", "message": "The property \"initial-text\" cannot be specified at \"$root/screens/0/layout/children/2/children/0\".", "line_start": 46, "line_end": 46, "column_start": 17, "column_end": 30},
			{"error": "INVALID_PROPERTY_VALUE", "error_type": "FLOW_JSON_ERROR", "message": "Invalid value found for property 'type'.", "line_start": 10, "line_end": 10, "column_start": 21, "column_end": 34,
			 "pointers": [{"line_start": 10, "line_end": 10, "column_start": 21, "column_end": 34, "path": "screens[0].layout.children[0].type"}]}]}`)
	case "GET /flow-1/assets":
		io.WriteString(w, `{"data": [{"name": "flow.json", "asset_type": "FLOW_JSON", "download_url": "`+f.srv.URL+`/cdn/flow.json"}], "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}}`)
	case "POST /flow-1", "POST /flow-1/publish", "POST /flow-1/deprecate", "DELETE /flow-1":
		io.WriteString(w, `{"success": true}`)
	default:
		f.t.Errorf("unexpected %s", key)
		http.NotFound(w, r)
	}
}

// writeFailure writes one of Graph's error responses.
func writeFailure(w http.ResponseWriter, kind string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	switch kind {
	case "rate": // application request limit, with a Retry-After
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(400)
		io.WriteString(w, `{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","is_transient":true,"code":4,"fbtrace_id":"AbCdEfGhIjK"}}`)
	case "waba-rate":
		w.WriteHeader(400)
		io.WriteString(w, `{"error":{"message":"(#80007) Rate limit issues","type":"OAuthException","code":80007,"fbtrace_id":"AbCdEfGhIjK"}}`)
	case "slow-down": // a Retry-After longer than the client will wait
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(400)
		io.WriteString(w, `{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"fbtrace_id":"AbCdEfGhIjK"}}`)
	case "unavailable":
		w.WriteHeader(503)
		io.WriteString(w, `{"error":{"message":"(#2) Service temporarily unavailable","type":"OAuthException","is_transient":true,"code":2,"fbtrace_id":"AbCdEfGhIjK"}}`)
	case "unknown":
		w.WriteHeader(500)
		io.WriteString(w, `{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1,"error_subcode":99,"is_transient":true,"fbtrace_id":"AbCdEfGhIjK"}}`)
	case "html":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		io.WriteString(w, `<html><body>Bad gateway</body></html>`)
	case "auth":
		w.WriteHeader(401)
		io.WriteString(w, `{"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"OAuthException","code":190,"fbtrace_id":"AbCdEfGhIjK"}}`)
	case "integrity":
		w.WriteHeader(400)
		io.WriteString(w, `{"error":{"message":"Blocked by Integrity","type":"OAuthException","code":139000,"error_subcode":4233020,"is_transient":false,"error_user_title":"Flow publishing failed","error_user_msg":"Integrity requirements not met.","fbtrace_id":"AbCdEfGhIjK"}}`)
	}
}

var fastRetry = client.RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxRetryAfter: time.Second}

func fakeClient(t *testing.T, f *fakeGraph, token string) *client.Client {
	return newClient(t, f.base(), token, client.WithRetry(fastRetry))
}

// TestAgainstGraphShapes: the client reads Graph's real response shapes, under a base path.
func TestAgainstGraphShapes(t *testing.T) {
	f := newFakeGraph(t)
	c := fakeClient(t, f, "good-token")
	ctx := context.Background()
	id, resp, err := c.CreateFlow(ctx, "waba-1", client.CreateFlowRequest{Name: "my first flow", Categories: []client.Category{"OTHER"}})
	if err != nil || id != "flow-1" || resp.TraceID != "Fake1234567" {
		t.Fatalf("create: %q %v", id, err)
	}
	page, _, err := c.ListFlows(ctx, "waba-1", nil)
	if err != nil || len(page.Flows) != 2 || *page.Flows[1].Status != "PUBLISHED" || page.After != "QVFIUmx1W" || page.HasNext {
		t.Fatalf("list: %v %+v", err, page)
	}
	flow, _, err := c.GetFlow(ctx, "flow-1", "id", "name", "preview", "whatsapp_business_account")
	if err != nil || *flow.WhatsappBusinessAccount.Name != "My Awesome WABA" || flow.Preview == nil || flow.Preview.ExpiresAt == nil ||
		!flow.Preview.ExpiresAt.Equal(time.Date(2023, 5, 21, 11, 18, 9, 0, time.UTC)) || *flow.Name != `Launch "2024-01-01T00:00:00+0000" batch` {
		t.Fatalf("get: %v %+v", err, flow)
	}
	verrs, _, err := c.UploadFlowJSON(ctx, "flow-1", []byte(`{}`))
	if err != nil || len(verrs) != 2 || *verrs[0].Error != "INVALID_PROPERTY" || verrs[0].Pointers != nil ||
		(*verrs[1].Pointers)[0] != "screens[0].layout.children[0].type" || *verrs[1].LineStart != 10 {
		t.Fatalf("upload: %v %+v", err, verrs)
	}
	data, _, err := c.DownloadFlowJSON(ctx, "flow-1")
	if err != nil || !strings.Contains(string(data), `"7.3"`) {
		t.Fatalf("download: %v %q", err, data)
	}
	f.mu.Lock()
	cdnAuth := f.authSeen["/cdn/flow.json"]
	f.mu.Unlock()
	if cdnAuth != "" {
		t.Fatal("the access token was sent to the download URL")
	}
	name := "renamed"
	for _, call := range []func() (*client.Response, error){
		func() (*client.Response, error) {
			return c.UpdateFlow(ctx, "flow-1", client.UpdateFlowRequest{Name: &name})
		},
		func() (*client.Response, error) { return c.PublishFlow(ctx, "flow-1") },
		func() (*client.Response, error) { return c.DeprecateFlow(ctx, "flow-1") },
		func() (*client.Response, error) { return c.DeleteFlow(ctx, "flow-1") },
	} {
		if _, err := call(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRetries(t *testing.T) {
	ctx := context.Background()
	t.Run("rate limited GET is retried, honouring Retry-After", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("GET", "/flow-1", "rate", "rate")
		if _, _, err := fakeClient(t, f, "good-token").GetFlow(ctx, "flow-1"); err != nil {
			t.Fatal(err)
		}
		if n := f.count("GET", "/flow-1"); n != 3 {
			t.Fatalf("%d attempts", n)
		}
	})
	t.Run("transient 5xx on GET is retried", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("GET", "/waba-1/flows", "unavailable", "html")
		if _, _, err := fakeClient(t, f, "good-token").ListFlows(ctx, "waba-1", nil); err != nil {
			t.Fatal(err)
		}
		if n := f.count("GET", "/waba-1/flows"); n != 3 {
			t.Fatalf("%d attempts", n)
		}
	})
	t.Run("create is not retried after a transient error", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("POST", "/waba-1/flows", "unavailable")
		_, _, err := fakeClient(t, f, "good-token").CreateFlow(ctx, "waba-1", client.CreateFlowRequest{Name: "x", Categories: []client.Category{"OTHER"}})
		var ge *client.Error
		if !errors.As(err, &ge) || !ge.IsTransient || ge.Code != 2 || ge.HTTPStatus != 503 {
			t.Fatalf("error: %#v", err)
		}
		if n := f.count("POST", "/waba-1/flows"); n != 1 {
			t.Fatalf("create sent %d times", n)
		}
	})
	t.Run("create is retried after a rate limit", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("POST", "/waba-1/flows", "waba-rate")
		if _, _, err := fakeClient(t, f, "good-token").CreateFlow(ctx, "waba-1", client.CreateFlowRequest{Name: "x", Categories: []client.Category{"OTHER"}}); err != nil {
			t.Fatal(err)
		}
		if n := f.count("POST", "/waba-1/flows"); n != 2 {
			t.Fatalf("%d attempts", n)
		}
	})
	t.Run("transient error on publish is retried, a 5xx page is not", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("POST", "/flow-1/publish", "unknown")
		c := fakeClient(t, f, "good-token")
		if _, err := c.PublishFlow(ctx, "flow-1"); err != nil {
			t.Fatal(err)
		}
		f.fail("POST", "/flow-1/deprecate", "html")
		_, err := c.DeprecateFlow(ctx, "flow-1")
		var ge *client.Error
		if !errors.As(err, &ge) || ge.HTTPStatus != 502 || !strings.Contains(ge.Message, "Bad gateway") {
			t.Fatalf("html 502: %#v", err)
		}
		if n := f.count("POST", "/flow-1/deprecate"); n != 1 {
			t.Fatalf("deprecate sent %d times", n)
		}
	})
	t.Run("attempts are bounded", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("GET", "/flow-1", "rate", "rate", "rate", "rate")
		_, _, err := fakeClient(t, f, "good-token").GetFlow(ctx, "flow-1")
		if !client.IsRateLimited(err) || f.count("GET", "/flow-1") != 3 {
			t.Fatalf("error %v after %d attempts", err, f.count("GET", "/flow-1"))
		}
	})
	t.Run("a Retry-After beyond the limit returns the error", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("GET", "/flow-1", "slow-down")
		start := time.Now()
		_, _, err := fakeClient(t, f, "good-token").GetFlow(ctx, "flow-1")
		if !client.IsRateLimited(err) || f.count("GET", "/flow-1") != 1 || time.Since(start) > 5*time.Second {
			t.Fatalf("error %v after %d attempts", err, f.count("GET", "/flow-1"))
		}
	})
	t.Run("the context ends the wait", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("GET", "/flow-1", "waba-rate", "waba-rate") // no Retry-After: the minute-long backoff applies
		slow := client.RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Minute, MaxBackoff: time.Minute, MaxRetryAfter: time.Hour}
		c := newClient(t, f.base(), "good-token", client.WithRetry(slow))
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, _, err := c.GetFlow(ctx, "flow-1")
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
			t.Fatalf("error %v after %v", err, time.Since(start))
		}
	})
	t.Run("no retry for auth errors or business refusals", func(t *testing.T) {
		f := newFakeGraph(t)
		_, _, err := fakeClient(t, f, "bad-token").GetFlow(ctx, "flow-1")
		if !client.IsAuth(err) || f.count("GET", "/flow-1") != 1 {
			t.Fatalf("401: %v after %d attempts", err, f.count("GET", "/flow-1"))
		}
		f.fail("POST", "/flow-1/publish", "integrity")
		_, err = fakeClient(t, f, "good-token").PublishFlow(ctx, "flow-1")
		var ge *client.Error
		if !errors.As(err, &ge) || ge.Code != 139000 || ge.Subcode != 4233020 || ge.UserMessage != "Integrity requirements not met." || !client.IsLifecycle(err) || f.count("POST", "/flow-1/publish") != 1 {
			t.Fatalf("integrity: %#v", err)
		}
	})
	t.Run("NoRetry sends once", func(t *testing.T) {
		f := newFakeGraph(t)
		f.fail("GET", "/flow-1", "rate")
		c := newClient(t, f.base(), "good-token", client.WithRetry(client.NoRetry))
		if _, _, err := c.GetFlow(ctx, "flow-1"); !client.IsRateLimited(err) || f.count("GET", "/flow-1") != 1 {
			t.Fatalf("%v", err)
		}
	})
}
