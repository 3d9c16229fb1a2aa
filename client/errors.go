package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is a failed call: Graph's error envelope, decoded. Match it with errors.As, or use the Is…
// predicates for the common cases.
type Error struct {
	HTTPStatus  int
	Message     string
	Type        string
	Code        int
	Subcode     int
	UserTitle   string // error_user_title
	UserMessage string // error_user_msg
	TraceID     string // fbtrace_id
	IsTransient bool
}

// Error implements error: "graph: <message> (code C[, subcode S], HTTP H, fbtrace_id T)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("graph: ")
	b.WriteString(e.Message)
	if e.UserMessage != "" && e.UserMessage != e.Message {
		b.WriteString(": ")
		b.WriteString(e.UserMessage)
	}
	fmt.Fprintf(&b, " (code %d", e.Code)
	if e.Subcode != 0 {
		fmt.Fprintf(&b, ", subcode %d", e.Subcode)
	}
	fmt.Fprintf(&b, ", HTTP %d", e.HTTPStatus)
	if e.TraceID != "" {
		fmt.Fprintf(&b, ", fbtrace_id %s", e.TraceID)
	}
	b.WriteByte(')')
	return b.String()
}

// envelope is Graph's error body.
type envelope struct {
	Error *struct {
		Message     string `json:"message"`
		Type        string `json:"type"`
		Code        int    `json:"code"`
		Subcode     int    `json:"error_subcode"`
		UserTitle   string `json:"error_user_title"`
		UserMsg     string `json:"error_user_msg"`
		TraceID     string `json:"fbtrace_id"`
		IsTransient bool   `json:"is_transient"`
	} `json:"error"`
}

// decodeError turns a non-2xx response into an *Error. A body that is not a Graph envelope (a proxy's
// HTML page, say) still gives an Error, with the HTTP status and the start of the body.
func decodeError(res *http.Response, body []byte) *Error {
	e := &Error{HTTPStatus: res.StatusCode, TraceID: res.Header.Get("X-Fb-Trace-Id")}
	var env envelope
	if json.Unmarshal(body, &env) == nil && env.Error != nil {
		g := env.Error
		e.Message, e.Type, e.Code, e.Subcode = g.Message, g.Type, g.Code, g.Subcode
		e.UserTitle, e.UserMessage, e.IsTransient = g.UserTitle, g.UserMsg, g.IsTransient
		if g.TraceID != "" {
			e.TraceID = g.TraceID
		}
		return e
	}
	snippet := strings.TrimSpace(string(body))
	if len(snippet) > 200 {
		snippet = snippet[:200] + "…"
	}
	e.Message = fmt.Sprintf("unexpected HTTP %d response", res.StatusCode)
	if snippet != "" {
		e.Message += ": " + snippet
	}
	e.IsTransient = res.StatusCode >= 500
	return e
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// IsNotFound reports whether err says the object does not exist or the token cannot reach it (Graph
// code 100, subcode 33).
func IsNotFound(err error) bool {
	e := asError(err)
	return e != nil && e.Code == 100 && e.Subcode == 33
}

// IsInvalidParameter reports whether err is Graph's "invalid parameter" (code 100, other than not found).
func IsInvalidParameter(err error) bool {
	e := asError(err)
	return e != nil && e.Code == 100 && e.Subcode != 33
}

// IsLifecycle reports whether err is a Flows lifecycle refusal (codes 139000–139006: blocked, cannot be
// updated, publishing, deprecating or deleting refused, metrics threshold).
func IsLifecycle(err error) bool {
	e := asError(err)
	return e != nil && e.Code >= 139000 && e.Code <= 139006
}

// IsAuth reports whether err is an authentication or permission failure (codes 0, 10, 102, 104, 190,
// 200–299, or HTTP 401/403).
func IsAuth(err error) bool {
	e := asError(err)
	if e == nil {
		return false
	}
	switch {
	case e.Code == 0 && e.HTTPStatus == http.StatusUnauthorized, e.Code == 10, e.Code == 102, e.Code == 104, e.Code == 190,
		e.Code >= 200 && e.Code <= 299:
		return true
	}
	return e.Code == 0 && (e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden)
}

// IsRateLimited reports whether err is one of Graph's rate limits (codes 4, 17, 32, 341, 613, 80007, 80008).
func IsRateLimited(err error) bool {
	e := asError(err)
	return e != nil && isRateLimitCode(e.Code)
}

func isRateLimitCode(code int) bool {
	switch code {
	case 4, 17, 32, 341, 613, 80007, 80008:
		return true
	}
	return false
}
