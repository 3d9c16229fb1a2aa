// The WhatsApp side of the wire: a Client that sends a Request as the WhatsApp client does (a fresh key
// and IV, the signature, the 10 s timeout, the one retry after 421) and reads the reply, with failures
// named as Meta's alerts name them.
package endpoint

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
	"unicode/utf8"
)

// Timeout is how long the WhatsApp client waits for the endpoint ([M-ERR] timeout_error).
const Timeout = 10 * time.Second

// The error kinds of Send: Meta's names for what the client reports ([M-ERR] "Error Types Reported via
// WebHook Alerts"), and ours where Meta names none.
const (
	KindTimeout               = "timeout_error"
	KindNoResponse            = "no_http_response_error"
	KindUnexpectedStatus      = "unexpected_http_status_code"
	KindBusinessDecryption    = "business-decryption-error" // 421, also after the one retry
	KindResponseDecryption    = "response-decryption-error" // the reply does not decrypt, or is not a response
	KindInvalidFlowToken      = "invalid-flow-token"        // 427 (ours: Meta names no alert for it)
	KindSignatureVerification = "signature-verification"    // 432 (ours)
)

// Error is a failed Send: its Kind, the HTTP status when there was one, the 427's error_msg, the cause.
type Error struct {
	Kind    string
	Status  int
	Message string
	Err     error
}

func (e *Error) Error() string {
	s := "endpoint: " + e.Kind
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Client sends requests to a data endpoint as WhatsApp does.
type Client struct {
	// URL is the endpoint (the flow's endpoint_uri).
	URL string
	// PublicKey is the business public key (the one uploaded for the phone number).
	PublicKey *rsa.PublicKey
	// AppSecret signs the body (X-Hub-Signature-256); empty sends no signature.
	AppSecret string
	// HTTPClient sends the requests; nil means a client with the 10 s timeout.
	HTTPClient *http.Client
}

// maxReply bounds the reply a Client reads.
const maxReply = 10 << 20

// Send encrypts req, posts it, and decrypts the reply. A 421 is retried once with a fresh key, as the
// client does after re-fetching the public key. It has the signature of player.WithDataExchange.
func (c *Client) Send(ctx context.Context, req Request) (*Response, error) {
	if c.PublicKey == nil {
		return nil, errors.New("endpoint: Client.PublicKey is required")
	}
	plain, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, plain)
	var e *Error
	if errors.As(err, &e) && e.Kind == KindBusinessDecryption {
		resp, err = c.send(ctx, plain)
	}
	return resp, err
}

func (c *Client) send(ctx context.Context, plain []byte) (*Response, error) {
	body, ex, err := SealEnvelope(plain, c.PublicKey)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	if c.AppSecret != "" {
		hreq.Header.Set("X-Hub-Signature-256", Sign(body, c.AppSecret))
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: Timeout}
	}
	res, err := hc.Do(hreq)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded || isTimeout(err) {
			return nil, &Error{Kind: KindTimeout, Err: err}
		}
		return nil, &Error{Kind: KindNoResponse, Err: err}
	}
	defer res.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(res.Body, maxReply))
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded || isTimeout(err) {
			return nil, &Error{Kind: KindTimeout, Status: res.StatusCode, Err: err}
		}
		return nil, &Error{Kind: KindNoResponse, Status: res.StatusCode, Err: err}
	}
	switch res.StatusCode {
	case http.StatusOK:
	case StatusDecryptionFailed:
		return nil, &Error{Kind: KindBusinessDecryption, Status: res.StatusCode}
	case StatusSignatureMismatch:
		return nil, &Error{Kind: KindSignatureVerification, Status: res.StatusCode}
	case StatusInvalidFlowToken:
		return nil, &Error{Kind: KindInvalidFlowToken, Status: res.StatusCode, Message: clipString(errorMsg(ex, reply), maxErrorMsg)}
	default:
		return nil, &Error{Kind: KindUnexpectedStatus, Status: res.StatusCode, Message: clipBytes(reply, 200)}
	}
	opened, err := ex.Open(reply)
	if err != nil {
		return nil, &Error{Kind: KindResponseDecryption, Status: res.StatusCode, Err: err}
	}
	var out Response
	if err := json.Unmarshal(opened, &out); err != nil {
		return nil, &Error{Kind: KindResponseDecryption, Status: res.StatusCode, Err: fmt.Errorf("the decrypted reply is not a JSON response: %w", err)}
	}
	if out.Data == nil {
		out.Data = map[string]any{}
	}
	return &out, nil
}

// errorMsg reads a 427's error_msg, encrypted (as Meta's sample sends it) or plain.
func errorMsg(ex *Exchange, body []byte) string {
	var v struct {
		ErrorMsg string `json:"error_msg"`
	}
	if plain, err := ex.Open(body); err == nil && json.Unmarshal(plain, &v) == nil {
		return v.ErrorMsg
	}
	if json.Unmarshal(body, &v) == nil {
		return v.ErrorMsg
	}
	return ""
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// maxErrorMsg bounds the 427 error_msg an Error carries (the client shows it in one line).
const maxErrorMsg = 1000

// clipString shortens s to at most n bytes on a character boundary.
func clipString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func clipBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
