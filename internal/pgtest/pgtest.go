// Package pgtest gives tests an empty PostgreSQL schema of the database named by
// WAFLOWS_TEST_POSTGRES_DSN. Without the variable a test is skipped, except under CI (CI set), where it
// fails: CI must run the PostgreSQL tests.
package pgtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvDSN is the environment variable naming the test database.
const EnvDSN = "WAFLOWS_TEST_POSTGRES_DSN"

// DSN returns the test database, skipping or failing the test when it is not configured.
func DSN(tb testing.TB) string {
	tb.Helper()
	d := os.Getenv(EnvDSN)
	if d == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s is not set, and CI must run the PostgreSQL tests", EnvDSN)
		}
		tb.Skipf("%s is not set: skipping the PostgreSQL tests (e.g. %s=postgres://postgres@127.0.0.1:5432/test)", EnvDSN, EnvDSN)
	}
	return d
}

// Available reports whether PostgreSQL tests can run (the variable is set).
func Available() bool { return os.Getenv(EnvDSN) != "" }

// Schema creates an empty schema for the test, drops it when the test ends, and returns its name.
func Schema(tb testing.TB) string {
	tb.Helper()
	dsn := DSN(tb)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("pgtest: connect to %s: %v", EnvDSN, err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("waflows_test_%d", rand.Uint64()>>1)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	return schema
}

// Config returns a pool configuration whose connections use schema.
func Config(tb testing.TB, schema string) *pgxpool.Config {
	tb.Helper()
	cfg, err := pgxpool.ParseConfig(DSN(tb))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return cfg
}

// URL returns the test database's URL with schema as its search_path, for a child process.
func URL(tb testing.TB, schema string) string {
	tb.Helper()
	dsn := DSN(tb)
	sep := "?"
	for _, c := range dsn {
		if c == '?' {
			sep = "&"
		}
	}
	return dsn + sep + "search_path=" + schema
}
