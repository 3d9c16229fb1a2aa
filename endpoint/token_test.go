package endpoint_test

import (
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/endpoint"
)

// TestFlowTokenSignature: a signature made with the app secret (or the previous one) verifies and gives
// its claims; another secret, another token, another algorithm, an expired token or garbage do not.
func TestFlowTokenSignature(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	req := &endpoint.Request{FlowToken: "tok-1", FlowTokenSignature: endpoint.SignFlowToken("tok-1", "old", now)}
	claims, err := endpoint.VerifyFlowTokenSignature(req, now, "new", "old")
	if err != nil || claims.FlowToken != "tok-1" || claims.All["iat"] != float64(now.Unix()) {
		t.Fatalf("verify: %+v %v", claims, err)
	}
	parts := strings.Split(endpoint.SignFlowToken("tok-1", "new", now), ".")
	bad := map[string]*endpoint.Request{
		"another secret": {FlowToken: "tok-1", FlowTokenSignature: endpoint.SignFlowToken("tok-1", "guess", now)},
		"another token":  {FlowToken: "tok-2", FlowTokenSignature: endpoint.SignFlowToken("tok-1", "new", now)},
		"none":           {FlowToken: "tok-1"},
		"not a JWT":      {FlowToken: "tok-1", FlowTokenSignature: "abc"},
		"alg none":       {FlowToken: "tok-1", FlowTokenSignature: "eyJhbGciOiJub25lIn0." + parts[1] + "."},
	}
	for name, r := range bad {
		if _, err := endpoint.VerifyFlowTokenSignature(r, now, "new", "old"); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}
