package server_test

// This file tests the interactive preview against a real data endpoint: with phone_number, the page plays
// WhatsApp's side of the protocol against the flow's endpoint_uri (an endpoint.NewHandler over TLS here),
// encrypted with the key uploaded for the number and signed with the app secret, and the debug panel lists
// each call with its status; each missing piece (key, app, number) is named instead.

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/server"
)

// bookingEndpoint is the data endpoint of testdata/preview/endpoint.json: INIT → START with a greeting,
// START → SLOTS with times, SLOTS → SUCCESS with the chosen slot. It records the requests it decrypted.
type bookingEndpoint struct {
	mu   sync.Mutex
	seen []endpoint.Request
}

func (b *bookingEndpoint) handle(_ context.Context, req *endpoint.Request) (*endpoint.Response, error) {
	b.mu.Lock()
	b.seen = append(b.seen, *req)
	b.mu.Unlock()
	switch {
	case req.Action == endpoint.ActionInit:
		return endpoint.NextScreen("START", map[string]any{"greeting": "Hello from the endpoint"}), nil
	case req.Screen == "START":
		return endpoint.NextScreen("SLOTS", map[string]any{"times": []any{
			map[string]any{"id": "9", "title": "9:00"}, map[string]any{"id": "14", "title": "14:00"}}}), nil
	case req.Screen == "SLOTS":
		return endpoint.Complete(req.FlowToken, map[string]any{"slot": req.Data["time"]}), nil
	}
	return nil, errors.New("unexpected request")
}

// endpointServer starts handler over TLS and returns it with a server whose preview trusts it.
func endpointServer(t *testing.T, h http.Handler) (*httptest.Server, *env) {
	t.Helper()
	ts := httptest.NewTLSServer(h)
	t.Cleanup(ts.Close)
	e := MustOpenServer(t, withConfig(func(c *server.Config) { c.EndpointTransport = ts.Client().Transport }))
	return ts, e
}

// endpointFlow creates the booking flow with endpoint_uri, uploads it and returns its preview link.
func (e *env) endpointFlow(t *testing.T, token, waba, uri string) string {
	t.Helper()
	id := e.createFlow(token, waba, "Booking "+uri)
	if r := e.postJSON("/"+id, token, map[string]string{"endpoint_uri": uri}); r.Status != 200 {
		t.Fatalf("set endpoint_uri: %d %s", r.Status, r.Body)
	}
	e.upload(token, id, previewFlow(t, "endpoint.json"))
	u, _ := e.previewURL(token, id, "preview")
	return u
}

func (e *env) uploadKey(t *testing.T, token, phone string) *rsa.PrivateKey {
	t.Helper()
	priv, pub := publicPEM(t, 2048)
	if r := e.postJSON("/"+phone+"/whatsapp_business_encryption", token, map[string]string{"business_public_key": pub}); r.Status != 200 {
		t.Fatalf("upload key: %d %s", r.Status, r.Body)
	}
	return priv
}

// TestPreviewCallsEndpoint walks the booking flow through the page against its real endpoint.
func TestPreviewCallsEndpoint(t *testing.T) {
	var priv *rsa.PrivateKey
	booking := &bookingEndpoint{}
	var h http.Handler
	ts, e := endpointServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	priv = e.uploadKey(t, tokenA, phone1)
	h = endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: secret1, Handle: booking.handle})

	link := e.endpointFlow(t, tokenA, waba1, ts.URL+"/flows")
	q := url.Values{"interactive": {"true"}, "phone_number": {phone1}, "flow_action": {"data_exchange"}, "flow_token": {"tok-7"}, "debug": {"true"}}
	p := getPage(t, link+"&"+q.Encode())
	if p.title(t) != "Book a visit" {
		t.Fatalf("INIT against the endpoint: %d %s", p.Status, p.Body)
	}
	p.has(t, "Hello from the endpoint", "endpoint requests go to <code>"+ts.URL+"/flows</code>", "INIT: HTTP 200 in ")
	action := p.action(t, actionRe)
	p = postForm(t, action, url.Values{"p.name": {"1"}, "f.name": {"Grace"}, "_press": {"See times"}})
	if p.title(t) != "Pick a time" {
		t.Fatalf("after See times: %s", p.Body)
	}
	p.has(t, `<label for="in-time-1">14:00</label>`, "data_exchange on START: HTTP 200")
	p = postForm(t, action, url.Values{"p.time": {"1"}, "f.time": {"14"}, "_press": {"Book"}})
	if got := p.pre(t, "Completion payload"); got["slot"] != "14" || got["flow_token"] != "tok-7" {
		t.Fatalf("completion: %v\n%s", got, p.Body)
	}
	booking.mu.Lock()
	defer booking.mu.Unlock()
	if len(booking.seen) != 3 || booking.seen[1].Data["name"] != "Grace" || booking.seen[2].FlowToken != "tok-7" {
		t.Fatalf("the endpoint decrypted %+v", booking.seen)
	}
}

