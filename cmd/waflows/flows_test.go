package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs `waflows serve` in process on a fresh database and returns its API base, business
// account and token, as printed in its banner.
func startServe(t *testing.T) (base, waba, token string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "w.db"), "--log", "off"}, nil, out, out)
	}()
	t.Cleanup(func() { cancel(); <-done })
	for i := 0; i < 1000; i++ {
		if m := bannerRE.FindStringSubmatch(out.String()); m != nil {
			return m[1] + "/v21.0", m[2], m[3]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no banner: %s", out.String())
	return
}

// cli runs one waflows command and returns its exit status and output.
func cli(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestFlowsCommands(t *testing.T) {
	base, waba, token := startServe(t)
	conn := []string{"--base-url", base, "--token", token}
	with := func(args ...string) []string { return append(args, conn...) }

	code, out, errOut := cli(with("flows", "create", "--waba", waba, "--name", "Booking", "--category", "APPOINTMENT_BOOKING,OTHER")...)
	id := strings.TrimSpace(out)
	if code != 0 || !regexp.MustCompile(`^\d{15,16}$`).MatchString(id) {
		t.Fatalf("create: %d %q %s", code, out, errOut)
	}
	code, out, _ = cli(with("flows", "list", "--waba", waba)...)
	if code != 0 || !strings.HasPrefix(out, "ID") || !strings.Contains(out, id+"  Booking  DRAFT   APPOINTMENT_BOOKING,OTHER  0") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	code, out, _ = cli(with("flows", "get", id, "--json")...)
	var flow map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &flow) != nil || flow["name"] != "Booking" {
		t.Fatalf("get --json: %d %s", code, out)
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"version":"7.3"}`), 0o644)
	code, out, _ = cli(with("flows", "upload", id, bad)...)
	if code != 1 || !strings.HasPrefix(out, bad+":1:1: ") {
		t.Fatalf("upload of invalid JSON: %d %q", code, out)
	}
	good := filepath.Join(dir, "flow.json")
	os.WriteFile(good, []byte(goodFlow), 0o644)
	if code, out, errOut = cli(with("flows", "upload", id, good)...); code != 0 || out != "" || !strings.Contains(errOut, "0 validation error(s)") {
		t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(with("flows", "assets", id)...)
	if code != 0 || !strings.Contains(out, "flow.json  FLOW_JSON  http://") {
		t.Fatalf("assets: %d\n%s", code, out)
	}
	saved := filepath.Join(dir, "saved.json")
	if code, _, errOut = cli(with("flows", "download", id, "-o", saved)...); code != 0 {
		t.Fatalf("download: %s", errOut)
	}
	if b, _ := os.ReadFile(saved); string(b) != goodFlow {
		t.Fatalf("downloaded %q", b)
	}
	if code, out, _ = cli(with("flows", "update", id, "--name", "Booking v2", "--endpoint-uri", "https://example.com/e")...); code != 0 || !strings.Contains(out, "updated") {
		t.Fatalf("update: %d %s", code, out)
	}
	code, out, _ = cli(with("flows", "get", id, "--fields", "name,endpoint_uri")...)
	if code != 0 || !strings.Contains(out, "Booking v2") || !strings.Contains(out, "https://example.com/e") {
		t.Fatalf("get: %d\n%s", code, out)
	}
	if code, out, _ = cli(with("flows", "publish", id)...); code != 0 || !strings.Contains(out, "published "+id) {
		t.Fatalf("publish: %d %s", code, out)
	}
	// A Graph error is one readable line with its code and trace id; the exit status is 1.
	code, _, errOut = cli(with("flows", "publish", id)...)
	if code != 1 || strings.Count(errOut, "\n") != 1 || !regexp.MustCompile(`^waflows: graph: Publishing Flow in invalid state: .*\(code 139002, HTTP 400, fbtrace_id \S+\)\n$`).MatchString(errOut) {
		t.Fatalf("second publish: %d %q", code, errOut)
	}
	if code, out, _ = cli(with("flows", "deprecate", id, "--json")...); code != 0 || strings.TrimSpace(out) != "{\n  \"success\": true\n}" {
		t.Fatalf("deprecate: %d %q", code, out)
	}
	if code, _, errOut = cli(with("flows", "delete", id)...); code != 1 || !strings.Contains(errOut, "code 139004") {
		t.Fatalf("delete deprecated: %d %s", code, errOut)
	}
	draft := strings.TrimSpace(must(cli(with("flows", "create", "--waba", waba, "--name", "Doomed", "--category", "OTHER")...)))
	if code, _, _ = cli(with("flows", "delete", draft)...); code != 0 {
		t.Fatal("delete draft failed")
	}
	if code, _, errOut = cli(with("flows", "get", draft)...); code != 1 || !strings.Contains(errOut, "subcode 33") {
		t.Fatalf("get deleted: %d %s", code, errOut)
	}
	// --all walks every page; --json gives an array.
	for i := range 3 {
		cli(with("flows", "create", "--waba", waba, "--name", "page "+string(rune('a'+i)), "--category", "OTHER")...)
	}
	code, out, _ = cli(with("flows", "list", "--waba", waba, "--limit", "1", "--all", "--json")...)
	var all []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &all) != nil || len(all) != 4 {
		t.Fatalf("list --all: %d %s", code, out)
	}
	if code, _, errOut = cli(with("flows", "list", "--waba", waba, "--limit", "1")...); code != 0 || !strings.Contains(errOut, "more flows: --after ") {
		t.Fatalf("paging hint: %q", errOut)
	}

	// The token and account may come from the environment.
	t.Setenv("WAFLOWS_TOKEN", token)
	t.Setenv("WAFLOWS_WABA", waba)
	t.Setenv("WAFLOWS_BASE_URL", base)
	if code, out, _ = cli("flows", "list"); code != 0 || !strings.Contains(out, "page c") {
		t.Fatalf("list from env: %d %s", code, out)
	}
	// Usage errors: exit 2.
	t.Setenv("WAFLOWS_TOKEN", "")
	for _, args := range [][]string{{"flows"}, {"flows", "nope"}, {"flows", "get"}, {"flows", "get", "1", "2"}, {"flows", "list", "--token", ""},
		{"flows", "create", "--token", "t", "--waba", waba}, {"flows", "update", "1", "--token", "t"}} {
		if code, _, _ := cli(args...); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code, _, errOut = cli("flows", "list", "--token", "wrong"); code != 1 || !strings.Contains(errOut, "code 190") {
		t.Fatalf("bad token: %d %s", code, errOut)
	}
}

func must(code int, out, errOut string) string {
	if code != 0 {
		panic(errOut)
	}
	return out
}

func TestPush(t *testing.T) {
	base, waba, token := startServe(t)
	conn := []string{"--base-url", base, "--token", token, "--waba", waba}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"version\": \"7.3\",\n  \"screens\": []\n}"), 0o644)
	good := filepath.Join(dir, "flow.json")
	os.WriteFile(good, []byte(goodFlow), 0o644)

	// Local validation stops the push before anything is sent.
	code, out, errOut := cli(append([]string{"push", bad, "--name", "Survey", "--category", "SURVEY"}, conn...)...)
	if code != 1 || !strings.HasPrefix(out, bad+":3:") || !strings.Contains(errOut, "nothing was sent") {
		t.Fatalf("invalid push: %d %q %q", code, out, errOut)
	}
	if _, out, _ := cli(append([]string{"flows", "list"}, conn...)...); strings.Contains(out, "Survey") {
		t.Fatal("an invalid push created a flow")
	}
	// A new name needs a category.
	if code, _, errOut := cli(append([]string{"push", good, "--name", "Survey"}, conn...)...); code != 2 || !strings.Contains(errOut, "--category") {
		t.Fatalf("no category: %d %s", code, errOut)
	}
	code, out, errOut = cli(append([]string{"push", good, "--name", "Survey", "--category", "SURVEY"}, conn...)...)
	id := strings.TrimSpace(out)
	if code != 0 || !strings.Contains(errOut, "created flow "+id) {
		t.Fatalf("first push: %d %q %q", code, out, errOut)
	}
	// Pushing again reuses the draft, then publishes.
	code, out, errOut = cli(append([]string{"push", good, "--name", "Survey", "--publish"}, conn...)...)
	if code != 0 || strings.TrimSpace(out) != id || !strings.Contains(errOut, "using draft "+id) || !strings.Contains(errOut, "published") {
		t.Fatalf("second push: %d %q %q", code, out, errOut)
	}
	if _, out, _ := cli(append([]string{"flows", "get", id}, conn[:4]...)...); !strings.Contains(out, "PUBLISHED") {
		t.Fatalf("after push --publish: %s", out)
	}
	// A published flow cannot be pushed to again.
	if code, _, errOut := cli(append([]string{"push", good, "--name", "Survey"}, conn...)...); code != 1 || !strings.Contains(errOut, "is PUBLISHED") {
		t.Fatalf("push to published: %d %s", code, errOut)
	}
	// An endpoint given with push is checked against the pushed JSON, not the draft's old one.
	legacy := strings.TrimSpace(must(cli(append([]string{"flows", "create", "--name", "Legacy", "--category", "OTHER"}, conn...)...)))
	old := filepath.Join(dir, "old.json")
	os.WriteFile(old, []byte(`{"version":"2.1","screens":[]}`), 0o644)
	cli(append([]string{"flows", "upload", legacy, old}, conn[:4]...)...)
	if code, _, errOut := cli(append([]string{"push", good, "--name", "Legacy", "--endpoint-uri", "https://example.com/ep"}, conn...)...); code != 0 {
		t.Fatalf("push with endpoint onto a 2.1 draft: %d %s", code, errOut)
	}
	if _, out, _ := cli(append([]string{"flows", "get", legacy, "--fields", "json_version,endpoint_uri"}, conn[:4]...)...); !strings.Contains(out, "7.3") || !strings.Contains(out, "https://example.com/ep") {
		t.Fatalf("after push: %s", out)
	}
	// --json for scripts.
	code, out, _ = cli(append([]string{"push", good, "--name", "Other", "--category", "OTHER", "--json"}, conn...)...)
	var res map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res["created"] != true || res["published"] != false {
		t.Fatalf("push --json: %d %s", code, out)
	}
}
