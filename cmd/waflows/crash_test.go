package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
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

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/pgtest"
)

// buildWaflows builds the command once per test into a temporary directory.
func buildWaflows(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "waflows")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

const crashToken, crashWABA = "crash-token", "102290129340398"

// startChild runs `waflows serve` as a child process on db and returns its API base.
func startChild(t *testing.T, bin, db, access string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--config", access, "--log", "off")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	re := regexp.MustCompile(`at (http://\S+/v21\.0)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stdout)
			return cmd, m[1]
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("the child printed no banner")
	return nil, ""
}

// crashLedger records what the driver sent and what was acknowledged with a 200.
type crashLedger struct {
	mu           sync.Mutex
	createdNames map[string]string // name -> id, acknowledged
	triedNames   map[string]bool   // every name sent
	uploaded     map[string][]byte // id -> content, acknowledged
	triedUploads map[string][]byte // id -> content, sent but not acknowledged
}

// TestCrashLosesNothing starts waflows serve as a child process, drives creates and uploads at it from
// several goroutines, kills it with SIGKILL mid-stream, restarts it on the same storage, and checks that
// every acknowledged write is there with the exact bytes and that nothing half-written is visible.
func TestCrashLosesNothing(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs child processes")
	}
	bin := buildWaflows(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "data", "waflows.db")
			if backend == "postgres" {
				db = pgtest.URL(t, pgtest.Schema(t))
			}
			access := filepath.Join(dir, "access.yaml")
			os.WriteFile(access, []byte(fmt.Sprintf("business_accounts: [{id: %q, name: Crash}]\ntokens: [{token: %s, business_accounts: [%q]}]\n", crashWABA, crashToken, crashWABA)), 0o644)

			child, base := startChild(t, bin, db, access)
			ledger := &crashLedger{createdNames: map[string]string{}, triedNames: map[string]bool{}, uploaded: map[string][]byte{}, triedUploads: map[string][]byte{}}
			var wg sync.WaitGroup
			for g := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					driveCrash(base, g, ledger)
				}()
			}
			// Kill mid-stream, once some writes are acknowledged.
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				ledger.mu.Lock()
				n := len(ledger.uploaded)
				ledger.mu.Unlock()
				if n >= 150 {
					break
				}
			}
			child.Process.Signal(syscall.SIGKILL)
			child.Wait()
			wg.Wait()

			child, base = startChild(t, bin, db, access)
			defer func() { child.Process.Signal(syscall.SIGTERM); child.Wait() }()
			checked, lost := verifyCrash(t, base, ledger)
			t.Logf("%s: %d acknowledged writes checked (%d creates, %d uploads), %d lost; %d unacknowledged requests were in flight",
				backend, checked, len(ledger.createdNames), len(ledger.uploaded), lost, len(ledger.triedUploads)+len(ledger.triedNames)-len(ledger.createdNames))
			if lost != 0 {
				t.Fatalf("%d acknowledged writes lost", lost)
			}
			if len(ledger.uploaded) < 150 {
				t.Fatalf("only %d uploads were acknowledged before the kill", len(ledger.uploaded))
			}
		})
	}
}

// driveCrash creates flows and uploads a distinct JSON to each until the server stops answering.
func driveCrash(base string, g int, l *crashLedger) {
	hc := &http.Client{Timeout: 10 * time.Second}
	for i := 0; ; i++ {
		name := fmt.Sprintf("crash-%d-%d", g, i)
		l.mu.Lock()
		l.triedNames[name] = true
		l.mu.Unlock()
		res, err := post(hc, base+"/"+crashWABA+"/flows", "application/json", strings.NewReader(`{"name":"`+name+`","categories":["OTHER"]}`))
		if err != nil {
			return
		}
		var created struct{ ID string }
		if res.status != 200 || json.Unmarshal(res.body, &created) != nil {
			return
		}
		// A document of 10 to 300 KB; for odd i it has an extra top-level key, an error, so the stored
		// validation state varies from flow to flow.
		pad := strings.Repeat(" ", 10_000+(g*7919+i*104729)%290_000)
		extra := ""
		if i%2 == 1 {
			extra = `,"n":"` + name + `"`
		}
		content := []byte(`{"version":"7.3","screens":[{"id":"S","terminal":true,"layout":{"type":"SingleColumnLayout","children":[]}}]` + extra + pad + "}")
		l.mu.Lock()
		l.createdNames[name] = created.ID
		l.triedUploads[created.ID] = content
		l.mu.Unlock()
		var body bytes.Buffer
		w := multipartWriter(&body, content)
		res, err = post(hc, base+"/"+created.ID+"/assets", w, &body)
		if err != nil || res.status != 200 {
			return
		}
		l.mu.Lock()
		l.uploaded[created.ID] = content
		delete(l.triedUploads, created.ID)
		l.mu.Unlock()
	}
}

