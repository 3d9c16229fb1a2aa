package api

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxNameLength is the longest flow name accepted, in characters.
const MaxNameLength = 200

// CheckName validates a flow name: valid UTF-8 without control characters, not blank, at most
// MaxNameLength characters.
func CheckName(name string) error {
	if strings.TrimSpace(name) == "" {
		return Errorf(EINVALID, "(#100) Param name must be a non-empty string")
	}
	if !utf8.ValidString(name) || strings.IndexFunc(name, isControl) >= 0 {
		return Errorf(EINVALID, "(#100) Param name must be valid UTF-8 text without control characters")
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return Errorf(EINVALID, "(#100) Param name must be at most %d characters long, got %d", MaxNameLength, n)
	}
	return nil
}

// ParseCategories validates categories: at least one, each from Meta's list. Duplicates collapse.
func ParseCategories(in []string) ([]Category, error) {
	if len(in) == 0 {
		return nil, Errorf(EINVALID, "(#100) Param categories must be a non-empty array")
	}
	out := make([]Category, 0, len(in))
	seen := make(map[Category]bool, len(in))
	for i, s := range in {
		c := Category(s)
		if !c.Valid() {
			return nil, Errorf(EINVALID, "(#100) Param categories[%d] must be one of {%s} - got %q", i, categoryList(), s)
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out, nil
}

func categoryList() string {
	names := make([]string, len(categories))
	for i, c := range categories {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// MaxEndpointURILength is the longest endpoint_uri accepted, in bytes: the common limit of URLs in
// browsers and CDNs, which Meta's servers must be able to call.
const MaxEndpointURILength = 2048

// CheckEndpointURI validates an endpoint_uri: an absolute https URL with a host, and a port from 1 to
// 65535 when one is given, at most MaxEndpointURILength bytes.
func CheckEndpointURI(s string) error {
	invalid := func(why string) error {
		return &Error{Code: EINVALID, Message: "Invalid Endpoint URI", Detail: fmt.Sprintf("endpoint_uri %s, got %q", why, truncate(s, 200))}
	}
	if len(s) > MaxEndpointURILength {
		return invalid(fmt.Sprintf("must be at most %d characters (it has %d)", MaxEndpointURILength, len(s)))
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" || u.User != nil || !utf8.ValidString(s) || strings.IndexFunc(s, isControl) >= 0 {
		return invalid("must be an absolute https URL")
	}
	if strings.HasSuffix(u.Host, ":") {
		return invalid("has a ':' but no port")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return invalid("must have a port from 1 to 65535")
		}
	}
	return nil
}

// truncate shortens s to at most n bytes on a character boundary, for echoing input in messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// CleanText makes text taken from an uploaded document safe to store and show: invalid UTF-8 and control
// characters become U+FFFD.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}
