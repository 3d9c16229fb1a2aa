package server

// This file holds the listener that stands between the network and net/http: it frames HTTP/1.1 requests
// as net/http does, refuses the ones whose framing two parsers could read differently, and turns what
// net/http answers on its own, before any handler runs, into Graph errors.

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
)

// WrapListener returns a listener whose connections are guarded for an http.Server with the given
// MaxHeaderBytes (0 means http.DefaultMaxHeaderBytes):
//
//   - A request with a Transfer-Encoding other than a single "chunked", with both Transfer-Encoding and
//     Content-Length (the request-smuggling shape behind a proxy that frames by Content-Length), with a
//     Transfer-Encoding on HTTP/1.0 (RFC 9112 section 6.1), or with an Expect other than 100-continue, is
//     answered with a Graph error (400, or 417 for Expect) and the connection is closed after it.
//   - The plain-text responses net/http writes itself for requests it cannot parse (400, 431, 501, 505)
//     become Graph error envelopes, with 5xx turned into 400: no input yields a 5xx.
//   - Where a body's framing is malformed (a bad chunk line, trailers), the connection ends after the
//     bytes read so far, so that no later request on it is read from a position the guard did not check.
//
// The guard reads requests with the grammar net/http uses (Go 1.26: request line, header lines with
// obs-fold continuations and bare-LF line ends, Content-Length, chunked bodies with extensions).
func WrapListener(ln net.Listener, maxHeaderBytes int) net.Listener {
	if maxHeaderBytes <= 0 {
		maxHeaderBytes = http.DefaultMaxHeaderBytes
	}
	// net/http reads at most MaxHeaderBytes + 4096 bytes of a head; past it, it answers 431. The guard holds
	// a little more before it lets the bytes through, so that net/http is sure to refuse them itself.
	return &guardListener{Listener: ln, maxHead: maxHeaderBytes + 4096 + 1024}
}

type guardListener struct {
	net.Listener
	maxHead int
}

func (l *guardListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &guardConn{Conn: c, maxHead: l.maxHead}, nil
}

// The states of a guarded connection's reading side.
const (
	readHead      = iota // assembling a request head, held back until it is whole and checked
	readBody             // a Content-Length body: remain bytes to pass
	readChunkLine        // a chunk-size line, held in line
	readChunkData        // remain bytes of chunk data
	readChunkEnd         // the CRLF after chunk data
	readLastCRLF         // the CRLF after the last chunk (trailers are not supported)
	readCut              // the framing was not understood: nothing more is read
	readRefused          // a refused request was replaced by one the server answers; input is discarded
)

// maxChunkLine is net/http's limit on a chunk-size line (internal/chunked.go).
const maxChunkLine = 4096

// refusedPath is where a refused request is sent instead, with the reason in the query.
const refusedPath = "/_waflows/refused-request"

type guardConn struct {
	net.Conn
	maxHead int

	mu      sync.Mutex // Read runs on the connection's goroutine and, between requests, its background reader
	state   int
	remain  uint64
	head    []byte // the head being assembled (readHead) or the chunk line (readChunkLine)
	scanned int    // bytes of head already searched for its end
	out     []byte // checked bytes waiting for Read, from outAt on
	outAt   int
	err     error // a read error to return once out is empty
	scratch [4096]byte
}

// Read gives net/http the bytes of the connection that the guard has checked.
func (c *guardConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if c.outAt < len(c.out) {
			n := copy(p, c.out[c.outAt:])
			if c.outAt += n; c.outAt == len(c.out) {
				c.out, c.outAt = c.out[:0], 0 // reuse the buffer
				if cap(c.out) > 64<<10 {
					c.out = nil // a large head: let its buffer go
				}
			}
			return n, nil
		}
		if c.err != nil {
			return 0, c.err
		}
		switch c.state {
		case readCut:
			return 0, io.EOF
		case readRefused:
			// Wait for the server to close the connection after its answer, as an idle client would.
			_, err := c.Conn.Read(c.scratch[:])
			if err != nil {
				return 0, err
			}
			continue
		case readBody:
			// The common case needs no copy: read the body straight into p.
			n, err := c.Conn.Read(p[:min(uint64(len(p)), c.remain)])
			if c.remain -= uint64(n); c.remain == 0 {
				c.state = readHead
			}
			if n > 0 || err != nil {
				return n, err
			}
			continue
		}
		n, err := c.Conn.Read(c.scratch[:])
		c.feed(c.scratch[:n])
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// A deadline (net/http's own, or the read-header timeout): what is held stays held.
				if c.outAt < len(c.out) {
					continue
				}
				return 0, err
			}
			// The peer is gone: let net/http see what was held, then the error.
			if c.state == readHead || c.state == readChunkLine {
				c.out = append(c.out, c.head...)
				c.head = nil
			}
			c.err = err
		}
	}
}

