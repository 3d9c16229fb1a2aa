package client

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
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
	if bytes.Contains(body, []byte(`"pointers"`)) || graphTime.Match(body) {
		body = adaptBody(body)
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, nil
}

// graphTime finds Graph's timestamps in a body: a JSON string holding a date and time with a colon-less
// UTC offset. graphTimeValue matches one such string value exactly.
var (
	graphTime      = regexp.MustCompile(`"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}"`)
	graphTimeValue = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$`)
)

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
			if str, ok := child.(string); ok && graphTimeValue.MatchString(str) {
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
