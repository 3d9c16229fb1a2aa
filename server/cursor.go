package server

// This file holds paging cursors. A cursor names a keyset position (a flow's seq, which counts the flows
// of every account), so it is sealed: encrypted, bound to the account it pages, and checked, so that it
// tells a caller nothing and cannot be forged or carried to another account.

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"math"

	"github.com/waflows/waflows/api"
)

// cursorSealer seals keyset positions: one AES block holding the seq and the first 8 bytes of an
// HMAC-SHA256 over the account and the seq. The keys come from the server's signing key, so every
// instance on one database reads the others' cursors.
type cursorSealer struct {
	block  cipher.Block
	macKey []byte
}

func newCursorSealer(signKey []byte) *cursorSealer {
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, signKey)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	block, err := aes.NewCipher(derive("waflows-cursor-encryption-v1"))
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	return &cursorSealer{block: block, macKey: derive("waflows-cursor-mac-v1")}
}

func (cs *cursorSealer) tag(wabaID string, seq uint64) []byte {
	m := hmac.New(sha256.New, cs.macKey)
	m.Write(binary.BigEndian.AppendUint64(nil, seq))
	m.Write([]byte(wabaID))
	return m.Sum(nil)[:8]
}

// append appends the cursor for position seq of account wabaID (22 characters of base64url).
func (cs *cursorSealer) append(b []byte, wabaID string, seq int64) []byte {
	var block [aes.BlockSize]byte
	binary.BigEndian.PutUint64(block[:8], uint64(seq))
	copy(block[8:], cs.tag(wabaID, uint64(seq)))
	cs.block.Encrypt(block[:], block[:])
	return base64.RawURLEncoding.AppendEncode(b, block[:])
}

func (cs *cursorSealer) encode(wabaID string, seq int64) string {
	return string(cs.append(nil, wabaID, seq))
}

// decode returns the position a cursor of account wabaID names. A malformed cursor, a tampered one and
// one made for another account all get the same error; param names the query parameter.
func (cs *cursorSealer) decode(s, wabaID, param string) (int64, error) {
	bad := api.Errorf(api.EINVALID, "(#100) Param %s is not a valid cursor", param)
	if len(s) == 0 || len(s) > 64 {
		return 0, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		// Accept padded and standard-alphabet forms too: clients re-encode cursors.
		if raw, err = base64.StdEncoding.DecodeString(s); err != nil {
			if raw, err = base64.URLEncoding.DecodeString(s); err != nil {
				return 0, bad
			}
		}
	}
	if len(raw) != aes.BlockSize {
		return 0, bad
	}
	var block [aes.BlockSize]byte
	cs.block.Decrypt(block[:], raw)
	seq := binary.BigEndian.Uint64(block[:8])
	if seq == 0 || seq > math.MaxInt64 || subtle.ConstantTimeCompare(block[8:], cs.tag(wabaID, seq)) != 1 {
		return 0, bad
	}
	return int64(seq), nil
}
