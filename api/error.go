package api

import (
	"errors"
	"fmt"
)

// ErrorCode is the kind of a domain error. The server maps each code to one Graph error shape
// (HTTP status, Graph code and subcode) in a single table.
type ErrorCode string

// The domain's error codes.
const (
	// EINVALID: a parameter is missing, malformed or out of range (Graph code 100).
	EINVALID ErrorCode = "invalid"
	// ENOTFOUND: the object does not exist or the caller cannot reach it (Graph code 100, subcode 33).
	ENOTFOUND ErrorCode = "not_found"
	// ECONFLICT: the request clashes with stored data, e.g. a flow name already used (Graph code 100).
	ECONFLICT ErrorCode = "conflict"
	// EUNAUTHORIZED: no or unknown access token (Graph code 190).
	EUNAUTHORIZED ErrorCode = "unauthorized"
	// ENOTUPDATABLE: the flow is not a draft, so its metadata and JSON are frozen (Graph code 139001).
	ENOTUPDATABLE ErrorCode = "not_updatable"
	// EPUBLISH: a publishing check failed (Graph code 139002).
	EPUBLISH ErrorCode = "publish_refused"
	// EDEPRECATE: the flow cannot be deprecated in its state (Graph code 139003).
	EDEPRECATE ErrorCode = "deprecate_refused"
	// EDELETE: the flow cannot be deleted in its state (Graph code 139004).
	EDELETE ErrorCode = "delete_refused"
	// EUNAVAILABLE: the store cannot serve for now (its database file is gone); retrying later, after an
	// operator has acted, may succeed (Graph code 2, HTTP 503, is_transient).
	EUNAVAILABLE ErrorCode = "unavailable"
	// EINTERNAL: anything else; its text is never shown to a caller.
	EINTERNAL ErrorCode = "internal"
)

// Error is the error every domain operation returns for a failure a caller can act on.
type Error struct {
	Code ErrorCode
	// Message is the Graph message text shown to the caller.
	Message string
	// Detail explains the failure to a person (Graph's error_user_msg); may be empty.
	Detail string
	// Object is the id that could not be found (ENOTFOUND only).
	Object string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Detail)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns the error for an object that does not exist or cannot be reached.
func NotFound(id string) *Error {
	return &Error{Code: ENOTFOUND, Message: "object does not exist", Object: id}
}

// ErrorCodeOf returns the code of err if it is (or wraps) an *Error, and EINTERNAL otherwise.
func ErrorCodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}
