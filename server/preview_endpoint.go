package server

// This file holds the preview's calls to a flow's real data endpoint: with phone_number in interactive
// mode, the page plays WhatsApp's side of the protocol against the flow's endpoint_uri — each request
// encrypted with the business public key uploaded for that number and signed with the app secret of the
// flow's app — and the debug panel lists every HTTP attempt with its status and latency.

import (
	"context"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/endpoint"
)

// maxEndpointCalls bounds the calls a session remembers for its debug panel; older ones are dropped.
const maxEndpointCalls = 100

// previewEndpoint is where a session's data exchanges go, and how they are sealed and signed.
type previewEndpoint struct {
	url       string
	phone     string
	publicKey *rsa.PublicKey
	appID     string
	appSecret string
	transport http.RoundTripper
}

// endpointCall is one HTTP attempt, as the debug panel shows it.
type endpointCall struct {
	Action  string
	Screen  string
	Status  int // 0 when no HTTP response came
	Latency time.Duration
	Problem string // Meta's error name and message, when the attempt failed
}

// endpointCalls records a session's calls; the engine's goroutine writes while the page may read.
type endpointCalls struct {
	mu    sync.Mutex
	calls []endpointCall
}

func (c *endpointCalls) add(call endpointCall) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.calls) == maxEndpointCalls {
		c.calls = append(c.calls[:0], c.calls[1:]...)
	}
	c.calls = append(c.calls, call)
}

func (c *endpointCalls) list() []endpointCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]endpointCall(nil), c.calls...)
}

// DefaultEndpointTransport is how the preview reaches data endpoints unless Config.EndpointTransport says
// otherwise: the system's roots, bounded connections, no proxies from the environment (the endpoint is
// called directly, as Meta's servers do), at most 32 connections to one endpoint, within the 10 s budget of
// endpoint.Client.
func DefaultEndpointTransport(roots *x509.CertPool) *http.Transport {
	return &http.Transport{
		MaxIdleConnsPerHost:   4,
		MaxConnsPerHost:       32, // previews and publishing checks of one endpoint share these
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: endpoint.Timeout,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
	}
}

// timedTransport reports each attempt's status and latency to note, and counts the reply bytes read.
type timedTransport struct {
	next  http.RoundTripper
	note  func(status int, latency time.Duration)
	bytes *atomic.Int64
}

func (t timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := t.next.RoundTrip(r)
	status := 0
	if err == nil {
		status = res.StatusCode
		res.Body = countingBody{ReadCloser: res.Body, n: t.bytes}
	}
	t.note(status, time.Since(start))
	return res, err
}

// countingBody adds what is read to n.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// maxSessionReplies bounds the reply bytes one session reads from its endpoint (each reply may be up to
// endpoint.Client's 10 MiB, Meta's payload limit); they count in the session's cost.
const maxSessionReplies = 64 << 20

// maxCallProblem bounds the text of a failed call kept for the debug panel.
const maxCallProblem = 300

// noRedirects makes a redirect an answer like any other status: the client posts to endpoint_uri only.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// atLeastDataAPI4 reports whether a request's data API version is 4.0 or later.
func atLeastDataAPI4(v string) bool {
	f, err := strconv.ParseFloat(v, 64)
	return err == nil && f >= 4
}

