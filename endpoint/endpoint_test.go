package endpoint_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/waflows/waflows/internal/testflow"

	"github.com/waflows/waflows/endpoint"
)

// vector is the shared crypto test vector (crypto/flows_endpoint_vector.json beside the corpus), read in place.
type vector struct {
	PrivateKeyPEM      string          `json:"private_key_pem"`
	PublicKeyPEM       string          `json:"public_key_pem"`
	RequestPlaintext   string          `json:"request_plaintext"`
	RequestBody        json.RawMessage `json:"request_body"`
	ResponsePlaintext  string          `json:"response_plaintext"`
	ResponseBodyBase64 string          `json:"response_body_base64"`
}

func loadVector(t *testing.T) vector {
	t.Helper()
	var v vector
	if err := json.Unmarshal(testflow.SharedFile(t, "crypto/flows_endpoint_vector.json"), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestVector: the shared vector's request decrypts to its plaintext, and the handler's answer to that
// ping is, byte for byte, the vector's encrypted response (AES-GCM under the request's key and the
// flipped IV is deterministic).
func TestVector(t *testing.T) {
	v := loadVector(t)
	priv, err := endpoint.ParsePrivateKey([]byte(v.PrivateKeyPEM), "")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := endpoint.ParsePublicKey([]byte(v.PublicKeyPEM))
	if err != nil || !pub.Equal(&priv.PublicKey) {
		t.Fatalf("public key: %v", err)
	}
	plain, _, err := endpoint.OpenEnvelope(v.RequestBody, priv)
	if err != nil || string(plain) != v.RequestPlaintext {
		t.Fatalf("decrypted %q, %v; want %q", plain, err, v.RequestPlaintext)
	}
	called := false
	h := endpoint.NewHandler(endpoint.Config{PrivateKey: priv, Handle: func(context.Context, *endpoint.Request) (*endpoint.Response, error) {
		called = true
		return nil, nil
	}})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader(string(v.RequestBody))))
	if rec.Code != 200 || rec.Body.String() != v.ResponseBodyBase64 || called {
		t.Fatalf("ping: %d %q (Handle called: %v), want %q", rec.Code, rec.Body, called, v.ResponseBodyBase64)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/plain" {
		t.Fatalf("Content-Type %q", ct)
	}
}

func testKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	data, err := os.ReadFile("testdata/pkcs1_des3.pem")
	if err != nil {
		t.Fatal(err)
	}
	k, err := endpoint.ParsePrivateKey(data, "flows-secret")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestKeys: the formats a business's key comes in, and errors that say what was found.
func TestKeys(t *testing.T) {
	want := testKey(t)
	for _, tc := range []struct{ file, pass string }{{"pkcs1_des3.pem", "flows-secret"}, {"pkcs8_encrypted.pem", "flows-secret"}} {
		data, _ := os.ReadFile("testdata/" + tc.file)
		k, err := endpoint.ParsePrivateKey(data, tc.pass)
		if err != nil || !k.Equal(want) {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if _, err := endpoint.ParsePrivateKey(data, ""); err == nil || !strings.Contains(err.Error(), "passphrase") {
			t.Fatalf("%s without its passphrase: %v", tc.file, err)
		}
		if _, err := endpoint.ParsePrivateKey(data, "wrong"); err == nil {
			t.Fatalf("%s with a wrong passphrase was read", tc.file)
		}
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(want)})
	der, _ := x509.MarshalPKCS8PrivateKey(want)
	pkcs8 := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	for name, data := range map[string][]byte{"PKCS#1": pkcs1, "PKCS#8": pkcs8} {
		if k, err := endpoint.ParsePrivateKey(data, ""); err != nil || !k.Equal(want) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	pubPEM, _ := os.ReadFile("testdata/public.pem")
	if pub, err := endpoint.ParsePublicKey(pubPEM); err != nil || !pub.Equal(&want.PublicKey) {
		t.Fatalf("PKIX public key: %v", err)
	}
	rsaPub := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&want.PublicKey)})
	if pub, err := endpoint.ParsePublicKey(rsaPub); err != nil || !pub.Equal(&want.PublicKey) {
		t.Fatalf("PKCS#1 public key: %v", err)
	}
	for data, msg := range map[string]string{
		"not a key":    "no PEM block",
		string(pubPEM): "the endpoint needs the private key",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n": `"CERTIFICATE"`,
	} {
		if _, err := endpoint.ParsePrivateKey([]byte(data), ""); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParsePrivateKey(%.20q): %v, want %q", data, err, msg)
		}
	}
	if _, err := endpoint.ParsePublicKey(pkcs1); err == nil || !strings.Contains(err.Error(), "want the public key") {
		t.Errorf("ParsePublicKey of a private key: %v", err)
	}
}

