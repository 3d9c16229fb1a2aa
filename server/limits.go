package server

// This file holds what bounds the memory of requests with large bodies: a fixed number of slots, one
// held by each such request from its first byte read until its response.

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
)

// smallBody is the largest declared body that needs no slot: every create, update or upload that does not
// carry a flow JSON fits, and a thousand of them at once cost a few tens of MB.
const smallBody = 64 << 10

// Defaults of Config.MaxLargeBodies, LargeBodyWait and LargeBodyIdle. Eight 10 MB uploads in flight hold
// about 500 MB between their buffers and the validator's tree; on two cores, more would only queue for
// CPU.
const (
	DefaultMaxLargeBodies = 8
	defaultLargeBodyWait  = time.Second
	defaultLargeBodyIdle  = 10 * time.Second
)

// largeBodyMinRate is the slowest a body holding a slot may arrive on average, once LargeBodyIdle has
// passed, in bytes per second: 10 MB at this rate takes under three minutes.
const largeBodyMinRate = 64 << 10

// eBusy answers a request that found every large-body slot taken (Graph's code 4 is its rate limit,
// which clients already retry; Retry-After says when).
const eBusy api.ErrorCode = "busy"

// limitLargeBodies makes a request whose body is larger than smallBody, or of unknown length (chunked),
// hold a slot while it runs. A request that finds none free waits up to LargeBodyWait, then gets code 4.
// So that a few stalled clients cannot keep every slot, a body holding one must keep arriving: no pause
// longer than LargeBodyIdle, and at least largeBodyMinRate on average after that.
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
		r.Body = &steadyBody{ReadCloser: r.Body, rc: http.NewResponseController(c.Response()), idle: s.bodyIdle, start: time.Now()}
		return next(c)
	}
}

// steadyBody ends a body that stops arriving or arrives too slowly, with a Graph error.
type steadyBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	idle  time.Duration
	start time.Time
	n     int64
	err   error
}

func (b *steadyBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	b.rc.SetReadDeadline(time.Now().Add(b.idle)) // unsupported by test recorders: then only the rate counts
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	var ne net.Error
	elapsed := time.Since(b.start)
	if errors.As(err, &ne) && ne.Timeout() || elapsed > b.idle && float64(b.n) < elapsed.Seconds()*largeBodyMinRate {
		b.err = api.Errorf(api.EINVALID, "(#100) The request body arrived too slowly: a large body must not pause for more than %v, and must average %d KB/s", b.idle, largeBodyMinRate>>10)
		return n, b.err
	}
	return n, err
}
