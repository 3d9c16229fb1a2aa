package postgres_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/postgres"
	"github.com/waflows/waflows/api/storetest"
	"github.com/waflows/waflows/internal/pgtest"
)

// MustOpenDB opens a store on a new, empty schema of the test database (see internal/pgtest).
func MustOpenDB(tb testing.TB) *postgres.Store {
	tb.Helper()
	s, err := postgres.OpenConfig(context.Background(), pgtest.Config(tb, pgtest.Schema(tb)))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) api.FlowStore { return MustOpenDB(tb) })
}

// TestConcurrentMigrations: instances starting together on one empty database all come up, and the
// migrations ran once.
func TestConcurrentMigrations(t *testing.T) {
	schema := pgtest.Schema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := postgres.OpenConfig(context.Background(), pgtest.Config(t, schema))
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	pool, err := pgxpool.NewWithConfig(ctx, pgtest.Config(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n int
	pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n)
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v %v", files, err)
	}
	if n != len(files) {
		t.Fatalf("%d migrations recorded, want each of the %d once", n, len(files))
	}
}

// TestInstancesShareSettings: two stores on one database agree on settings stored first by either.
func TestInstancesShareSettings(t *testing.T) {
	schema := pgtest.Schema(t)
	ctx := context.Background()
	a, err := postgres.OpenConfig(ctx, pgtest.Config(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.OpenConfig(ctx, pgtest.Config(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			got[i], _ = s.InitSetting(ctx, "signing_key", fmt.Sprint("key-", i))
		}()
	}
	wg.Wait()
	for _, v := range got {
		if v == "" || v != got[0] {
			t.Fatalf("instances disagree: %v", got)
		}
	}
}