// feed runs the framing over newly read bytes, moving checked bytes to out.
func (c *guardConn) feed(b []byte) {
	for len(b) > 0 {
		switch c.state {
		case readHead:
			b = c.feedHead(b)
		case readBody, readChunkData:
			n := min(uint64(len(b)), c.remain)
			c.out = append(c.out, b[:n]...)
			b = b[n:]
			if c.remain -= n; c.remain == 0 {
				if c.state == readBody {
					c.state = readHead
				} else {
					c.state, c.head = readChunkEnd, c.head[:0]
				}
			}
		case readChunkLine:
			b = c.feedChunkLine(b)
		case readChunkEnd, readLastCRLF:
			// Exactly "\r\n", as net/http requires; what follows the last chunk ends the body.
			for len(b) > 0 && len(c.head) < 2 {
				c.head = append(c.head, b[0])
				b = b[1:]
			}
			if len(c.head) < 2 {
				return
			}
			c.out = append(c.out, c.head...)
			switch {
			case string(c.head) != "\r\n":
				c.state = readCut // a malformed body, or trailers: net/http refuses it, and nothing follows
			case c.state == readChunkEnd:
				c.state = readChunkLine
			default:
				c.state = readHead
			}
			c.head = c.head[:0]
		default: // readCut, readRefused: nothing more is passed
			return
		}
	}
}

// feedHead adds bytes to the head being assembled; once it is whole, checks it and decides the body's
// framing. It returns the bytes after the head.
func (c *guardConn) feedHead(b []byte) []byte {
	if len(c.head) == 0 {
		// The common case: the whole head arrived in one read, and is framed where it lies.
		if end := headEnd(b, 0); end > 0 {
			c.pass(b[:end])
			return b[end:]
		}
	}
	c.head = append(c.head, b...)
	end := headEnd(c.head, c.scanned)
	if end < 0 {
		c.scanned = max(len(c.head)-2, 0)
		if len(c.head) > c.maxHead {
			c.cut(c.head) // too large: net/http answers 431 and closes
		}
		return nil
	}
	head, rest := c.head[:end], c.head[end:]
	c.head, c.scanned = nil, 0
	c.pass(head)
	return rest // c.head no longer holds its array
}

// headEnd returns the length of the head at the start of b (through its empty line), or -1 when b does
// not hold all of it; from is where to resume the search. Lines end at LF, with or without CR before it,
// as textproto reads them.
func headEnd(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j
		if i > 0 && (b[i-1] == '\n' || (b[i-1] == '\r' && i > 1 && b[i-2] == '\n')) {
			return i + 1
		}
	}
	return -1
}

// pass decides what to do with a whole head: pass it with its body's framing, replace it with the
// request that answers its refusal, or cut the connection after it.
func (c *guardConn) pass(head []byte) {
	switch f := frame(head); {
	case f.refuse != "":
		c.state = readRefused
		c.out = append(c.out, "GET "+refusedPath+"?reason="+url.QueryEscape(f.refuse)+"&status="+strconv.Itoa(f.status)+
			" HTTP/1.1\r\nHost: waflows\r\nConnection: close\r\n\r\n"...)
	case f.confused:
		c.cut(head) // net/http refuses this head itself and closes the connection
	case f.chunked:
		c.out = append(c.out, head...)
		c.state = readChunkLine
	case f.length > 0:
		c.out = append(c.out, head...)
		c.state, c.remain = readBody, f.length
	default:
		c.out = append(c.out, head...)
	}
}