// callEndpoint is the engine's DataExchange for a session with an endpoint: WhatsApp's request, sealed,
// signed, posted, and its reply decrypted. The endpoint is looked up again for every call (the flow's
// current endpoint_uri, the number's current key), as the client fetches them. Data API 4.0 requests
// carry a flow_token_signature.
func (ss *previewSession) callEndpoint(ctx context.Context, req endpoint.Request) (*endpoint.Response, error) {
	fail := func(err error) (*endpoint.Response, error) {
		ss.calls.add(endpointCall{Action: req.Action, Screen: req.Screen, Problem: truncate(err.Error(), maxCallProblem)})
		return nil, err
	}
	ep := ss.endpoint
	if ss.resolve != nil {
		fresh, err := ss.resolve(ctx)
		if err != nil {
			return fail(err)
		}
		if fresh == nil {
			return fail(errors.New("the flow has no endpoint_uri any more: start the preview again to answer its requests on the page"))
		}
		ep, ss.endpoint = fresh, fresh
	}
	if ss.replyBytes.Load() > maxSessionReplies {
		return fail(fmt.Errorf("the endpoint's replies in this session passed %d MiB, what the preview keeps: start again", maxSessionReplies>>20))
	}
	if atLeastDataAPI4(req.Version) && ep.appSecret != "" {
		req.FlowTokenSignature = endpoint.SignFlowToken(req.FlowToken, ep.appSecret, time.Now())
	}
	var attempts []endpointCall
	hc := &http.Client{Timeout: endpoint.Timeout, CheckRedirect: noRedirects, Transport: timedTransport{next: ep.transport, bytes: &ss.replyBytes,
		note: func(status int, latency time.Duration) {
			attempts = append(attempts, endpointCall{Action: req.Action, Screen: req.Screen, Status: status, Latency: latency})
		}}}
	c := endpoint.Client{URL: ep.url, PublicKey: ep.publicKey, AppSecret: ep.appSecret, HTTPClient: hc}
	resp, err := c.Send(ctx, req)
	if err != nil {
		problem := truncate(strings.TrimPrefix(err.Error(), "endpoint: "), maxCallProblem)
		if len(attempts) > 0 {
			attempts[len(attempts)-1].Problem = problem
		} else {
			attempts = append(attempts, endpointCall{Action: req.Action, Screen: req.Screen, Problem: problem})
		}
	}
	for _, a := range attempts {
		ss.calls.add(a)
	}
	return resp, err
}

// resolveWith has an endpoint session look its endpoint up through t, the page request now being served
// (its flow as stored now). ss.mu must be held.
func (ss *previewSession) resolveWith(t previewTarget) {
	if ss.endpoint == nil || t.endpointFor == nil {
		return
	}
	phone := ss.params.phone
	ss.resolve = func(ctx context.Context) (*previewEndpoint, error) { return t.endpointFor(ctx, phone) }
}

// previewEndpointFor returns, for a flow's preview, how a phone_number selects its endpoint: nil (the
// person answers on the page) without a phone number or without an endpoint_uri; otherwise the number
// must be one of the flow's business account with a business public key uploaded, and the flow must be
// linked to an app whose secret the access file holds — each refusal says which is missing.
func (s *Server) previewEndpointFor(f api.Flow) func(ctx context.Context, phone string) (*previewEndpoint, error) {
	return func(ctx context.Context, phone string) (*previewEndpoint, error) {
		if phone == "" || f.EndpointURI == "" {
			return nil, nil
		}
		p, ok := s.phones[phone]
		if !ok || p.WABAID != f.WABAID {
			return nil, fmt.Errorf("phone_number %s is not a phone number of this flow's business account %s (phone numbers are listed in the access file)", truncate(phone, 30), f.WABAID)
		}
		k, err := s.store.BusinessPublicKey(ctx, phone)
		if api.ErrorCodeOf(err) == api.ENOTFOUND {
			return nil, fmt.Errorf("public-key-missing: no business public key is uploaded for phone number %s. Upload one: POST %s/%s/whatsapp_business_encryption with business_public_key (waflows keys generate makes a pair)", phone, APIPrefix, phone)
		}
		if err != nil {
			return nil, err
		}
		pub, err := endpoint.ParsePublicKey([]byte(k.PEM))
		if err != nil {
			return nil, fmt.Errorf("the business public key of %s cannot be read: %v", phone, err)
		}
		if f.ApplicationID == "" {
			return nil, errors.New("the flow is not linked to a Meta app, so WhatsApp could not sign its requests: set application_id (POST /{flow-id}) to an app of the access file")
		}
		app, ok := s.apps[f.ApplicationID]
		if !ok {
			return nil, fmt.Errorf("the flow's app %s is not in the access file, so its app secret (which signs the requests) is unknown", f.ApplicationID)
		}
		return &previewEndpoint{url: f.EndpointURI, phone: phone, publicKey: pub, appID: app.ID, appSecret: app.Secret,
			transport: s.endpointTransport}, nil
	}
}
