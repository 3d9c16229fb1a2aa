package sqlite_test

// Tests of the database file itself: its permissions, and a file deleted or replaced under the store.

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/sqlite"
)

// TestFilesAreTheOwnersOnly: the database holds tokens and the link-signing key, so the directory the
// store creates is 0700 and the database and its WAL files are 0600, whatever the umask.
func TestFilesAreTheOwnersOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX permissions")
	}
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "waflows.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutBusinessAccount(context.Background(), api.BusinessAccount{ID: "1", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	for p, mode := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), got, mode)
		}
	}
}

// TestDatabaseFileGone: when the database file is deleted or replaced while the store runs, writes are
// refused with EUNAVAILABLE (instead of going to a file no later start will read), Health fails, and reads
// of what was stored still work.
func TestDatabaseFileGone(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	newFlow := func(name string) *api.Flow {
		return &api.Flow{WABAID: "1", Name: name, Status: api.StatusDraft, Categories: []api.Category{"OTHER"}, CreatedAt: now, UpdatedAt: now}
	}
	for name, remove := range map[string]func(t *testing.T, path string){
		"deleted": func(t *testing.T, path string) {
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				os.Remove(p)
			}
		},
		"replaced": func(t *testing.T, path string) {
			other := filepath.Join(filepath.Dir(path), "other.db")
			if err := os.WriteFile(other, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(other, path); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "waflows.db")
			s, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.PutBusinessAccount(ctx, api.BusinessAccount{ID: "1", Name: "A"}); err != nil {
				t.Fatal(err)
			}
			kept := newFlow("kept")
			if err := s.CreateFlow(ctx, kept, api.Source{}); err != nil {
				t.Fatal(err)
			}
			if err := s.Health(ctx); err != nil {
				t.Fatalf("health before: %v", err)
			}
			remove(t, path)
			unavailable := func(what string, err error) {
				t.Helper()
				if api.ErrorCodeOf(err) != api.EUNAVAILABLE {
					t.Fatalf("%s after the file was %s: %v, want EUNAVAILABLE", what, name, err)
				}
			}
			unavailable("Health", s.Health(ctx))
			unavailable("CreateFlow", s.CreateFlow(ctx, newFlow("lost"), api.Source{}))
			_, err = s.UpdateFlow(ctx, kept.ID, func(f *api.Flow) error { f.Name = "renamed"; return nil })
			unavailable("UpdateFlow", err)
			_, err = s.PutAsset(ctx, kept.ID, []byte("{}"), func(*api.Flow) error { return nil })
			unavailable("PutAsset", err)
			unavailable("DeleteFlow", s.DeleteFlow(ctx, kept.ID, func(*api.Flow) error { return nil }))
			unavailable("PutBusinessAccount", s.PutBusinessAccount(ctx, api.BusinessAccount{ID: "2", Name: "B"}))
			_, err = s.InitSetting(ctx, "k", "v")
			unavailable("InitSetting", err)
			if f, err := s.Flow(ctx, kept.ID); err != nil || f.Name != "kept" {
				t.Fatalf("read after: %v %v", f.Name, err)
			}
		})
	}
}
