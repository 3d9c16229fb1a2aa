package server

// A fuzz target holding jsonText (flow_json decoded straight into bytes) to encoding/json's decoding.

import (
	"bytes"
	"encoding/json"
	"testing"
)

func FuzzJSONText(f *testing.F) {
	for _, s := range []string{`"plain"`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u20ac\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ude00\ud83d"`,
		`"\ud83d\u0041"`, "\"caf\xc3\xa9 \xff\xfe bad\"", `"{\"version\":\"7.3\"}"`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, token []byte) {
		if !json.Valid(token) || len(token) == 0 || token[0] != '"' {
			return
		}
		var want string
		if err := json.Unmarshal(token, &want); err != nil {
			t.Fatal(err)
		}
		var got jsonText
		if err := json.Unmarshal(token, &got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, []byte(want)) {
			t.Fatalf("%q: got %q, encoding/json %q", token, got, want)
		}
	})
}
