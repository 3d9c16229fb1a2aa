package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/testflow"
)

func TestUploadFlowJSON(t *testing.T) { eachBackend(t, testUploadFlowJSON) }

func testUploadFlowJSON(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	id := e.createFlow(tokenA, waba1, "Upload")
	r := e.upload(tokenA, id, []byte(testflow.Endpoint))
	if r.Status != 200 || string(r.Body) != `{"success":true,"validation_errors":[]}` {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	v := e.get("/"+id+"?fields=json_version,data_api_version,validation_errors", tokenA).JSON(t)
	if v["json_version"] != "7.3" || v["data_api_version"] != "3.0" {
		t.Fatalf("versions from the JSON: %v", v)
	}

	// Invalid JSON is stored anyway, and the response carries the validator's errors, exactly as
	// flowjson reports them.
	broken := []byte("{\n  \"version\": \"7.3\",\n  \"screens\": [\n    {\"id\": \"A\",}\n  ]\n}")
	r = e.upload(tokenA, id, broken)
	want, _ := json.Marshal(map[string]any{"success": true, "validation_errors": flowjson.Validate(broken)})
	if r.Status != 200 || string(r.Body) != string(want) {
		t.Fatalf("upload of broken JSON:\n got %s\nwant %s", r.Body, want)
	}
	errs := r.JSON(t)["validation_errors"].([]any)
	first := errs[0].(map[string]any)
	if first["error"] != "INVALID_FLOW_JSON" || first["line_start"] != float64(4) {
		t.Fatalf("first error: %v", first)
	}
	stored := e.get("/"+id, tokenA).JSON(t)["validation_errors"].([]any)
	if len(stored) != len(errs) {
		t.Fatalf("GET shows %d validation errors, upload returned %d", len(stored), len(errs))
	}
	if got := download(t, e, id); !bytes.Equal(got, broken) {
		t.Fatalf("download = %q", got)
	}

	// Missing versions and screens are reported.
	r = e.upload(tokenA, id, []byte(`{"screens":[]}`))
	if !strings.Contains(string(r.Body), "MISSING_FLOW_JSON_VERSION") {
		t.Fatalf("missing version: %s", r.Body)
	}
	r = e.upload(tokenA, id, []byte(`{"version":"9.9","screens":[{}]}`))
	if !strings.Contains(string(r.Body), "_FLOW_JSON_VERSION\"") {
		t.Fatalf("unknown version: %s", r.Body)
	}
	r = e.upload(tokenA, id, []byte(`{"version":"7.3"}`))
	if !strings.Contains(string(r.Body), "screens") {
		t.Fatalf("missing screens: %s", r.Body)
	}

	// Form rules.
	good := []byte(testflow.Valid)
	cases := []struct {
		name   string
		fields map[string]string
		file   []byte
		msg    string
	}{
		{"wrong name", map[string]string{"name": "other.json", "asset_type": "FLOW_JSON"}, good, "Param name must be one of {flow.json}"},
		{"wrong type", map[string]string{"name": "flow.json", "asset_type": "IMAGE"}, good, "Param asset_type must be one of {FLOW_JSON}"},
		{"no name", map[string]string{"asset_type": "FLOW_JSON"}, good, "The parameter name is required"},
		{"no file", map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"}, nil, "The parameter file is required"},
	}
	for _, tc := range cases {
		ct, body := multipartBody(t, tc.file, tc.fields)
		wantMessage(t, graphError(t, e.do("POST", "/"+id+"/assets", tokenA, ct, body), 400, 100), tc.msg)
	}
	wantMessage(t, graphError(t, e.do("POST", "/"+id+"/assets", tokenA, "application/json", strings.NewReader(testflow.Valid)), 400, 100), "multipart/form-data")
	// Nothing refused replaced the stored JSON.
	if got := download(t, e, id); string(got) != `{"version":"7.3"}` {
		t.Fatalf("stored JSON after refused uploads: %q", got)
	}
	// pywa sends messaging_product too; it is accepted.
	ct, body := multipartBody(t, good, map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON", "messaging_product": "whatsapp"})
	if r := e.do("POST", "/"+id+"/assets", tokenA, ct, body); r.Status != 200 {
		t.Fatalf("with messaging_product: %d %s", r.Status, r.Body)
	}
}

// countingReader yields n bytes of a JSON-ish filler and counts what was read.
type countingReader struct {
	n, read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), c.n-c.read)
	for i := range p[:k] {
		p[i] = ' '
	}
	atomic.AddInt64(&c.read, k)
	return int(k), nil
}

// TestUploadTooLarge: a file over 10 MB is refused with code 100, and the server stops reading early.
func TestUploadTooLarge(t *testing.T) { eachBackend(t, testUploadTooLarge) }

func testUploadTooLarge(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	id := e.createFlow(tokenA, waba1, "Big")
	e.upload(tokenA, id, []byte(testflow.Valid))

	// Exactly 10 MB is allowed.
	limit := bytes.Repeat([]byte(" "), 10<<20-len(testflow.Valid))
	if r := e.upload(tokenA, id, append([]byte(testflow.Valid), limit...)); r.Status != 200 {
		t.Fatalf("10 MB upload: %d %s", r.Status, r.Body)
	}
	over := append([]byte(testflow.Valid), bytes.Repeat([]byte(" "), 10<<20-len(testflow.Valid)+1)...)
	wantMessage(t, graphError(t, e.upload(tokenA, id, over), 400, 100), "exceeds the maximum size")

	// A 200 MB body sent without a length (chunked): the server answers before reading it all.
	src := &countingReader{n: 200 << 20}
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nflow.json\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\n\r\n"))
		_, err := io.Copy(pw, src)
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", e.Base+"/"+id+"/assets", pr)
	req.Header.Set("Authorization", "Bearer "+tokenA)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	pr.CloseWithError(io.ErrClosedPipe)
	graphError(t, response{Status: res.StatusCode, Header: res.Header, Body: b}, 400, 100)
	if read := atomic.LoadInt64(&src.read); read > 64<<20 {
		t.Fatalf("the server read %d MB of a refused upload", read>>20)
	}
	// A declared length over the limit is refused without reading the body.
	req, _ = http.NewRequest("POST", e.Base+"/"+id+"/assets", io.LimitReader(&countingReader{n: 11 << 20}, 11<<20))
	req.ContentLength = 11 << 20
	req.Header.Set("Authorization", "Bearer "+tokenA)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		if res.StatusCode != 400 {
			t.Fatalf("declared 11 MB: %d", res.StatusCode)
		}
	}
	if got := download(t, e, id); len(got) != 10<<20 {
		t.Fatalf("refused uploads replaced the stored JSON (%d bytes)", len(got))
	}
}

