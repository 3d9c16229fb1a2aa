// What is wrong with a reply the WhatsApp client cannot read: the mistakes endpoints are known to make
// (Meta's health check reports them as "response is not encrypted", "not base64", …).
package endpoint

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
)

// Explain says why body, a 200 reply to this exchange's request, does not open as the client opens it,
// or returns "" when it opens.
func (ex *Exchange) Explain(body []byte) string {
	if _, err := ex.Open(body); err == nil {
		return ""
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return "the reply is empty: send the encrypted answer as the body"
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		var obj map[string]any
		if json.Unmarshal(trimmed, &obj) == nil {
			for k, v := range obj {
				if s, ok := v.(string); ok {
					if _, err := ex.Open([]byte(s)); err == nil {
						return "the reply wraps the encrypted answer in a JSON object (field " + k + "): send the base64 text itself as the body"
					}
				}
			}
			if _, ok := obj["data"]; ok {
				return "the reply is plain JSON: encrypt it (AES-128-GCM with the request's key and the flipped IV) and send it base64-encoded"
			}
		}
		return "the reply is JSON, not the base64 of the encrypted answer"
	}
	if len(trimmed) > 1 && trimmed[0] == '"' {
		return "the reply is a JSON string: send the base64 text without quotes"
	}
	data, err := base64.StdEncoding.DecodeString(string(trimmed))
	if err != nil {
		if _, err2 := base64.URLEncoding.DecodeString(string(trimmed)); err2 == nil {
			return "the reply is base64url: use standard base64 (with + and /)"
		}
		return "the reply is not base64"
	}
	block, _ := aes.NewCipher(ex.key)
	gcm, _ := cipher.NewGCMWithNonceSize(block, ivSize)
	if _, err := gcm.Open(nil, ex.iv, data, nil); err == nil {
		return "the reply is encrypted with the request's IV as it came: flip every bit of it (XOR 0xFF) for the reply"
	}
	if gcm12, err := cipher.NewGCM(block); err == nil && len(data) > 12 {
		if _, err := gcm12.Open(nil, flipped(ex.iv)[:12], data, nil); err == nil {
			return "the reply uses a 12-byte GCM nonce: use the whole 16-byte flipped IV (cipher.NewGCMWithNonceSize(block, 16))"
		}
	}
	return "the reply does not decrypt with the request's AES-128 key and the flipped IV (a different key, AES-256, or another mode)"
}
