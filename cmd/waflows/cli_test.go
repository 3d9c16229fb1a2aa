// Tests of the command line itself: help and usage, version, exit statuses, and the likely causes errors
// name.
package main

import (
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waflows/waflows/internal/testflow"
)

// TestHelp: `waflows help CMD`, `CMD -h` and `flows help CMD` print that command's usage with its positional
// arguments; a mistake prints the usage of the command it was made in, not the top-level list.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string // in the output
		code int
		out  bool // on standard output (else standard error)
	}{
		{[]string{"help"}, "Usage: waflows COMMAND", 0, true},
		{[]string{"--help"}, "Usage: waflows COMMAND", 0, true},
		{[]string{"help", "push"}, "Usage: waflows push FILE [flags]", 0, true},
		{[]string{"help", "flows"}, "Usage: waflows flows COMMAND", 0, true},
		{[]string{"help", "flows", "upload"}, "Usage: waflows flows upload FLOW_ID FILE [flags]", 0, true},
		{[]string{"flows", "help", "upload"}, "Usage: waflows flows upload FLOW_ID FILE [flags]", 0, true},
		{[]string{"help", "validate"}, "Usage: waflows validate FILE... [flags]", 0, true},
		{[]string{"help", "serve"}, "-max-large-bodies", 0, true},
		{[]string{"push", "-h"}, "Usage: waflows push FILE [flags]", 0, false},
		{[]string{"flows", "get", "--help"}, "Usage: waflows flows get FLOW_ID [flags]", 0, false},
		{[]string{"help", "nope"}, "waflows help: no command \"nope\"\n\nwaflows runs", 2, false},
		{[]string{"validate", "--", "-odd.json", "-other.json"}, "open -odd.json: no such file", 2, false},
		{[]string{"serve", "--addr", "nonsense"}, "--addr must be HOST:PORT", 2, false},
		{[]string{"flows", "download", "1", "--json"}, "flag provided but not defined: -json", 2, false},
		{[]string{"nope"}, `waflows: unknown command "nope"`, 2, false},
		{[]string{"push"}, "waflows push: arguments: want FILE, got none\n\nUsage: waflows push FILE [flags]", 2, false},
		{[]string{"push", "a.json", "b.json"}, "waflows push: arguments: want FILE, got 2: a.json b.json", 2, false},
		{[]string{"push", "--bogus", "a.json"}, "waflows push: flag provided but not defined: -bogus\n\nUsage: waflows push FILE", 2, false},
		{[]string{"validate"}, "waflows validate: arguments: want FILE..., got none\n\nUsage: waflows validate FILE... [flags]", 2, false},
		{[]string{"flows", "upload", "1"}, "Usage: waflows flows upload FLOW_ID FILE [flags]", 2, false},
		{[]string{"serve", "extra"}, "waflows serve: arguments: want no arguments, got 1: extra\n\nUsage: waflows serve [flags]", 2, false},
		{[]string{"version", "x"}, "Usage: waflows version [flags]", 2, false},
	} {
		code, out, errOut := cli(tc.args...)
		got := errOut
		if tc.out {
			got = out
		}
		if code != tc.code || !strings.Contains(got, tc.want) {
			t.Errorf("%v: exit %d, want %d and %q in\nstdout: %s\nstderr: %s", tc.args, code, tc.code, tc.want, out, errOut)
		}
		// A sub-command's mistake never shows the top-level list.
		if len(tc.args) > 0 && tc.args[0] != "help" && tc.args[0] != "--help" && tc.args[0] != "nope" && strings.Contains(out+errOut, "Commands:\n  serve") {
			t.Errorf("%v printed the top-level command list", tc.args)
		}
	}
}

// TestVersion: `waflows version` and `--version` print the module version and the revision the binary was
// built from.
func TestVersion(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "waflows")
	rev, gitErr := exec.Command("git", "rev-parse", "HEAD").Output()
	vcs := "-buildvcs=true"
	if gitErr != nil {
		vcs = "-buildvcs=false" // not a checkout: there is no revision to record
	}
	if out, err := exec.Command("go", "build", vcs, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, arg := range []string{"version", "--version"} {
		out, err := exec.Command(bin, arg).Output()
		if err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		line := string(out)
		if !strings.HasPrefix(line, "waflows ") || !strings.Contains(line, " go1.") || strings.Count(line, "\n") != 1 {
			t.Errorf("%s: %q", arg, line)
		}
		t.Logf("%s: %s", arg, strings.TrimSpace(line))
		if gitErr == nil && !strings.Contains(line, "(revision "+strings.TrimSpace(string(rev))) {
			t.Errorf("%s does not name the revision %s: %q", arg, rev, line)
		}
	}
}