// download fetches the flow JSON through the download_url of GET /{id}/assets.
func download(t *testing.T, e *env, id string) []byte {
	t.Helper()
	r := e.get(downloadURL(t, e, id), "")
	if r.Status != 200 {
		t.Fatalf("download: %d %s", r.Status, r.Body)
	}
	return r.Body
}

func downloadURL(t *testing.T, e *env, id string) string {
	t.Helper()
	v := e.get("/"+id+"/assets", tokenA).JSON(t)
	data := v["data"].([]any)
	if len(data) != 1 {
		t.Fatalf("assets: %v", v)
	}
	a := data[0].(map[string]any)
	if a["name"] != "flow.json" || a["asset_type"] != "FLOW_JSON" {
		t.Fatalf("asset: %v", a)
	}
	return a["download_url"].(string)
}

func TestDownloadURL(t *testing.T) { eachBackend(t, testDownloadURL) }

func testDownloadURL(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	id := e.createFlow(tokenA, waba1, "Download")
	if v := e.get("/"+id+"/assets", tokenA); string(v.Body) != `{"data":[]}` {
		t.Fatalf("assets before upload: %s", v.Body)
	}
	content := []byte("{\"version\": \"7.3\", \"screens\": []}\n\t \u00e9")
	e.upload(tokenA, id, content)
	link := downloadURL(t, e, id)
	if !strings.HasPrefix(link, e.Root+"/") {
		t.Fatalf("download_url %q is not under the public URL", link)
	}
	r := e.get(link, "") // no token
	if r.Status != 200 || !bytes.Equal(r.Body, content) {
		t.Fatalf("download: %d %q", r.Status, r.Body)
	}
	u, _ := url.Parse(link)
	tamper := func(key, value string) string {
		q := u.Query()
		q.Set(key, value)
		c := *u
		c.RawQuery = q.Encode()
		return c.String()
	}
	sig := u.Query().Get("signature")
	flipped := "0" + sig[1:]
	if sig[0] == '0' {
		flipped = "1" + sig[1:]
	}
	other := e.createFlow(tokenA, waba1, "Other")
	e.upload(tokenA, other, []byte(`{"other":true}`))
	for name, bad := range map[string]string{
		"signature":     tamper("signature", flipped),
		"no signature":  tamper("signature", ""),
		"later expiry":  tamper("expires", "99999999999"),
		"other asset":   tamper("asset", strings.Repeat("0", 64)),
		"other flow id": strings.Replace(link, "/assets/"+id+"/", "/assets/"+other+"/", 1),
	} {
		if r := e.get(bad, ""); r.Status != 403 {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	// Links expire after an hour.
	e.Clock.Add(59 * time.Minute)
	if r := e.get(link, ""); r.Status != 200 {
		t.Fatalf("before expiry: %d", r.Status)
	}
	e.Clock.Add(2 * time.Minute)
	graphError(t, e.get(link, ""), 403, 10)
	// A link to a replaced JSON no longer serves it; the new link serves the new bytes.
	fresh := downloadURL(t, e, id)
	e.upload(tokenA, id, []byte(testflow.Valid))
	graphError(t, e.get(fresh, ""), 404, 100)
	if got := download(t, e, id); string(got) != testflow.Valid {
		t.Fatalf("new link: %q", got)
	}
	// A deleted flow's link is gone.
	last := downloadURL(t, e, id)
	e.do("DELETE", "/"+id, tokenA, "", nil)
	graphError(t, e.get(last, ""), 404, 100)
}