// TestPreviewEndpointFailures: an endpoint that cannot decrypt (another key) is retried once and shown
// as business-decryption-error with both attempts; a wrong app secret gets 432; the flow stays put.
func TestPreviewEndpointFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		otherKey, otherSecret bool
		want                  []string
	}{
		"another key":    {otherKey: true, want: []string{"business-decryption-error", "INIT: HTTP 421", "2 ", "HTTP 421 in"}},
		"another secret": {otherSecret: true, want: []string{"INIT: HTTP 432"}},
	} {
		t.Run(name, func(t *testing.T) {
			var h http.Handler
			ts, e := endpointServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
			priv := e.uploadKey(t, tokenA, phone1)
			if tc.otherKey {
				priv, _ = publicPEM(t, 2048)
			}
			secret := secret1
			if tc.otherSecret {
				secret = "not-the-app-secret"
			}
			h = endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: secret, Handle: (&bookingEndpoint{}).handle})
			link := e.endpointFlow(t, tokenA, waba1, ts.URL)
			q := url.Values{"interactive": {"true"}, "phone_number": {phone1}, "flow_action": {"data_exchange"}, "debug": {"true"}}
			p := getPage(t, link+"&"+q.Encode())
			if p.Status >= 500 {
				t.Fatalf("status %d", p.Status)
			}
			for _, w := range tc.want {
				if w == "2 " {
					if n := strings.Count(p.Body, "INIT: HTTP 421"); n != 2 {
						t.Fatalf("%d attempts listed, want 2 (one retry after 421):\n%s", n, p.Body)
					}
					continue
				}
				p.has(t, w)
			}
		})
	}
}

// TestPreviewEndpointRefusals: each piece WhatsApp needs is named when it is missing.
func TestPreviewEndpointRefusals(t *testing.T) {
	ts, e := endpointServer(t, http.NotFoundHandler())
	open := func(link, phone string) pageReply {
		q := url.Values{"interactive": {"true"}, "phone_number": {phone}, "flow_action": {"data_exchange"}}
		return getPage(t, link+"&"+q.Encode())
	}
	link := e.endpointFlow(t, tokenA, waba1, ts.URL)
	// No key uploaded yet.
	p := open(link, phone1)
	if p.Status != 400 {
		t.Fatalf("no key: %d", p.Status)
	}
	p.has(t, "public-key-missing", "/whatsapp_business_encryption")
	// A number of another account, and one nobody has.
	open(link, phone2).has(t, "is not a phone number of this flow&#39;s business account")
	open(link, "123").has(t, "is not a phone number")
	// A flow of a token without an app.
	e.uploadKey(t, tokenB, phone2)
	open(e.endpointFlow(t, tokenB, waba2, ts.URL), phone2).has(t, "not linked to a Meta app")
	// Without phone_number the person answers, as before.
	q := url.Values{"interactive": {"true"}, "flow_action": {"data_exchange"}}
	if p := getPage(t, link+"&"+q.Encode()); p.title(t) != "Data endpoint request" {
		t.Fatalf("without phone_number: %s", p.Body)
	}
}

