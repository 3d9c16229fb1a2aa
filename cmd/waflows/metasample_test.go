package main

// This file checks `waflows endpoint check` (and so endpoint.Client) against an implementation nobody
// here wrote: Meta's own Node.js sample endpoint, examples/endpoint/nodejs/book-appointment of
// WhatsApp/WhatsApp-Flows-Tools (MIT). Nothing of the sample is kept in this repository: point
// WAFLOWS_META_SAMPLE at that directory in your own checkout, with its dependencies installed there
// (npm install), and the test runs the sample's keyGenerator.js and server.js as they are.
// testdata/meta-appointment.json is our Flow JSON for the sample's appointment template.

import (
	"bufio"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/endpoint"
)

func TestMetaSampleEndpoint(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is required under CI (apt-get install -y nodejs; .ci/run does it)")
		}
		t.Skip("node is not installed")
	}
	dir := os.Getenv("WAFLOWS_META_SAMPLE")
	if dir == "" {
		t.Skip("set WAFLOWS_META_SAMPLE to WhatsApp-Flows-Tools/examples/endpoint/nodejs/book-appointment, with npm install done there (nothing of the sample is kept in this repository)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "express")); err != nil {
		t.Fatalf("%s has no node_modules/express: run npm install there first", dir)
	}
	// The sample's own key generator: a DES-EDE3 encrypted PKCS#1 key, as Meta's users have them.
	keys, err := exec.Command(node, filepath.Join(dir, "src", "keyGenerator.js"), "flows-pass").Output()
	if err != nil {
		t.Fatalf("keyGenerator.js: %v", err)
	}
	privPEM := between(string(keys), "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----")
	pubPEM := between(string(keys), "-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----")
	if privPEM == "" || pubPEM == "" || !strings.Contains(privPEM, "DES-EDE3-CBC") {
		t.Fatalf("keyGenerator.js printed no key pair:\n%s", keys)
	}
	priv, err := endpoint.ParsePrivateKey([]byte(privPEM), "flows-pass")
	if err != nil {
		t.Fatalf("ParsePrivateKey of keyGenerator.js's key: %v", err)
	}
	if pub, err := endpoint.ParsePublicKey([]byte(pubPEM)); err != nil || !pub.Equal(&priv.PublicKey) {
		t.Fatalf("keyGenerator.js's public key: %v", err)
	}
	work := t.TempDir()
	pubFile := filepath.Join(work, "public.pem")
	os.WriteFile(pubFile, []byte(pubPEM), 0o644)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	server := exec.Command(node, "src/server.js")
	server.Dir = dir
	server.Env = append(os.Environ(), "PRIVATE_KEY="+privPEM, "PASSPHRASE=flows-pass", "APP_SECRET=meta-app-secret", "PORT="+strconv.Itoa(port))
	logs, _ := server.StdoutPipe()
	server.Stderr = server.Stdout
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer server.Process.Kill()
	listening := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening") {
				close(listening)
				break
			}
		}
		io.Copy(io.Discard, logs)
	}()
	select {
	case <-listening:
	case <-time.After(20 * time.Second):
		t.Fatal("the sample did not start listening in 20 s")
	}

	var out strings.Builder
	code := run(context.Background(), []string{"endpoint", "check", "http://127.0.0.1:" + strconv.Itoa(port) + "/", "--public-key", pubFile,
		"--app-secret", "meta-app-secret", "--flow", "testdata/meta-appointment.json", "--flow-token", "meta-sample", "--probe-all"},
		strings.NewReader(""), &out, io.Discard)
	report := out.String()
	t.Logf("the check of Meta's sample:\n%s", report)
	if code != exitOK || !strings.Contains(report, "healthy: Meta's client can use this endpoint") {
		t.Fatalf("exit %d: Meta's sample is not healthy by our check", code)
	}
	// Its whole flow: INIT, the selections that enable the next dropdown, DETAILS, SUMMARY, SUCCESS.
	for _, want := range []string{"✔ INIT on open answered", "✔ data_exchange on APPOINTMENT answered", "→ SUMMARY", "✔ data_exchange on SUMMARY answered",
		"→ SUCCESS", "✔ the flow completes with its flow token"} {
		if !strings.Contains(report, want) {
			t.Errorf("the walk lacks %q", want)
		}
	}
	// What the sample gets wrong, found as it was when this test was written (a finding, not a failure).
	if !strings.Contains(report, "! a request with a tampered GCM tag is refused with 421\n    HTTP 500") {
		t.Logf("the sample's answer to a tampered tag changed (it was a 500)")
	}
}

// between returns the text from begin through end, or "".
func between(s, begin, end string) string {
	i := strings.Index(s, begin)
	j := strings.Index(s, end)
	if i < 0 || j < i {
		return ""
	}
	return s[i : j+len(end)]
}
