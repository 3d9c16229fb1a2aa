package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

var bannerRE = regexp.MustCompile(`serving the WhatsApp Flows API at (http://\S+)/v21\.0[\s\S]*business account: (\d+)\n\s+token:\s+(\S+)`)

// TestServeDevCredentials: without --config, serve makes a development account and token, prints them with
// a working curl command, keeps them across restarts, and shuts down cleanly when its context ends.
func TestServeDevCredentials(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "waflows.db")
	start := func() (base, waba, token string, stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		out, errOut := &syncBuffer{}, &syncBuffer{}
		done := make(chan int, 1)
		go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, nil, out, errOut) }()
		deadline := time.Now().Add(10 * time.Second)
		var m []string
		for m == nil && time.Now().Before(deadline) {
			m = bannerRE.FindStringSubmatch(out.String())
			time.Sleep(10 * time.Millisecond)
		}
		if m == nil {
			cancel()
			t.Fatalf("no banner:\n%s\n%s", out.String(), errOut.String())
		}
		if !strings.Contains(out.String(), "curl -s -H 'Authorization: Bearer "+m[3]+"' "+m[1]+"/v21.0/"+m[2]+"/flows") {
			t.Fatalf("banner lacks a ready-to-paste curl command:\n%s", out.String())
		}
		return m[1], m[2], m[3], func() {
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Fatalf("serve exited %d: %s", code, errOut.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not shut down")
			}
		}
	}
	base, waba, token, stop := start()
	req, _ := http.NewRequest("POST", base+"/v21.0/"+waba+"/flows", strings.NewReader(`{"name":"kept","categories":["OTHER"]}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	stop()

	base2, waba2, token2, stop2 := start()
	defer stop2()
	if waba2 != waba || token2 != token {
		t.Fatalf("credentials changed across restarts: %s/%s vs %s/%s", waba, token, waba2, token2)
	}
	req, _ = http.NewRequest("GET", base2+"/v21.0/"+waba+"/flows", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `"name":"kept"`) {
		t.Fatalf("flow lost across restart: %s", body)
	}
}

func TestServeWithConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "access.yaml")
	os.WriteFile(cfg, []byte("business_accounts:\n  - id: \"102290129340398\"\n    name: \"Acme Clinic\"\ntokens:\n  - token: \"acme-dev-token\"\n    business_accounts: [\"102290129340398\"]\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "x.db"), "--config", cfg, "--public-url", "https://flows.example.test"}, nil, out, io.Discard)
	}()
	var base string
	for i := 0; i < 500 && base == ""; i++ {
		if m := regexp.MustCompile(`at (\S+)/v21\.0`).FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	defer func() { cancel(); <-done }()
	if base != "https://flows.example.test" || !strings.Contains(out.String(), "1 business account(s), 0 phone number(s), 0 app(s) and 1 token(s)") {
		t.Fatalf("banner: %s", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"nope"}, {"serve", "--bogus"}, {"serve", "extra"}, {"serve", "--log", "loud"}, {"serve", "--public-url", "ftp://x", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "x.db")},
		{"serve", "--endpoint-ca", filepath.Join(t.TempDir(), "missing.pem"), "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "x.db")}} {
		var stderr bytes.Buffer
		if code := run(context.Background(), args, nil, io.Discard, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
	// A missing access file is a local I/O error: exit 2 too.
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--config", "/nonexistent.yaml", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0"}, nil, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "access file") {
		t.Errorf("missing config: exit %d: %s", code, stderr.String())
	}
}

// TestSignalShutdown builds the real binary, starts it, and stops it with SIGTERM: it must exit 0 after
// finishing in-flight work.
func TestSignalShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "waflows")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "w.db"))
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.HasPrefix(strings.TrimSpace(sc.Text()), "curl ") {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	go io.Copy(io.Discard, stdout)
	errc := make(chan error, 1)
	go func() { errc <- cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v (output %v)", err, lines)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("no exit after SIGTERM")
	}
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@db:5432/flows":                     "postgres://u:xxxxx@db:5432/flows",
		"postgres://u@db/flows?sslmode=disable&password=secret": "postgres://u@db/flows?password=xxxxx&sslmode=disable",
		"./waflows-data/my flows.db":                            "./waflows-data/my flows.db",
		"host=db password=secret dbname=flows":                  "host=db password=xxxxx dbname=flows",
		"password='se cret\\'s' host=db":                        "password=xxxxx host=db",
		"host=db password = secret":                             "host=db password = xxxxx",
		"mysql://u:secret@db/x":                                 "mysql://u:xxxxx@db/x",
	} {
		if got := redactDSN(in); got != want || strings.Contains(got, "secret") {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHelpHidesToken: usage messages never print the token taken from the environment, and -h exits 0.
func TestHelpHidesToken(t *testing.T) {
	t.Setenv("WAFLOWS_TOKEN", "EAAG-super-secret-token")
	for _, args := range [][]string{{"flows", "publish", "1", "--bogus"}, {"push", "--bogus"}, {"flows", "get", "-h"}, {"push", "-h"}} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, nil, &out, &errOut)
		if strings.Contains(out.String()+errOut.String(), "super-secret") {
			t.Errorf("%v printed the token", args)
		}
		if want := 2; args[len(args)-1] == "-h" {
			want = 0
			if code != want {
				t.Errorf("%v: exit %d, want 0", args, code)
			}
		} else if code != want {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestServeDatabaseArgument: a key=value DSN goes to PostgreSQL (its password never printed), and a URL
// of an unknown scheme is refused instead of becoming a SQLite file named after it.
func TestServeDatabaseArgument(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db",
		"host=127.0.0.1 port=1 user=nobody password=hunter2 dbname=none connect_timeout=2"}, nil, &out, &errOut)
	all := out.String() + errOut.String()
	if code == 0 || !strings.Contains(all, "postgres") || strings.Contains(all, "hunter2") {
		t.Fatalf("key=value DSN: exit %d\n%s", code, all)
	}
	out.Reset()
	errOut.Reset()
	code = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", "mysql://root:hunter2@db/x"}, nil, &out, &errOut)
	all = out.String() + errOut.String()
	if code != 2 || !strings.Contains(all, `unknown database "mysql://root:xxxxx@db/x"`) || strings.Contains(all, "hunter2") {
		t.Fatalf("mysql URL: exit %d\n%s", code, all)
	}
	if _, err := os.Stat("mysql:"); err == nil {
		t.Fatal("a file or directory named mysql: was created")
	}
}
