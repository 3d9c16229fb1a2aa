package endpointcheck_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/internal/endpointcheck"
)

var key, _ = rsa.GenerateKey(rand.Reader, 2048)

// flow is an endpoint flow: INIT picks START, START's data_exchange goes to DONE, DONE completes.
const flow = `{
  "version": "7.3", "data_api_version": "3.0",
  "routing_model": {"START": ["DONE"], "DONE": []},
  "screens": [
    {"id": "START", "title": "Start", "data": {"greeting": {"type": "string", "__example__": "Hi"}},
     "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "TextInput", "name": "email", "label": "Email", "input-type": "email", "required": true},
      {"type": "Dropdown", "name": "size", "label": "Size", "required": true, "data-source": [{"id": "s", "title": "S"}, {"id": "m", "title": "M"}]},
      {"type": "Footer", "label": "Next", "on-click-action": {"name": "data_exchange", "payload": {"email": "${form.email}", "size": "${form.size}"}}}
    ]}},
    {"id": "DONE", "title": "Done", "terminal": true, "success": true, "data": {},
     "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "Footer", "label": "Finish", "on-click-action": {"name": "data_exchange", "payload": {}}}
    ]}}
  ]
}`

// good is a correct endpoint built with the endpoint package; next changes its answer to START.
func good(t *testing.T, next string) string {
	h := endpoint.NewHandler(endpoint.Config{PrivateKey: key, AppSecret: "secret", Handle: func(_ context.Context, r *endpoint.Request) (*endpoint.Response, error) {
		switch {
		case r.Action == endpoint.ActionInit:
			return endpoint.NextScreen("START", map[string]any{"greeting": "Hello"}), nil
		case r.Screen == "START":
			if r.Data["email"] != "test@example.com" || r.Data["size"] != "s" {
				return endpoint.NextScreen("START", map[string]any{"greeting": "again"}).WithErrorMessage("bad values"), nil
			}
			return endpoint.NextScreen(next, map[string]any{}), nil
		}
		return endpoint.Complete(r.FlowToken, nil), nil
	}})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

func find(t *testing.T, r endpointcheck.Report, check string) endpointcheck.Finding {
	t.Helper()
	for _, f := range r.Findings {
		if strings.Contains(f.Check, check) {
			return f
		}
	}
	b, _ := json.MarshalIndent(r, "", " ")
	t.Fatalf("no finding %q in\n%s", check, b)
	return endpointcheck.Finding{}
}

// TestHealthyEndpoint: a correct endpoint passes everything, and the walk reaches SUCCESS.
func TestHealthyEndpoint(t *testing.T) {
	r := endpointcheck.Run(context.Background(), endpointcheck.Options{URL: good(t, "DONE"), PublicKey: &key.PublicKey, AppSecret: "secret", Flow: []byte(flow), ProbeAll: true})
	for _, f := range r.Findings {
		if f.Status != endpointcheck.OK {
			t.Errorf("%s: %s %s", f.Check, f.Status, f.Detail)
		}
	}
	if !r.Healthy || find(t, r, "completes with its flow token").Status != endpointcheck.OK || r.Latency.Requests < 4 {
		t.Fatalf("report: %+v", r)
	}
	find(t, r, "without a signature")
}

// TestRoutingError: an answer the routing model does not allow is Meta's invalid-screen-transition.
func TestRoutingError(t *testing.T) {
	r := endpointcheck.Run(context.Background(), endpointcheck.Options{URL: good(t, "NOWHERE"), PublicKey: &key.PublicKey, AppSecret: "secret", Flow: []byte(flow)})
	if r.Healthy || !strings.Contains(find(t, r, "pressing Next on START").Detail, "invalid-screen-transition") {
		t.Fatalf("report: %+v", r)
	}
}

// wrong is an endpoint that decrypts correctly and then answers the ping wrongly with answer.
func wrong(t *testing.T, answer func(ex *endpoint.Exchange, plain []byte) string) string {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, ex, err := endpoint.OpenEnvelope(body, key)
		if err != nil {
			w.WriteHeader(421)
			return
		}
		io.WriteString(w, answer(ex, []byte(`{"data":{"status":"active"}}`)))
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestKnownWrongAnswers: the health check names the mistakes endpoints make.
func TestKnownWrongAnswers(t *testing.T) {
	cases := map[string]struct {
		answer func(ex *endpoint.Exchange, plain []byte) string
		want   string
	}{
		"plain JSON": {func(_ *endpoint.Exchange, p []byte) string { return string(p) }, "plain JSON"},
		"wrapped": {func(ex *endpoint.Exchange, p []byte) string {
			s, _ := ex.Seal(p)
			return `{"encrypted_response":"` + s + `"}`
		}, "wraps the encrypted answer"},
		"quoted":     {func(ex *endpoint.Exchange, p []byte) string { s, _ := ex.Seal(p); return `"` + s + `"` }, "JSON string"},
		"not base64": {func(*endpoint.Exchange, []byte) string { return "%%%not base64" }, "not base64"},
		"wrong answer": {func(ex *endpoint.Exchange, _ []byte) string {
			s, _ := ex.Seal([]byte(`{"status":"ok"}`))
			return s
		}, "decrypts to"},
	}
	for name, tc := range cases {
		r := endpointcheck.Run(context.Background(), endpointcheck.Options{URL: wrong(t, tc.answer), PublicKey: &key.PublicKey})
		f := find(t, r, "health check")
		if r.Healthy || f.Status != endpointcheck.Fail || !strings.Contains(f.Detail, tc.want) {
			t.Errorf("%s: %+v", name, f)
		}
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	r := endpointcheck.Run(context.Background(), endpointcheck.Options{URL: good(t, "DONE"), PublicKey: &other.PublicKey, AppSecret: "secret"})
	if f := find(t, r, "health check"); r.Healthy || !strings.Contains(f.Detail, "421") {
		t.Errorf("wrong key: %+v", f)
	}
	r = endpointcheck.Run(context.Background(), endpointcheck.Options{URL: "http://127.0.0.1:1", PublicKey: &key.PublicKey})
	if f := find(t, r, "health check"); r.Healthy || !strings.Contains(f.Detail, "no HTTP response") {
		t.Errorf("nobody listening: %+v", f)
	}
}

// TestLenientEndpoint: an endpoint that answers a bad signature and an undecryptable body with 500 is
// healthy for Meta's client, with findings that say what to fix.
func TestLenientEndpoint(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, ex, err := endpoint.OpenEnvelope(body, key)
		if err != nil {
			w.WriteHeader(500)
			return
		}
		s, _ := ex.Seal([]byte(`{"data":{"status":"active"}}`))
		io.WriteString(w, s)
	}))
	defer ts.Close()
	r := endpointcheck.Run(context.Background(), endpointcheck.Options{URL: ts.URL, PublicKey: &key.PublicKey, AppSecret: "secret"})
	if !r.Healthy || find(t, r, "undecryptable").Status != endpointcheck.Warn || find(t, r, "wrong signature").Status != endpointcheck.Warn {
		t.Fatalf("report: %+v", r)
	}
}

