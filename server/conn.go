package server

// This file holds the listener that stands between the network and net/http: it frames HTTP/1.1 requests
// as net/http does, checks every request head for what net/http would refuse before any handler runs, and
// answers those, and the heads whose framing two parsers could read differently, with Graph errors.

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
	"time"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
	"golang.org/x/net/http/httpguts"
)

// WrapListener returns a listener whose connections are guarded for srv, an http.Server whose Handler is
// a *Server (refused requests are answered by it, at refusedPath). It reads srv's MaxHeaderBytes and
// ReadHeaderTimeout (or, without one, ReadTimeout; with neither, heads may take any time).
//
//   - A request with a Transfer-Encoding other than a single "chunked", with both Transfer-Encoding and
//     Content-Length (the request-smuggling shape behind a proxy that frames by Content-Length), with a
//     Transfer-Encoding on HTTP/1.0 (RFC 9112 section 6.1), or with an Expect other than 100-continue, is
//     answered with a Graph error (400, or 417 for Expect) and the connection is closed after it.
//   - So is every head net/http would refuse with a plain-text answer of its own (a malformed request line
//     or header, no Host, HTTP/2 without TLS, a bad Content-Length: 400; headers too large: 431): the guard
//     reads heads with net/http's grammar and rules (Go 1.26: readRequest, textproto's ReadMIMEHeader,
//     transfer.go), so net/http itself only ever sees heads it accepts.
//   - A head must arrive whole within ReadHeaderTimeout of its first byte (else 408 and the connection is
//     closed), on keep-alive connections too, where net/http starts that clock only at the fourth byte.
//   - Where a body's framing is malformed (a bad chunk line, trailers), the connection ends after the bytes
//     read so far, so that no later request on it is read from a position the guard did not check.
func WrapListener(ln net.Listener, srv *http.Server) net.Listener {
	maxHeader := srv.MaxHeaderBytes
	if maxHeader <= 0 {
		maxHeader = http.DefaultMaxHeaderBytes
	}
	headerTimeout := srv.ReadHeaderTimeout
	if headerTimeout <= 0 {
		headerTimeout = srv.ReadTimeout
	}
	// net/http reads at most MaxHeaderBytes + 4096 bytes of a head (its initialReadLimitSize).
	return &guardListener{Listener: ln, maxHead: maxHeader + 4096, headerTimeout: headerTimeout}
}

type guardListener struct {
	net.Listener
	maxHead       int
	headerTimeout time.Duration
}

func (l *guardListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &guardConn{Conn: c, maxHead: l.maxHead, headerTimeout: l.headerTimeout}, nil
}

// The states of a guarded connection's reading side.
const (
	readHead      = iota // assembling a request head, held back until it is whole and checked
	readBody             // a Content-Length body: remain bytes to pass
	readChunkLine        // a chunk-size line, held in head
	readChunkData        // remain bytes of chunk data
	readChunkEnd         // the CRLF after chunk data
	readLastCRLF         // the CRLF after the last chunk (trailers are not supported)
	readCut              // a body's framing was not understood: nothing more is read
	readRefused          // a refused head was replaced by a request the server answers; input is discarded
)

// maxChunkLine is net/http's limit on a chunk-size line (internal/chunked.go).
const maxChunkLine = 4096

// refusedPath is where a refused request is sent instead, with the reason in the query.
const refusedPath = "/_waflows/refused-request"

// guardConn is one guarded connection. net/http reads it from one goroutine at a time (the connection's,
// or its background reader between requests), but sets deadlines from others: deadlines have their lock.
type guardConn struct {
	net.Conn
	maxHead       int
	headerTimeout time.Duration

	state      int
	remain     uint64
	head       []byte // the head being assembled (readHead) or the chunk line (readChunkLine, readChunkEnd)
	scanned    int    // bytes of head already searched for its end
	skipCRLF   bool   // the last request was a POST: net/http skips up to 4 CR or LF before the next
	out        []byte // checked bytes waiting for Read, from outAt on
	outAt      int
	err        error // a read error to return once out is empty
	scratch    [4096]byte
	emitted    int64   // bytes given to out so far, or read straight into p
	heads      []int64 // offsets in the emitted stream where heads start; recorded only when non-nil (tests)
	recordHead bool

	dl           sync.Mutex
	goDeadline   time.Time // the read deadline net/http set
	headDeadline time.Time // when the head being held must be whole; zero when none is held
}