// TestPreviewEndpointFollowsChanges: every call looks the endpoint up again, so a session follows a new
// endpoint_uri and a new key (the client fetches both), and Data API 4.0 requests carry a
// flow_token_signature signed with the app secret.
func TestPreviewEndpointFollowsChanges(t *testing.T) {
	type hit struct {
		server string
		req    endpoint.Request
	}
	var mu sync.Mutex
	var hits []hit
	handler := func(name string, priv **rsa.PrivateKey) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			endpoint.NewHandler(endpoint.Config{PrivateKey: *priv, AppSecret: secret1, Handle: func(_ context.Context, req *endpoint.Request) (*endpoint.Response, error) {
				mu.Lock()
				hits = append(hits, hit{name, *req})
				mu.Unlock()
				if req.Action == endpoint.ActionInit {
					return endpoint.NextScreen("START", map[string]any{"greeting": "from " + name}), nil
				}
				return endpoint.NextScreen("SLOTS", map[string]any{"times": []any{map[string]any{"id": "9", "title": "9:00"}}}), nil
			}}).ServeHTTP(w, r)
		})
	}
	var privA, privB *rsa.PrivateKey
	a := httptest.NewTLSServer(handler("A", &privA))
	defer a.Close()
	b := httptest.NewTLSServer(handler("B", &privB))
	defer b.Close()
	// Both test servers share httptest's certificate, so one transport trusts both.
	e := MustOpenServer(t, withConfig(func(c *server.Config) { c.EndpointTransport = a.Client().Transport }))
	privA = e.uploadKey(t, tokenA, phone1)
	privB = privA

	id := e.createFlow(tokenA, waba1, "Changing")
	e.postJSON("/"+id, tokenA, map[string]string{"endpoint_uri": a.URL})
	flow := strings.Replace(string(previewFlow(t, "endpoint.json")), `"data_api_version": "3.0"`, `"data_api_version": "4.0"`, 1)
	if r := e.upload(tokenA, id, []byte(flow)); r.Status != 200 || strings.Contains(string(r.Body), `"error"`) {
		t.Fatalf("upload: %s", r.Body)
	}
	link, _ := e.previewURL(tokenA, id, "preview")
	q := url.Values{"interactive": {"true"}, "phone_number": {phone1}, "flow_action": {"data_exchange"}, "flow_token": {"tok-4"}, "debug": {"true"}}
	p := getPage(t, link+"&"+q.Encode())
	p.has(t, "from A")
	action := p.action(t, actionRe)

	// A new endpoint_uri and a new key, mid-session: the next press goes to B, sealed with the new key.
	e.postJSON("/"+id, tokenA, map[string]string{"endpoint_uri": b.URL})
	privB = e.uploadKey(t, tokenA, phone1)
	p = postForm(t, action, url.Values{"p.name": {"1"}, "f.name": {"Grace"}, "_press": {"See times"}})
	if p.title(t) != "Pick a time" {
		t.Fatalf("after the endpoint moved: %s", p.Body)
	}
	p.has(t, "endpoint requests go to <code>"+b.URL+"</code>")

	mu.Lock()
	defer mu.Unlock()
	if len(hits) != 2 || hits[0].server != "A" || hits[1].server != "B" {
		t.Fatalf("hits: %+v", hits)
	}
	for _, h := range hits {
		claims, err := endpoint.VerifyFlowTokenSignature(&h.req, time.Now(), secret1)
		if err != nil || claims.FlowToken != "tok-4" {
			t.Fatalf("%s's request: flow_token_signature %q: %v", h.server, h.req.FlowTokenSignature, err)
		}
	}
}

// TestPreviewEndpointUnknownApp: a flow linked to an app the access file does not list cannot be signed.
func TestPreviewEndpointUnknownApp(t *testing.T) {
	ts, e := endpointServer(t, http.NotFoundHandler())
	e.uploadKey(t, tokenA, phone1)
	link := e.endpointFlow(t, tokenA, waba1, ts.URL)
	id := regexp.MustCompile(`/flows/(\d+)/`).FindStringSubmatch(link)[1]
	e.postJSON("/"+id, tokenA, map[string]string{"application_id": "999999999"})
	q := url.Values{"interactive": {"true"}, "phone_number": {phone1}, "flow_action": {"data_exchange"}}
	getPage(t, link+"&"+q.Encode()).has(t, "app 999999999 is not in the access file")
}

// TestPreviewEndpointNoRedirects: a redirect is the endpoint's answer, as any other status; the preview
// does not follow it elsewhere.
func TestPreviewEndpointNoRedirects(t *testing.T) {
	var followed bool
	ts, e := endpointServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed = true
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	e.uploadKey(t, tokenA, phone1)
	link := e.endpointFlow(t, tokenA, waba1, ts.URL)
	q := url.Values{"interactive": {"true"}, "phone_number": {phone1}, "flow_action": {"data_exchange"}, "debug": {"true"}}
	getPage(t, link+"&"+q.Encode()).has(t, "INIT: HTTP 302", "unexpected_http_status_code")
	if followed {
		t.Fatal("the preview followed the redirect")
	}
}
