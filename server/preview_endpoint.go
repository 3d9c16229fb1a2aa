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
	"net/http"
	"sync"
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

// timedTransport reports each attempt's status and latency to note.
type timedTransport struct {
	next http.RoundTripper
	note func(status int, latency time.Duration)
}

func (t timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := t.next.RoundTrip(r)
	status := 0
	if err == nil {
		status = res.StatusCode
	}
	t.note(status, time.Since(start))
	return res, err
}

// callEndpoint is the engine's DataExchange for a session with an endpoint: WhatsApp's request, sealed,
// signed, posted, and its reply decrypted. Data API 4.0 requests carry a flow_token_signature.
func (ss *previewSession) callEndpoint(ctx context.Context, req endpoint.Request) (*endpoint.Response, error) {
	ep := ss.endpoint
	if req.Version >= "4.0" && ep.appSecret != "" {
		req.FlowTokenSignature = endpoint.SignFlowToken(req.FlowToken, ep.appSecret, time.Now())
	}
	var attempts []endpointCall
	hc := &http.Client{Timeout: endpoint.Timeout, Transport: timedTransport{next: ep.transport, note: func(status int, latency time.Duration) {
		attempts = append(attempts, endpointCall{Action: req.Action, Screen: req.Screen, Status: status, Latency: latency})
	}}}
	c := endpoint.Client{URL: ep.url, PublicKey: ep.publicKey, AppSecret: ep.appSecret, HTTPClient: hc}
	resp, err := c.Send(ctx, req)
	var e *endpoint.Error
	if errors.As(err, &e) && len(attempts) > 0 {
		attempts[len(attempts)-1].Problem = e.Kind + ": " + e.Message
	} else if err != nil {
		attempts = append(attempts, endpointCall{Action: req.Action, Screen: req.Screen, Problem: err.Error()})
	}
	for _, a := range attempts {
		ss.calls.add(a)
	}
	return resp, err
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
