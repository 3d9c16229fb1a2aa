package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/internal/testflow"
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
	os.WriteFile(good, []byte(testflow.Valid), 0o644)
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
	if b, _ := os.ReadFile(saved); string(b) != testflow.Valid {
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
	if code != 1 || strings.Count(errOut, "\n") != 1 || !regexp.MustCompile(`^waflows flows publish: graph: Publishing Flow in invalid state: .*\(code 139002, HTTP 400, fbtrace_id \S+\)\n$`).MatchString(errOut) {
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
	// --all walks every page; --json gives Graph's shape, {"data":[…]} and, for one page, its paging.
	for i := range 3 {
		cli(with("flows", "create", "--waba", waba, "--name", "page "+string(rune('a'+i)), "--category", "OTHER")...)
	}
	code, out, _ = cli(with("flows", "list", "--waba", waba, "--limit", "1", "--all", "--json")...)
	var all struct {
		Data   []map[string]any `json:"data"`
		Paging any              `json:"paging"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &all) != nil || len(all.Data) != 4 || all.Paging != nil {
		t.Fatalf("list --all: %d %s", code, out)
	}
	type page struct {
		Data   []map[string]any `json:"data"`
		Paging struct {
			Cursors struct {
				Before, After string
			} `json:"cursors"`
			Next, Previous string
		} `json:"paging"`
	}
	var first, second page
	code, out, _ = cli(with("flows", "list", "--waba", waba, "--limit", "2", "--json")...)
	if code != 0 || json.Unmarshal([]byte(out), &first) != nil || len(first.Data) != 2 || first.Paging.Cursors.After == "" ||
		!strings.HasPrefix(first.Paging.Next, base+"/"+waba+"/flows?") || first.Paging.Previous != "" {
		t.Fatalf("list --json keeps the paging: %d %s", code, out)
	}
	code, out, _ = cli(with("flows", "list", "--waba", waba, "--limit", "2", "--after", first.Paging.Cursors.After, "--json")...)
	if code != 0 || json.Unmarshal([]byte(out), &second) != nil || len(second.Data) != 2 || second.Data[0]["id"] == first.Data[0]["id"] ||
		second.Paging.Next != "" || second.Paging.Previous == "" {
		t.Fatalf("list --json --after: %d %s", code, out)
	}
	code, out, _ = cli(with("flows", "list", "--waba", waba, "--limit", "2", "--before", second.Paging.Cursors.Before, "--json")...)
	var back page
	if code != 0 || json.Unmarshal([]byte(out), &back) != nil || len(back.Data) != 2 || back.Data[0]["id"] != first.Data[0]["id"] {
		t.Fatalf("list --json --before: %d %s", code, out)
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
	// Usage errors: exit 2, with the usage of the command the mistake was made in.
	t.Setenv("WAFLOWS_TOKEN", "")
	for _, args := range [][]string{{"flows", "get"}, {"flows", "get", "1", "2"}, {"flows", "list", "--token", ""},
		{"flows", "create", "--token", "t", "--waba", waba}, {"flows", "update", "1", "--token", "t"}, {"flows", "list", "--after", "a", "--before", "b", "--token", "t"}} {
		code, _, errOut := cli(args...)
		if want := "Usage: waflows flows " + args[1] + " "; code != 2 || !strings.Contains(errOut, want) || strings.Contains(errOut, "Commands:") {
			t.Errorf("%v: exit %d, want 2 and the command's usage:\n%s", args, code, errOut)
		}
	}
	for _, args := range [][]string{{"flows"}, {"flows", "nope"}} {
		if code, _, errOut := cli(args...); code != 2 || !strings.Contains(errOut, "Usage: waflows flows COMMAND") {
			t.Errorf("%v: exit %d, want 2 and the flows usage:\n%s", args, code, errOut)
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
	t.Parallel()
	base, waba, token := startServe(t)
	conn := []string{"--base-url", base, "--token", token, "--waba", waba}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"version\": \"7.3\",\n  \"screens\": []\n}"), 0o644)
	good := filepath.Join(dir, "flow.json")
	os.WriteFile(good, []byte(testflow.Valid), 0o644)

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
	// The same bytes again: nothing to do, exit 0, even with --publish.
	for _, extra := range [][]string{nil, {"--publish"}} {
		code, out, errOut = cli(append(append([]string{"push", good, "--name", "Survey"}, extra...), conn...)...)
		if code != 0 || strings.TrimSpace(out) != id || !strings.Contains(errOut, "up to date: flow "+id+" (Survey) already holds") || strings.Contains(errOut, "uploaded") {
			t.Fatalf("re-push %v: %d %q %q", extra, code, out, errOut)
		}
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

// pushFlow is testflow.Valid with another heading: a new version of the same flow.
func pushFlow(heading string) string {
	return strings.Replace(testflow.Valid, `"Hello"`, `"`+heading+`"`, 1)
}

// TestPushNewVersions: a changed file for a published flow is deployed as Meta recommends — clone into
// "NAME (v2)", upload, publish, deprecate the old — with --new-version, and refused without it; every later
// push goes to the newest version; a deploy that stopped half-way is finished by the next push.
func TestPushNewVersions(t *testing.T) {
	t.Parallel()
	base, waba, token := startServe(t)
	conn := []string{"--base-url", base, "--token", token, "--waba", waba}
	other := []string{"--base-url", base, "--token", token}
	dir := t.TempDir()
	file := filepath.Join(dir, "flow.json")
	write := func(content string) { os.WriteFile(file, []byte(content), 0o644) }
	pushAs := func(name string, extra ...string) (int, pushReport, string) {
		code, out, errOut := cli(append(append([]string{"push", file, "--name", name, "--json"}, extra...), conn...)...)
		var r pushReport
		if code == 0 {
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("push --json printed %q: %v", out, err)
			}
		}
		return code, r, errOut
	}
	push := func(extra ...string) (int, pushReport, string) { return pushAs("Booking", extra...) }
	flow := func(id string) map[string]any {
		code, out, errOut := cli(append([]string{"flows", "get", id, "--fields", "name,status,categories,endpoint_uri", "--json"}, other...)...)
		var f map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &f) != nil {
			t.Fatalf("get %s: %d %s", id, code, errOut)
		}
		return f
	}
	create := func(name string, extra ...string) string {
		return strings.TrimSpace(must(cli(append(append([]string{"flows", "create", "--waba", waba, "--name", name, "--category", "OTHER"}, extra...), other...)...)))
	}
	uploadAndPublish := func(ids ...string) {
		for _, id := range ids {
			must(cli(append([]string{"flows", "upload", id, file}, other...)...))
			must(cli(append([]string{"flows", "publish", id}, other...)...))
		}
	}

	// A flow a person named "Booking v2" is not a version of Booking.
	write(pushFlow("Unrelated"))
	unrelated := create("Booking v2")
	uploadAndPublish(unrelated)

	write(pushFlow("One"))
	code, v1, errOut := push("--category", "APPOINTMENT_BOOKING", "--endpoint-uri", "https://example.com/booking", "--publish")
	if code != 0 || !v1.Created || !v1.Uploaded || !v1.Published || v1.Name != "Booking" {
		t.Fatalf("first push: %d %+v %s", code, v1, errOut)
	}

	// A changed file for the published flow: refused without --new-version, naming the way out.
	write(pushFlow("Two"))
	code, _, errOut = push()
	if code != 1 || !strings.Contains(errOut, `is PUBLISHED, and `+file+` differs from its Flow JSON`) || !strings.Contains(errOut, `--new-version to deploy `+file+` as "Booking (v2)"`) {
		t.Fatalf("changed file without --new-version: %d %s", code, errOut)
	}
	code, v2, errOut := push("--new-version")
	if code != 0 || v2.Name != "Booking (v2)" || !v2.Created || !v2.Uploaded || !v2.Published || len(v2.Deprecated) != 1 || v2.Deprecated[0] != v1.ID {
		t.Fatalf("--new-version: %d %+v %s", code, v2, errOut)
	}
	if !strings.Contains(errOut, "a clone of "+v1.ID) {
		t.Errorf("the new version was not cloned from the old: %s", errOut)
	}
	if f := flow(v1.ID); f["status"] != "DEPRECATED" {
		t.Errorf("the old version is %v", f["status"])
	}
	if f := flow(unrelated); f["status"] != "PUBLISHED" {
		t.Errorf("push touched the unrelated flow named \"Booking v2\": %v", f)
	}
	// The new version is published with the new JSON and keeps the old one's categories and endpoint.
	if f := flow(v2.ID); f["status"] != "PUBLISHED" || f["endpoint_uri"] != "https://example.com/booking" || fmt.Sprint(f["categories"]) != "[APPOINTMENT_BOOKING]" {
		t.Errorf("the new version: %v", f)
	}
	if _, out, _ := cli(append([]string{"flows", "download", v2.ID}, other...)...); out != pushFlow("Two") {
		t.Errorf("the new version holds %q", out)
	}

	// Pushing the same file again is a no-op on the newest version, with or without --new-version.
	for _, extra := range [][]string{nil, {"--new-version"}} {
		code, r, errOut := push(extra...)
		if code != 0 || !r.UpToDate || r.ID != v2.ID || r.Created || r.Uploaded || r.Published || len(r.Deprecated) != 0 {
			t.Fatalf("re-push %v: %d %+v %s", extra, code, r, errOut)
		}
	}
	// Other categories for a published flow are a change too; with --new-version the next version has them.
	code, _, errOut = push("--category", "SURVEY")
	if code != 1 || !strings.Contains(errOut, "--category differs from its categories") {
		t.Fatalf("new categories without --new-version: %d %s", code, errOut)
	}
	write(pushFlow("Three"))
	code, v3, errOut := push("--new-version", "--category", "SURVEY")
	if code != 0 || v3.Name != "Booking (v3)" || len(v3.Deprecated) != 1 || v3.Deprecated[0] != v2.ID {
		t.Fatalf("third version: %d %+v %s", code, v3, errOut)
	}
	if f := flow(v3.ID); fmt.Sprint(f["categories"]) != "[SURVEY]" || f["endpoint_uri"] != "https://example.com/booking" {
		t.Errorf("the third version: %v", f)
	}
	// --name must be the flow's own name, not a version's.
	if code, _, errOut := pushAs("Booking (v3)"); code != 2 || !strings.Contains(errOut, "is the name of a version") {
		t.Fatalf("--name of a version: %d %s", code, errOut)
	}

	// A deploy that stopped after publishing the new version, before deprecating the old: two published
	// versions. The next push of the same file finishes it.
	old, half := create("Menu"), create("Menu (v2)")
	uploadAndPublish(old, half)
	code, r, errOut := pushAs("Menu", "--new-version")
	if code != 0 || !r.UpToDate || r.ID != half || len(r.Deprecated) != 1 || r.Deprecated[0] != old {
		t.Fatalf("finishing a half-done deploy: %d %+v %s", code, r, errOut)
	}
	// A deploy that stopped after the clone was made: a draft after a published version, without the
	// endpoint (a clone does not copy it). --new-version uploads, sets the endpoint of the version before,
	// publishes, and deprecates the old.
	must(cli(append([]string{"flows", "deprecate", half}, other...)...))
	withEndpoint := create("Menu (v3)", "--clone", half)
	write(testflow.Endpoint)
	must(cli(append([]string{"flows", "upload", withEndpoint, file}, other...)...))
	must(cli(append([]string{"flows", "update", withEndpoint, "--endpoint-uri", "https://example.com/menu"}, other...)...))
	must(cli(append([]string{"flows", "publish", withEndpoint}, other...)...))
	cloned := create("Menu (v4)", "--clone", withEndpoint)
	write(strings.Replace(testflow.Endpoint, `"Send"`, `"Send it"`, 1))
	code, r, errOut = pushAs("Menu")
	if code != 0 || r.ID != cloned || r.Published || !r.Uploaded {
		t.Fatalf("a plain push onto the draft version: %d %+v %s", code, r, errOut)
	}
	code, r, errOut = pushAs("Menu", "--new-version")
	if code != 0 || r.ID != cloned || r.Created || r.Uploaded || !r.Published || len(r.Deprecated) != 1 || r.Deprecated[0] != withEndpoint {
		t.Fatalf("finishing a cloned draft: %d %+v %s", code, r, errOut)
	}
	if f := flow(cloned); f["endpoint_uri"] != "https://example.com/menu" || f["status"] != "PUBLISHED" {
		t.Errorf("the finished version: %v", f)
	}

	// A draft after a deprecated version is finished the same way, never "up to date".
	must(cli(append([]string{"flows", "deprecate", cloned}, other...)...))
	draft := create("Menu (v5)", "--clone", cloned)
	code, r, errOut = pushAs("Menu", "--new-version")
	if code != 0 || r.ID != draft || r.UpToDate || !r.Published || r.Uploaded {
		t.Fatalf("finishing a draft after a deprecated version: %d %+v %s", code, r, errOut)
	}

	// A deprecated newest version needs --new-version even for the same bytes.
	must(cli(append([]string{"flows", "deprecate", draft}, other...)...))
	if code, _, errOut := cli(append([]string{"push", file, "--name", "Menu"}, conn...)...); code != 1 || !strings.Contains(errOut, "is DEPRECATED, and can no longer be used") {
		t.Fatalf("push onto a deprecated flow: %d %s", code, errOut)
	}
	code, r, errOut = pushAs("Menu", "--new-version")
	if code != 0 || r.Name != "Menu (v6)" || !r.Published || len(r.Deprecated) != 0 {
		t.Fatalf("new version after a deprecated one: %d %+v %s", code, r, errOut)
	}
	if f := flow(r.ID); f["endpoint_uri"] != "https://example.com/menu" {
		t.Errorf("the new version after a deprecated one lost the endpoint: %v", f)
	}
}

// TestPushDraftCategories: --category on an existing draft changes its categories; --publish on a draft
// that follows a published version says the old one stays published.
func TestPushDraftCategories(t *testing.T) {
	t.Parallel()
	base, waba, token := startServe(t)
	conn := []string{"--base-url", base, "--token", token, "--waba", waba}
	file := writeFile(t, "flow.json", testflow.Valid)
	must(cli(append([]string{"push", file, "--name", "Cats", "--category", "OTHER"}, conn...)...))
	code, out, errOut := cli(append([]string{"push", file, "--name", "Cats", "--category", "SURVEY,SIGN_UP", "--json"}, conn...)...)
	if code != 0 || strings.Contains(out, `"up_to_date": true`) || !strings.Contains(errOut, "categories set to SURVEY,SIGN_UP") {
		t.Fatalf("new categories on a draft: %d %s %s", code, out, errOut)
	}
	var r pushReport
	json.Unmarshal([]byte(out), &r)
	_, got, _ := cli("flows", "get", r.ID, "--fields", "categories", "--base-url", base, "--token", token)
	if !strings.Contains(got, "SURVEY,SIGN_UP") {
		t.Fatalf("the draft's categories: %s", got)
	}
	// The same categories in another order change nothing.
	if code, _, errOut := cli(append([]string{"push", file, "--name", "Cats", "--category", "SIGN_UP", "--category", "SURVEY"}, conn...)...); code != 0 || !strings.Contains(errOut, "up to date") {
		t.Fatalf("the same categories: %d %s", code, errOut)
	}

	must(cli(append([]string{"flows", "publish", r.ID}, conn[:4]...)...))
	next := strings.TrimSpace(must(cli(append([]string{"flows", "create", "--name", "Cats (v2)", "--category", "OTHER", "--clone", r.ID}, conn...)...)))
	code, _, errOut = cli(append([]string{"push", file, "--name", "Cats", "--publish"}, conn...)...)
	if code != 0 || !strings.Contains(errOut, "published "+next) || !strings.Contains(errOut, r.ID+" (Cats) stays PUBLISHED: --new-version deprecates") {
		t.Fatalf("--publish on a new version without --new-version: %d %s", code, errOut)
	}
}

// TestVersionNames: which names are versions of a flow.
func TestVersionNames(t *testing.T) {
	t.Parallel()
	for candidate, want := range map[string]int{"Booking": 1, "Booking (v2)": 2, "Booking (v10)": 10, "Booking (v1)": 0, "Booking (v02)": 0,
		"Booking (v)": 0, "Booking (v2) (v3)": 0, "Booking v2": 0, "Booking(v2)": 0, "booking (v2)": 0, "Booking (vX)": 0, "Booking (v-3)": 0, "Booking (v2": 0} {
		if got := versionNumber("Booking", candidate); got != want {
			t.Errorf("versionNumber(Booking, %q) = %d, want %d", candidate, got, want)
		}
	}
	if versionName("Booking", 1) != "Booking" || versionName("Booking", 3) != "Booking (v3)" {
		t.Error("versionName")
	}
	for name, want := range map[string]bool{"Booking (v2)": true, "A (v10)": true, "Booking": false, "Booking v2": false, "(v2)": false, "Booking (v1)": false} {
		if got := isVersionName(name); got != want {
			t.Errorf("isVersionName(%q) = %v, want %v", name, got, want)
		}
	}
}
