package main

// This file walks README's "Your data endpoint" as a user does, with the real commands: keys generate, an
// endpoint over HTTPS with its own certificate, serve with --endpoint-ca, the key uploaded for the phone
// number, endpoint check finding the key through the API, and the interactive preview calling the
// endpoint for that phone number.

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/internal/testflow"
)

func TestDataEndpointJourney(t *testing.T) {
	const (
		waba, phone, app = "102290129340398", "106540352242922", "1234567890123456"
		token, secret    = "journey-token", "journey-app-secret"
	)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	priv := generateKeys(t, dir)

	// The business's endpoint, over HTTPS with a certificate of its own.
	ep := httptest.NewTLSServer(endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: secret,
		Handle: func(_ context.Context, r *endpoint.Request) (*endpoint.Response, error) {
			if r.Action == endpoint.ActionInit {
				return endpoint.NextScreen("WELCOME", nil), nil
			}
			return endpoint.Complete(r.FlowToken, map[string]any{"sent": true}), nil
		}}))
	defer ep.Close()
	caFile := filepath.Join(dir, "endpoint-cert.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ep.Certificate().Raw}), 0o644)

	access := filepath.Join(dir, "access.yaml")
	os.WriteFile(access, fmt.Appendf(nil, `business_accounts:
  - id: %q
    phone_numbers: [{id: %q}]
apps:
  - id: %q
    secret: %q
tokens:
  - token: %q
    business_accounts: [%q]
    app: %q
`, waba, phone, app, secret, token, waba, app), 0o600)
	out := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "w.db"), "--config", access, "--endpoint-ca", caFile, "--check-endpoint-on-publish", "--log", "off"}, nil, out, io.Discard)
	}()
	defer func() { cancel(); <-done }()
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := regexp.MustCompile(`at (http://\S+/v21\.0)`).FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("serve did not start: %s", out.String())
	}
	call := func(method, path string, form url.Values) string {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
		return string(b)
	}
	pubPEM, _ := os.ReadFile(filepath.Join(dir, "public.pem"))
	call("POST", "/"+phone+"/whatsapp_business_encryption", url.Values{"business_public_key": {string(pubPEM)}})
	created := call("POST", "/"+waba+"/flows", url.Values{"name": {"Journey"}, "categories": {`["OTHER"]`}, "endpoint_uri": {ep.URL}, "flow_json": {testflow.Endpoint}})
	id := regexp.MustCompile(`"id":"(\d+)"`).FindStringSubmatch(created)[1]

	// The check finds the key the way Meta does: the one uploaded for the number.
	var report strings.Builder
	code := run(ctx, []string{"endpoint", "check", ep.URL, "--phone-number-id", phone, "--ca", caFile, "--app-secret", secret,
		"--flow-id", id, "--base-url", base, "--token", token}, strings.NewReader(""), &report, io.Discard)
	if code != exitOK || !strings.Contains(report.String(), "✔ the flow completes with its flow token") || !strings.Contains(report.String(), "healthy: Meta's client can use this endpoint") {
		t.Fatalf("endpoint check: exit %d\n%s", code, report.String())
	}

	// Publishing runs Meta's checks, the health check included, and passes.
	call("POST", "/"+id+"/publish", nil)

	// The preview plays the flow against the endpoint for that phone number.
	link := regexp.MustCompile(`"preview_url":"([^"]+)"`).FindStringSubmatch(call("GET", "/"+id+"?fields=preview", nil))[1]
	link = strings.ReplaceAll(link, `\/`, "/")
	q := url.Values{"interactive": {"true"}, "phone_number": {phone}, "flow_action": {"data_exchange"}, "debug": {"true"}}
	res, err := http.Get(link + "&" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), "<h1>Welcome</h1>") || !strings.Contains(string(page), "INIT: HTTP 200") {
		t.Fatalf("preview against the endpoint: %d\n%s", res.StatusCode, page)
	}
}
