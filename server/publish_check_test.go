package server_test

// This file tests the optional publishing checks of endpoint flows (Config.CheckEndpointOnPublish): each
// missing piece is refused with 139002 and Meta's message, a failing health check with the reason, and a
// healthy endpoint lets the flow publish.

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/server"
)

func TestPublishChecksEndpoint(t *testing.T) {
	var h http.Handler = http.NotFoundHandler()
	ts, _ := endpointServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	e := MustOpenServer(t, withConfig(func(c *server.Config) {
		c.EndpointTransport, c.CheckEndpointOnPublish = ts.Client().Transport, true
	}))
	endpointFlow := func(token, waba string) string {
		id := e.createFlow(token, waba, "Publish "+token+waba+e.Clock.Now().String())
		if r := e.postJSON("/"+id, token, map[string]string{"endpoint_uri": ts.URL}); r.Status != 200 {
			t.Fatalf("endpoint_uri: %s", r.Body)
		}
		e.upload(token, id, []byte(testflow.Endpoint))
		return id
	}
	publish := func(token, id string) response { return e.postJSON("/"+id+"/publish", token, nil) }
	refused := func(r response, msg, detail string) {
		t.Helper()
		ge := graphError(t, r, 400, 139002)
		if ge["message"] != msg || !strings.Contains(ge["error_user_msg"].(string), detail) {
			t.Fatalf("got %v, want %q (%q)", ge, msg, detail)
		}
	}

	id := endpointFlow(tokenA, waba1)
	refused(publish(tokenA, id), "Missing Flows Signed Public Key", "/"+phone1+"/whatsapp_business_encryption")
	priv := e.uploadKey(t, tokenA, phone1)
	// The endpoint answers 404: not available, and why.
	refused(publish(tokenA, id), "Endpoint Not Available", "unexpected_http_status_code (HTTP 404)")
	// The endpoint uses another app secret: 432.
	h = endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: "another secret", Handle: func(context.Context, *endpoint.Request) (*endpoint.Response, error) { return nil, nil }})
	refused(publish(tokenA, id), "Endpoint Not Available", "432")
	// Healthy: published.
	h = endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: secret1, Handle: func(context.Context, *endpoint.Request) (*endpoint.Response, error) { return nil, nil }})
	if r := publish(tokenA, id); r.Status != 200 {
		t.Fatalf("publish against a healthy endpoint: %d %s", r.Status, r.Body)
	}
	// A flow without an app, on an account whose number has a key.
	e.uploadKey(t, tokenB, phone2)
	refused(publish(tokenB, endpointFlow(tokenB, waba2)), "No Application Connected to the Flow", "application_id")
	// A flow without an endpoint is not checked.
	plain := e.createFlow(tokenB, waba2, "No endpoint")
	e.upload(tokenB, plain, []byte(testflow.Valid))
	if r := publish(tokenB, plain); r.Status != 200 {
		t.Fatalf("publish without an endpoint: %d %s", r.Status, r.Body)
	}
}

// TestPublishChecksOrder: the other publishing checks come first, so a flow Meta would refuse for its
// version is told that; a create with publish runs the same checks before storing anything; an account
// without phone numbers is named.
func TestPublishChecksOrder(t *testing.T) {
	ts, _ := endpointServer(t, http.NotFoundHandler())
	e := MustOpenServer(t, withConfig(func(c *server.Config) {
		c.EndpointTransport, c.CheckEndpointOnPublish = ts.Client().Transport, true
	}))
	old := strings.Replace(testflow.Endpoint, `"version": "7.3"`, `"version": "5.0"`, 1)
	r := e.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": "Old", "categories": []string{"OTHER"}, "endpoint_uri": ts.URL, "flow_json": old, "publish": true})
	if ge := graphError(t, r, 400, 139002); ge["message"] != "Versions in Flow JSON file are not available for publishing" {
		t.Fatalf("an old version with an endpoint: %v", ge)
	}
	r = e.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": "New", "categories": []string{"OTHER"}, "endpoint_uri": ts.URL, "flow_json": testflow.Endpoint, "publish": true})
	if ge := graphError(t, r, 400, 139002); ge["message"] != "Missing Flows Signed Public Key" {
		t.Fatalf("create with publish, no key: %v", ge)
	}
	if list := e.get("/"+waba1+"/flows", tokenA); strings.Contains(string(list.Body), `"New"`) {
		t.Fatalf("a refused create stored the flow: %s", list.Body)
	}

	noPhones := MustOpenServer(t, withConfig(func(c *server.Config) {
		c.CheckEndpointOnPublish, c.Access.PhoneNumbers = true, nil
	}))
	r = noPhones.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": "No phone", "categories": []string{"OTHER"}, "endpoint_uri": ts.URL, "flow_json": testflow.Endpoint, "publish": true})
	if ge := graphError(t, r, 400, 139002); ge["message"] != "No Phone Number connected to WhatsApp Business Account" {
		t.Fatalf("no phone number: %v", ge)
	}
}
