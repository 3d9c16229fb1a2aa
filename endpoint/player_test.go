package endpoint_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/player"
)

// TestPlayerAgainstHandler: player.WithDataExchange(client.Send) plays a flow against a real,
// encrypted, signed endpoint built with NewHandler.
func TestPlayerAgainstHandler(t *testing.T) {
	priv := testKey(t)
	var seen []string
	ts := httptest.NewServer(endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: "app-secret",
		Handle: func(_ context.Context, r *endpoint.Request) (*endpoint.Response, error) {
			seen = append(seen, r.Action+" "+r.Screen)
			return endpoint.Complete(r.FlowToken, map[string]any{"answered": true}), nil
		}}))
	defer ts.Close()
	c := &endpoint.Client{URL: ts.URL, PublicKey: &priv.PublicKey, AppSecret: "app-secret"}
	s, err := player.Start(context.Background(), []byte(testflow.Endpoint), player.WithFlowToken("tok-9"), player.WithDataExchange(c.Send))
	if err != nil {
		t.Fatal(err)
	}
	footer := ""
	for _, comp := range s.Screen().Components {
		if comp.Type == "Footer" {
			footer = comp.Label
		}
	}
	for _, comp := range s.Screen().Components {
		if comp.Name != "" && comp.Required {
			s.Fill(comp.Name, "x")
		}
	}
	if err := s.Press(footer); err != nil {
		t.Fatal(err)
	}
	payload, ok := s.Completed()
	if !ok || payload["answered"] != true || payload["flow_token"] != "tok-9" || len(seen) != 1 {
		t.Fatalf("completed %v %v; the endpoint saw %v", payload, ok, seen)
	}
}
