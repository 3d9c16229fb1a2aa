package main

// This file checks the example as a user would: `waflows endpoint check` (its engine) walks flow.json
// against the running endpoint to SUCCESS and finds it healthy.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/endpointcheck"
)

func TestExampleEndpointIsHealthy(t *testing.T) {
	flow, err := os.ReadFile("flow.json")
	if err != nil {
		t.Fatal(err)
	}
	if errs := flowjson.Validate(flow); len(errs) > 0 {
		t.Fatalf("flow.json has validation errors: %v", errs)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newHandler(key, "secret", "", slog.New(slog.DiscardHandler)))
	defer srv.Close()
	report := endpointcheck.Run(context.Background(), endpointcheck.Options{
		URL: srv.URL, PublicKey: &key.PublicKey, AppSecret: "secret", Flow: flow, FlowAction: "data_exchange", FlowToken: "tok", ProbeAll: true})
	if !report.Healthy {
		t.Fatalf("the example is not healthy: %+v", report.Findings)
	}
	reachedSuccess := false
	for _, f := range report.Findings {
		if f.Status == endpointcheck.Fail {
			t.Errorf("failed: %+v", f)
		}
		if f.Status == endpointcheck.OK && (strings.Contains(f.Check, "SUCCESS") || strings.Contains(f.Detail, "SUCCESS")) {
			reachedSuccess = true
		}
	}
	if !reachedSuccess {
		t.Errorf("the walk never reached SUCCESS: %+v", report.Findings)
	}
}
