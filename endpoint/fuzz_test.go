package endpoint_test

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/waflows/waflows/endpoint"
)

// FuzzHandler: whatever the body and signature, the handler answers 421, 432, 413 or 200 — never a 500
// or a panic — and only a body that decrypts reaches Handle.
func FuzzHandler(f *testing.F) {
	priv := testKey(f)
	good, _, _ := endpoint.SealEnvelope([]byte(`{"version":"3.0","action":"INIT","flow_token":"t"}`), &priv.PublicKey)
	f.Add(string(good), endpoint.Sign(good, "s"))
	f.Add(`{"encrypted_flow_data":"AAAA","encrypted_aes_key":"AAAA","initial_vector":"AAAAAAAAAAAAAAAAAAAAAA=="}`, "sha256=00")
	f.Add(`{"encrypted_flow_data":1}`, "")
	h := endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: "s", Handle: func(context.Context, *endpoint.Request) (*endpoint.Response, error) {
		return endpoint.NextScreen("X", nil), nil
	}})
	f.Fuzz(func(t *testing.T, body, sig string) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		req.Header.Set("X-Hub-Signature-256", sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 413, endpoint.StatusDecryptionFailed, endpoint.StatusSignatureMismatch:
		default:
			t.Fatalf("status %d", rec.Code)
		}
	})
}

// FuzzOpenEnvelope: decrypting any body returns an error or a plaintext, never a panic.
func FuzzOpenEnvelope(f *testing.F) {
	priv := testKey(f)
	good, _, _ := endpoint.SealEnvelope([]byte(`{"version":"3.0","action":"ping"}`), &priv.PublicKey)
	f.Add(good)
	f.Add([]byte(`{"encrypted_flow_data":"","encrypted_aes_key":"","initial_vector":""}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		endpoint.OpenEnvelope(body, priv)
	})
}

// FuzzParseKeys: any PEM text gives a key or an error, never a panic (an encrypted PKCS#8 key's
// iteration count is bounded).
func FuzzParseKeys(f *testing.F) {
	for _, name := range []string{"pkcs1_des3.pem", "pkcs8_encrypted.pem", "public.pem"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		endpoint.ParsePrivateKey(data, "flows-secret")
		endpoint.ParsePublicKey(data)
	})
}
