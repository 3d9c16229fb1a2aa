// The wire types encode and decode as Meta documents the decrypted payloads.
package endpoint_test

import (
	"encoding/json"
	"testing"

	"github.com/waflows/waflows/endpoint"
)

func TestRequestJSON(t *testing.T) {
	// Meta's example of a data_exchange request, decrypted ([M-EP] "Data exchange request").
	in := `{"version":"3.0","action":"data_exchange","screen":"SCREEN_A","data":{"prop_1":"value_1"},"flow_token":"FLOW-TOKEN"}`
	var req endpoint.Request
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	if req.Version != "3.0" || req.Action != endpoint.ActionDataExchange || req.Screen != "SCREEN_A" || req.Data["prop_1"] != "value_1" || req.FlowToken != "FLOW-TOKEN" {
		t.Fatalf("decoded %+v", req)
	}
	out, _ := json.Marshal(req)
	if string(out) != in {
		t.Fatalf("encoded %s, want %s", out, in)
	}
	// A ping carries no screen, data or token.
	out, _ = json.Marshal(endpoint.Request{Version: "3.0", Action: endpoint.ActionPing})
	if string(out) != `{"version":"3.0","action":"ping"}` {
		t.Fatalf("ping: %s", out)
	}
}

func TestResponseJSON(t *testing.T) {
	out, _ := json.Marshal(endpoint.Response{Screen: "SCREEN_B", Data: map[string]any{"x": 1}})
	if string(out) != `{"screen":"SCREEN_B","data":{"x":1}}` {
		t.Fatalf("next screen: %s", out)
	}
	// The health check's answer has only data.
	out, _ = json.Marshal(endpoint.Response{Data: map[string]any{"status": "active"}})
	if string(out) != `{"data":{"status":"active"}}` {
		t.Fatalf("ping answer: %s", out)
	}
}
