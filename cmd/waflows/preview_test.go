package main

import (
	"bufio"
	"context"
	"crypto/rsa"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/client"
	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/waflowstest"
)

var previewURLRe = regexp.MustCompile(`at (http://\S+)`)

// startPreview runs `waflows preview` in process on file (with extra flags) and returns the page's address.
func startPreview(t *testing.T, file string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append(append([]string{"preview", "--addr", "127.0.0.1:0"}, flags...), file), strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("preview exited %d after the signal, want 0", code)
			}
		case <-time.After(5 * time.Second):
			t.Error("preview did not stop")
		}
	})
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := previewURLRe.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, pr)
			return m[1]
		}
	}
	t.Fatal("preview printed no address")
	return ""
}

func getText(t testing.TB, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestPreviewCommand: waflows preview FILE serves the interactive page at the address it prints, shows
// the file as it is now (so a save is seen), and refuses bad arguments with exit status 2.
func TestPreviewCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flow.json")
	if err := os.WriteFile(path, []byte(testflow.Valid), 0o644); err != nil {
		t.Fatal(err)
	}
	u := startPreview(t, path)
	if !strings.Contains(u, "interactive=true") {
		t.Fatalf("printed address %s is not interactive", u)
	}
	status, body := getText(t, u)
	if status != 200 || !strings.Contains(body, "<h1>") || !strings.Contains(body, `data-watch="/_waflows/preview/version"`) {
		t.Fatalf("page: %d %s", status, body)
	}
	_, before := getText(t, strings.Split(u, "?")[0]+"_waflows/preview/version")
	time.Sleep(10 * time.Millisecond)
	changed := strings.Replace(testflow.Valid, `"version"`, ` "version"`, 1)
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, time.Now().Add(time.Second), time.Now().Add(time.Second))
	if _, after := getText(t, strings.Split(u, "?")[0]+"_waflows/preview/version"); after == before {
		t.Fatalf("the version did not change with the file: %s", after)
	}
	os.WriteFile(path, []byte("{"), 0o644)
	os.Chtimes(path, time.Now().Add(2*time.Second), time.Now().Add(2*time.Second))
	if _, body := getText(t, u); !strings.Contains(body, "The flow has validation errors") {
		t.Fatalf("a broken save: %s", body)
	}

	for _, args := range [][]string{{"preview"}, {"preview", "a.json", "b.json"}, {"preview", filepath.Join(t.TempDir(), "missing.json")}, {"preview", "--addr", "nowhere", path}} {
		var stderr strings.Builder
		if code := run(context.Background(), args, strings.NewReader(""), io.Discard, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, stderr.String())
		}
	}
}

// BenchmarkPreviewStartup is the time from running `waflows preview FILE` (the built binary, on the
// 20-screen flow) to the rendered first screen of the page it prints.
func BenchmarkPreviewStartup(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "waflows")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "long.json")
	if err := os.WriteFile(file, testflow.Long(20), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cmd := exec.Command(bin, "preview", "--addr", "127.0.0.1:0", file)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		var u string
		for sc.Scan() {
			if m := previewURLRe.FindStringSubmatch(sc.Text()); m != nil {
				u = m[1]
				break
			}
		}
		if u == "" {
			b.Fatal("no address printed")
		}
		if status, body := getText(b, u); status != 200 || !strings.Contains(body, "<h1>Screen 1</h1>") {
			b.Fatalf("page: %d %.200s", status, body)
		}
		cmd.Process.Kill()
		cmd.Wait()
	}
}

// TestKeysGenerate: a key pair the endpoint package reads back, the private key 0600, and no overwrite.
func TestKeysGenerate(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	if code := run(context.Background(), []string{"keys", "generate", "--out", dir, "--passphrase", "s3cret"}, strings.NewReader(""), &out, io.Discard); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), "whatsapp_business_encryption") {
		t.Fatalf("no upload instructions: %s", out.String())
	}
	st, err := os.Stat(filepath.Join(dir, "private.pem"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private.pem: %v %v", st, err)
	}
	privPEM, _ := os.ReadFile(filepath.Join(dir, "private.pem"))
	pubPEM, _ := os.ReadFile(filepath.Join(dir, "public.pem"))
	priv, err := endpoint.ParsePrivateKey(privPEM, "s3cret")
	if err != nil || priv.N.BitLen() != 2048 {
		t.Fatalf("private key: %v", err)
	}
	if pub, err := endpoint.ParsePublicKey(pubPEM); err != nil || !pub.Equal(&priv.PublicKey) {
		t.Fatalf("public key: %v", err)
	}
	if code := run(context.Background(), []string{"keys", "generate", "--out", dir}, strings.NewReader(""), io.Discard, io.Discard); code != exitUsage {
		t.Fatalf("overwriting: exit %d, want %d", code, exitUsage)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "private.pem")); string(again) != string(privPEM) {
		t.Fatal("the key was overwritten")
	}
	if code := run(context.Background(), []string{"keys"}, strings.NewReader(""), io.Discard, io.Discard); code != exitUsage {
		t.Fatalf("keys alone: exit %d", code)
	}
}

