package endpoint

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"strings"
	"testing"
)

// TestExplain: the wrong replies that only the keys show — the IV not flipped, Go's default 12-byte
// nonce, another key — are named.
func TestExplain(t *testing.T) {
	ex := &Exchange{key: []byte("0123456789abcdef"), iv: []byte("fedcba9876543210")}
	plain := []byte(`{"data":{"status":"active"}}`)
	block, _ := aes.NewCipher(ex.key)
	gcm16, _ := cipher.NewGCMWithNonceSize(block, 16)
	gcm12, _ := cipher.NewGCM(block)
	other, _ := aes.NewCipher([]byte("another 16 bytes"))
	gcmOther, _ := cipher.NewGCMWithNonceSize(other, 16)
	good, _ := ex.Seal(plain)
	for name, tc := range map[string]struct {
		reply []byte
		want  string
	}{
		"correct":        {[]byte(good), ""},
		"IV not flipped": {[]byte(base64.StdEncoding.EncodeToString(gcm16.Seal(nil, ex.iv, plain, nil))), "flip every bit"},
		"12-byte nonce":  {[]byte(base64.StdEncoding.EncodeToString(gcm12.Seal(nil, flipped(ex.iv)[:12], plain, nil))), "12-byte GCM nonce"},
		"another key":    {[]byte(base64.StdEncoding.EncodeToString(gcmOther.Seal(nil, flipped(ex.iv), plain, nil))), "does not decrypt"},
		"base64url":      {[]byte("ab-_"), "base64url"},
		"empty":          {nil, "empty"},
	} {
		got := ex.Explain(tc.reply)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
}