// SetReadDeadline records net/http's deadline and applies the earlier of it and the head's.
func (c *guardConn) SetReadDeadline(t time.Time) error {
	c.dl.Lock()
	defer c.dl.Unlock()
	c.goDeadline = t
	return c.applyDeadline()
}

// SetDeadline sets both deadlines, the reading one through SetReadDeadline.
func (c *guardConn) SetDeadline(t time.Time) error {
	if err := c.Conn.SetWriteDeadline(t); err != nil {
		return err
	}
	return c.SetReadDeadline(t)
}

func (c *guardConn) applyDeadline() error {
	d := c.goDeadline
	if !c.headDeadline.IsZero() && (d.IsZero() || c.headDeadline.Before(d)) {
		d = c.headDeadline
	}
	return c.Conn.SetReadDeadline(d)
}

// setHeadDeadline starts (or, with a zero time, ends) the clock of a held head.
func (c *guardConn) setHeadDeadline(t time.Time) {
	c.dl.Lock()
	defer c.dl.Unlock()
	if t.IsZero() && c.headDeadline.IsZero() {
		return // the common case: a head that came in one read never started a clock
	}
	c.headDeadline = t
	c.applyDeadline()
}

// CloseWrite half-closes the connection when the network can (net/http does before some refusals).
func (c *guardConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// Read gives net/http the bytes of the connection that the guard has checked.
func (c *guardConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
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
			if _, err := c.Conn.Read(c.scratch[:]); err != nil {
				return 0, err
			}
			continue
		case readBody:
			// The common case needs no copy: read the body straight into p.
			n, err := c.Conn.Read(p[:min(uint64(len(p)), c.remain)])
			c.emitted += int64(n)
			if c.remain -= uint64(n); c.remain == 0 {
				c.state = readHead
			}
			if n > 0 || err != nil {
				return n, err
			}
			continue
		}
		held := c.state == readHead && len(c.head) > 0
		n, err := c.Conn.Read(c.scratch[:])
		c.feed(c.scratch[:n])
		if c.state == readHead && len(c.head) > 0 && !held && c.headerTimeout > 0 {
			c.setHeadDeadline(time.Now().Add(c.headerTimeout)) // the first bytes of a head
		}
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			if c.outAt < len(c.out) {
				continue
			}
			c.dl.Lock()
			expired := !c.headDeadline.IsZero() && !time.Now().Before(c.headDeadline)
			c.dl.Unlock()
			if expired && c.state == readHead && len(c.head) > 0 {
				c.refuse(refusal{"header-timeout", http.StatusRequestTimeout})
				continue
			}
			return 0, err // net/http's own deadline: what is held stays held
		}
		// The peer is gone: let net/http see what was held, then the error.
		if c.state == readHead || c.state == readChunkLine {
			c.emit(c.head)
			c.head = nil
		}
		c.err = err
	}
}

// emit queues checked bytes for Read.
func (c *guardConn) emit(b []byte) {
	c.out = append(c.out, b...)
	c.emitted += int64(len(b))
}

