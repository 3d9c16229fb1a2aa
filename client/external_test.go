package client_test

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestExternalModule proves the client imports as a user would: a module outside this one `go get`s it
// through a replace directive and runs the lifecycle against a started `waflows serve`.
func TestExternalModule(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "waflows")
	goCmd(t, root, "build", "-o", bin, "./cmd/waflows")

	serve := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "data", "w.db"), "--log", "off")
	stdout, _ := serve.StdoutPipe()
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	banner := regexp.MustCompile(`at (http://\S+/v21\.0)|business account: (\d+)|token:\s+(\S+)`)
	var base, waba, token string
	sc := bufio.NewScanner(stdout)
	for (base == "" || waba == "" || token == "") && sc.Scan() {
		for _, m := range banner.FindAllStringSubmatch(sc.Text(), -1) {
			base, waba, token = first(base, m[1]), first(waba, m[2]), first(token, m[3])
		}
	}
	go io.Copy(io.Discard, stdout)
	if token == "" {
		t.Fatal("no credentials in the banner")
	}

	user := filepath.Join(dir, "user")
	os.MkdirAll(user, 0o755)
	os.WriteFile(filepath.Join(user, "go.mod"), []byte("module example.com/flowsuser\n\ngo 1.26\n\nreplace github.com/waflows/waflows => "+root+"\n"), 0o644)
	os.WriteFile(filepath.Join(user, "main.go"), []byte(userProgram), 0o644)
	goCmd(t, user, "get", "github.com/waflows/waflows@v0.0.0")
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = user
	cmd.Env = append(cleanEnv(), "FLOWS_BASE_URL="+base, "FLOWS_TOKEN="+token, "FLOWS_WABA="+waba)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "PUBLISHED 7.3 [] not found: true" {
		t.Fatalf("user program: %v\n%s", err, out)
	}
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOFLAGS=") && !strings.HasPrefix(kv, "GOWORK=") {
			env = append(env, kv)
		}
	}
	return append(env, "GOWORK=off", "GOFLAGS=-mod=mod")
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, out)
	}
	t.Logf("go %v: %v", args, time.Since(start).Round(time.Millisecond))
}

const userProgram = `package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/waflows/waflows/client"
)

func main() {
	ctx := context.Background()
	c, err := client.New(client.WithBaseURL(os.Getenv("FLOWS_BASE_URL")), client.WithToken(os.Getenv("FLOWS_TOKEN")))
	if err != nil {
		log.Fatal(err)
	}
	waba := os.Getenv("FLOWS_WABA")
	id, _, err := c.CreateFlow(ctx, waba, client.CreateFlowRequest{Name: "From another module", Categories: []client.Category{"OTHER"}})
	if err != nil {
		log.Fatal(err)
	}
	problems, _, err := c.UploadFlowJSON(ctx, id, []byte(` + "`" + `{"version":"7.3","screens":[{"id":"DONE","title":"Done","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"TextBody","text":"Thanks"},{"type":"Footer","label":"Close","on-click-action":{"name":"complete","payload":{}}}]}}]}` + "`" + `))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.PublishFlow(ctx, id); err != nil {
		log.Fatal(err)
	}
	f, _, err := c.GetFlow(ctx, id, "status", "json_version")
	if err != nil {
		log.Fatal(err)
	}
	_, _, err = c.GetFlow(ctx, "123456789012345")
	fmt.Println(*f.Status, *f.JSONVersion, problems, "not found:", client.IsNotFound(err))
}
`
