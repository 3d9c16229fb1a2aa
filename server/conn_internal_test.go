package server

// A fuzz target for the connection guard's framing: whatever the bytes and however the network splits
// them, the guard passes a prefix of them (followed, for a refused request, by the request it answers
// instead), never panics, and decides the same for every split.

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http/httpguts"
)

// chunkedConn is a net.Conn whose reads return the input in pieces of the given sizes.
type chunkedConn struct {
	net.Conn
	in    []byte
	sizes []int
}

func (c *chunkedConn) Read(p []byte) (int, error) {
	if len(c.in) == 0 {
		return 0, io.EOF
	}
	n := len(c.in)
	if len(c.sizes) > 0 {
		n, c.sizes = max(1, c.sizes[0]), c.sizes[1:]
	}
	n = min(n, len(p), len(c.in))
	copy(p, c.in[:n])
	c.in = c.in[n:]
	return n, nil
}

func (c *chunkedConn) SetReadDeadline(time.Time) error { return nil }

// guardOutput is everything net/http would read from the input through a guard, and the offsets in it
// where the guard passed a head.
func guardOutput(in []byte, sizes []int) ([]byte, []int64) {
	g := &guardConn{Conn: &chunkedConn{in: in, sizes: sizes}, maxHead: 8 << 10, recordHead: true}
	var out []byte
	buf := make([]byte, 4096)
	for range 100000 {
		n, err := g.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil || g.state == readRefused && g.outAt == len(g.out) {
			break
		}
	}
	return out, g.heads
}

func FuzzGuardFraming(f *testing.F) {
	req := "POST /v21.0/1/flows HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
	for _, s := range []string{
		req + req,
		req + "\r\n" + req,
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\n{}\r\n0\r\n\r\n" + req,
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n" + req,
		"GET / HTTP/1.1\nHost: x\n\nGET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n",
		"\r\n\r\n",
	} {
		f.Add([]byte(s), []byte{1, 7, 3})
	}
	f.Fuzz(func(t *testing.T, in []byte, split []byte) {
		sizes := make([]int, len(split))
		for i, b := range split {
			sizes[i] = int(b)
		}
		whole, heads := guardOutput(in, nil)
		pieces, _ := guardOutput(in, sizes)
		if !bytes.Equal(whole, pieces) {
			t.Fatalf("the split changed what passed:\nwhole  %q\npieces %q", whole, pieces)
		}
		passed := whole
		if i := bytes.Index(whole, []byte("GET "+refusedPath)); i >= 0 && !bytes.Contains(in, []byte(refusedPath)) {
			passed = whole[:i]
			if !strings.HasSuffix(string(whole), "Connection: close\r\n\r\n") {
				t.Fatalf("a refusal that is not the last thing passed: %q", whole)
			}
		}
		if !bytes.HasPrefix(in, passed) {
			t.Fatalf("passed bytes that are not a prefix of the input:\nin     %q\npassed %q", in, passed)
		}
		// net/http's server reads from what passed exactly the requests the guard framed, starting where
		// the guard saw them start, and accepts every one of their heads.
		counted := &countingReader{r: bytes.NewReader(passed)}
		br := bufio.NewReader(counted)
		var goHeads []int64
		lastMethod := ""
		for range 1000 {
			if lastMethod == "POST" { // server.go's tolerance of a CRLF after a POST body
				peek, _ := br.Peek(4)
				n := 0
				for n < len(peek) && (peek[n] == '\r' || peek[n] == '\n') {
					n++
				}
				br.Discard(n)
			}
			off := int64(counted.n - br.Buffered())
			req, err := http.ReadRequest(br)
			if err != nil {
				break
			}
			goHeads = append(goHeads, off)
			if msg := serverRefuses(req, passed[off:]); msg != "" {
				t.Fatalf("the guard passed a head net/http's server refuses (%s) at %d:\n%q", msg, off, passed)
			}
			lastMethod = req.Method
			if _, err := io.Copy(io.Discard, req.Body); err != nil {
				break
			}
			req.Body.Close()
		}
		if !slices.Equal(goHeads, heads) {
			t.Fatalf("net/http read requests at %v, the guard framed heads at %v:\n%q", goHeads, heads, passed)
		}
	})
}

// serverRefuses is what net/http's server checks after reading a request (server.go, conn.readRequest);
// http.ReadRequest drops the Host header, so the head is read again for it.
func serverRefuses(req *http.Request, head []byte) string {
	if req.ProtoMajor != 1 {
		return "protocol version"
	}
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	tp.ReadLine()
	h, _ := tp.ReadMIMEHeader()
	hosts, ok := h["Host"]
	if req.ProtoAtLeast(1, 1) && (!ok || len(hosts) == 0) && req.Method != "CONNECT" {
		return "missing Host"
	}
	if len(hosts) == 1 && !httpguts.ValidHostHeader(hosts[0]) {
		return "malformed Host"
	}
	for k, vv := range req.Header {
		if !httpguts.ValidHeaderFieldName(k) {
			return "header name"
		}
		for _, v := range vv {
			if !httpguts.ValidHeaderFieldValue(v) {
				return "header value"
			}
		}
	}
	if e := req.Header.Get("Expect"); e != "" && !hasToken(e, "100-continue") {
		return "Expect"
	}
	return ""
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// BenchmarkGuardRequest is what the guard adds to one keep-alive request: framing a typical GET head
// and passing it on (a handler takes tens of microseconds).
func BenchmarkGuardRequest(b *testing.B) {
	req := []byte("GET /v21.0/1234567890123456?fields=id,name,status HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: Go-http-client/1.1\r\nAuthorization: Bearer waflows-dev-96123381fed85e6d4a744662eec6b9ae840edfb1a0e9a7db\r\nAccept-Encoding: gzip\r\n\r\n")
	in := &chunkedConn{}
	g := &guardConn{Conn: in, maxHead: 8 << 10}
	buf := make([]byte, 4096)
	b.SetBytes(int64(len(req)))
	b.ReportAllocs()
	for b.Loop() {
		in.in = req
		for n := 0; n < len(req); {
			m, err := g.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			n += m
		}
	}
}
