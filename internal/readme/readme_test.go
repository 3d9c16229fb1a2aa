// The snippets of README.md and docs/*.md, built and run.
package readme_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/waflowstest"
)

// block is one fenced code block of a markdown file.
type block struct {
	file, lang, text string
	line             int
}

// blocks returns the fenced code blocks of README.md and docs/*.md.
func blocks(t *testing.T) []block {
	t.Helper()
	files, _ := filepath.Glob("../../docs/*.md")
	files = append([]string{"../../README.md"}, files...)
	var out []block
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cur *block
		for i, line := range strings.Split(string(data), "\n") {
			switch {
			case cur == nil && strings.HasPrefix(line, "```"):
				cur = &block{file: filepath.Base(f), lang: strings.TrimPrefix(line, "```"), line: i + 1}
			case cur != nil && line == "```":
				out = append(out, *cur)
				cur = nil
			case cur != nil:
				cur.text += line + "\n"
			}
		}
		if cur != nil {
			t.Fatalf("%s:%d: a code block is not closed", f, cur.line)
		}
	}
	return out
}

// find returns the one block of lang holding marker.
func find(t *testing.T, all []block, lang, marker string) block {
	t.Helper()
	var found []block
	for _, b := range all {
		if b.lang == lang && strings.Contains(b.text, marker) {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s blocks hold %q, want 1", len(found), lang, marker)
	}
	return found[0]
}

func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOFLAGS=") && !strings.HasPrefix(kv, "GOWORK=") && !strings.HasPrefix(kv, "WAFLOWS_") {
			env = append(env, kv)
		}
	}
	return append(append(env, "GOWORK=off", "GOFLAGS=-mod=mod"), extra...)
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v in %s: %v\n%s", name, args, dir, err, out)
	}
	t.Logf("%s %v: %v", name, args, time.Since(start).Round(time.Millisecond))
	return string(out)
}

var packageClause = regexp.MustCompile(`(?m)^package (\w+)`)

// TestSnippets: every Go block is a whole file that builds in a user's module; the quick-start program
// creates and publishes a flow on a real server; the test files pass; the CI recipe runs as written.
func TestSnippets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	all := blocks(t)
	user := t.TempDir()
	os.WriteFile(filepath.Join(user, "go.mod"), []byte("module example.com/flowsuser\n\ngo 1.26\n\nreplace github.com/waflows/waflows => "+root+"\n"), 0o644)
	var mains []string
	n := 0
	for _, b := range all {
		if b.lang != "go" {
			continue
		}
		m := packageClause.FindStringSubmatch(b.text)
		if m == nil {
			t.Errorf("%s:%d: a Go snippet that is not a whole file (no package clause): write it so that it compiles as it stands", b.file, b.line)
			continue
		}
		n++
		dir := fmt.Sprintf("snippet%02d", n)
		os.MkdirAll(filepath.Join(user, dir), 0o755)
		name := "main.go"
		if m[1] != "main" {
			name = "snippet_test.go"
		} else {
			mains = append(mains, dir)
		}
		os.WriteFile(filepath.Join(user, dir, name), []byte(b.text), 0o644)
		t.Logf("%s:%d → %s/%s", b.file, b.line, dir, name)
	}
	if n < 4 || len(mains) != 1 {
		t.Fatalf("%d Go snippets, %d programs; want the quick start's program and at least three test files", n, len(mains))
	}
	env := cleanEnv()
	run(t, user, env, "go", "get", "github.com/waflows/waflows@v0.0.0")
	run(t, user, env, "go", "vet", "./...")

	srv, err := waflowstest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// The quick start's program, against a real server, twice: a second run must work too.
	quick := filepath.Join(t.TempDir(), "quickstart")
	run(t, user, env, "go", "build", "-o", quick, "./"+mains[0])
	var out string
	for range 2 {
		out = run(t, user, cleanEnv("WAFLOWS_BASE_URL="+srv.URL, "WAFLOWS_TOKEN="+srv.Token, "WAFLOWS_WABA="+srv.BusinessAccountID), quick)
		if !regexp.MustCompile(`^published flow \d{15,16}\n$`).MatchString(out) {
			t.Fatalf("the quick start's program printed %q", out)
		}
	}

	// The test files, without a server in the environment: the waflowstest ones run, the others skip.
	out = run(t, user, env, "go", "test", "-count=1", "-v", "./...")
	if strings.Contains(out, "--- FAIL") || !strings.Contains(out, "--- PASS: TestPublishSurvey") || !strings.Contains(out, "--- SKIP: TestFlowsOnServe") {
		t.Fatalf("the snippets' tests:\n%s", out)
	}

	// The CI recipe, as written, with the waflows command on PATH and a flow to push; WAFLOWS_ADDR moves
	// it off port 8080.
	bin := t.TempDir()
	run(t, root, cleanEnv(), "go", "build", "-o", filepath.Join(bin, "waflows"), "./cmd/waflows")
	// A go on PATH that runs the recipe's go test verbosely, so that this test sees which tests ran.
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\nif [ \"$1\" = test ]; then shift; exec "+realGo+" test -v \"$@\"; fi\nexec "+realGo+" \"$@\"\n"), 0o755)
	os.MkdirAll(filepath.Join(user, "flows"), 0o755)
	os.WriteFile(filepath.Join(user, "flows", "survey.json"), []byte(testflow.Valid), 0o644)
	script := find(t, all, "sh", "waflows-access.yaml")
	addr := freeAddr(t)
	out = run(t, user, cleanEnv("PATH="+bin+":"+os.Getenv("PATH"), "WAFLOWS_ADDR="+addr), "bash", "-c", script.text)
	for _, want := range []string{`{"status":"ok"}`, "--- PASS: TestFlowsOnServe", "published "} {
		if !strings.Contains(out, want) {
			t.Fatalf("the CI recipe's output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "--- SKIP: TestFlowsOnServe") {
		t.Fatalf("the CI recipe's tests did not see the server:\n%s", out)
	}
	// Its trap stopped the server.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			ln.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the CI recipe left the server running on %s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestWalkThrough: the curl walk-through runs as written, twice in a row against one server, every
// response on its own line, and fails only where it says it will.
func TestWalkThrough(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("the walk-through needs curl (apt-get install -y curl)")
	}
	srv, err := waflowstest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	walk := find(t, blocks(t), "sh", "g() {")
	dir := t.TempDir()
	var flows []string
	for round := range 2 {
		out := run(t, dir, cleanEnv("TOKEN="+srv.Token, "WABA="+srv.BusinessAccountID, "G="+srv.URL), "bash", "-eu", "-c", walk.text)
		sc := bufio.NewScanner(strings.NewReader(out))
		lines := 0
		for sc.Scan() {
			line := sc.Text()
			lines++
			if id, ok := strings.CutPrefix(line, "flow "); ok {
				flows = append(flows, id)
				continue
			}
			if !strings.HasPrefix(line, "{") || !strings.HasSuffix(line, "}") {
				t.Errorf("round %d: a response not on its own line: %q", round+1, line)
			}
		}
		if lines != 11 {
			t.Errorf("round %d: %d lines, want 11 (the id and 10 responses):\n%s", round+1, lines, out)
		}
		for code, want := range map[string]int{`"code":139002`: 1, `"code":139004`: 1, `"error"`: 2, `{"success":true,"validation_errors":[]}`: 1, `{"success":true}`: 3} {
			if got := strings.Count(out, code); got != want {
				t.Errorf("round %d: %s appears %d times, want %d:\n%s", round+1, code, got, want, out)
			}
		}
	}
	if len(flows) != 2 || flows[0] == flows[1] || !regexp.MustCompile(`^\d{15,16}$`).MatchString(flows[1]) {
		t.Fatalf("the two rounds made flows %v", flows)
	}
}

// TestLinks: every relative link of README.md and docs/ names a file that exists.
func TestLinks(t *testing.T) {
	t.Parallel()
	link := regexp.MustCompile(`\]\(([^)#]+)(#[^)]*)?\)`)
	files, _ := filepath.Glob("../../docs/*.md")
	files = append([]string{"../../README.md"}, files...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if strings.Contains(target, "://") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", filepath.Base(f), target)
			}
		}
	}
}