// endpointServer serves NewHandler with cfg, counting Handle's calls.
func endpointServer(t *testing.T, cfg endpoint.Config) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	handle := cfg.Handle
	cfg.Handle = func(ctx context.Context, r *endpoint.Request) (*endpoint.Response, error) {
		calls.Add(1)
		return handle(ctx, r)
	}
	ts := httptest.NewServer(endpoint.NewHandler(cfg))
	t.Cleanup(ts.Close)
	return ts, &calls
}

// TestHandlerAndClient: the client WhatsApp plays and the handler, against each other: signatures
// (both secrets of a rotation), answers, 427 with its message, 500 that leaks nothing, error
// notifications acknowledged.
func TestHandlerAndClient(t *testing.T) {
	priv := testKey(t)
	var notified atomic.Int32
	ts, calls := endpointServer(t, endpoint.Config{PrivateKey: priv, AppSecret: "new-secret", PreviousAppSecret: "old-secret",
		OnErrorNotification: func(context.Context, *endpoint.Request) { notified.Add(1) },
		Handle: func(_ context.Context, r *endpoint.Request) (*endpoint.Response, error) {
			switch r.FlowToken {
			case "bad":
				return nil, endpoint.InvalidFlowToken("This link has expired")
			case "long":
				return nil, endpoint.InvalidFlowToken(strings.Repeat("é", 1<<20))
			case "boom":
				return nil, errors.New("database password is hunter2")
			}
			if r.Action == endpoint.ActionDataExchange {
				return endpoint.Complete(r.FlowToken, map[string]any{"slot": r.Data["slot"]}), nil
			}
			return endpoint.NextScreen("SLOTS", map[string]any{"name": r.Data["name"]}).WithErrorMessage("Pick one"), nil
		}})
	ctx := context.Background()
	for _, secret := range []string{"new-secret", "old-secret"} {
		c := &endpoint.Client{URL: ts.URL, PublicKey: &priv.PublicKey, AppSecret: secret}
		resp, err := c.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionInit, FlowToken: "t1", Data: map[string]any{"name": "Ada"}})
		if err != nil || resp.Screen != "SLOTS" || resp.Data["name"] != "Ada" || resp.Data["error_message"] != "Pick one" {
			t.Fatalf("INIT signed with %s: %+v %v", secret, resp, err)
		}
	}
	c := &endpoint.Client{URL: ts.URL, PublicKey: &priv.PublicKey, AppSecret: "new-secret"}
	resp, err := c.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionDataExchange, Screen: "SLOTS", FlowToken: "t1", Data: map[string]any{"slot": "9"}})
	params, _ := resp.Data["extension_message_response"].(map[string]any)["params"].(map[string]any)
	if err != nil || resp.Screen != endpoint.SuccessScreen || params["slot"] != "9" || params["flow_token"] != "t1" {
		t.Fatalf("complete: %+v %v", resp, err)
	}
	// Pings and error notifications never reach Handle.
	before := calls.Load()
	if resp, err := c.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionPing}); err != nil || resp.Data["status"] != "active" {
		t.Fatalf("ping: %+v %v", resp, err)
	}
	if resp, err := c.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionDataExchange, Screen: "SLOTS", FlowToken: "t1",
		Data: map[string]any{"error": "invalid-screen-transition", "error_message": "no route"}}); err != nil || resp.Data["acknowledged"] != true || notified.Load() != 1 {
		t.Fatalf("error notification: %+v %v (notified %d)", resp, err, notified.Load())
	}
	if calls.Load() != before {
		t.Fatal("Handle saw a ping or an error notification")
	}
	var e *endpoint.Error
	if _, err := c.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionInit, FlowToken: "bad"}); !errors.As(err, &e) || e.Kind != endpoint.KindInvalidFlowToken || e.Status != 427 || e.Message != "This link has expired" {
		t.Fatalf("invalid flow token: %v", err)
	}
	// A huge error_msg is clipped (on a character boundary), so a client keeps a bounded error.
	if _, err := c.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionInit, FlowToken: "long"}); !errors.As(err, &e) || e.Kind != endpoint.KindInvalidFlowToken ||
		len(e.Message) > 1010 || !utf8.ValidString(e.Message) || !strings.HasSuffix(e.Message, "…") {
		t.Fatalf("a long error_msg: %d bytes, %v", len(e.Message), e.Kind)
	}
	if _, err := c.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionInit, FlowToken: "boom"}); !errors.As(err, &e) || e.Kind != endpoint.KindUnexpectedStatus || e.Status != 500 || strings.Contains(e.Message, "hunter2") {
		t.Fatalf("a failing Handle: %v", err)
	}
	// A wrong secret, or none: 432, before any decryption.
	for _, secret := range []string{"guess", ""} {
		bad := &endpoint.Client{URL: ts.URL, PublicKey: &priv.PublicKey, AppSecret: secret}
		if _, err := bad.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionPing}); !errors.As(err, &e) || e.Kind != endpoint.KindSignatureVerification || e.Status != 432 {
			t.Fatalf("signature %q: %v", secret, err)
		}
	}
}