// feed runs the framing over newly read bytes, moving checked bytes to out.
func (c *guardConn) feed(b []byte) {
	for len(b) > 0 {
		switch c.state {
		case readHead:
			b = c.feedHead(b)
		case readBody, readChunkData:
			n := min(uint64(len(b)), c.remain)
			c.emit(b[:n])
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
			c.emit(c.head)
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
	if c.skipCRLF {
		// After a POST, net/http discards the CR and LF bytes among the next four (old clients send a CRLF
		// after the body), once four bytes have come; the head starts after them.
		c.head = append(c.head, b...)
		if len(c.head) < 4 {
			return nil
		}
		n := 0
		for n < 4 && (c.head[n] == '\r' || c.head[n] == '\n') {
			n++
		}
		c.emit(c.head[:n])
		b, c.head, c.skipCRLF = c.head[n:], nil, false
	}
	if len(c.head) == 0 {
		// The common case: the whole head arrived in one read, and is checked where it lies.
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
			c.refuse(refusal{"head-too-large", http.StatusRequestHeaderFieldsTooLarge})
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

// pass decides what to do with a whole head: pass it with its body's framing, or replace it with the
// request that answers its refusal.
func (c *guardConn) pass(head []byte) {
	c.setHeadDeadline(time.Time{})
	if len(head) > c.maxHead {
		c.refuse(refusal{"head-too-large", http.StatusRequestHeaderFieldsTooLarge})
		return
	}
	f := frame(head)
	if f.refuse.reason != "" {
		c.refuse(f.refuse)
		return
	}
	if c.recordHead {
		c.heads = append(c.heads, c.emitted)
	}
	c.emit(head)
	c.skipCRLF = f.post
	switch {
	case f.chunked:
		c.state = readChunkLine
	case f.length > 0:
		c.state, c.remain = readBody, f.length
	}
}

// refuse replaces the head being read with a request the server answers with the refusal's error, and
// stops reading: the server closes the connection after that answer.
func (c *guardConn) refuse(r refusal) {
	c.setHeadDeadline(time.Time{})
	c.head, c.state = nil, readRefused
	c.out = append(c.out, "GET "+refusedPath+"?reason="+url.QueryEscape(r.reason)+"&status="+strconv.Itoa(r.status)+
		" HTTP/1.1\r\nHost: waflows\r\nConnection: close\r\n\r\n"...)
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
	c.emit(line)
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

// cut passes what was held and ends the reading side, in the middle of a body: the handler reading it
// meets its end, the server answers, and finding nothing after it, closes the connection.
func (c *guardConn) cut(held []byte) {
	c.emit(held)
	c.head, c.state = nil, readCut
}

// refusal is why the guard answers a head itself, and with which status.
type refusal struct {
	reason string
	status int
}

// framing is what a request head says about its body, or why it is refused.
type framing struct {
	length  uint64
	chunked bool
	post    bool // the request is a POST (see skipCRLF)
	refuse  refusal
}

func refused(reason string) framing {
	return framing{refuse: refusal{reason, http.StatusBadRequest}}
}

// frame reads a request head the way net/http's server does (server.go readRequest, request.go
// readRequest, textproto's ReadMIMEHeader, transfer.go readTransfer), and refuses what it would refuse.
func frame(head []byte) framing {
	line, head := nextLine(head)
	method, rest, ok1 := bytes.Cut(line, []byte(" "))
	uri, proto, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || len(method) == 0 || !isToken(method) {
		return refused("request-line")
	}
	major, minor := 1, 1
	if string(proto) != "HTTP/1.1" {
		var ok bool
		if major, minor, ok = http.ParseHTTPVersion(string(proto)); !ok {
			return refused("request-line")
		}
	}
	if major != 1 {
		return refused("protocol-version")
	}
	if !plainPath(uri) {
		raw := string(uri)
		if string(method) == "CONNECT" && !strings.HasPrefix(raw, "/") {
			raw = "http://" + raw
		}
		if _, err := url.ParseRequestURI(raw); err != nil {
			return refused("request-line")
		}
	}
	var te, cl, expect, hosts, trailer []string
	var last *[]string // the header a continuation line belongs to
	for first := true; len(head) > 0; first = false {
		line, head = nextLine(head)
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if first {
				return refused("header-line") // textproto: malformed MIME header initial line
			}
			if !validHeaderValue(line) {
				return refused("header-value")
			}
			if last != nil && len(*last) > 0 {
				v := &(*last)[len(*last)-1]
				*v = strings.TrimRight(*v+" "+string(bytes.Trim(line, " \t")), " \t")
			}
			continue
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(k) == 0 {
			return refused("header-line")
		}
		if !isToken(k) {
			return refused("header-name") // a space before the colon too: net/http's "invalid header name"
		}
		if !validHeaderValue(v) {
			return refused("header-value")
		}
		last = nil
		for _, h := range []struct {
			name string
			list *[]string
		}{{"Transfer-Encoding", &te}, {"Content-Length", &cl}, {"Expect", &expect}, {"Host", &hosts}, {"Trailer", &trailer}} {
			if asciiEqualFold(k, h.name) {
				*h.list = append(*h.list, string(bytes.Trim(v, " \t")))
				last = h.list
			}
		}
	}
	switch {
	case len(hosts) > 1:
		return refused("host-many")
	case len(hosts) == 0 && minor >= 1 && string(method) != "CONNECT":
		return refused("host-missing")
	case len(hosts) == 1 && !httpguts.ValidHostHeader(hosts[0]):
		return refused("host-malformed")
	case len(expect) > 0 && expect[0] != "" && !hasToken(expect[0], "100-continue"):
		return framing{refuse: refusal{"expect", http.StatusExpectationFailed}}
	}
	post := string(method) == "POST"
	if len(te) > 0 {
		switch {
		case minor == 0:
			return refused("transfer-encoding-http10")
		case len(cl) > 0:
			return refused("transfer-encoding-and-content-length")
		case len(te) > 1 || !asciiEqualFold(te[0], "chunked"):
			return refused("transfer-encoding")
		}
		for _, t := range trailer {
			for _, key := range strings.Split(t, ",") {
				switch http.CanonicalHeaderKey(strings.TrimSpace(key)) {
				case "Transfer-Encoding", "Trailer", "Content-Length":
					return refused("trailer")
				}
			}
		}
		return framing{chunked: true, post: post}
	}
	if len(cl) == 0 {
		return framing{post: post}
	}
	for _, v := range cl[1:] {
		if v != cl[0] {
			return refused("content-length")
		}
	}
	n, err := strconv.ParseUint(cl[0], 10, 63)
	if err != nil {
		return refused("content-length")
	}
	return framing{length: n, post: post}
}

// plainPath reports whether uri is a path that url.ParseRequestURI surely accepts (printable ASCII, each
// % before the query followed by two hex digits), so that the common request need not be parsed twice.
func plainPath(uri []byte) bool {
	if len(uri) == 0 || uri[0] != '/' {
		return false
	}
	query := false
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		switch {
		case c <= ' ' || c >= 0x7f:
			return false
		case c == '?':
			query = true
		case c == '%' && !query:
			if i+2 >= len(uri) || !isHexDigit(uri[i+1]) || !isHexDigit(uri[i+2]) {
				return false
			}
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isToken reports whether b is an RFC 7230 token, as net/http requires of methods and header names.
func isToken(b []byte) bool {
	for _, c := range b {
		if !httpguts.IsTokenRune(rune(c)) {
			return false
		}
	}
	return len(b) > 0
}

// validHeaderValue reports whether every byte of v may be in a header value: SP, HTAB, VCHAR, obs-text.
func validHeaderValue(v []byte) bool {
	for _, c := range v {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// hasToken reports whether the comma-separated list v holds token, case aside.
func hasToken(v, token string) bool {
	for _, t := range strings.Split(v, ",") {
		if asciiEqualFold(strings.Trim(t, " \t"), token) {
			return true
		}
	}
	return false
}

// asciiEqualFold is strings.EqualFold for ASCII letters only, as net/http compares header words (Unicode
// folding would match "chun\u212Aed", with a Kelvin sign, to "chunked").
func asciiEqualFold[T string | []byte](a T, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
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

// refusedMessages are the errors of the requests the guard refuses, by reason.
var refusedMessages = map[string]string{
	"transfer-encoding":                    "(#100) The request's Transfer-Encoding is not supported: send a Content-Length, or Transfer-Encoding: chunked alone",
	"transfer-encoding-and-content-length": "(#100) The request has both Content-Length and Transfer-Encoding: send one of them",
	"transfer-encoding-http10":             "(#100) An HTTP/1.0 request cannot use Transfer-Encoding: send a Content-Length",
	"expect":                               "(#100) The request's Expect header is not supported: only 100-continue is",
	"request-line":                         "(#100) The request could not be read: its first line is not METHOD TARGET HTTP/1.x",
	"protocol-version":                     "(#100) The request could not be read: only HTTP/1.0 and HTTP/1.1 are served here (no HTTP/2 without TLS)",
	"header-line":                          "(#100) The request could not be read: a header line is malformed",
	"header-name":                          "(#100) The request could not be read: a header name is not a token",
	"header-value":                         "(#100) The request could not be read: a header value holds a control character",
	"host-missing":                         "(#100) The request could not be read: an HTTP/1.1 request needs a Host header",
	"host-many":                            "(#100) The request could not be read: it has more than one Host header",
	"host-malformed":                       "(#100) The request could not be read: its Host header is malformed",
	"content-length":                       "(#100) The request could not be read: its Content-Length is not one number",
	"trailer":                              "(#100) The request could not be read: its Trailer header names a framing header",
	"head-too-large":                       "(#100) The request headers are too large",
	"header-timeout":                       "(#100) The request headers did not arrive in time",
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