// TestDataEndpointSection: README's "Your data endpoint" runs as written, from a clone: keys, the example
// endpoint over HTTPS, a passing check, then serve with the key uploaded, the flow pushed and published
// (the health check ran), the check through the API, and the preview link. `go run ./examples/endpoint`
// runs a prebuilt binary (a go on PATH that knows that one command), so the test does not compile twice.
func TestDataEndpointSection(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and the example")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("the section needs curl (apt-get install -y curl)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(data)
	start, end := strings.Index(section, "## Your data endpoint"), strings.Index(section, "## The command line")
	if start < 0 || end < start {
		t.Fatal("README has no section \"Your data endpoint\" before \"The command line\"")
	}
	section = section[start:end]
	var script strings.Builder
	for _, b := range blocks(t) {
		if b.file == "README.md" && b.lang == "sh" && strings.Contains(section, b.text) {
			script.WriteString(b.text)
		}
	}
	if !strings.Contains(script.String(), "waflows keys generate") || !strings.Contains(script.String(), "whatsapp_business_encryption") {
		t.Fatalf("the section's shell blocks:\n%s", script.String())
	}
	bin := t.TempDir()
	run(t, root, cleanEnv(), "go", "build", "-o", filepath.Join(bin, "waflows"), "./cmd/waflows")
	run(t, root, cleanEnv(), "go", "build", "-o", filepath.Join(bin, "example-endpoint"), "./examples/endpoint")
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\nif [ \"$1\" = run ] && [ \"$2\" = ./examples/endpoint ]; then shift 2; exec "+
		filepath.Join(bin, "example-endpoint")+" \"$@\"; fi\nexec "+realGo+" \"$@\"\n"), 0o755)
	clone := t.TempDir()
	os.MkdirAll(filepath.Join(clone, "examples", "endpoint"), 0o755)
	flow, _ := os.ReadFile("../../examples/endpoint/flow.json")
	os.WriteFile(filepath.Join(clone, "examples", "endpoint", "flow.json"), flow, 0o644)
	full := "set -e\ntrap 'kill $(jobs -p) 2>/dev/null' EXIT\n" + script.String()
	cmd := exec.Command("bash", "-c", full)
	cmd.Dir, cmd.Env = clone, cleanEnv("PATH="+bin+":"+os.Getenv("PATH"))
	done := make(chan struct{})
	var out []byte
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("the section did not finish in 2 minutes:\n%s", out)
	}
	if err != nil {
		t.Fatalf("the section failed: %v\n%s", err, out)
	}
	for _, want := range []string{"healthy: Meta's client can use this endpoint", `{"success":true}`, "published ", `"preview_url":`} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("the section's output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(string(out), "healthy: Meta's client can use this endpoint"); n != 2 {
		t.Fatalf("%d healthy checks, want 2:\n%s", n, out)
	}
}