// TestUndecryptable: whatever cannot be decrypted is a 421, never a 500 or a panic, and never reaches
// Handle; the client retries a 421 once, then reports business-decryption-error.
func TestUndecryptable(t *testing.T) {
	priv := testKey(t)
	ts, calls := endpointServer(t, endpoint.Config{PrivateKey: priv, Handle: func(context.Context, *endpoint.Request) (*endpoint.Response, error) {
		return endpoint.NextScreen("X", nil), nil
	}})
	good, _, err := endpoint.SealEnvelope([]byte(`{"version":"3.0","action":"INIT"}`), &priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]string
	json.Unmarshal(good, &env)
	with := func(k, v string) string {
		m := map[string]string{}
		for a, b := range env {
			m[a] = b
		}
		m[k] = v
		b, _ := json.Marshal(m)
		return string(b)
	}
	data, _ := base64.StdEncoding.DecodeString(env["encrypted_flow_data"])
	data[len(data)-1] ^= 1
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	foreign, _, _ := endpoint.SealEnvelope([]byte(`{"version":"3.0","action":"INIT"}`), &other.PublicKey)
	notJSON, _, _ := endpoint.SealEnvelope([]byte(`not json`), &priv.PublicKey)
	for name, body := range map[string]string{
		"empty":              "",
		"not JSON":           "hello",
		"not the envelope":   `{"a":1}`,
		"bad base64":         with("encrypted_flow_data", "%%%"),
		"12-byte IV":         with("initial_vector", base64.StdEncoding.EncodeToString(make([]byte, 12))),
		"tampered tag":       with("encrypted_flow_data", base64.StdEncoding.EncodeToString(data)),
		"another key":        string(foreign),
		"plaintext not JSON": string(notJSON),
		"short data":         with("encrypted_flow_data", "AAAA"),
	} {
		res, err := http.Post(ts.URL, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 421 {
			t.Errorf("%s: %d, want 421", name, res.StatusCode)
		}
	}
	if calls.Load() != 0 {
		t.Fatal("Handle saw an undecryptable request")
	}
	// The client, given the wrong public key, retries once.
	var posts atomic.Int32
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		endpoint.NewHandler(endpoint.Config{PrivateKey: priv, Handle: func(context.Context, *endpoint.Request) (*endpoint.Response, error) { return nil, nil }}).ServeHTTP(w, r)
	}))
	defer counting.Close()
	c := &endpoint.Client{URL: counting.URL, PublicKey: &other.PublicKey}
	var e *endpoint.Error
	if _, err := c.Send(context.Background(), endpoint.Request{Version: "3.0", Action: endpoint.ActionPing}); !errors.As(err, &e) || e.Kind != endpoint.KindBusinessDecryption || posts.Load() != 2 {
		t.Fatalf("wrong key: %v after %d posts", err, posts.Load())
	}
}