// TestEndpointCheckCommand: the report's lines and the verdict's exit status, on an endpoint that
// answers the ping with plain JSON, and usage errors.
func TestEndpointCheckCommand(t *testing.T) {
	dir := t.TempDir()
	run(context.Background(), []string{"keys", "generate", "--out", dir}, strings.NewReader(""), io.Discard, io.Discard)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"data":{"status":"active"}}`)
	}))
	defer ts.Close()
	var out strings.Builder
	code := run(context.Background(), []string{"endpoint", "check", ts.URL, "--public-key", filepath.Join(dir, "public.pem")}, strings.NewReader(""), &out, io.Discard)
	if code != exitFailed || !strings.Contains(out.String(), "✘ health check") || !strings.Contains(out.String(), "plain JSON") || !strings.Contains(out.String(), "fix: ") || !strings.Contains(out.String(), "not healthy") {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	out.Reset()
	code = run(context.Background(), []string{"endpoint", "check", "--json", ts.URL, "--public-key", filepath.Join(dir, "public.pem")}, strings.NewReader(""), &out, io.Discard)
	var report struct {
		Healthy  bool `json:"healthy"`
		Findings []struct {
			Status string `json:"status"`
		} `json:"findings"`
	}
	if code != exitFailed || json.Unmarshal([]byte(out.String()), &report) != nil || report.Healthy || report.Findings[0].Status != "fail" {
		t.Fatalf("--json: exit %d %s", code, out.String())
	}
	for _, args := range [][]string{{"endpoint", "check"}, {"endpoint", "check", ts.URL}, {"endpoint", "check", ts.URL, "--public-key", filepath.Join(dir, "private.pem")}} {
		if code := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestEndpointCheckFlowID: --flow-id walks the flow's JSON from the API, against a healthy endpoint
// built with the endpoint package.
func TestEndpointCheckFlowID(t *testing.T) {
	srv, err := waflowstest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client(t)
	f, _, err := c.CreateFlowWithJSON(context.Background(), srv.BusinessAccountID, client.CreateFlowRequest{Name: "Check", Categories: []client.Category{"OTHER"}}, []byte(testflow.Endpoint), false)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	priv := generateKeys(t, dir)
	ep := httptest.NewServer(endpoint.NewHandler(endpoint.Config{PrivateKey: priv, Handle: func(_ context.Context, r *endpoint.Request) (*endpoint.Response, error) {
		if r.Action == endpoint.ActionInit {
			return endpoint.NextScreen("WELCOME", nil), nil
		}
		return endpoint.Complete(r.FlowToken, nil), nil
	}}))
	defer ep.Close()
	var out strings.Builder
	code := run(context.Background(), []string{"endpoint", "check", ep.URL, "--public-key", filepath.Join(dir, "public.pem"), "--flow-id", f.ID,
		"--base-url", srv.URL, "--token", srv.Token}, strings.NewReader(""), &out, io.Discard)
	if code != exitOK || !strings.Contains(out.String(), "✔ the flow completes with its flow token") {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
}

// TestPreviewFileEndpoint: with --endpoint, the file's interactive preview calls that endpoint as WhatsApp
// does (encrypted with --public-key, signed with --app-secret) instead of asking the person; the flags
// are checked.
func TestPreviewFileEndpoint(t *testing.T) {
	dir := t.TempDir()
	priv := generateKeys(t, dir)
	ep := httptest.NewServer(endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: "file-secret", Handle: func(_ context.Context, r *endpoint.Request) (*endpoint.Response, error) {
		return endpoint.NextScreen("WELCOME", nil), nil
	}}))
	defer ep.Close()
	flow := filepath.Join(dir, "flow.json")
	os.WriteFile(flow, []byte(testflow.Endpoint), 0o644)
	pub := filepath.Join(dir, "public.pem")
	page := startPreview(t, flow, "--endpoint", ep.URL, "--public-key", pub, "--app-secret", "file-secret")
	status, body := getText(t, strings.Replace(page, "debug=true", "debug=true&flow_action=data_exchange", 1))
	if status != 200 || !strings.Contains(body, "<h1>Welcome</h1>") || !strings.Contains(body, "INIT: HTTP 200") || !strings.Contains(body, "signed with the app secret") {
		t.Fatalf("the file preview against its endpoint: %d\n%s", status, body)
	}
	// Over HTTPS with the endpoint's own certificate, trusted with --ca.
	tlsEP := httptest.NewTLSServer(ep.Config.Handler)
	defer tlsEP.Close()
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsEP.Certificate().Raw}), 0o644)
	page = startPreview(t, flow, "--endpoint", tlsEP.URL, "--public-key", pub, "--app-secret", "file-secret", "--ca", ca)
	if status, body := getText(t, strings.Replace(page, "debug=true", "debug=true&flow_action=data_exchange", 1)); status != 200 || !strings.Contains(body, "<h1>Welcome</h1>") {
		t.Fatalf("the file preview against an HTTPS endpoint with --ca: %d\n%s", status, body)
	}
	for _, args := range [][]string{
		{"preview", "--endpoint", ep.URL, flow},
		{"preview", "--endpoint", ep.URL, "--public-key", pub, "--ca", flow, flow},
		{"preview", "--endpoint", "ftp://x", "--public-key", pub, flow},
		{"preview", "--public-key", pub, flow},
		{"preview", "--endpoint", ep.URL, "--public-key", filepath.Join(dir, "private.pem"), flow},
	} {
		if code := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// generateKeys runs `waflows keys generate --out dir` and returns the private key it wrote.
func generateKeys(t *testing.T, dir string) *rsa.PrivateKey {
	t.Helper()
	if code := run(context.Background(), []string{"keys", "generate", "--out", dir}, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
		t.Fatalf("keys generate: exit %d", code)
	}
	pemBytes, _ := os.ReadFile(filepath.Join(dir, "private.pem"))
	priv, err := endpoint.ParsePrivateKey(pemBytes, "")
	if err != nil {
		t.Fatal(err)
	}
	return priv
}
