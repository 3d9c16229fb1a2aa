package server_test

// Tests of the bounds on requests with large bodies: buffers that grow with what arrives, and the slots.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/flowgen"
	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/server"
)

// stalledUpload opens a connection that declares a 10 MB upload, sends its first bytes and stops.
func stalledUpload(t *testing.T, e *env, flowID string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(e.Root, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	const boundary = "stalled"
	fmt.Fprintf(c, "POST /v21.0/%s/assets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n"+
		"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\n\r\n{\"version\":",
		flowID, tokenA, boundary, 10<<20, boundary)
	return c
}

// TestStalledUploadsHoldLittleMemory: clients that declare 10 MB and send a few bytes cost what they sent,
// not what they declared.
func TestStalledUploadsHoldLittleMemory(t *testing.T) {
	const n = 20
	// The wait is long enough that a stalled upload arriving while a probe below holds a slot gets one.
	e := MustOpenServer(t, withConfig(func(c *server.Config) { c.MaxLargeBodies, c.LargeBodyWait = n, 2*time.Second }))
	id := e.createFlow(tokenA, waba1, "Stalled")
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	conns := make([]net.Conn, n)
	for i := range conns {
		conns[i] = stalledUpload(t, e, id)
	}
	// Every stalled upload holds a slot once its handler runs: when one more large upload is refused,
	// all n handlers are reading their parts.
	for deadline := time.Now().Add(10 * time.Second); ; {
		res := e.upload(tokenA, id, largeFlow())
		if res.Status != 200 {
			graphError(t, res, http.StatusBadRequest, 4)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the stalled uploads never took their slots")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // their first bytes are in: the part headers have been read
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	growth := int64(after.HeapInuse) - int64(before.HeapInuse)
	if growth > 40<<20 {
		t.Fatalf("%d stalled uploads grew the heap by %d MB; want the few KB each has sent", n, growth>>20)
	}
	for _, c := range conns {
		c.Close()
	}
	// The server is still fine.
	if res := e.upload(tokenA, id, []byte(testflow.Valid)); res.Status != 200 {
		t.Fatalf("upload after the stalled ones: %d %s", res.Status, res.Body)
	}
}

// largeFlow is a valid flow JSON padded past the small-body size with whitespace.
func largeFlow() []byte {
	return []byte(strings.Replace(testflow.Valid, `"version"`, strings.Repeat(" ", 100<<10)+`"version"`, 1))
}

// TestLargeBodySlots: with every slot held, another large body waits, then gets Graph code 4 with
// Retry-After; small requests go on; a freed slot serves the next large body.
func TestLargeBodySlots(t *testing.T) {
	e := MustOpenServer(t, withConfig(func(c *server.Config) {
		c.MaxLargeBodies, c.LargeBodyWait = 2, time.Second // long enough for a stalled upload behind a probe
	}))
	id := e.createFlow(tokenA, waba1, "Slots")
	held := []net.Conn{stalledUpload(t, e, id), stalledUpload(t, e, id)}

	var refused response
	for deadline := time.Now().Add(5 * time.Second); ; {
		refused = e.upload(tokenA, id, largeFlow())
		if refused.Status != 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond) // the stalled uploads have not taken their slots yet
	}
	ge := graphError(t, refused, http.StatusBadRequest, 4)
	wantMessage(t, ge, "at most 2 bodies over 64 KB")
	if ge["is_transient"] != true || refused.Header.Get("Retry-After") != "1" {
		t.Fatalf("refusal is not marked transient with Retry-After: %v %q", ge["is_transient"], refused.Header.Get("Retry-After"))
	}
	// Chunked bodies (unknown length) need a slot too.
	ct, body := multipartBody(t, []byte(testflow.Valid), map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
	req, _ := http.NewRequest("POST", e.Base+"/"+id+"/assets", struct{ *bytes.Buffer }{body}) // hides the length
	req.Header.Set("Authorization", "Bearer "+tokenA)
	req.Header.Set("Content-Type", ct)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("chunked upload with every slot held: %d", res.StatusCode)
	}
	// Small bodies need no slot.
	if res := e.upload(tokenA, id, []byte(testflow.Valid)); res.Status != 200 {
		t.Fatalf("small upload with every slot held: %d %s", res.Status, res.Body)
	}
	// Hanging up frees the slot.
	held[0].Close()
	var ok response
	for deadline := time.Now().Add(5 * time.Second); ; {
		ok = e.upload(tokenA, id, largeFlow())
		if ok.Status == 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if ok.Status != 200 {
		t.Fatalf("large upload after a slot was freed: %d %s", ok.Status, ok.Body)
	}
}

// TestLargeJSONBodiesAllocateLittle: a 3 MB create body made of empty arrays — in an unknown field, in
// the categories, in the name — is decoded once into the fields the server needs, so handling it
// allocates a small multiple of its size, not a generic tree of millions of values.
func TestLargeJSONBodiesAllocateLittle(t *testing.T) {
	e := MustOpenServer(t)
	arrays := strings.Repeat(`[],`, (3<<20)/3-100) + `[]`
	for name, body := range map[string]string{
		"unknown field": `{"name":"Arrays","categories":["OTHER"],"x":[` + arrays + `]}`,
		"categories":    `{"name":"Arrays 2","categories":[` + arrays + `]}`,
		"name":          `{"name":[` + arrays + `],"categories":["OTHER"]}`,
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res := e.postJSON("/"+waba1+"/flows", tokenA, body)
		runtime.ReadMemStats(&after)
		if res.Status != 200 && res.Status != 400 {
			t.Fatalf("%s: status %d %s", name, res.Status, res.Body)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*uint64(len(body)) {
			t.Errorf("%s: a %d MB body allocated %d MB", name, len(body)>>20, alloc>>20)
		}
	}
}

// TestValidationErrorsBounded: an upload made of nothing but long faults stores and returns a bounded
// list of validation errors, so a list page of many such flows stays small.
func TestValidationErrorsBounded(t *testing.T) {
	e := MustOpenServer(t)
	doc := flowgen.UnknownKeys(1<<20, 9800)
	const flows = 10
	for i := range flows {
		id := e.createFlow(tokenA, waba1, fmt.Sprintf("Faulty %d", i))
		res := e.upload(tokenA, id, doc)
		if res.Status != 200 || len(res.Body) > flowjson.MaxErrorsSize+64 {
			t.Fatalf("upload: %d, %d bytes", res.Status, len(res.Body))
		}
		verrs := res.JSON(t)["validation_errors"].([]any)
		if last := verrs[len(verrs)-1].(map[string]any); last["error"] != flowjson.CodeTooManyErrors {
			t.Fatalf("the list does not say it was cut: %v", last)
		}
	}
	page := e.get("/"+waba1+"/flows?limit=100", tokenA)
	if page.Status != 200 || len(page.Body) > flows*(flowjson.MaxErrorsSize+1024) {
		t.Fatalf("a page of %d such flows is %d bytes", flows, len(page.Body))
	}
}

// TestDatabaseFileDeleted: with the SQLite file deleted under the running server, /healthz fails, writes
// get Graph's transient code 2 (never a 200 that would be lost), and reads of what was stored go on.
func TestDatabaseFileDeleted(t *testing.T) {
	e := MustOpenServer(t)
	id := e.createFlow(tokenA, waba1, "Before")
	if r := e.get(e.Root+"/healthz", ""); r.Status != 200 {
		t.Fatalf("healthz: %d %s", r.Status, r.Body)
	}
	for _, p := range []string{e.storage, e.storage + "-wal", e.storage + "-shm"} {
		os.Remove(p)
	}
	r := e.get(e.Root+"/healthz", "")
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(string(r.Body), "deleted or replaced") || strings.Contains(string(r.Body), e.storage) {
		t.Fatalf("healthz after the file was deleted: %d %s", r.Status, r.Body)
	}
	res := e.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": "Lost", "categories": []string{"OTHER"}})
	ge := graphError(t, res, http.StatusServiceUnavailable, 2)
	if ge["is_transient"] != true {
		t.Fatalf("not transient: %s", res.Body)
	}
	graphError(t, e.upload(tokenA, id, []byte(testflow.Valid)), http.StatusServiceUnavailable, 2)
	if r := e.get("/"+id, tokenA); r.Status != 200 {
		t.Fatalf("read after: %d %s", r.Status, r.Body)
	}
}

// TestClientGoneIsLoggedAs499: a request whose client has hung up is logged with nginx's 499, as the
// client's doing, and not as an internal error with status 500.
func TestClientGoneIsLoggedAs499(t *testing.T) { eachBackend(t, testClientGoneIsLoggedAs499) }

func testClientGoneIsLoggedAs499(t *testing.T, bk backend) {
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := MustOpenServer(t, on(bk), withConfig(func(c *server.Config) { c.Logger = logger }))
	id := e.createFlow(tokenA, waba1, "Gone")
	e.upload(tokenA, id, []byte(testflow.Valid))
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client is gone before the server gets to the database
	for _, req := range []*http.Request{
		httptest.NewRequestWithContext(ctx, "POST", server.APIPrefix+"/"+id+"/publish", nil),
		httptest.NewRequestWithContext(ctx, "DELETE", server.APIPrefix+"/"+id, nil),
	} {
		req.Header.Set("Authorization", "Bearer "+tokenA)
		rec := httptest.NewRecorder()
		e.Server.ServeHTTP(rec, req)
		if rec.Code != 499 || !strings.Contains(rec.Body.String(), `"code":1`) {
			t.Errorf("%s %s answered %d %s, want a 499 Graph error", req.Method, req.URL.Path, rec.Code, rec.Body)
		}
	}
	var statuses []float64
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["level"] == "ERROR" {
			t.Errorf("logged as an error: %s", line)
		}
		if rec["msg"] == "request" && rec["method"] != "GET" {
			statuses = append(statuses, rec["status"].(float64))
		}
	}
	if len(statuses) < 2 || statuses[len(statuses)-1] != 499 || statuses[len(statuses)-2] != 499 {
		t.Fatalf("request statuses logged: %v, want the last two 499", statuses)
	}
	if f := e.get("/"+id+"?fields=status", tokenA).JSON(t); f["status"] != "DRAFT" {
		t.Fatalf("the canceled publish changed the flow: %v", f)
	}
}

// TestStalledLargeBodyLosesItsSlot: a large body that pauses too long, or trickles, is ended with a Graph
// error and gives its slot back, so a few stalled clients cannot keep every upload out.
func TestStalledLargeBodyLosesItsSlot(t *testing.T) {
	e := MustOpenServer(t, withConfig(func(c *server.Config) {
		c.MaxLargeBodies, c.LargeBodyWait, c.LargeBodyIdle = 1, time.Second, 300*time.Millisecond
	}))
	id := e.createFlow(tokenA, waba1, "Trickle")
	for name, trickle := range map[string]time.Duration{"stalled": time.Hour, "trickling": 50 * time.Millisecond} {
		t.Run(name, func(t *testing.T) {
			c := dialRaw(t, e)
			c.send(fmt.Sprintf("POST /v21.0/%s/assets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\n\r\n{",
				id, tokenA, 200<<10))
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(trickle):
						c.send(" ")
					}
				}
			}()
			start := time.Now()
			res, body := c.response()
			wantGraphError(t, res, body, 400, "arrived too slowly")
			if took := time.Since(start); took > 3*time.Second {
				t.Fatalf("ended after %v", took)
			}
			// The slot is free again.
			if r := e.upload(tokenA, id, largeFlow()); r.Status != 200 {
				t.Fatalf("a large upload after: %d %s", r.Status, r.Body)
			}
		})
	}
}