// cascade enables its second dropdown only after the first is chosen (on-select-action), as Meta's
// appointment template does: the walk must look at the screen again after each selection.
const cascade = `{
  "version": "7.3", "data_api_version": "3.0",
  "routing_model": {"PICK": []},
  "screens": [
    {"id": "PICK", "title": "Pick", "terminal": true,
     "data": {"cities": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "title": {"type": "string"}}}, "__example__": []},
              "city_enabled": {"type": "boolean", "__example__": false}},
     "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "Dropdown", "name": "country", "label": "Country", "required": true, "data-source": [{"id": "pt", "title": "Portugal"}],
       "on-select-action": {"name": "data_exchange", "payload": {"country": "${form.country}"}}},
      {"type": "Dropdown", "name": "city", "label": "City", "required": true, "enabled": "${data.city_enabled}", "data-source": "${data.cities}"},
      {"type": "Footer", "label": "Done", "on-click-action": {"name": "data_exchange", "payload": {"city": "${form.city}"}}}
    ]}}
  ]
}`

// TestWalkFollowsSelections: inputs enabled by a selection's answer are filled before pressing.
func TestWalkFollowsSelections(t *testing.T) {
	ts := httptest.NewServer(endpoint.NewHandler(endpoint.Config{PrivateKey: key, AppSecret: "secret", Handle: func(_ context.Context, r *endpoint.Request) (*endpoint.Response, error) {
		switch {
		case r.Action == endpoint.ActionInit:
			return endpoint.NextScreen("PICK", map[string]any{"cities": []any{}, "city_enabled": false}), nil
		case r.Data["country"] == "pt":
			return endpoint.NextScreen("PICK", map[string]any{"cities": []any{map[string]any{"id": "lis", "title": "Lisbon"}}, "city_enabled": true}), nil
		case r.Data["city"] == "lis":
			return endpoint.Complete(r.FlowToken, nil), nil
		}
		return nil, io.ErrUnexpectedEOF
	}}))
	defer ts.Close()
	r := endpointcheck.Run(context.Background(), endpointcheck.Options{URL: ts.URL, PublicKey: &key.PublicKey, AppSecret: "secret", Flow: []byte(cascade)})
	if !r.Healthy || find(t, r, "completes with its flow token").Status != endpointcheck.OK {
		b, _ := json.MarshalIndent(r, "", " ")
		t.Fatalf("report:\n%s", b)
	}
}
