package server

// This file holds the create and update bodies: read once, bounded, decoded straight into the fields the
// operation knows (JSON, or the form encodings Graph also takes), unknown fields skipped without being
// built, then checked against the spec's schema.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
)

// maxJSONBody bounds create and update bodies; the largest legitimate one carries a 10 MB flow_json.
const maxJSONBody = api.MaxAssetSize + 1<<20

// requestBody is the typed body of one operation.
type requestBody interface {
	// known reports whether a form field of this name is one the operation reads.
	known(name string) bool
	// setForm sets the fields from the values of a form (only known names are passed).
	setForm(values map[string][]string) error
	// schemaValue returns the properties of the spec's schema that are present, as JSON values, for the
	// schema check; it leaves out flow_json, which the Flow JSON validator checks.
	schemaValue() map[string]any
}

// createBody is the create body: the spec's CreateFlowRequest fields plus Graph's flow_json and publish,
// which the upstream file omits. Pointers tell an absent field from an empty one.
type createBody struct {
	Name        *string     `json:"name"`
	Categories  *stringList `json:"categories"`
	CloneFlowID *string     `json:"clone_flow_id"`
	EndpointURI *string     `json:"endpoint_uri"`
	FlowJSON    *jsonText   `json:"flow_json"`
	Publish     *bool       `json:"publish"`
}

// updateBody is the spec's UpdateFlowRequest.
type updateBody struct {
	Name          *string     `json:"name"`
	Categories    *stringList `json:"categories"`
	EndpointURI   *string     `json:"endpoint_uri"`
	ApplicationID *string     `json:"application_id"`
}

func (b *createBody) known(name string) bool {
	switch name {
	case "name", "categories", "clone_flow_id", "endpoint_uri", "flow_json", "publish":
		return true
	}
	return false
}

func (b *createBody) setForm(v map[string][]string) error {
	b.Name, b.CloneFlowID, b.EndpointURI = lastValue(v, "name"), lastValue(v, "clone_flow_id"), lastValue(v, "endpoint_uri")
	if f := lastValue(v, "flow_json"); f != nil {
		t := jsonText(*f)
		b.FlowJSON = &t
	}
	var err error
	if b.Categories, err = formCategories(v["categories"]); err != nil {
		return err
	}
	if p := lastValue(v, "publish"); p != nil {
		publish, err := strconv.ParseBool(*p)
		if err != nil {
			return api.Errorf(api.EINVALID, "(#100) Param publish must be a boolean")
		}
		b.Publish = &publish
	}
	return nil
}

func (b *createBody) schemaValue() map[string]any {
	m := map[string]any{}
	putString(m, "name", b.Name)
	putStrings(m, "categories", b.Categories)
	putString(m, "clone_flow_id", b.CloneFlowID)
	putString(m, "endpoint_uri", b.EndpointURI)
	return m
}

func (b *updateBody) known(name string) bool {
	switch name {
	case "name", "categories", "endpoint_uri", "application_id":
		return true
	}
	return false
}

func (b *updateBody) setForm(v map[string][]string) error {
	b.Name, b.EndpointURI, b.ApplicationID = lastValue(v, "name"), lastValue(v, "endpoint_uri"), lastValue(v, "application_id")
	var err error
	b.Categories, err = formCategories(v["categories"])
	return err
}

func (b *updateBody) schemaValue() map[string]any {
	m := map[string]any{}
	putString(m, "name", b.Name)
	putStrings(m, "categories", b.Categories)
	putString(m, "endpoint_uri", b.EndpointURI)
	putString(m, "application_id", b.ApplicationID)
	return m
}

func putString(m map[string]any, k string, v *string) {
	if v != nil {
		m[k] = *v
	}
}

func putStrings(m map[string]any, k string, v *stringList) {
	if v == nil {
		return
	}
	arr := make([]any, len(*v))
	for i, s := range *v {
		arr[i] = s
	}
	m[k] = arr
}