// feedChunkLine assembles a chunk-size line and reads the size from it, as net/http does.
func (c *guardConn) feedChunkLine(b []byte) []byte {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		c.head = append(c.head, b...)
		if len(c.head) > maxChunkLine+2 {
			c.cut(c.head)
		}
		return nil
	}
	c.head = append(c.head, b[:i+1]...)
	b = b[i+1:]
	line := c.head
	c.head = c.head[:0]
	// CRLF only, no other CR; extensions after ';' are ignored; the size is at most 16 hex digits.
	if len(line) < 2 || line[len(line)-2] != '\r' || bytes.IndexByte(line, '\r') != len(line)-2 || len(line)-2 >= maxChunkLine {
		c.cut(line)
		return nil
	}
	size, _, _ := bytes.Cut(line[:len(line)-2], []byte(";"))
	size = bytes.TrimRight(size, " \t")
	n, ok := parseChunkSize(size)
	if !ok {
		c.cut(line)
		return nil
	}
	c.out = append(c.out, line...)
	if n == 0 {
		c.state = readLastCRLF
	} else {
		c.state, c.remain = readChunkData, n
	}
	return b
}

func parseChunkSize(v []byte) (uint64, bool) {
	if len(v) == 0 || len(v) > 16 {
		return 0, false
	}
	var n uint64
	for _, b := range v {
		switch {
		case '0' <= b && b <= '9':
			b -= '0'
		case 'a' <= b && b <= 'f':
			b -= 'a' - 10
		case 'A' <= b && b <= 'F':
			b -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(b)
	}
	return n, true
}

// cut passes what was held and ends the reading side: net/http answers what it has and, finding nothing
// after it, closes the connection.
func (c *guardConn) cut(held []byte) {
	c.out = append(c.out, held...)
	c.head, c.state = nil, readCut
}

// framing is what a request head says about its body.
type framing struct {
	length   uint64
	chunked  bool
	confused bool   // net/http refuses this head itself
	refuse   string // why the guard refuses the request
	status   int    // the status of the refusal
}

// frame reads the framing of a request head the way net/http does (readRequest, textproto's
// ReadMIMEHeader, transfer.go's parseTransferEncoding and fixLength).
func frame(head []byte) framing {
	line, head := nextLine(head)
	method, rest, ok1 := bytes.Cut(line, []byte(" "))
	_, proto, ok2 := bytes.Cut(rest, []byte(" "))
	major, minor, ok3 := http.ParseHTTPVersion(string(proto))
	if !ok1 || !ok2 || !ok3 || len(method) == 0 || major != 1 {
		return framing{confused: true}
	}
	var te, cl, expect []string
	var last *[]string // the header a continuation line belongs to
	for first := true; len(head) > 0; first = false {
		line, head = nextLine(head)
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if first {
				return framing{confused: true} // net/http: malformed MIME header initial line
			}
			if last != nil && len(*last) > 0 {
				v := &(*last)[len(*last)-1]
				*v = strings.TrimRight(*v+" "+string(bytes.Trim(line, " \t")), " \t")
			}
			continue
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(k) == 0 {
			return framing{confused: true}
		}
		// A key with a space in it is kept as written, so it is not the header it resembles.
		switch {
		case len(k) == len("Transfer-Encoding") && bytes.EqualFold(k, []byte("Transfer-Encoding")):
			te = append(te, string(bytes.Trim(v, " \t")))
			last = &te
		case len(k) == len("Content-Length") && bytes.EqualFold(k, []byte("Content-Length")):
			cl = append(cl, string(bytes.Trim(v, " \t")))
			last = &cl
		case len(k) == len("Expect") && bytes.EqualFold(k, []byte("Expect")):
			expect = append(expect, string(bytes.Trim(v, " \t")))
			last = &expect
		default:
			last = nil
		}
	}
	if len(expect) > 0 && expect[0] != "" && !hasToken(expect[0], "100-continue") {
		return framing{refuse: "expect", status: http.StatusExpectationFailed} // net/http: 417, without an envelope
	}
	if len(te) > 0 {
		switch {
		case minor == 0:
			return framing{refuse: "transfer-encoding-http10", status: http.StatusBadRequest}
		case len(cl) > 0:
			return framing{refuse: "transfer-encoding-and-content-length", status: http.StatusBadRequest}
		case len(te) > 1 || !strings.EqualFold(te[0], "chunked"):
			return framing{refuse: "transfer-encoding", status: http.StatusBadRequest}
		}
		return framing{chunked: true}
	}
	if len(cl) == 0 {
		return framing{}
	}
	for _, v := range cl[1:] {
		if v != cl[0] {
			return framing{confused: true} // net/http: multiple Content-Length headers
		}
	}
	n, err := strconv.ParseUint(cl[0], 10, 63)
	if err != nil {
		return framing{confused: true}
	}
	return framing{length: n}
}

// hasToken reports whether the comma-separated list v holds token, case aside.
func hasToken(v, token string) bool {
	for _, t := range strings.Split(v, ",") {
		if strings.EqualFold(strings.Trim(t, " \t"), token) {
			return true
		}
	}
	return false
}

// nextLine returns the first line of b without its LF (and one CR before it), and the rest after it.
func nextLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i], b[i+1:]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}

