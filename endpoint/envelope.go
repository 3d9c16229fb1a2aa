// The encrypted envelope WhatsApp posts and the encrypted reply: RSA-OAEP-SHA256 around a fresh AES-128
// key, AES-128-GCM with a 16-byte IV (not Go's default 12) and the tag appended, the reply under the same
// key with every bit of the IV flipped, sent as base64 text ([M-EP] "Request Decryption and Encryption").
package endpoint

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// Envelope is the JSON body of a request to the endpoint.
type Envelope struct {
	EncryptedFlowData string `json:"encrypted_flow_data"`
	EncryptedAESKey   string `json:"encrypted_aes_key"`
	InitialVector     string `json:"initial_vector"`
}

// ivSize is the IV length Flows uses for AES-GCM.
const ivSize = 16

// Exchange is the key and IV of one request: the reply is encrypted with them.
type Exchange struct {
	key []byte
	iv  []byte
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithNonceSize(block, ivSize)
}

// OpenEnvelope decrypts an envelope with the business's private key. Any failure (not the envelope, bad
// base64, an AES key of the wrong size, an IV that is not 16 bytes, a bad GCM tag) is an error; the
// handler answers them all with 421.
func OpenEnvelope(body []byte, priv *rsa.PrivateKey) (plaintext []byte, ex *Exchange, err error) {
	var env Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, nil, fmt.Errorf("endpoint: the body is not the encrypted envelope: %w", err)
	}
	if env.EncryptedFlowData == "" || env.EncryptedAESKey == "" || env.InitialVector == "" {
		return nil, nil, errors.New("endpoint: the envelope lacks encrypted_flow_data, encrypted_aes_key or initial_vector")
	}
	encKey, err1 := base64.StdEncoding.DecodeString(env.EncryptedAESKey)
	iv, err2 := base64.StdEncoding.DecodeString(env.InitialVector)
	data, err3 := base64.StdEncoding.DecodeString(env.EncryptedFlowData)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, nil, fmt.Errorf("endpoint: the envelope is not base64: %w", err)
	}
	if len(iv) != ivSize {
		return nil, nil, fmt.Errorf("endpoint: the initial vector is %d bytes: Flows uses 16", len(iv))
	}
	key, err := rsa.DecryptOAEP(sha256.New(), nil, priv, encKey, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("endpoint: the AES key does not decrypt with this private key (RSA-OAEP-SHA256): %w", err)
	}
	if len(key) != 16 {
		return nil, nil, fmt.Errorf("endpoint: the AES key is %d bytes: Flows uses AES-128", len(key))
	}
	gcm, err := newGCM(key)
	if err != nil {
		return nil, nil, err
	}
	plain, err := gcm.Open(nil, iv, data, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("endpoint: the flow data does not decrypt (AES-128-GCM): %w", err)
	}
	return plain, &Exchange{key: key, iv: iv}, nil
}

// flipped is the reply's IV: the request's with every bit inverted.
func flipped(iv []byte) []byte {
	out := make([]byte, len(iv))
	for i, b := range iv {
		out[i] = ^b
	}
	return out
}

// Seal encrypts a reply for this exchange: AES-128-GCM under the request's key with the flipped IV,
// base64 (the plain-text body the client expects).
func (ex *Exchange) Seal(plaintext []byte) (string, error) {
	gcm, err := newGCM(ex.key)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(gcm.Seal(nil, flipped(ex.iv), plaintext, nil)), nil
}

// Open decrypts a reply sealed for this exchange.
func (ex *Exchange) Open(b64 []byte) ([]byte, error) {
	data, err := base64.StdEncoding.DecodeString(string(trimSpace(b64)))
	if err != nil {
		return nil, fmt.Errorf("the reply is not base64: %w", err)
	}
	gcm, err := newGCM(ex.key)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, flipped(ex.iv), data, nil)
	if err != nil {
		return nil, fmt.Errorf("the reply does not decrypt with the request's key and the flipped IV: %w", err)
	}
	return plain, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n') {
		b = b[1:]
	}
	return b
}

// SealEnvelope encrypts plaintext as WhatsApp does for one request: a fresh AES-128 key and 16-byte IV,
// the key wrapped with RSA-OAEP-SHA256 for pub. The Exchange opens the reply.
func SealEnvelope(plaintext []byte, pub *rsa.PublicKey) ([]byte, *Exchange, error) {
	key := make([]byte, 16)
	iv := make([]byte, ivSize)
	rand.Read(key)
	rand.Read(iv)
	encKey, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub, key, nil)
	if err != nil {
		return nil, nil, err
	}
	gcm, err := newGCM(key)
	if err != nil {
		return nil, nil, err
	}
	body, err := json.Marshal(Envelope{
		EncryptedFlowData: base64.StdEncoding.EncodeToString(gcm.Seal(nil, iv, plaintext, nil)),
		EncryptedAESKey:   base64.StdEncoding.EncodeToString(encKey),
		InitialVector:     base64.StdEncoding.EncodeToString(iv),
	})
	return body, &Exchange{key: key, iv: iv}, err
}
