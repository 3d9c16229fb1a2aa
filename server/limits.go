package server

// This file holds what bounds the memory of requests with large bodies: a fixed number of slots, one
// held by each such request from its first byte read until its response.

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
)

// smallBody is the largest declared body that needs no slot: every create, update or upload that does not
// carry a flow JSON fits, and a thousand of them at once cost a few tens of MB.
const smallBody = 64 << 10

// Defaults of Config.MaxLargeBodies and Config.LargeBodyWait. Eight 10 MB uploads in flight hold about
// 500 MB between their buffers and the validator's tree; on two cores, more would only queue for CPU.
const (
	DefaultMaxLargeBodies = 8
	defaultLargeBodyWait  = time.Second
)

// eBusy answers a request that found every large-body slot taken (Graph's code 4 is its rate limit,
// which clients already retry; Retry-After says when).
const eBusy api.ErrorCode = "busy"

// limitLargeBodies makes a request whose body is larger than smallBody, or of unknown length (chunked),
// hold a slot while it runs. A request that finds none free waits up to LargeBodyWait, then gets code 4.
func (s *Server) limitLargeBodies(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Body == nil || r.Body == http.NoBody || (r.ContentLength >= 0 && r.ContentLength <= smallBody) {
			return next(c)
		}
		select {
		case s.bodySlots <- struct{}{}:
		default:
			t := time.NewTimer(s.bodyWait)
			select {
			case s.bodySlots <- struct{}{}:
				t.Stop()
			case <-t.C:
				c.Response().Header().Set("Retry-After", "1")
				return &api.Error{Code: eBusy,
					Message: fmt.Sprintf("(#4) Too many large requests at once: at most %d bodies over %d KB are read at a time", cap(s.bodySlots), smallBody>>10),
					Detail:  "Retry in a moment; waflows serve --max-large-bodies sets the limit."}
			case <-r.Context().Done():
				t.Stop()
				return r.Context().Err()
			}
		}
		defer func() { <-s.bodySlots }()
		return next(c)
	}
}
