package server

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
)

// graphShape is how one kind of domain error looks on the wire.
type graphShape struct {
	status    int
	code      int
	subcode   int
	typ       string
	userTitle string
	transient bool // is_transient: retrying the same request later may succeed (always so for 5xx)
}

// graphErrors is the one table from domain error codes to Graph errors (FLOWS_REFERENCE.md A.3).
var graphErrors = map[api.ErrorCode]graphShape{
	api.EINVALID:      {http.StatusBadRequest, 100, 0, "OAuthException", "Invalid parameter", false},
	api.ECONFLICT:     {http.StatusBadRequest, 100, 0, "OAuthException", "Invalid parameter", false},
	api.ENOTFOUND:     {http.StatusBadRequest, 100, 33, "GraphMethodException", "", false},
	api.EUNAUTHORIZED: {http.StatusUnauthorized, 190, 0, "OAuthException", "", false},
	api.ENOTUPDATABLE: {http.StatusBadRequest, 139001, 0, "OAuthException", "Flow update failed", false},
	api.EPUBLISH:      {http.StatusBadRequest, 139002, 0, "OAuthException", "Flow publishing failed", false},
	api.EDEPRECATE:    {http.StatusBadRequest, 139003, 0, "OAuthException", "Flow deprecation failed", false},
	api.EDELETE:       {http.StatusBadRequest, 139004, 0, "OAuthException", "Flow deletion failed", false},
	api.EUNAVAILABLE:  {http.StatusServiceUnavailable, 2, 0, "OAuthException", "", true},
	api.EINTERNAL:     {http.StatusInternalServerError, 1, 0, "OAuthException", "", false},
	// Outside the domain: signed download URLs, unknown paths and the large-body limit (limits.go).
	eForbidden:   {http.StatusForbidden, 10, 0, "OAuthException", "", false},
	eGone:        {http.StatusNotFound, 100, 0, "OAuthException", "", false},
	eUnknownPath: {http.StatusBadRequest, 2500, 0, "OAuthException", "", false},
	eBusy:        {http.StatusBadRequest, 4, 0, "OAuthException", "", true},
	eCanceled:    {statusClientClosedRequest, 1, 0, "OAuthException", "", true},
}

// Server-only error codes, rendered through the same table.
const (
	eForbidden   api.ErrorCode = "forbidden"
	eGone        api.ErrorCode = "gone"
	eUnknownPath api.ErrorCode = "unknown_path"
	eCanceled    api.ErrorCode = "canceled"
)

const notFoundFormat = "Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api"

// statusClientClosedRequest is what the request log records for a request whose client went away.
const statusClientClosedRequest = 499

// maxEchoedID bounds how much of a caller's id an error message repeats.
const maxEchoedID = 128

// traceIDKey is where the request's fbtrace_id lives in the Echo context.
const traceIDKey = "fbtrace_id"

// newTraceID returns an 11-character id shaped like Graph's fbtrace_id.
func newTraceID() string {
	var b [8]byte
	v := rand.Uint64()
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// traceID returns the request's trace id, making one if the middleware did not run.
func traceID(c echo.Context) string {
	if id, ok := c.Get(traceIDKey).(string); ok {
		return id
	}
	id := newTraceID()
	c.Set(traceIDKey, id)
	c.Response().Header().Set("X-FB-Trace-Id", id)
	return id
}

// errorHandler renders every error — handler errors, request-validation failures, Echo's routing errors
// and recovered panics — as a Graph error envelope.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var ae *api.Error
	if c.Request().Context().Err() != nil && !errors.As(err, &ae) {
		// The client hung up, or half-closed its side (net/http cannot tell them apart), or the server is
		// closing its connection, and the work failed because it was stopped (an error the server gave on
		// purpose, such as a body too slow, is answered as usual). nginx's 499 says so in the request log,
		// so that real faults stay visible; a client still reading gets that status with a Graph error
		// (Graph has no such status).
		s.log.Debug("request canceled", "err", err, "method", c.Request().Method, "path", truncate(c.Request().URL.Path, 256), "fbtrace_id", traceID(c))
		if werr := c.JSONBlob(statusClientClosedRequest, appendGraphError(make([]byte, 0, 256), graphErrors[eCanceled],
			"(#1) The request was canceled before the server finished it", "", traceID(c))); werr != nil {
			s.log.Debug("write error response", "err", werr)
		}
		return
	}
	code, msg, detail := s.classify(err, c)
	shape := graphErrors[code]
	if code == api.EINTERNAL {
		s.log.Error("internal error", "err", err, "method", c.Request().Method, "path", c.Request().URL.Path, "fbtrace_id", traceID(c))
	}
	b := appendGraphError(make([]byte, 0, 256), shape, msg, detail, traceID(c))
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(shape.status)
	} else {
		err = c.JSONBlob(shape.status, b)
	}
	if err != nil {
		s.log.Debug("write error response", "err", err)
	}
}