type rawResponse struct {
	status int
	body   []byte
}

func post(hc *http.Client, url, contentType string, body io.Reader) (rawResponse, error) {
	req, _ := http.NewRequest("POST", url, body)
	req.Header.Set("Authorization", "Bearer "+crashToken)
	req.Header.Set("Content-Type", contentType)
	return send(hc, req)
}

func send(hc *http.Client, req *http.Request) (rawResponse, error) {
	res, err := hc.Do(req)
	if err != nil {
		return rawResponse{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return rawResponse{res.StatusCode, b}, err
}

func multipartWriter(body *bytes.Buffer, content []byte) string {
	boundary := "crashboundary7MA4YWxkTrZu0gW"
	fmt.Fprintf(body, "--%s\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nflow.json\r\n--%s\r\nContent-Disposition: form-data; name=\"asset_type\"\r\n\r\nFLOW_JSON\r\n--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\n\r\n", boundary, boundary, boundary)
	body.Write(content)
	fmt.Fprintf(body, "\r\n--%s--\r\n", boundary)
	return "multipart/form-data; boundary=" + boundary
}

func get(t *testing.T, url string, auth bool) rawResponse {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if auth {
		req.Header.Set("Authorization", "Bearer "+crashToken)
	}
	r, err := send(http.DefaultClient, req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// verifyCrash checks the restarted server against the ledger and returns the acknowledged writes checked
// and how many of them were lost.
func verifyCrash(t *testing.T, base string, l *crashLedger) (checked, lost int) {
	t.Helper()
	// Every flow the server lists was sent by the driver, and its JSON, if any, is one it sent, whole.
	seen := map[string]bool{}
	link := base + "/" + crashWABA + "/flows?limit=100&fields=id,name,validation_errors"
	for link != "" {
		r := get(t, link, true)
		var page struct {
			Data []struct {
				ID               string            `json:"id"`
				Name             string            `json:"name"`
				ValidationErrors []json.RawMessage `json:"validation_errors"`
			}
			Paging struct{ Next string }
		}
		if r.status != 200 || json.Unmarshal(r.body, &page) != nil {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		for _, f := range page.Data {
			seen[f.ID] = true
			if !l.triedNames[f.Name] {
				t.Errorf("flow %s %q was never sent", f.ID, f.Name)
			}
			stored := download(t, base, f.ID)
			if stored == nil {
				if len(f.ValidationErrors) != 0 {
					t.Errorf("flow %s has validation errors but no JSON", f.ID)
				}
				continue
			}
			want, acked := l.uploaded[f.ID]
			if !acked {
				want = l.triedUploads[f.ID]
			}
			if !bytes.Equal(stored, want) {
				t.Errorf("flow %s: stored JSON (%d bytes) is not what was sent (%d bytes)", f.ID, len(stored), len(want))
			}
			if n := len(flowjson.Validate(stored)); n != len(f.ValidationErrors) {
				t.Errorf("flow %s: its JSON has %d errors, the flow records %d", f.ID, n, len(f.ValidationErrors))
			}
		}
		link = page.Paging.Next
	}
	for name, id := range l.createdNames {
		checked++
		if !seen[id] {
			lost++
			t.Errorf("acknowledged create of %q (%s) is missing", name, id)
		}
	}
	for id, content := range l.uploaded {
		checked++
		if got := download(t, base, id); !bytes.Equal(got, content) {
			lost++
			t.Errorf("acknowledged upload to %s: got %d bytes, want %d", id, len(got), len(content))
		}
	}
	return checked, lost
}

// download returns a flow's JSON through its download_url, or nil when it has none.
func download(t *testing.T, base, id string) []byte {
	t.Helper()
	r := get(t, base+"/"+id+"/assets", true)
	var assets struct {
		Data []struct {
			DownloadURL string `json:"download_url"`
		}
	}
	if r.status != 200 || json.Unmarshal(r.body, &assets) != nil {
		t.Fatalf("assets of %s: %d %s", id, r.status, r.body)
	}
	if len(assets.Data) == 0 {
		return nil
	}
	d := get(t, assets.Data[0].DownloadURL, false)
	if d.status != 200 {
		t.Fatalf("download of %s: %d %s", id, d.status, d.body)
	}
	return d.body
}