func lastValue(v map[string][]string, k string) *string {
	if vals := v[k]; len(vals) > 0 {
		return &vals[len(vals)-1]
	}
	return nil
}

// formCategories reads categories from a form as Meta's Postman collection sends them (a JSON array
// string), or as repeated fields or a comma-separated list.
func formCategories(vals []string) (*stringList, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	var out stringList
	if len(vals) == 1 && strings.HasPrefix(strings.TrimSpace(vals[0]), "[") {
		if err := out.UnmarshalJSON([]byte(vals[0])); err != nil {
			return nil, err
		}
		return &out, nil
	}
	out = stringList{}
	for _, v := range vals {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return &out, nil
}

// stringList is categories as JSON sends them: an array of strings. It stops at the first element that
// is not a string, where encoding/json would build an error for every wrong element of a hostile array.
type stringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *stringList) UnmarshalJSON(b []byte) error {
	bad := api.Errorf(api.EINVALID, "(#100) Param categories must be an array of strings")
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return bad
	}
	out := stringList{}
	for dec.More() {
		tok, err := dec.Token()
		s, ok := tok.(string)
		if err != nil || !ok {
			return bad
		}
		out = append(out, s)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		return bad
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad
	}
	*l = out
	return nil
}

// jsonText is a JSON string decoded straight into bytes, for flow_json: decoding it into a string and
// converting that would copy up to 10 MB once more. It decodes as encoding/json does: the escapes of RFC
// 8259, surrogate pairs joined, and invalid UTF-8 or an unpaired surrogate as U+FFFD.
type jsonText []byte

// UnmarshalJSON implements json.Unmarshaler; encoding/json has checked that b is well-formed JSON.
func (t *jsonText) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' {
		return api.Errorf(api.EINVALID, "(#100) Param flow_json must be a string")
	}
	s := b[1 : len(b)-1]
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		// Copy the run of plain ASCII up to the next escape or multi-byte character in one go.
		j := i
		for j < len(s) && s[j] != '\\' && s[j] < utf8.RuneSelf {
			j++
		}
		out = append(out, s[i:j]...)
		if i = j; i >= len(s) {
			break
		}
		if s[i] != '\\' {
			r, size := utf8.DecodeRune(s[i:])
			out = utf8.AppendRune(out, r) // RuneError for an invalid byte
			i += size
			continue
		}
		switch c := s[i+1]; c {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(s[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if pair := utf16.DecodeRune(r, hex4(s[i+2:i+6])); pair != utf8.RuneError {
						out = utf8.AppendRune(out, pair)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default: // " \ /
			out = append(out, c)
		}
		i += 2
	}
	*t = out
	return nil
}

// hex4 reads four hex digits (the JSON scanner has checked them).
func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= 'a':
			c -= 'a' - 10
		case c >= 'A':
			c -= 'A' - 10
		default:
			c -= '0'
		}
		r = r<<4 | rune(c)
	}
	return r
}

// readAll reads r into a buffer that doubles as bytes arrive, never sized from what the client declares.
func readAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// readBody reads the request body of operation chk into body, then checks the present spec fields against
// the operation's schema. An absent body is an empty object when the spec says the body is optional.
func (chk *opCheck) readBody(r *http.Request, body requestBody) error {
	if r.ContentLength > maxJSONBody {
		return api.Errorf(api.EINVALID, "(#100) The request body is too large: the limit is %d bytes", maxJSONBody)
	}
	in := http.MaxBytesReader(nil, r.Body, maxJSONBody)
	ct := r.Header.Get(echo.HeaderContentType)
	mediaType, params, _ := mime.ParseMediaType(ct)
	var err error
	switch mediaType {
	case "application/json", "":
		err = chk.readJSON(in, body)
	case "application/x-www-form-urlencoded":
		err = readURLEncoded(in, body)
	case "multipart/form-data":
		err = readMultipart(in, params["boundary"], body)
	default:
		return api.Errorf(api.EINVALID, "(#100) Unsupported Content-Type %q: send application/json", truncate(ct, 100))
	}
	if err != nil {
		return bodyError(err)
	}
	if err := chk.jsonBody.VisitJSON(body.schemaValue()); err != nil {
		return schemaError(err, "")
	}
	return nil
}

