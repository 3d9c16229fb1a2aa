package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
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