// TestExitStatuses: 2 for usage mistakes and local I/O errors in every command, 1 for validation and API
// errors; a local error names the file once.
func TestExitStatuses(t *testing.T) {
	t.Parallel()
	base, waba, token := startServe(t)
	conn := []string{"--base-url", base, "--token", token}
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	good := writeFile(t, "good.json", testflow.Valid)
	bad := writeFile(t, "bad.json", `{"version":"7.3"}`)
	id := strings.TrimSpace(must(cli(append([]string{"flows", "create", "--waba", waba, "--name", "Exit", "--category", "OTHER"}, conn...)...)))
	must(cli(append([]string{"flows", "upload", id, good}, conn...)...))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"validate", missing}, 2, "open " + missing + ": no such file or directory"},
		{[]string{"validate", dir}, 2, "waflows validate: read " + dir + ": is a directory\n"},
		{append([]string{"push", missing, "--waba", waba, "--name", "x"}, conn...), 2, "open " + missing},
		{append([]string{"flows", "upload", id, dir}, conn...), 2, "read " + dir + ": is a directory\n"},
		{append([]string{"flows", "download", id, "-o", filepath.Join(dir, "no", "such", "dir.json")}, conn...), 2, "no such file or directory"},
		{[]string{"serve", "--db", filepath.Join(good, "sub.db"), "--addr", "127.0.0.1:0"}, 2, "waflows serve:"},
		{[]string{"validate", bad}, 1, bad + ":1:1: "},
		{append([]string{"flows", "upload", id, bad}, conn...), 1, "1 validation error(s)"},
		{append([]string{"flows", "get", "999999999999999"}, conn...), 1, "code 100"},
	} {
		code, out, errOut := cli(tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%v: exit %d, want %d and %q in\n%s%s", tc.args, code, tc.code, tc.want, out, errOut)
		}
		if strings.Count(errOut, dir+":") > 1 || strings.Contains(errOut, "read "+dir+": read ") {
			t.Errorf("%v names the file twice: %s", tc.args, errOut)
		}
	}
}

// TestLikelyCauses: errors say what is probably wrong — nobody listening at the base URL, a base URL
// without /v21.0, a token the server does not know — and commands say when they call Meta's Graph API.
func TestLikelyCauses(t *testing.T) {
	base, waba, token := startServe(t)

	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	code, _, errOut := cli("flows", "list", "--waba", waba, "--token", token, "--base-url", "http://"+closed+"/v21.0")
	if code != 1 || !strings.Contains(errOut, "connection refused; is `waflows serve` running at "+closed+"?") {
		t.Errorf("connection refused: %d %s", code, errOut)
	}

	unversioned := strings.TrimSuffix(base, "/v21.0")
	code, _, errOut = cli("flows", "list", "--waba", waba, "--token", token, "--base-url", unversioned)
	if code != 1 || !strings.Contains(errOut, "names no API version") || !strings.Contains(errOut, "try --base-url "+base) {
		t.Errorf("base URL without a version: %d %s", code, errOut)
	}

	code, _, errOut = cli("flows", "list", "--waba", waba, "--token", token, "--base-url", unversioned+"/api")
	if code != 1 || !strings.Contains(errOut, "try --base-url "+base+")") {
		t.Errorf("base URL with another path and no version: %d %s", code, errOut)
	}
	code, _, errOut = cli("flows", "list", "--waba", waba, "--token", token, "--base-url", unversioned+"/v20.0")
	if code != 1 || !strings.Contains(errOut, "names API version v20.0; waflows serve answers under /v21.0 only") {
		t.Errorf("base URL with another version: %d %s", code, errOut)
	}
	code, _, errOut = cli("flows", "list", "--waba", waba, "--token", token, "--base-url", "http://nohost.invalid/v21.0")
	if code != 1 || strings.Count(errOut, "nohost.invalid") != 1 || !strings.Contains(errOut, "cannot resolve the host of the base URL http://nohost.invalid/v21.0") {
		t.Errorf("unresolvable host: %d %s", code, errOut)
	}
	// A bad base URL says where it came from.
	t.Setenv("WAFLOWS_BASE_URL", "notaurl")
	code, _, errOut = cli("flows", "get", "1", "--token", token)
	if code != 2 || !strings.Contains(errOut, `the base URL "notaurl" (from WAFLOWS_BASE_URL) is not an absolute http(s) URL`) || strings.Contains(errOut, "client:") {
		t.Errorf("a bad WAFLOWS_BASE_URL: %d %s", code, errOut)
	}
	code, _, errOut = cli("flows", "get", "1", "--token", token, "--base-url", "ftp://x")
	if code != 2 || !strings.Contains(errOut, `(from --base-url)`) {
		t.Errorf("a bad --base-url: %d %s", code, errOut)
	}
	t.Setenv("WAFLOWS_BASE_URL", "")

	code, _, errOut = cli("flows", "list", "--waba", waba, "--token", "not-a-token", "--base-url", base)
	if code != 1 || !strings.Contains(errOut, "code 190") || !strings.Contains(errOut, "waflows serve prints its development token") {
		t.Errorf("unknown token: %d %s", code, errOut)
	}

	// Meta's production API, with no network call made: the context has already ended.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errBuf strings.Builder
	t.Setenv("WAFLOWS_BASE_URL", "")
	code = run(ctx, []string{"flows", "get", "1", "--token", "t"}, nil, &out, &errBuf)
	if !strings.Contains(errBuf.String(), "waflows: calling Meta's Graph API at https://graph.facebook.com/v21.0") {
		t.Errorf("no word about Meta's API: %d %s", code, errBuf.String())
	}
	// Against waflows serve nothing is said.
	if _, _, errOut := cli("flows", "list", "--waba", waba, "--token", token, "--base-url", base); strings.Contains(errOut, "Meta") {
		t.Errorf("a call to waflows serve mentions Meta: %s", errOut)
	}
}
