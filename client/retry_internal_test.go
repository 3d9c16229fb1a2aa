package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	d := &retryDoer{policy: RetryPolicy{MaxAttempts: 10, InitialBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}}
	for attempt, full := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 9: time.Second} {
		for range 50 {
			if w := d.backoff(attempt); w < full/2 || w > full {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, w, full/2, full)
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	if d, ok := retryAfter("7"); !ok || d != 7*time.Second {
		t.Fatal(d, ok)
	}
	future := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	if d, ok := retryAfter(future); !ok || d < 25*time.Second || d > 31*time.Second {
		t.Fatal(d, ok)
	}
	for _, bad := range []string{"", "-1", "soon"} {
		if _, ok := retryAfter(bad); ok {
			t.Fatalf("%q parsed", bad)
		}
	}
}

// TestWaitsFollowRetryAfter: the waits between attempts are the server's Retry-After when it gives one,
// and the jittered backoff otherwise.
func TestWaitsFollowRetryAfter(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		switch n {
		case 1:
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"message":"limit","type":"OAuthException","code":17,"fbtrace_id":"x"}}`)
		case 2:
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"message":"limit","type":"OAuthException","code":17,"fbtrace_id":"x"}}`)
		default:
			io.WriteString(w, `{}`)
		}
	}))
	defer srv.Close()
	var waits []time.Duration
	d := &retryDoer{next: srv.Client(), policy: RetryPolicy{MaxAttempts: 5, InitialBackoff: time.Second, MaxBackoff: 10 * time.Second, MaxRetryAfter: time.Minute},
		sleep: func(_ context.Context, w time.Duration) error { waits = append(waits, w); return nil }}
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(`{"name":"x"}`))
	req = req.WithContext(withClass(context.Background(), classWrite))
	res, err := d.Do(req)
	if err != nil || res.StatusCode != 200 || n != 3 {
		t.Fatalf("%v %v after %d", res, err, n)
	}
	if len(waits) != 2 || waits[0] != 3*time.Second || waits[1] < time.Second || waits[1] > 2*time.Second {
		t.Fatalf("waits %v", waits)
	}
}
