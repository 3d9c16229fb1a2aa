package postgres_test

// Tests that a restart of PostgreSQL (every backend terminated, as in a failover) costs the store's
// callers nothing: the next operations get fresh connections instead of errors from dead ones.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/postgres"
	"github.com/waflows/waflows/internal/pgtest"
)

// terminateBackends ends every connection of the store's application name, as a restart would.
func terminateBackends(t *testing.T, app string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(),
		`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// pg_terminate_backend only signals; wait until they are gone.
	for range 100 {
		var left int
		conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&left)
		if left == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

func TestBackendsTerminated(t *testing.T) {
	ctx := context.Background()
	cfg := pgtest.Config(t, pgtest.Schema(t))
	app := fmt.Sprintf("waflows-restart-%d", rand.Uint64())
	cfg.ConnConfig.RuntimeParams["application_name"] = app
	cfg.MaxConns = 4
	s, err := postgres.OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutBusinessAccount(ctx, api.BusinessAccount{ID: "1", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	newFlow := func(name string) *api.Flow {
		return &api.Flow{WABAID: "1", Name: name, Status: api.StatusDraft, Categories: []api.Category{"OTHER"}, CreatedAt: now, UpdatedAt: now}
	}
	first := newFlow("first")
	if err := s.CreateFlow(ctx, first, api.Source{}); err != nil {
		t.Fatal(err)
	}
	// Fill the pool with idle connections.
	warm := func() {
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() { defer wg.Done(); s.ListFlows(ctx, "1", api.Page{Limit: 10}) }()
		}
		wg.Wait()
	}
	ops := []struct {
		name string
		run  func() error
	}{
		{"Flow", func() error { _, err := s.Flow(ctx, first.ID); return err }},
		{"ListFlows", func() error { _, err := s.ListFlows(ctx, "1", api.Page{Limit: 10}); return err }},
		{"Asset", func() error {
			_, err := s.Asset(ctx, first.ID)
			if api.ErrorCodeOf(err) == api.ENOTFOUND {
				return nil
			}
			return err
		}},
		{"BusinessAccount", func() error { _, err := s.BusinessAccount(ctx, "1"); return err }},
		{"Setting", func() error { _, err := s.Setting(ctx, "k"); return err }},
		{"Health", func() error { return s.Health(ctx) }},
		{"CreateFlow", func() error { return s.CreateFlow(ctx, newFlow(fmt.Sprintf("made %d", rand.Uint64())), api.Source{}) }},
		{"UpdateFlow", func() error {
			_, err := s.UpdateFlow(ctx, first.ID, func(f *api.Flow) error { f.Name = fmt.Sprintf("renamed %d", rand.Uint64()); return nil })
			return err
		}},
		{"PutAsset", func() error {
			_, err := s.PutAsset(ctx, first.ID, []byte(`{}`), func(*api.Flow) error { return nil })
			return err
		}},
		{"DeleteFlow", func() error {
			f := newFlow(fmt.Sprintf("doomed %d", rand.Uint64()))
			if err := s.CreateFlow(ctx, f, api.Source{}); err != nil {
				return err
			}
			terminateBackends(t, app)
			return s.DeleteFlow(ctx, f.ID, func(*api.Flow) error { return nil })
		}},
		{"InitSetting", func() error { _, err := s.InitSetting(ctx, fmt.Sprint("k", rand.Uint64()), "v"); return err }},
		{"PutBusinessAccount", func() error { return s.PutBusinessAccount(ctx, api.BusinessAccount{ID: "2", Name: "B"}) }},
	}
	for _, op := range ops {
		warm()
		if n := terminateBackends(t, app); n == 0 {
			t.Fatal("no backend was terminated")
		}
		if err := op.run(); err != nil {
			t.Errorf("%s right after the backends were terminated: %v", op.name, err)
		}
	}
}
