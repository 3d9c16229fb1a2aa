// Command hostile measures what hostile requests cost a fresh `waflows serve`: the resident memory that
// stalled uploads and large JSON bodies make it hold, the CPU a slow-to-validate upload takes (and whether
// the work stops when the client hangs up), and the size of what validation errors make a list page
// return. Each scenario starts its own server from --bin, so one cannot inflate another. It reads the
// server's /proc/PID/status (VmRSS, VmHWM) and /proc/PID/stat (CPU time), so it runs on Linux only.
//
//	go run ./bench/hostile --bin ./waflows [--scenario stalled,validation,errors,bodies]
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/waflows/waflows/internal/flowgen"
)

const (
	waba  = "102290129340398"
	token = "hostile-token"
)

func main() {
	bin := flag.String("bin", "", "waflows binary to measure (required)")
	which := flag.String("scenario", "stalled,validation,errors,bodies", "comma-separated scenarios to run")
	stalled := flag.Int("stalled", 200, "stalled uploads to hold open")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "hostile: --bin is required")
		os.Exit(2)
	}
	for _, name := range strings.Split(*which, ",") {
		var err error
		switch name {
		case "stalled":
			err = run(*bin, func(s *server) error { return stalledUploads(s, *stalled) })
		case "validation":
			err = run(*bin, slowValidation)
		case "errors":
			err = run(*bin, errorPages)
		case "bodies":
			err = run(*bin, largeBodies)
		default:
			err = fmt.Errorf("unknown scenario %q", name)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "hostile: %s: %v\n", name, err)
			os.Exit(1)
		}
	}
}

// server is one running `waflows serve`.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	addr string
}

