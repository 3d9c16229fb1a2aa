package main

// Tests that every command stops within a second of the first SIGINT or SIGTERM, even with work that a
// context cannot interrupt (a read from a pipe that never ends) or a request in flight.

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// waitExit waits for cmd to exit after a signal and returns how long it took, failing after limit.
func waitExit(t *testing.T, cmd *exec.Cmd, limit time.Duration) (time.Duration, int) {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return time.Since(start), cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s still running %v after the signal", strings.Join(cmd.Args, " "), limit)
		return 0, 0
	}
}

func TestSignalsStopEveryCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	bin := buildWaflows(t)
	// The commands stop within a second; the limit leaves a second more for a loaded machine.
	const limit = 2 * time.Second

	t.Run("validate reading a pipe", func(t *testing.T) {
		cmd := exec.Command(bin, "validate", "-")
		stdin, _ := cmd.StdinPipe() // never closed: the read would wait forever
		defer stdin.Close()
		stdin.Write([]byte(`{"version":`))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGINT)
		took, code := waitExit(t, cmd, limit)
		if code != exitInterrupted {
			t.Fatalf("exit status %d, want %d", code, exitInterrupted)
		}
		t.Logf("validate stopped %v after SIGINT", took)
	})

	t.Run("serve with an upload in flight", func(t *testing.T) {
		dir := t.TempDir()
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "w.db"), "--log", "off")
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		var base, waba, token string
		for sc.Scan() && token == "" {
			if m := regexp.MustCompile(`at http://(\S+)/v21\.0`).FindStringSubmatch(sc.Text()); m != nil {
				base = m[1]
			}
			if m := regexp.MustCompile(`business account: (\d+)`).FindStringSubmatch(sc.Text()); m != nil {
				waba = m[1]
			}
			if m := regexp.MustCompile(`token:\s+(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				token = m[1]
			}
		}
		go func() {
			for sc.Scan() {
			}
		}()
		conn, err := net.Dial("tcp", base)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		// A create whose body never finishes arriving keeps a request in flight.
		fmt.Fprintf(conn, "POST /v21.0/%s/flows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"name\":", waba, token)
		time.Sleep(300 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGTERM)
		took, code := waitExit(t, cmd, limit)
		if code != 0 {
			t.Fatalf("exit status %d, want 0 (a clean shutdown)", code)
		}
		t.Logf("serve stopped %v after SIGTERM (exit %d)", took, code)
	})
}