// plainErrorHeaders is what follows the status line of the responses net/http writes on its own
// (server.go, conn.serve) before it closes the connection.
const plainErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// Write passes the server's responses, turning net/http's own plain-text error responses into Graph
// error envelopes. net/http writes each of those in one call straight to the connection.
func (c *guardConn) Write(b []byte) (int, error) {
	if len(b) < 512 && bytes.HasPrefix(b, []byte("HTTP/1.")) {
		if i := bytes.Index(b, []byte(plainErrorHeaders)); i > 0 && bytes.IndexByte(b[:i], '\n') < 0 {
			if _, err := c.Conn.Write(plainToGraph(b[:i], b[i+len(plainErrorHeaders):])); err != nil {
				return 0, err
			}
			return len(b), nil
		}
	}
	return c.Conn.Write(b)
}

// plainToGraph rewrites a plain-text error response (its status line and body) as a Graph error.
func plainToGraph(statusLine, body []byte) []byte {
	status := http.StatusBadRequest
	if f := strings.Fields(string(statusLine)); len(f) >= 2 {
		if n, err := strconv.Atoi(f[1]); err == nil && n >= 400 && n < 500 {
			status = n
		}
	}
	text := strings.TrimSpace(string(body))
	switch {
	case status == http.StatusRequestHeaderFieldsTooLarge:
		text = "The request headers are too large"
	case strings.HasPrefix(text, "Unsupported transfer encoding"):
		text = "The request's Transfer-Encoding is not supported: send a Content-Length or chunked"
	default:
		// "400 Bad Request: missing required Host header" → "missing required Host header"
		if _, after, ok := strings.Cut(text, ": "); ok {
			text = after
		}
		text = "The request could not be read: " + text
	}
	shape := graphErrors[api.EINVALID]
	shape.status = status
	trace := newTraceID()
	env := appendGraphError(nil, shape, "(#100) "+text, "", trace)
	var b []byte
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = append(b, http.StatusText(status)...)
	b = append(b, "\r\nContent-Type: application/json; charset=UTF-8\r\nConnection: close\r\nX-Fb-Trace-Id: "...)
	b = append(b, trace...)
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(env)), 10)
	b = append(b, "\r\n\r\n"...)
	return append(b, env...)
}

// refusedMessages are the errors of the requests the guard refuses, by reason.
var refusedMessages = map[string]string{
	"transfer-encoding":                    "(#100) The request's Transfer-Encoding is not supported: send a Content-Length, or Transfer-Encoding: chunked alone",
	"transfer-encoding-and-content-length": "(#100) The request has both Content-Length and Transfer-Encoding: send one of them",
	"transfer-encoding-http10":             "(#100) An HTTP/1.0 request cannot use Transfer-Encoding: send a Content-Length",
	"expect":                               "(#100) The request's Expect header is not supported: only 100-continue is",
}

// refusedRequest answers, in place of a request the guard refused, with the error it names; the
// connection closes after it.
func (s *Server) refusedRequest(c echo.Context) error {
	msg, ok := refusedMessages[c.QueryParam("reason")]
	if !ok {
		msg = "(#100) The request was refused: its framing is ambiguous"
	}
	status, err := strconv.Atoi(c.QueryParam("status"))
	if err != nil || status < 400 || status > 499 {
		status = http.StatusBadRequest
	}
	shape := graphErrors[api.EINVALID]
	shape.status = status
	c.Response().Header().Set("Connection", "close")
	return c.JSONBlob(status, appendGraphError(make([]byte, 0, 256), shape, msg, "", traceID(c)))
}
