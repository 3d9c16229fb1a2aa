package server_test

// This file tests GET and POST /{phone-number-id}/whatsapp_business_encryption: the key is stored and
// returned in Graph's shapes, replaced by a new upload, refused with code 100 unless it is a 2048-bit RSA
// public key in PEM, and hidden from tokens of other accounts.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"strings"
	"testing"

	"github.com/waflows/waflows/endpoint"
)

// publicPEM returns a fresh RSA key of bits and its public half in PEM (PKIX).
func publicPEM(tb testing.TB, bits int) (*rsa.PrivateKey, string) {
	tb.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := endpoint.MarshalPublicKey(&k.PublicKey)
	if err != nil {
		tb.Fatal(err)
	}
	return k, string(p)
}

func TestBusinessEncryption(t *testing.T) { eachBackend(t, testBusinessEncryption) }

func testBusinessEncryption(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	path := "/" + phone1 + "/whatsapp_business_encryption"

	if r := e.get(path, tokenA); r.Status != 200 || string(r.Body) != `{"data":[]}` {
		t.Fatalf("before any upload: %d %s", r.Status, r.Body)
	}
	_, first := publicPEM(t, 2048)
	if r := e.postJSON(path, tokenA, map[string]string{"business_public_key": first}); r.Status != 200 || string(r.Body) != `{"success":true}` {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	got := e.get(path, tokenA).JSON(t)
	data := got["data"].([]any)
	if len(data) != 1 {
		t.Fatalf("data = %v", got)
	}
	entry := data[0].(map[string]any)
	if entry["business_public_key"] != first || entry["business_public_key_signature_status"] != "VALID" {
		t.Fatalf("after upload: %v", entry)
	}

	// Graph's form encodings replace the key as well.
	_, second := publicPEM(t, 2048)
	form := url.Values{"business_public_key": {second}}.Encode()
	if r := e.do("POST", path, tokenA, "application/x-www-form-urlencoded", strings.NewReader(form)); r.Status != 200 {
		t.Fatalf("form upload: %d %s", r.Status, r.Body)
	}
	if r := e.get(path+"?fields=business_public_key", tokenA); string(r.Body) != `{"data":[{"business_public_key":`+jsonString(second)+`}]}` {
		t.Fatalf("fields=business_public_key after the second upload: %s", r.Body)
	}
	if r := e.get(path+"?fields=business_public_key_signature_status", tokenA); string(r.Body) != `{"data":[{"business_public_key_signature_status":"VALID"}]}` {
		t.Fatalf("fields=business_public_key_signature_status: %s", r.Body)
	}
	graphError(t, e.get(path+"?fields=colour", tokenA), 400, 100)
	graphError(t, e.get(path+"?fields="+strings.Repeat("a", 5000), tokenA), 400, 100)
	if r := e.get(path+"?fields=business_public_key_signature_status,", tokenA); string(r.Body) != `{"data":[{"business_public_key_signature_status":"VALID"}]}` {
		t.Fatalf("a trailing comma in fields: %s", r.Body)
	}

	// Restarted on the same database, the key is still there.
	e = e.restart()
	if r := e.get(path+"?fields=business_public_key", tokenA); !strings.Contains(string(r.Body), jsonString(second)) {
		t.Fatalf("after a restart: %s", r.Body)
	}
}

func TestBusinessEncryptionRefusals(t *testing.T) {
	e := MustOpenServer(t)
	path := "/" + phone1 + "/whatsapp_business_encryption"
	_, good := publicPEM(t, 2048)
	if r := e.postJSON(path, tokenA, map[string]string{"business_public_key": good}); r.Status != 200 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	_, small := publicPEM(t, 1024)
	priv, _ := publicPEM(t, 2048)
	privPEM := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)}))
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	for name, tc := range map[string]struct {
		body string
		want string
	}{
		"missing":     {`{}`, "business_public_key"},
		"empty":       {`{"business_public_key":""}`, "empty"},
		"not PEM":     {`{"business_public_key":"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"}`, "no PEM block"},
		"1024-bit":    {`{"business_public_key":` + jsonString(small) + `}`, "1024 bits"},
		"private key": {`{"business_public_key":` + jsonString(privPEM) + `}`, "want the public key"},
		"EC key":      {`{"business_public_key":` + jsonString(ecPEM) + `}`, "RSA"},
		"huge":        {`{"business_public_key":"` + strings.Repeat("A", 20000) + `"}`, "16 KB"},
		"not JSON":    {`{"business_public_key":`, "request body"},
		"two blocks":  {`{"business_public_key":` + jsonString(good+good) + `}`, "one PEM block only"},
	} {
		r := e.postJSON(path, tokenA, tc.body)
		ge := graphError(t, r, 400, 100)
		if !strings.Contains(string(r.Body), tc.want) {
			t.Errorf("%s: %v does not name %q", name, ge, tc.want)
		}
	}
	// Nothing refused replaced the stored key.
	if r := e.get(path+"?fields=business_public_key", tokenA); !strings.Contains(string(r.Body), jsonString(good)) {
		t.Fatalf("the key after refusals: %s", r.Body)
	}

	// Another account's number, an unknown number and no token.
	other := "/" + phone2 + "/whatsapp_business_encryption"
	graphError(t, e.get(other, tokenA), 400, 100)
	graphError(t, e.postJSON(other, tokenA, map[string]string{"business_public_key": good}), 400, 100)
	if r := e.get(other, tokenB); r.Status != 200 || string(r.Body) != `{"data":[]}` {
		t.Fatalf("the other account's own number: %d %s", r.Status, r.Body)
	}
	graphError(t, e.get("/999999999999999/whatsapp_business_encryption", tokenAll), 400, 100)
	graphError(t, e.get(path, ""), 401, 190)
}

// TestFlowLinkedToTokenApp: a flow created with a token that belongs to an app is linked to that app
// (application_id), as Graph infers it from the token; one created with another token is not.
func TestFlowLinkedToTokenApp(t *testing.T) {
	e := MustOpenServer(t)
	id := e.createFlow(tokenA, waba1, "Linked")
	f, err := e.Store.Flow(t.Context(), id)
	if err != nil || f.ApplicationID != app1 {
		t.Fatalf("application_id = %q, %v; want %s", f.ApplicationID, err, app1)
	}
	other := e.createFlow(tokenB, waba2, "Unlinked")
	if f, _ := e.Store.Flow(t.Context(), other); f.ApplicationID != "" {
		t.Fatalf("a flow of a token without an app: application_id %q", f.ApplicationID)
	}
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
