package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/sqlite"
	"github.com/waflows/waflows/api/storetest"
)

// MustOpenDB opens a store on a new file in the test's temporary directory.
func MustOpenDB(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "waflows.db"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) api.FlowStore { return MustOpenDB(tb) })
}

// TestReopenKeepsData: what a write returned nil for is there after the store is closed and reopened.
func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "waflows.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutBusinessAccount(ctx, api.BusinessAccount{ID: "1", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	f := &api.Flow{WABAID: "1", Name: "kept", Status: api.StatusDraft, Categories: []api.Category{"OTHER"}, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateFlow(ctx, f, api.Source{}); err != nil {
		t.Fatal(err)
	}
	content := []byte(`{"version":"7.3"}`)
	if _, err := s.PutAsset(ctx, f.ID, content, func(f *api.Flow) error {
		return f.SetAsset(&api.Asset{Content: content, JSONVersion: "7.3"}, api.AssetInfo{SHA256: "x", Size: int64(len(content)), UploadedAt: now})
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Flow(ctx, f.ID)
	if err != nil || got.Name != "kept" || got.JSONVersion != "7.3" {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	if b, err := s.Asset(ctx, f.ID); err != nil || !bytes.Equal(b, content) {
		t.Fatalf("asset after reopen: %q, %v", b, err)
	}
}

// TestOneProcessPerFile: a second store on the same file is refused while the first is open, with a
// message that says why; once the first closes, the file opens again.
func TestOneProcessPerFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waflows.db")
	first, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if second, err := sqlite.Open(ctx, path); err == nil {
		second.Close()
		t.Fatal("a second store opened the same file")
	} else if !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("error does not say why: %v", err)
	}
	// Not through another name for the same file either.
	link := filepath.Join(t.TempDir(), "symlink.db")
	hard := filepath.Join(filepath.Dir(path), "hardlink.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(path, hard); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, hard} {
		if s, err := sqlite.Open(ctx, p); err == nil {
			s.Close()
			t.Fatalf("the database opened again through %s", p)
		}
	}
	for _, p := range []string{":memory:", "", "file::memory:?cache=shared"} {
		if s, err := sqlite.Open(ctx, p); err == nil {
			s.Close()
			t.Fatalf("in-memory database %q accepted", p)
		}
	}
	first.Close()
	again, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
}

// TestIndexMatchesDatabase: after a mix of writes, what the live store serves from memory equals what a
// fresh store loads from the file.
func TestIndexMatchesDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waflows.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"1", "2"} {
		if err := s.PutBusinessAccount(ctx, api.BusinessAccount{ID: w, Name: w}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Unix(1700000000, 0).UTC()
	var ids []string
	for i := range 30 {
		f := &api.Flow{WABAID: []string{"1", "2"}[i%2], Name: fmt.Sprint("f", i), Status: api.StatusDraft, Categories: []api.Category{"OTHER"}, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateFlow(ctx, f, api.Source{}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	for i, id := range ids {
		switch i % 3 {
		case 0:
			s.DeleteFlow(ctx, id, func(*api.Flow) error { return nil })
		case 1:
			s.UpdateFlow(ctx, id, func(f *api.Flow) error { f.Name += " renamed"; f.Status = api.StatusPublished; return nil })
		}
	}
	snapshot := func(s *sqlite.Store) string {
		var out []string
		for _, w := range []string{"1", "2"} {
			p, _ := s.ListFlows(ctx, w, api.Page{Limit: 100})
			for _, f := range p.Flows {
				out = append(out, fmt.Sprintf("%s %s %s %s %d", f.ID, f.WABAID, f.Name, f.Status, f.Seq))
			}
		}
		return strings.Join(out, "\n")
	}
	live := snapshot(s)
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if loaded := snapshot(s); loaded != live {
		t.Fatalf("index and database differ:\nlive:\n%s\nloaded:\n%s", live, loaded)
	}
	if strings.Count(live, "\n") != 19 {
		t.Fatalf("expected 20 flows, got:\n%s", live)
	}
}
