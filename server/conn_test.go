package server_test

// Tests of the connection guard (WrapListener): ambiguous framing refused and the connection closed,
// net/http's own answers turned into Graph errors, and every valid way of framing a request still served.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/internal/testflow"
)

// rawConn is one TCP connection speaking HTTP by hand.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func dialRaw(t *testing.T, e *env) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(e.Root, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawConn{t: t, conn: c, r: bufio.NewReader(c)}
}

func (c *rawConn) send(s string) { io.WriteString(c.conn, s) }

// response reads the next response and its body.
func (c *rawConn) response() (*http.Response, []byte) {
	c.t.Helper()
	res, err := http.ReadResponse(c.r, nil)
	if err != nil {
		c.t.Fatalf("reading a response: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, b
}

// closed reports whether the server has closed the connection (with nothing more to read).
func (c *rawConn) closed() bool {
	c.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, err := c.r.ReadByte()
	return err == io.EOF
}

// wantGraphError checks that a raw response is a Graph error envelope with the given status.
func wantGraphError(t *testing.T, res *http.Response, body []byte, status int, text string) {
	t.Helper()
	var v struct {
		Error struct {
			Message   string `json:"message"`
			Code      int    `json:"code"`
			FBTraceID string `json:"fbtrace_id"`
		} `json:"error"`
	}
	if res.StatusCode != status || json.Unmarshal(body, &v) != nil || v.Error.Code != 100 || v.Error.FBTraceID == "" {
		t.Fatalf("want a Graph error with status %d, got %d %q\n%s", status, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if !strings.Contains(v.Error.Message, text) {
		t.Fatalf("message %q does not contain %q", v.Error.Message, text)
	}
	if res.Header.Get("X-FB-Trace-Id") != v.Error.FBTraceID {
		t.Fatalf("X-FB-Trace-Id %q, fbtrace_id %q", res.Header.Get("X-FB-Trace-Id"), v.Error.FBTraceID)
	}
}

func createRequest(name, framing, body string) string {
	return "POST /v21.0/" + waba1 + "/flows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokenA +
		"\r\nContent-Type: application/json\r\n" + framing + "\r\n" + body
}

func createBodyJSON(name string) string { return `{"name":"` + name + `","categories":["OTHER"]}` }

func chunked(body string) string { return fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body) }

func flowNames(t *testing.T, e *env) map[string]bool {
	t.Helper()
	page, err := e.Store.ListFlows(context.Background(), waba1, api.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range page.Flows {
		names[f.Name] = true
	}
	return names
}

// TestGuardRefusesAmbiguousFraming: each request whose body two HTTP parsers could frame differently
// gets a Graph error, the connection is closed after it, and what was smuggled behind it never runs.
func TestGuardRefusesAmbiguousFraming(t *testing.T) {
	e := MustOpenServer(t)
	smuggled := createRequest("", "Content-Length: "+fmt.Sprint(len(createBodyJSON("Smuggled")))+"\r\n", createBodyJSON("Smuggled"))
	for _, tc := range []struct {
		name, req string
		status    int
		text      string
	}{
		{"both lengths", createRequest("", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n") + smuggled,
			400, "both Content-Length and Transfer-Encoding"},
		{"lengths, chunked first", createRequest("", "Transfer-Encoding: chunked\r\nContent-Length: 80\r\n", chunked(createBodyJSON("Front"))) + smuggled,
			400, "both Content-Length and Transfer-Encoding"},
		{"gzip", createRequest("", "Transfer-Encoding: gzip\r\n", "") + smuggled, 400, "Transfer-Encoding is not supported"},
		{"two codings", createRequest("", "Transfer-Encoding: gzip, chunked\r\n", chunked(createBodyJSON("Gz"))) + smuggled, 400, "Transfer-Encoding is not supported"},
		{"two fields", createRequest("", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunked(createBodyJSON("Twice"))) + smuggled, 400, "Transfer-Encoding is not supported"},
		{"folded", createRequest("", "Transfer-Encoding: chunked,\r\n identity\r\n", chunked(createBodyJSON("Folded"))) + smuggled, 400, "Transfer-Encoding is not supported"},
		{"Kelvin sign", createRequest("", "Transfer-Encoding: chun\u212aed\r\n", chunked(createBodyJSON("Kelvin"))) + smuggled, 400, "Transfer-Encoding is not supported"},
		{"HTTP/1.0", strings.Replace(createRequest("", "Transfer-Encoding: chunked\r\n", chunked(createBodyJSON("Old"))), "HTTP/1.1", "HTTP/1.0", 1) + smuggled,
			400, "HTTP/1.0 request cannot use Transfer-Encoding"},
		{"expect", createRequest("", "Expect: something\r\nContent-Length: 2\r\n", "{}") + smuggled, 417, "Expect header is not supported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dialRaw(t, e)
			c.send(tc.req)
			res, body := c.response()
			wantGraphError(t, res, body, tc.status, tc.text)
			if !c.closed() {
				t.Fatal("the connection stayed open after the refusal")
			}
		})
	}
	for name := range flowNames(t, e) {
		t.Errorf("flow %q was created by a refused request or one smuggled behind it", name)
	}
}

// TestGuardGraphErrorsForWhatNetHTTPRefuses: requests net/http would answer itself before any handler
// runs, with a plain-text body (and 505 for HTTP/2), get a Graph envelope from the guard instead.
func TestGuardGraphErrorsForWhatNetHTTPRefuses(t *testing.T) {
	e := MustOpenServer(t)
	for _, tc := range []struct {
		name, req string
		status    int
		text      string
	}{
		{"no host", "GET /v21.0/" + waba1 + "/flows HTTP/1.1\r\n\r\n", 400, "needs a Host header"},
		{"bad host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "Host header is malformed"},
		{"bad header name", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", 400, "could not be read"},
		{"bad request line", "FETCH\r\nHost: x\r\n\r\n", 400, "could not be read"},
		{"HTTP/2 without TLS", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400, "no HTTP/2 without TLS"},
		{"two lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400, "could not be read"},
		{"bad length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\na", 400, "could not be read"},
		{"headers too large", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 1100<<10) + "\r\n\r\n", 431, "headers are too large"},
		{"header initial space", "GET / HTTP/1.1\r\n Host: x\r\n\r\n", 400, "could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dialRaw(t, e)
			c.send(tc.req)
			res, body := c.response()
			wantGraphError(t, res, body, tc.status, tc.text)
		})
	}
}

// TestGuardServesEveryValidFraming: pipelined requests framed every way net/http accepts — chunked with
// extensions, Content-Length, bare LF line ends, folded header lines, 100-continue — are all served in
// order on one connection.
func TestGuardServesEveryValidFraming(t *testing.T) {
	e := MustOpenServer(t)
	c := dialRaw(t, e)
	one, two, three := createBodyJSON("Chunked"), createBodyJSON("Length"), createBodyJSON("Bare LF")
	c.send(createRequest("", "Transfer-Encoding: chunked\r\n",
		fmt.Sprintf("%x;name=value\r\n%s\r\n%X \r\n%s\r\n0;last\r\n\r\n", 5, one[:5], len(one)-5, one[5:])))
	c.send(createRequest("", fmt.Sprintf("Content-Length: %d\r\nX-Folded: a\r\n b\r\n", len(two)), two))
	c.send(strings.ReplaceAll(createRequest("", fmt.Sprintf("content-length: %d\r\n", len(three)), ""), "\r\n", "\n") + three)
	c.send(createRequest("", fmt.Sprintf("Expect: 100-continue\r\nContent-Length: %d\r\n", len(createBodyJSON("Continued"))), createBodyJSON("Continued")))
	c.send("GET /v21.0/" + waba1 + "/flows?limit=10 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokenA + "\r\n\r\n")
	for i := range 4 {
		res, body := c.response()
		if res.StatusCode == http.StatusContinue {
			res, body = c.response()
		}
		if res.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, res.StatusCode, body)
		}
	}
	res, body := c.response()
	if res.StatusCode != 200 {
		t.Fatalf("list: %d %s", res.StatusCode, body)
	}
	names := flowNames(t, e)
	for _, n := range []string{"Chunked", "Length", "Bare LF", "Continued"} {
		if !names[n] {
			t.Errorf("flow %q was not created; have %v", n, names)
		}
	}
}

// TestGuardEndsMalformedBodies: a chunked body the guard cannot frame (a bad size line, trailers) ends
// the connection after the server's answer: nothing pipelined behind it is read.
func TestGuardEndsMalformedBodies(t *testing.T) {
	e := MustOpenServer(t)
	behind := createRequest("", fmt.Sprintf("Content-Length: %d\r\n", len(createBodyJSON("Behind"))), createBodyJSON("Behind"))
	for name, body := range map[string]string{
		"bad size":  "zz\r\n" + createBodyJSON("Bad") + "\r\n0\r\n\r\n",
		"bare LF":   fmt.Sprintf("%x\n%s\r\n0\r\n\r\n", len(createBodyJSON("LF")), createBodyJSON("LF")),
		"trailers":  chunked(createBodyJSON("Trailer"))[:len(chunked(createBodyJSON("Trailer")))-2] + "X-Trailer: 1\r\n\r\n",
		"no CRLF":   fmt.Sprintf("%x\r\n%sXX0\r\n\r\n", len(createBodyJSON("NoCRLF")), createBodyJSON("NoCRLF")),
		"huge size": "10000000000000000\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			c := dialRaw(t, e)
			c.send(createRequest("", "Transfer-Encoding: chunked\r\n", body) + behind)
			c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			b, _ := io.ReadAll(c.r) // everything the server sends until it closes
			if n := strings.Count(string(b), "HTTP/1.1 "); n > 1 {
				t.Fatalf("%d responses: the request behind was read\n%s", n, b)
			}
			if strings.Contains(string(b), " 500 ") {
				t.Fatalf("a 500: %s", b)
			}
		})
	}
	if flowNames(t, e)["Behind"] {
		t.Fatal("a request behind a malformed body was served")
	}
}

// TestGuardHeaderTimeoutOnKeepAlive: on a connection that has served a request, a head that trickles in
// is cut off ReadHeaderTimeout after its first byte (net/http alone would wait for the idle timeout).
func TestGuardHeaderTimeoutOnKeepAlive(t *testing.T) {
	e := MustOpenServer(t, withHTTP(func(s *http.Server) { s.ReadHeaderTimeout, s.IdleTimeout = 500*time.Millisecond, time.Minute }))
	c := dialRaw(t, e)
	c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	if res, body := c.response(); res.StatusCode != 200 {
		t.Fatalf("first request: %d %s", res.StatusCode, body)
	}
	start := time.Now()
	c.send("GET /healthz HTTP/1.1\r\nHo")
	res, body := c.response()
	wantGraphError(t, res, body, http.StatusRequestTimeout, "did not arrive in time")
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("the trickling head was answered after %v", took)
	}
	if !c.closed() {
		t.Fatal("the connection stayed open")
	}
}

// TestGuardPipelines: what net/http tolerates between requests (a CRLF after a POST body) is tolerated,
// and a request refused behind a good one does not cost the good one its answer.
func TestGuardPipelines(t *testing.T) {
	e := MustOpenServer(t)
	one, two := createBodyJSON("After POST 1"), createBodyJSON("After POST 2")
	c := dialRaw(t, e)
	c.send(createRequest("", fmt.Sprintf("Content-Length: %d\r\n", len(one)), one) + "\r\n" +
		createRequest("", fmt.Sprintf("Content-Length: %d\r\n", len(two)), two))
	for i := range 2 {
		if res, body := c.response(); res.StatusCode != 200 || !strings.Contains(string(body), `"id"`) {
			t.Fatalf("request %d: %d %s", i, res.StatusCode, body)
		}
	}
	good := createBodyJSON("Before a bad head")
	c = dialRaw(t, e)
	c.send(createRequest("", fmt.Sprintf("Content-Length: %d\r\n", len(good)), good) + "GET / HTTP/1.1\r\n Host: x\r\n\r\n")
	if res, body := c.response(); res.StatusCode != 200 || !strings.Contains(string(body), `"id"`) {
		t.Fatalf("the good request before a refused head: %d %s", res.StatusCode, body)
	}
	res, body := c.response()
	wantGraphError(t, res, body, 400, "header line is malformed")
	names := flowNames(t, e)
	for _, n := range []string{"After POST 1", "After POST 2", "Before a bad head"} {
		if !names[n] {
			t.Errorf("flow %q was not created", n)
		}
	}
}

// TestHalfClosedClientGetsNo200: a client that half-closes its side after sending a request is taken
// for gone by net/http, which ends the request's context; if that stops the work, the answer says so
// with an error, never an empty 200.
func TestHalfClosedClientGetsNo200(t *testing.T) {
	e := MustOpenServer(t)
	big := strings.Repeat(" ", 6<<20) + testflow.Valid
	body, _ := json.Marshal(map[string]any{"name": "Half closed", "categories": []string{"OTHER"}, "flow_json": big})
	c := dialRaw(t, e)
	c.send(createRequest("", fmt.Sprintf("Content-Length: %d\r\n", len(body)), string(body)))
	c.conn.(*net.TCPConn).CloseWrite()
	res, b := c.response()
	t.Logf("answer after a half-close: %d %.80s", res.StatusCode, b)
	if res.StatusCode == 200 && !strings.Contains(string(b), `"id"`) {
		t.Fatalf("an empty 200: %q", b)
	}
	if res.StatusCode != 200 {
		wantGraphErrorCode(t, res, b, 499, 1)
	}
}

// wantGraphErrorCode checks that a raw response is a Graph error with the given status and code.
func wantGraphErrorCode(t *testing.T, res *http.Response, body []byte, status, code int) {
	t.Helper()
	var v struct {
		Error struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if res.StatusCode != status || json.Unmarshal(body, &v) != nil || v.Error.Code != code {
		t.Fatalf("want a Graph error %d with status %d, got %d %s", code, status, res.StatusCode, body)
	}
}
