package postgres_test

// Tests that "newest first" follows commit order, so a client that polls for newer flows with
// before=<the newest cursor it has seen> never misses one.

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/postgres"
	"github.com/waflows/waflows/internal/pgtest"
)

// seqLockClass is the store's advisory lock class for taking seqs ("wfls").
const seqLockClass = 0x77666c73

// TestPollerSeesEveryFlow: of two creates, the one that starts first is held up before its commit while
// the other one finishes. A poller that lists in between and then asks for what is newer than the newest
// flow it saw must, in the end, have seen both.
func TestPollerSeesEveryFlow(t *testing.T) {
	ctx := context.Background()
	schema := pgtest.Schema(t)
	s, err := postgres.OpenConfig(ctx, pgtest.Config(t, schema))
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
	if err := s.CreateFlow(ctx, newFlow("older"), api.Source{}); err != nil {
		t.Fatal(err)
	}

	// Hold the assets table, so a create that carries JSON waits after inserting its flow row.
	admin, err := pgx.ConnectConfig(ctx, pgtest.Config(t, schema).ConnConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	hold, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hold.Exec(ctx, `LOCK TABLE assets IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	slow, fast := newFlow("slow"), newFlow("fast")
	slow.Asset = &api.AssetInfo{SHA256: "x", Size: 2, UploadedAt: now}
	slowDone, fastDone := make(chan error, 1), make(chan error, 1)
	go func() { slowDone <- s.CreateFlow(ctx, slow, api.Source{Content: []byte("{}")}) }()
	waitFor(t, admin, `SELECT count(*) > 0 FROM pg_locks WHERE relation = 'assets'::regclass AND NOT granted`)
	go func() { fastDone <- s.CreateFlow(ctx, fast, api.Source{}) }()
	// The fast create either finishes or waits its turn behind the slow one.
	for {
		select {
		case err := <-fastDone:
			fastDone <- err
		case <-time.After(10 * time.Millisecond):
			var waiting bool
			admin.QueryRow(ctx, `SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND NOT granted`, seqLockClass).Scan(&waiting)
			if !waiting {
				continue
			}
		}
		break
	}

	seen := map[string]bool{}
	first, err := s.ListFlows(ctx, "1", api.Page{Limit: 10})
	if err != nil || len(first.Flows) == 0 {
		t.Fatalf("first poll: %v %v", first, err)
	}
	for _, f := range first.Flows {
		seen[f.Name] = true
	}
	newest := first.Flows[0].Seq

	if err := hold.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, done := range []chan error{slowDone, fastDone} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	second, err := s.ListFlows(ctx, "1", api.Page{Limit: 10, Before: newest})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range second.Flows {
		seen[f.Name] = true
	}
	for _, name := range []string{"older", "slow", "fast"} {
		if !seen[name] {
			t.Errorf("the poller never saw %q (saw %v)", name, seen)
		}
	}
}

// waitFor polls query (one boolean) until it is true.
func waitFor(t *testing.T, conn *pgx.Conn, query string) {
	t.Helper()
	for range 500 {
		var ok bool
		if err := conn.QueryRow(context.Background(), query).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for: %s", query)
}
