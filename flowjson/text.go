package flowjson

// This file holds small helpers over strings: screen ids, blank and URL tests, and the quoting and
// clipping of document text in messages.

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isScreenID reports whether s is a screen id: letters and underscores.
func isScreenID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && (c|0x20 < 'a' || c|0x20 > 'z') {
			return false
		}
	}
	return true
}

// isBlank reports whether s holds nothing but white space, as Meta's
// "not blank or empty" pattern sees it.
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && r != '\ufeff' {
			return false
		}
	}
	return true
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// charCount counts the characters (code points) of s.
func charCount(s string) int { return utf8.RuneCountInString(s) }

// clipLength is how much of a long text from the document a message repeats.
const clipLength = 200

// clip cuts s to clipLength characters, marking the cut with "…": messages
// quote expressions and operands, which a hostile document makes megabytes long.
func clip(s string) string { return clipTo(s, clipLength) }

// clipTo cuts s to at most n characters, the last of them "…" when cut.
func clipTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	chars := 0
	for i := range s {
		if chars == n-1 {
			return s[:i] + "…"
		}
		chars++
	}
	return s
}

// quoteValue shows a value taken from the document in single quotes, with
// control characters escaped and long values cut, so that a message stays
// one short line whatever the document holds.
func quoteValue(s string) string {
	const limit = 60
	var b strings.Builder
	b.WriteByte('\'')
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		n++
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// listOf formats names as Meta's messages list them: "[a, b]".
func listOf(names ...string) string {
	return "[" + strings.Join(names, ", ") + "]"
}
