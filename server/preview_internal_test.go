package server

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// TestPreviewSessionBounds: the table keeps at most max sessions and budget bytes, dropping the least
// recently used (whose engine is stopped), and forgets sessions idle too long.
func TestPreviewSessionBounds(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tab := newPreviewSessions(clock)
	tab.max, tab.budget = 3, 10<<20
	mk := func(size int) *previewSession {
		ctx, cancel := context.WithCancel(context.Background())
		return &previewSession{id: newSessionID(), ctx: ctx, cancel: cancel, flowSize: size}
	}
	var made []*previewSession
	for range 5 {
		ss := mk(1000)
		tab.add(ss)
		made = append(made, ss)
		now = now.Add(time.Second)
	}
	if tab.len() != 3 {
		t.Fatalf("%d sessions kept, want 3", tab.len())
	}
	if tab.get(made[0].id) != nil || tab.get(made[1].id) != nil || made[0].ctx.Err() == nil {
		t.Fatal("the oldest sessions were kept, or their engines not stopped")
	}
	// Using a session keeps it: made[2] is read, so made[3] is now the least recently used.
	now = now.Add(time.Second)
	if tab.get(made[2].id) == nil {
		t.Fatal("a recent session was dropped")
	}
	now = now.Add(time.Second)
	tab.add(mk(1000))
	if tab.get(made[3].id) != nil || tab.get(made[2].id) == nil {
		t.Fatal("the least recently used session was not the one dropped")
	}
	// Memory: a session that grows past the budget pushes the others out, never itself.
	big := made[4]
	old := big.cost()
	big.fileBytes = 10<<20 - 100_000
	tab.resize(big, old)
	if tab.get(big.id) == nil || tab.len() != 1 || tab.bytes > tab.budget {
		t.Fatalf("after growing: %d sessions, %d bytes (budget %d)", tab.len(), tab.bytes, tab.budget)
	}
	// Idle sessions go.
	now = now.Add(previewIdle + time.Minute)
	if tab.get(big.id) != nil || tab.len() != 0 || tab.bytes != 0 {
		t.Fatalf("an idle session was kept: %d sessions, %d bytes", tab.len(), tab.bytes)
	}
}

// FuzzPreviewRequests: whatever the query and the posted form, the preview answers with a page, never a
// 500 or a panic, and the session stays usable.
func FuzzPreviewRequests(f *testing.F) {
	f.Add("interactive=true&flow_action_payload=%7B%22screen%22%3A%22DETAILS%22%7D", "p.full_name=1&f.full_name=Ada&_press=Continue")
	f.Add("interactive=true&flow_action=data_exchange", "_op=answer&_screen=CONFIRM&_data=%7B%7D")
	f.Add("interactive=1&debug=1", "p.topics=1&f.topics=news&f.topics=nope&p.terms=1&f.terms=on&_op=back")
	f.Add("flow_action_payload=%5B", "_clear=full_name&p.birthday=1&f.birthday=2024-13-45")
	f.Add("interactive=true", "_op=restart")
	data, err := os.ReadFile("testdata/preview/signup.json")
	if err != nil {
		f.Fatal(err)
	}
	p := newPreviewer(time.Now, nil)
	t := previewTarget{flow: newPreviewFlow("fuzz", "fuzz", data), path: "/"}
	f.Fuzz(func(tt *testing.T, query, form string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.RawQuery = query
		p.serve(rec, req, t)
		if rec.Code >= 500 {
			tt.Fatalf("GET ?%s: %d", query, rec.Code)
		}
		loc := rec.Header().Get("Location")
		if loc == "" {
			return
		}
		for range 2 {
			req := httptest.NewRequest("POST", loc, strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec = httptest.NewRecorder()
			p.serve(rec, req, t)
			if rec.Code >= 500 {
				tt.Fatalf("POST %q: %d %s", form, rec.Code, rec.Body)
			}
		}
		rec = httptest.NewRecorder()
		p.serve(rec, httptest.NewRequest("GET", loc, nil), t)
		if rec.Code != 200 {
			tt.Fatalf("the session after %q: %d", form, rec.Code)
		}
	})
}

// TestEndpointCallsBounded: a session keeps its last maxEndpointCalls calls for the debug panel.
func TestEndpointCallsBounded(t *testing.T) {
	var c endpointCalls
	for i := range maxEndpointCalls + 50 {
		c.add(endpointCall{Action: "data_exchange", Status: 200 + i})
	}
	got := c.list()
	if len(got) != maxEndpointCalls || got[0].Status != 250 || got[len(got)-1].Status != 200+maxEndpointCalls+49 {
		t.Fatalf("kept %d calls, first %d, last %d", len(got), got[0].Status, got[len(got)-1].Status)
	}
}

// TestReplyBytesCount: what a session's endpoint replies weigh counts in its cost.
func TestReplyBytesCount(t *testing.T) {
	ss := &previewSession{flowSize: 1000}
	before := ss.cost()
	ss.replyBytes.Add(5 << 20)
	if ss.cost()-before != 10<<20 {
		t.Fatalf("cost grew by %d for 5 MiB of replies", ss.cost()-before)
	}
}

// TestDataAPIVersions: flow_token_signature goes with Data API 4.0 and later, compared as numbers.
func TestDataAPIVersions(t *testing.T) {
	for v, want := range map[string]bool{"3.0": false, "4.0": true, "10.0": true, "": false, "x": false} {
		if atLeastDataAPI4(v) != want {
			t.Errorf("atLeastDataAPI4(%q) = %v", v, !want)
		}
	}
}
