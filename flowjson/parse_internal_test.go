package flowjson

// A fuzz target holding the eight-bytes-at-a-time string scan to the byte-at-a-time one.

import (
	"testing"
	"unicode/utf8"
)

func FuzzPlainRun(f *testing.F) {
	f.Add([]byte(`plain ascii text, then "a quote`), 0)
	f.Add([]byte("tab\there and \x7f and \xc3\xa9 and \\ and \x00"), 3)
	f.Fuzz(func(t *testing.T, src []byte, i int) {
		if i < 0 || i > len(src) {
			return
		}
		want := 0
		for j := i; j < len(src); j++ {
			if c := src[j]; c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
				break
			}
			want++
		}
		if got := plainRun(src, i); got != want {
			t.Fatalf("plainRun(%q, %d) = %d, want %d", src, i, got, want)
		}
	})
}
