package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waflows/waflows/api/sqlite"
	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/server"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runValidate(stdin string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"validate"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestValidateCommand(t *testing.T) {
	t.Parallel()
	good := writeFile(t, "good.json", testflow.Valid)
	bad := writeFile(t, "bad.json", "{\n  \"version\": \"7.3\",\n  \"screens\": [\n    {\"id\": \"A\",}\n  ]\n}")
	noVersion := writeFile(t, "noversion.json", `{"screens":[]}`)

	if code, out, _ := runValidate("", good); code != 0 || out != "" {
		t.Fatalf("valid file: exit %d, output %q", code, out)
	}
	code, out, errOut := runValidate("", bad)
	if code != 1 || !strings.HasPrefix(out, bad+":4:") || !strings.Contains(out, ": INVALID_FLOW_JSON: Flow JSON is not valid.") || !strings.Contains(errOut, "1 error(s) in 1 of 1 file(s)") {
		t.Fatalf("invalid file: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runValidate("", noVersion)
	if code != 1 || !strings.HasPrefix(out, noVersion+":1:1: MISSING_FLOW_JSON_VERSION: ") {
		t.Fatalf("missing version: exit %d %q", code, out)
	}
	// A path is shown when the error has one.
	code, out, _ = runValidate(`{"version":"7.3","screens":[1]}`, "-")
	if code != 1 || !strings.HasPrefix(out, "<stdin>:1:") || !strings.HasSuffix(strings.TrimSpace(out), "(screens[0])") {
		t.Fatalf("stdin: exit %d %q", code, out)
	}
	// Several files: every error of every file, exit 1 when any is invalid.
	code, out, _ = runValidate("", good, bad, noVersion)
	if code != 1 || strings.Count(out, "\n") < 2 || strings.Contains(out, good+":") {
		t.Fatalf("several files: exit %d\n%s", code, out)
	}
	// --json: one array per file, as the API returns it.
	code, out, _ = runValidate("", "--json", good, bad)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 1 || len(lines) != 2 || lines[0] != "[]" || !strings.HasPrefix(lines[1], `[{"error":"INVALID_FLOW_JSON","error_type":"JSON_SCHEMA_ERROR","message":`) {
		t.Fatalf("--json: exit %d\n%s", code, out)
	}
	// Warnings (text over its limit) are printed but do not fail, unless --strict; --json keeps the API's
	// array, --with-warnings adds them.
	warned := writeFile(t, "warned.json", strings.Replace(testflow.Valid, `"label": "Done"`, `"label": "Done, and thank you very much for your time today"`, 1))
	code, out, errOut = runValidate("", warned)
	if code != 0 || !strings.Contains(out, ": warning: CHARACTER_LIMIT_EXCEEDED: Property 'label' should have at most '35' character(s)") || !strings.Contains(errOut, ", 1 warning(s)") {
		t.Fatalf("warnings only: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := runValidate("", "--strict", warned); code != 1 {
		t.Fatalf("--strict with a warning: exit %d", code)
	}
	if code, out, _ := runValidate("", "--json", warned); code != 0 || out != "[]\n" {
		t.Fatalf("--json with a warning: exit %d %q", code, out)
	}
	code, out, _ = runValidate("", "--json", "--with-warnings", warned)
	if code != 0 || !strings.HasPrefix(out, `{"validation_errors":[],"warnings":[{"error":"CHARACTER_LIMIT_EXCEEDED","error_type":"WARNING",`) {
		t.Fatalf("--json --with-warnings: exit %d %q", code, out)
	}
	if code, _, _ := runValidate("", "--with-warnings", warned); code != 2 {
		t.Fatalf("--with-warnings without --json: exit %d", code)
	}
	// Usage and I/O errors: exit 2.
	for _, args := range [][]string{{}, {"--nope", good}, {filepath.Join(t.TempDir(), "missing.json")}, {good, filepath.Join(t.TempDir(), "missing.json")}} {
		if code, _, errOut := runValidate("", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	big := filepath.Join(t.TempDir(), "big.json")
	os.WriteFile(big, bytes.Repeat([]byte(" "), 10<<20+1), 0o644)
	// Over 10 MB is Meta's verdict on the file: exit 1, said once, and the other files are still checked.
	good = writeFile(t, "good2.json", testflow.Valid)
	if code, out, errOut := runValidate("", big, good); code != 1 || strings.Count(errOut, "10 MB") != 1 || !strings.Contains(errOut, big+": over 10 MB (10485760 bytes), the most Meta accepts\n") || out != "" {
		t.Errorf("11 MB file: exit %d %q %q", code, out, errOut)
	}
	if code, out, _ := runValidate("", "--json", big, good); code != 1 || out != "[]\n" {
		t.Errorf("11 MB file with --json: exit %d %q", code, out)
	}
}

// TestValidateMatchesServer: for every Flow JSON the project has, the server's upload response carries
// exactly the array `waflows validate --json` prints.
func TestValidateMatchesServer(t *testing.T) {
	t.Parallel()
	var files []string
	for _, pattern := range []string{"../../flowjson/testdata/*/*.json", "../../../shared/corpus/*/*.json"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	var inputs []string
	for _, f := range files {
		if strings.HasSuffix(f, ".errors.json") {
			continue
		}
		inputs = append(inputs, f)
	}
	if len(inputs) < 10 {
		t.Fatalf("only %d inputs found", len(inputs))
	}
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	access, _ := server.DevAccess(ctx, store)
	srv, err := server.New(ctx, server.Config{Store: store, Access: access, PublicURL: "http://x"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	token, waba := access.Tokens[0].Token, access.BusinessAccounts[0].ID
	do := func(req *http.Request) []byte {
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", req.URL, res.StatusCode, b)
		}
		return b
	}
	req, _ := http.NewRequest("POST", ts.URL+"/v21.0/"+waba+"/flows", strings.NewReader(`{"name":"compare","categories":["OTHER"]}`))
	req.Header.Set("Content-Type", "application/json")
	id := string(do(req))
	id = id[strings.Index(id, `"id":"`)+6 : strings.LastIndex(id, `"`)]
	for _, f := range inputs {
		data, _ := os.ReadFile(f)
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("name", "flow.json")
		w.WriteField("asset_type", "FLOW_JSON")
		fw, _ := w.CreateFormFile("file", "flow.json")
		fw.Write(data)
		w.Close()
		req, _ := http.NewRequest("POST", ts.URL+"/v21.0/"+id+"/assets", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		got := string(do(req))
		got = strings.TrimSuffix(strings.TrimPrefix(got, `{"success":true,"validation_errors":`), "}")
		_, out, _ := runValidate("", "--json", f)
		if got != strings.TrimSuffix(out, "\n") {
			t.Errorf("%s:\nserver:   %s\nvalidate: %s", f, got, out)
		}
	}
}