// bodyError names why a body could not be read.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return api.Errorf(api.EINVALID, "(#100) The request body is too large: the limit is %d bytes", maxJSONBody)
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return err
	}
	return api.Errorf(api.EINVALID, "(#100) The request body could not be read: %s", truncate(err.Error(), 200))
}

// readJSON decodes a JSON object into body. encoding/json skips the members body has no field for
// without building them, so unknown fields cost only their bytes in the buffer.
func (chk *opCheck) readJSON(in io.Reader, body requestBody) error {
	raw, err := readAll(in)
	if err != nil {
		return err
	}
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	if len(trimmed) == 0 {
		if chk.bodyOptional {
			return nil
		}
		return api.Errorf(api.EINVALID, "(#100) The request body is required")
	}
	if trimmed[0] != '{' && json.Valid(raw) {
		return api.Errorf(api.EINVALID, "(#100) The request body must be a JSON object")
	}
	if err := json.Unmarshal(raw, body); err != nil {
		var ae *api.Error
		if errors.As(err, &ae) {
			return err
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return api.Errorf(api.EINVALID, "(#100) Param %s must be %s", truncate(te.Field, 100), jsonKind(te.Type.Kind().String()))
		}
		return api.Errorf(api.EINVALID, "(#100) The request body is not valid JSON: %s", jsonErrorText(err, raw))
	}
	return nil
}

func jsonKind(k string) string {
	switch k {
	case "bool":
		return "a boolean"
	case "string", "ptr":
		return "a string"
	case "slice":
		return "an array"
	}
	return "of another type"
}

// readURLEncoded reads an application/x-www-form-urlencoded body, unescaping only the known fields.
func readURLEncoded(in io.Reader, body requestBody) error {
	raw, err := readAll(in)
	if err != nil {
		return err
	}
	values := map[string][]string{}
	for rest := string(raw); rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if k, err = url.QueryUnescape(k); err != nil {
			return api.Errorf(api.EINVALID, "(#100) The form body is malformed: %s", truncate(err.Error(), 200))
		}
		if !body.known(k) {
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			return api.Errorf(api.EINVALID, "(#100) The form body is malformed: %s", truncate(err.Error(), 200))
		}
		values[k] = append(values[k], v)
	}
	return body.setForm(values)
}

// readMultipart reads a multipart/form-data body, keeping the known fields and discarding other parts.
func readMultipart(in io.Reader, boundary string, body requestBody) error {
	if boundary == "" {
		return api.Errorf(api.EINVALID, "(#100) The multipart body is malformed: no boundary in the Content-Type")
	}
	mr := multipart.NewReader(in, boundary)
	values := map[string][]string{}
	for {
		part, err := nextPart(mr)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := part.FormName()
		if !body.known(name) {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return err
			}
			continue
		}
		var buf strings.Builder
		if _, err := io.Copy(&buf, part); err != nil {
			return err
		}
		values[name] = append(values[name], buf.String())
	}
	return body.setForm(values)
}

// nextPart returns the next part of a multipart body: io.EOF after the last, the *http.MaxBytesError of a
// body over its limit, or a Graph error saying what is malformed.
func nextPart(mr *multipart.Reader) (*multipart.Part, error) {
	part, err := mr.NextPart()
	if err == nil || err == io.EOF {
		return part, err
	}
	var mbe *http.MaxBytesError
	var ae *api.Error
	if errors.As(err, &mbe) || errors.As(err, &ae) {
		return nil, err
	}
	return nil, api.Errorf(api.EINVALID, "(#100) The multipart body is malformed: %s", truncate(err.Error(), 200))
}