func run(bin string, scenario func(*server) error) error {
	dir, err := os.MkdirTemp("", "waflows-hostile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	access := filepath.Join(dir, "access.yaml")
	if err := os.WriteFile(access, []byte(fmt.Sprintf(
		"business_accounts:\n  - id: %q\n    name: Hostile\ntokens:\n  - token: %q\n    business_accounts: [%q]\n",
		waba, token, waba)), 0o600); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", filepath.Join(dir, "db", "waflows.db"), "--config", access, "--log", "off")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	s := &server{cmd: cmd, base: "http://" + addr, addr: addr}
	for i := 0; ; i++ {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			return fmt.Errorf("server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return scenario(s)
}

// memory returns the server's resident set and its peak, in MiB.
func (s *server) memory() (rss, hwm float64) {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm
}

// cpu returns the server's user+system CPU time.
func (s *server) cpu() time.Duration {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

func (s *server) do(ctx context.Context, method, path, contentType string, body io.Reader) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.base+"/v21.0"+path, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (s *server) createFlow(name string) (string, error) {
	status, b, err := s.do(context.Background(), "POST", "/"+waba+"/flows", "application/json",
		strings.NewReader(fmt.Sprintf(`{"name":%q,"categories":["OTHER"]}`, name)))
	if err != nil {
		return "", err
	}
	var out struct{ ID string }
	if status != 200 || json.Unmarshal(b, &out) != nil {
		return "", fmt.Errorf("create: %d %s", status, b)
	}
	return out.ID, nil
}

func uploadBody(content []byte) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("name", "flow.json")
	mw.WriteField("asset_type", "FLOW_JSON")
	fw, _ := mw.CreateFormFile("file", "flow.json")
	fw.Write(content)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func (s *server) upload(ctx context.Context, id string, content []byte) (int, []byte, error) {
	ct, body := uploadBody(content)
	return s.do(ctx, "POST", "/"+id+"/assets", ct, body)
}

// stalledUploads opens n connections that each declare a 10 MB upload, send its first ~150 bytes and stop.
func stalledUploads(s *server, n int) error {
	id, err := s.createFlow("stalled")
	if err != nil {
		return err
	}
	time.Sleep(500 * time.Millisecond)
	rss0, _ := s.memory()
	const boundary = "hostileboundary"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\nContent-Type: application/json\r\n\r\n{\"version\":\"7.3\",\"screens\":["
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "POST /v21.0/%s/assets HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n%s",
			id, s.addr, token, boundary, 10<<20, head)
	}
	time.Sleep(3 * time.Second)
	rss1, _ := s.memory()
	answered := 0
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
			resp.Body.Close()
			answered++
		}
	}
	fmt.Printf("stalled uploads: %d connections each sent %d bytes of a declared 10 MB upload: RSS %+.0f MiB (%.0f → %.0f); %d refused (code 4) within 3 s, %d held\n",
		n, len(head), rss1-rss0, rss0, rss1, answered, n-answered)
	return nil
}

// manyKeys is a flow whose one screen has n distinct unknown keys.
func manyKeys(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}`)
	for i := range n {
		fmt.Fprintf(&b, `,"k%d":0`, i)
	}
	b.WriteString(`}]}`)
	return b.Bytes()
}

// slowValidation uploads flows with one screen of many distinct keys, waits for the answer and reports
// the server's CPU time; then it uploads a bigger one, hangs up after 300 ms, and reports the CPU the
// server spends over the next 5 s.
func slowValidation(s *server) error {
	id, err := s.createFlow("keys")
	if err != nil {
		return err
	}
	for _, n := range []int{50_000, 100_000} {
		doc := manyKeys(n)
		cpu0, t0 := s.cpu(), time.Now()
		status, _, err := s.upload(context.Background(), id, doc)
		if err != nil {
			return err
		}
		fmt.Printf("validation: upload of %.0f KB with %d distinct keys on one screen: HTTP %d after %v, server CPU %v\n",
			float64(len(doc))/1000, n, status, time.Since(t0).Round(time.Millisecond), (s.cpu() - cpu0).Round(10*time.Millisecond))
	}
	// A 10 MB document of keys, and a client that hangs up while the server validates it.
	doc := manyKeys(870_000)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	cpu0 := s.cpu()
	_, _, err = s.upload(ctx, id, doc)
	if !errors.Is(err, context.DeadlineExceeded) {
		fmt.Printf("validation: the %.1f MB upload finished before the client hung up at 60 ms (%v)\n", float64(len(doc))/1e6, err)
	}
	time.Sleep(5 * time.Second)
	fmt.Printf("validation: a %.1f MB upload whose client hung up at 60 ms cost the server %v of CPU over the next 5 s\n", float64(len(doc))/1e6, (s.cpu() - cpu0).Round(10*time.Millisecond))
	return nil
}

// errorPages uploads, to 20 flows, a 9.9 MB JSON that is nothing but long validation errors, then reports
// the size of one flow's validation_errors and of one list page of the 20 flows.
func errorPages(s *server) error {
	doc := flowgen.UnknownKeys(9_900_000, 9_800)
	var stored int
	for i := range 20 {
		id, err := s.createFlow(fmt.Sprintf("errors %02d", i))
		if err != nil {
			return err
		}
		status, b, err := s.upload(context.Background(), id, doc)
		if err != nil || status != 200 {
			return fmt.Errorf("upload: %d %v %.200s", status, err, b)
		}
		stored = len(b)
	}
	_, one, err := s.do(context.Background(), "GET", "/"+waba+"/flows?limit=1", "", nil)
	if err != nil {
		return err
	}
	req := "/" + waba + "/flows?limit=20"
	_, page, err := s.do(context.Background(), "GET", req, "", nil)
	if err != nil {
		return err
	}
	rss, _ := s.memory()
	fmt.Printf("validation errors: one 9.9 MB upload answers %.2f MB of validation_errors; a list page of 1 flow is %.2f MB; the %d-byte request GET /v21.0%s returns %.1f MB; server RSS %.0f MiB\n",
		float64(stored)/1e6, float64(len(one))/1e6, len("GET /v21.0"+req+" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), req, float64(len(page))/1e6, rss)
	return nil
}

// emptyArrays is a create body of about size bytes made of empty arrays: in an unknown field "x", in the
// categories, or as the text of flow_json.
func emptyArrays(name, field string, size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 64)
	switch field {
	case "x":
		fmt.Fprintf(&b, `{"name":%q,"categories":["OTHER"],"x":[[]`, name)
	case "categories":
		fmt.Fprintf(&b, `{"name":%q,"categories":[[]`, name)
	case "flow_json":
		fmt.Fprintf(&b, `{"name":%q,"categories":["OTHER"],"flow_json":"[[]`, name)
	}
	for b.Len() < size-3 {
		b.WriteString(`,[]`)
	}
	b.WriteString(`]`)
	if field == "flow_json" {
		b.WriteString(`"`)
	}
	b.WriteString(`}`)
	return b.Bytes()
}

// largeBodies sends, for each place empty arrays can sit, four 10 MB create requests at once and reports
// the server's peak resident memory growth (one fresh server for all three: peaks only rise).
func largeBodies(s *server) error {
	time.Sleep(500 * time.Millisecond)
	for _, field := range []string{"x", "categories", "flow_json"} {
		rss0, hwm0 := s.memory()
		var wg sync.WaitGroup
		statuses := make([]int, 4)
		for i := range 4 {
			body := emptyArrays(fmt.Sprintf("arrays %s %d", field, i), field, 10<<20)
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i], _, _ = s.do(context.Background(), "POST", "/"+waba+"/flows", "application/json", bytes.NewReader(body))
			}()
		}
		wg.Wait()
		rss1, hwm1 := s.memory()
		fmt.Printf("JSON bodies: 4 concurrent 10 MB creates of empty arrays in %q (HTTP %v): peak RSS %+.0f MiB (%.0f → %.0f), RSS after %+.0f MiB\n",
			field, statuses, hwm1-hwm0, hwm0, hwm1, rss1-rss0)
	}
	return nil
}
