package server

import (
	"encoding/base64"
	"strconv"

	"github.com/waflows/waflows/api"
)

// Cursors are opaque to callers, like Graph's: base64url of a versioned keyset position.
const cursorPrefix = "wf1:"

func encodeCursor(seq int64) string { return string(appendCursor(nil, seq)) }

// appendCursor appends the cursor for a keyset position.
func appendCursor(b []byte, seq int64) []byte {
	var raw [32]byte
	r := append(raw[:0], cursorPrefix...)
	r = strconv.AppendInt(r, seq, 10)
	return base64.RawURLEncoding.AppendEncode(b, r)
}

// decodeCursor returns the position a cursor names; param names the query parameter for the error.
func decodeCursor(s, param string) (int64, error) {
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
	if len(raw) <= len(cursorPrefix) || string(raw[:len(cursorPrefix)]) != cursorPrefix {
		return 0, bad
	}
	digits := raw[len(cursorPrefix):]
	if digits[0] < '1' || digits[0] > '9' {
		return 0, bad
	}
	seq, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil || seq <= 0 {
		return 0, bad
	}
	return seq, nil
}