// TestClientFailures: what the client reports when the endpoint misbehaves.
func TestClientFailures(t *testing.T) {
	priv := testKey(t)
	ctx := context.Background()
	serve := func(h http.HandlerFunc) string {
		ts := httptest.NewServer(h)
		t.Cleanup(ts.Close)
		return ts.URL
	}
	cases := map[string]struct {
		url  string
		ctx  func() (context.Context, context.CancelFunc)
		kind string
	}{
		"plain JSON reply": {url: serve(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"data":{"status":"active"}}`) }), kind: endpoint.KindResponseDecryption},
		"teapot":           {url: serve(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(418) }), kind: endpoint.KindUnexpectedStatus},
		"slow": {url: serve(func(w http.ResponseWriter, r *http.Request) { time.Sleep(500 * time.Millisecond) }), kind: endpoint.KindTimeout,
			ctx: func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 100*time.Millisecond) }},
		"nobody listening": {url: "http://127.0.0.1:1", kind: endpoint.KindNoResponse},
	}
	for name, tc := range cases {
		c := &endpoint.Client{URL: tc.url, PublicKey: &priv.PublicKey}
		cctx, cancel := ctx, context.CancelFunc(func() {})
		if tc.ctx != nil {
			cctx, cancel = tc.ctx()
		}
		_, err := c.Send(cctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionPing})
		cancel()
		var e *endpoint.Error
		if !errors.As(err, &e) || e.Kind != tc.kind {
			t.Errorf("%s: %v, want %s", name, err, tc.kind)
		}
	}
}

// BenchmarkRequest is one full request in the handler: verify the signature, decrypt (the RSA private
// key operation is the hot path), handle, encrypt the answer.
func BenchmarkRequest(b *testing.B) {
	priv := testKey(b)
	h := endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: "s", Handle: func(_ context.Context, r *endpoint.Request) (*endpoint.Response, error) {
		return endpoint.NextScreen("NEXT", map[string]any{"name": r.Data["name"]}), nil
	}})
	body, _, err := endpoint.SealEnvelope([]byte(`{"version":"3.0","action":"data_exchange","screen":"A","data":{"name":"Ada"},"flow_token":"t"}`), &priv.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	sig := endpoint.Sign(body, "s")
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/", strings.NewReader(string(body)))
		req.Header.Set("X-Hub-Signature-256", sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkPrivateKeyOperation is the RSA-OAEP-SHA256 decryption of a request's AES key alone: what
// BenchmarkRequest spends on the private key, so the rest of a request's cost is the difference.
func BenchmarkPrivateKeyOperation(b *testing.B) {
	priv := testKey(b)
	aesKey := make([]byte, 16)
	sealed, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &priv.PublicKey, aesKey, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rsa.DecryptOAEP(sha256.New(), nil, priv, sealed, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMarshalKeys: what MarshalPrivateKey writes, ParsePrivateKey reads back (and openssl too, when it
// is installed); without the passphrase it is refused.
func TestMarshalKeys(t *testing.T) {
	key := testKey(t)
	for _, pass := range []string{"", "pass phrase"} {
		data, err := endpoint.MarshalPrivateKey(key, pass)
		if err != nil {
			t.Fatal(err)
		}
		got, err := endpoint.ParsePrivateKey(data, pass)
		if err != nil || !got.Equal(key) {
			t.Fatalf("passphrase %q: %v", pass, err)
		}
		if pass != "" {
			if !strings.Contains(string(data), "ENCRYPTED PRIVATE KEY") {
				t.Fatalf("not encrypted:\n%s", data)
			}
			if _, err := endpoint.ParsePrivateKey(data, "wrong"); err == nil {
				t.Fatal("read with a wrong passphrase")
			}
			if openssl, err := exec.LookPath("openssl"); err == nil {
				f := filepath.Join(t.TempDir(), "k.pem")
				os.WriteFile(f, data, 0o600)
				if out, err := exec.Command(openssl, "pkey", "-in", f, "-passin", "pass:"+pass, "-noout").CombinedOutput(); err != nil {
					t.Fatalf("openssl cannot read it: %v %s", err, out)
				}
			}
		}
	}
	pub, err := endpoint.MarshalPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := endpoint.ParsePublicKey(pub); err != nil || !k.Equal(&key.PublicKey) {
		t.Fatalf("public key: %v", err)
	}
}
