package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/server"
)

// openLongPreview serves the 20-screen flow as a file preview and opens an interactive session on it.
func openLongPreview(b *testing.B) (base, session string) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "long.json")
	if err := os.WriteFile(path, testflow.Long(20), 0o644); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(server.NewFilePreview(path, nil))
	b.Cleanup(ts.Close)
	res, err := http.Get(ts.URL + "/?interactive=true")
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("open: %v %v", err, res)
	}
	res.Body.Close()
	return ts.URL, res.Request.URL.String()
}

func fetch(b *testing.B, u string) []byte {
	b.Helper()
	res, err := http.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("%s: %d %v", u, res.StatusCode, err)
	}
	return body
}

func gzipped(data []byte) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(data)
	w.Close()
	return buf.Len()
}

// BenchmarkPreviewPage renders a screen of the 20-screen flow over HTTP and reports what the page
// weighs: the HTML of one screen, the stylesheet and the script (the page loads nothing else), raw and
// gzipped.
func BenchmarkPreviewPage(b *testing.B) {
	base, session := openLongPreview(b)
	html := fetch(b, session)
	css := fetch(b, base+"/_waflows/preview/preview.css")
	js := fetch(b, base+"/_waflows/preview/preview.js")
	b.ReportAllocs()
	for b.Loop() {
		fetch(b, session)
	}
	b.ReportMetric(float64(len(html)), "html-B")
	b.ReportMetric(float64(len(css)), "css-B")
	b.ReportMetric(float64(len(js)), "js-B")
	b.ReportMetric(float64(len(html)+len(css)+len(js)), "page-B")
	b.ReportMetric(float64(gzipped(html)+gzipped(css)+gzipped(js)), "page-gzip-B")
}

// BenchmarkPreviewInteraction is one interaction through the page, as its script sends it: an input's
// new value posted, the engine run, the screen rendered back (the live round trip behind conditions
// that follow the input).
func BenchmarkPreviewInteraction(b *testing.B) {
	_, session := openLongPreview(b)
	values := []string{"Ada", "Grace"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		form := url.Values{"_op": {"fill"}, "p.name_1": {"1"}, "f.name_1": {values[i%2]}, "p.pick_1": {"1"}}
		req, _ := http.NewRequest("POST", session, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Preview-Live", "1")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
		i++
	}
}
