package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/postgres"
	"github.com/waflows/waflows/api/storetest"
)

// MustOpenDB opens a store on a new, empty schema of the database named by WAFLOWS_TEST_POSTGRES_DSN and
// drops the schema when the test ends. Without the variable the test is skipped, except under CI, where
// it fails: CI must run these tests.
func MustOpenDB(tb testing.TB) *postgres.Store {
	tb.Helper()
	schema := NewSchema(tb)
	s, err := postgres.OpenConfig(context.Background(), poolConfig(tb, schema))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// dsn returns the test database, skipping or failing as described on MustOpenDB.
func dsn(tb testing.TB) string {
	tb.Helper()
	d := os.Getenv("WAFLOWS_TEST_POSTGRES_DSN")
	if d == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("WAFLOWS_TEST_POSTGRES_DSN is not set, and CI must run the PostgreSQL tests")
		}
		tb.Skip("WAFLOWS_TEST_POSTGRES_DSN is not set: skipping the PostgreSQL tests (e.g. WAFLOWS_TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:5432/test)")
	}
	return d
}

// NewSchema creates an empty schema for one test and drops it afterwards.
func NewSchema(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn(tb))
	if err != nil {
		tb.Fatalf("connect to the test database: %v", err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("waflows_test_%d", rand.Uint64()>>1)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn(tb))
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	return schema
}

func poolConfig(tb testing.TB, schema string) *pgxpool.Config {
	cfg, err := pgxpool.ParseConfig(dsn(tb))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return cfg
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) api.FlowStore { return MustOpenDB(tb) })
}

// TestConcurrentMigrations: instances starting together on one empty database all come up, and the
// migrations ran once.
func TestConcurrentMigrations(t *testing.T) {
	schema := NewSchema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := postgres.OpenConfig(context.Background(), poolConfig(t, schema))
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
	pool, err := pgxpool.NewWithConfig(ctx, poolConfig(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n int
	pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d migrations recorded, want 1", n)
	}
}

// TestInstancesShareSettings: two stores on one database agree on settings stored first by either.
func TestInstancesShareSettings(t *testing.T) {
	schema := NewSchema(t)
	ctx := context.Background()
	a, err := postgres.OpenConfig(ctx, poolConfig(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.OpenConfig(ctx, poolConfig(t, schema))
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
