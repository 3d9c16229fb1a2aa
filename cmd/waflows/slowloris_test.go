package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/internal/pgtest"
)

// TestSlowClients: clients that trickle their headers or body are cut off by the server's timeouts, and
// the server keeps serving everyone else meanwhile, on either store.
func TestSlowClients(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testSlowClients(t, filepath.Join(t.TempDir(), "w.db")) })
	t.Run("postgres", func(t *testing.T) { testSlowClients(t, pgtest.URL(t, pgtest.Schema(t))) })
}

func testSlowClients(t *testing.T, db string) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--log", "off",
			"--read-header-timeout", "1s", "--read-timeout", "2s"}, nil, out, out)
	}()
	defer func() { cancel(); <-done }()
	var base, token, waba string
	for i := 0; i < 1000 && base == ""; i++ {
		if m := bannerRE.FindStringSubmatch(out.String()); m != nil {
			base, waba, token = m[1], m[2], m[3]
		}
		time.Sleep(10 * time.Millisecond)
	}
	host := strings.TrimPrefix(base, "http://")

	// trickle writes one byte at a time and reports how long the server kept the connection open.
	trickle := func(prefix, rest string) time.Duration {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		io.WriteString(conn, prefix)
		closed := make(chan struct{})
		go func() { io.Copy(io.Discard, conn); close(closed) }()
		for i := 0; i < len(rest); i++ {
			select {
			case <-closed:
				return time.Since(start)
			case <-time.After(200 * time.Millisecond):
			}
			if _, err := conn.Write([]byte{rest[i]}); err != nil {
				break
			}
		}
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
			t.Fatal("the server never closed a slow connection")
		}
		return time.Since(start)
	}
	results := make(chan time.Duration, 8)
	for range 4 {
		go func() {
			results <- trickle("GET /v21.0/"+waba+"/flows HTTP/1.1\r\nHost: x\r\n", "X-Slow: "+strings.Repeat("a", 100)+"\r\n\r\n")
		}()
		go func() {
			results <- trickle("POST /v21.0/"+waba+"/flows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+token+"\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n",
				`{"name":"slow","categories":["OTHER"]`+strings.Repeat(" ", 160)+`}`)
		}()
	}
	// Meanwhile an ordinary client is served at once.
	time.Sleep(300 * time.Millisecond)
	req, _ := http.NewRequest("GET", base+"/v21.0/"+waba+"/flows", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 || time.Since(start) > time.Second {
		t.Fatalf("a normal request during the slow ones: %v %v after %v", res, err, time.Since(start))
	}
	res.Body.Close()
	for range 8 {
		if d := <-results; d > 4*time.Second {
			t.Fatalf("a slow client was kept for %v", d)
		}
	}
	// The slow create never happened.
	req, _ = http.NewRequest("GET", base+"/v21.0/"+waba+"/flows", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, _ = http.DefaultClient.Do(req)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if regexp.MustCompile(`"slow"`).Match(b) {
		t.Fatalf("a cut-off request stored a flow: %s", b)
	}
}
