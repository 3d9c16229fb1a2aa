// Package contracttest wraps an HTTP handler in kin-openapi request AND response validation against the
// merged spec, for tests: a request the spec rejects must get a Graph error, every response must match
// the spec, and it records which operations answered 2xx so a test can demand a case per operationId.
package contracttest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/waflows/waflows/server"
	"github.com/waflows/waflows/spec"
)

// Handler is the validating wrapper.
type Handler struct {
	tb      testing.TB
	next    http.Handler
	router  routers.Router
	doc     *openapi3.T
	mu      sync.Mutex
	success map[string]int
	failure map[string]int
}

// New wraps next, which serves the API under base (e.g. http://127.0.0.1:1234/v21.0). Violations are
// reported with tb.Errorf.
func New(tb testing.TB, base string, next http.Handler) *Handler {
	tb.Helper()
	doc, err := spec.Load()
	if err != nil {
		tb.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: base}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return &Handler{tb: tb, next: next, router: router, doc: doc, success: map[string]int{}, failure: map[string]int{}}
}

// ServeHTTP implements http.Handler.
func (c *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, server.APIPrefix+"/") {
		c.next.ServeHTTP(w, r) // download links and /healthz are not part of the API description
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	route, params, routeErr := c.router.FindRoute(r)

	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())

	if routeErr != nil {
		// Not an operation of the spec: the server must answer with a Graph error.
		if rec.Code < 400 || !strings.Contains(rec.Body.String(), `"error"`) {
			c.tb.Errorf("contract: %s %s is no operation, yet got %d %s", r.Method, r.URL.Path, rec.Code, rec.Body)
		}
		return
	}
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            false,
		AuthenticationFunc: func(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
			if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
				return openapi3filter.ErrAuthenticationServiceMissing
			}
			return nil
		},
	}
	check := r.Clone(context.Background())
	check.Body = io.NopCloser(bytes.NewReader(body))
	reqIn := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(context.Background(), reqIn)
	resIn := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn, Status: rec.Code, Header: rec.Header(), Options: opts}
	resIn.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), resIn); err != nil {
		c.tb.Errorf("contract: response to %s %s violates the spec: %v\nbody: %s", r.Method, r.URL.Path, err, truncateBody(rec.Body.Bytes()))
	}
	op := route.Operation.OperationID
	c.mu.Lock()
	defer c.mu.Unlock()
	if reqErr != nil {
		if rec.Code < 400 {
			c.tb.Errorf("contract: the spec rejects %s %s (%v) but the server answered %d", r.Method, r.URL.Path, reqErr, rec.Code)
		}
		c.failure[op]++
		return
	}
	if rec.Code >= 200 && rec.Code < 300 {
		c.success[op]++
	} else {
		c.failure[op]++
	}
}

// Uncovered lists operationIds without a successful (valid request, 2xx, valid response) case.
func (c *Handler) Uncovered() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if c.success[op.OperationID] == 0 {
				out = append(out, op.OperationID)
			}
		}
	}
	sort.Strings(out)
	return out
}

func truncateBody(b []byte) string {
	if len(b) > 500 {
		return string(b[:500]) + "…"
	}
	return string(b)
}
