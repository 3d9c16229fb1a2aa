package client

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// compatDoer adapts what Meta's Graph API really returns to the generated model types before the
// generated code decodes it. Two differences are known:
//   - Meta returns validation_errors[].pointers as objects ({"path": …, "line_start": …}), while the spec
//     (and waflows serve) give path strings: objects are replaced by their path.
//   - Graph writes times as "2023-05-21T11:18:09+0000", which is not RFC 3339: the offset gets its colon.
type compatDoer struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
}

// Do implements gen.HttpRequestDoer.
func (d compatDoer) Do(req *http.Request) (*http.Response, error) {
	res, err := d.next.Do(req)
	if err != nil || res.StatusCode < 200 || res.StatusCode > 299 || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	if bytes.Contains(body, []byte(`"pointers"`)) || hasGraphTime(body) {
		body = adaptBody(body)
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, nil
}

// graphTimeLayout is the shape of Graph's timestamps, digit by digit: a date and time with a colon-less
// UTC offset (the client matches it by hand rather than with regexp, which would add 150 KB to every
// program that imports the client).
const graphTimeLayout = "dddd-dd-ddTdd:dd:dd+dddd"

// isGraphTime reports whether s is one Graph timestamp.
func isGraphTime[S string | []byte](s S) bool {
	if len(s) != len(graphTimeLayout) {
		return false
	}
	for i := range len(s) {
		c, want := s[i], graphTimeLayout[i]
		switch {
		case want == 'd':
			if c < '0' || c > '9' {
				return false
			}
		case want == '+':
			if c != '+' && c != '-' {
				return false
			}
		case c != want:
			return false
		}
	}
	return true
}

// hasGraphTime reports whether body holds a JSON string that is a Graph timestamp.
func hasGraphTime(body []byte) bool {
	n := len(graphTimeLayout)
	for i := bytes.IndexByte(body, '"'); i >= 0 && i+n+1 < len(body); {
		if body[i+n+1] == '"' && isGraphTime(body[i+1:i+n+1]) {
			return true
		}
		j := bytes.IndexByte(body[i+1:], '"')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return false
}

// adaptBody applies the rewrites above. A body it cannot rewrite is returned unchanged.
func adaptBody(body []byte) []byte {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return body
	}
	if !rewrite(v) {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

func rewrite(v any) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if str, ok := child.(string); ok && isGraphTime(str) {
				x[k] = str[:len(str)-2] + ":" + str[len(str)-2:]
				changed = true
				continue
			}
			if arr, ok := child.([]any); ok && k == "pointers" {
				for i, p := range arr {
					if obj, ok := p.(map[string]any); ok {
						path, _ := obj["path"].(string)
						arr[i] = path
						changed = true
					}
				}
				continue
			}
			if rewrite(child) {
				changed = true
			}
		}
	case []any:
		for _, child := range x {
			if rewrite(child) {
				changed = true
			}
		}
	}
	return changed
}