// classify turns any error into a domain code and the message and user message to show.
func (s *Server) classify(err error, c echo.Context) (api.ErrorCode, string, string) {
	var ae *api.Error
	if errors.As(err, &ae) {
		if ae.Code == api.ENOTFOUND {
			id := ae.Object
			if len(id) > maxEchoedID {
				id = id[:maxEchoedID] + "…"
			}
			return ae.Code, fmt.Sprintf(notFoundFormat, verb(c.Request().Method), id), ae.Detail
		}
		if _, ok := graphErrors[ae.Code]; ok {
			if ae.Code == api.EINTERNAL {
				return ae.Code, "An unknown error occurred", ""
			}
			return ae.Code, ae.Message, ae.Detail
		}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			if id, ok := knownPathObject(c.Request().URL.Path); ok {
				// A path the API has, with a method it does not: Graph names the object.
				return api.ENOTFOUND, fmt.Sprintf(notFoundFormat, strings.ToLower(c.Request().Method), truncate(id, maxEchoedID)), ""
			}
			return eUnknownPath, "Unknown path components: " + truncate(c.Request().URL.Path, 200), ""
		case http.StatusRequestEntityTooLarge:
			return api.EINVALID, "(#100) The request body is too large", ""
		case http.StatusUnauthorized:
			return api.EUNAUTHORIZED, fmt.Sprint(he.Message), ""
		}
		if he.Code < 500 {
			return api.EINVALID, "(#100) " + fmt.Sprint(he.Message), ""
		}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return api.EINVALID, "(#100) The request body is too large: the limit is " + strconv.FormatInt(mbe.Limit, 10) + " bytes", ""
	}
	return api.EINTERNAL, "An unknown error occurred", ""
}

// knownPathObject reports whether path is one of the API's paths (/{id}, /{id}/flows, /{id}/assets,
// /{id}/publish, /{id}/deprecate) and returns the object id in it.
func knownPathObject(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, APIPrefix+"/")
	if !ok || rest == "" {
		return "", false
	}
	id, edge, hasEdge := strings.Cut(rest, "/")
	if !hasEdge {
		return id, true
	}
	switch edge {
	case "flows", "assets", "publish", "deprecate":
		return id, true
	}
	return "", false
}

func verb(method string) string {
	switch method {
	case http.MethodPost:
		return "post"
	case http.MethodDelete:
		return "delete"
	case http.MethodGet, http.MethodHead:
		return "get"
	}
	return "post"
}

// appendGraphError writes {"error":{…}} for one error.
func appendGraphError(b []byte, shape graphShape, msg, detail, trace string) []byte {
	b = append(b, `{"error":{"message":`...)
	b = appendString(b, msg)
	b = append(b, `,"type":`...)
	b = appendString(b, shape.typ)
	b = append(b, `,"code":`...)
	b = strconv.AppendInt(b, int64(shape.code), 10)
	if shape.subcode != 0 {
		b = append(b, `,"error_subcode":`...)
		b = strconv.AppendInt(b, int64(shape.subcode), 10)
	}
	if shape.userTitle != "" {
		b = append(b, `,"error_user_title":`...)
		b = appendString(b, shape.userTitle)
	}
	if detail != "" {
		b = append(b, `,"error_user_msg":`...)
		b = appendString(b, detail)
	}
	b = append(b, `,"is_transient":`...)
	b = strconv.AppendBool(b, shape.transient || shape.status >= 500)
	b = append(b, `,"fbtrace_id":`...)
	b = appendString(b, trace)
	return append(b, "}}"...)
}

// recoverMiddleware turns a panic into an internal error so the client still gets a Graph envelope.
func (s *Server) recoverMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "panic", r, "path", c.Request().URL.Path, "fbtrace_id", traceID(c), slog.String("stack", stack()))
				err = &api.Error{Code: api.EINTERNAL, Message: fmt.Sprint(r)}
			}
		}()
		return next(c)
	}
}
