package postgres

// This file holds what a lost connection costs the store's callers: after PostgreSQL restarts or fails
// over, every pooled connection is dead, and the first use of each would fail. An operation that failed
// that way is run once more, on a fresh connection, wherever that is safe: reads, idempotent statements,
// and transactions that had not asked to commit. A lost COMMIT is reported, never repeated.

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/waflows/waflows/api"
)

// connLost reports whether err means the connection (or the server behind it) went away, rather than
// that the statement failed.
func connLost(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// admin_shutdown, crash_shutdown, cannot_connect_now, and class 08 (connection exception).
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || strings.HasPrefix(pe.Code, "08")
	}
	// A domain error (a refused change) holds none of the errors below; one the store has wrapped (txFlow
	// reports errors through wrap) still holds the driver's.
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return pgconn.SafeToRetry(err) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &ne) || errors.As(err, &ce) || strings.Contains(err.Error(), "conn closed")
}

// again runs op, and once more on a fresh connection if it failed because its connection was lost. op
// must be safe to repeat: a read, or a statement whose second run changes nothing the first did not.
func (s *Store) again(ctx context.Context, op func() error) error {
	err := op()
	if connLost(err) && ctx.Err() == nil {
		s.pool.Reset() // the other idle connections died with this one
		err = op()
	}
	return wrap(err)
}

// tx runs fn in a transaction and commits it. If the connection is lost before the COMMIT is sent, nothing
// was stored, so fn runs once more in a new transaction on a fresh connection (before, reset undoes what
// the first run did to its inputs). A connection lost during the COMMIT leaves the outcome unknown: that
// is returned as EUNAVAILABLE, and not retried.
func (s *Store) tx(ctx context.Context, reset func(), fn func(pgx.Tx) error) error {
	for attempt := 0; ; attempt++ {
		committing := false
		err := func() error {
			tx, err := s.pool.Begin(ctx)
			if err != nil {
				return err
			}
			defer tx.Rollback(context.WithoutCancel(ctx))
			if err := fn(tx); err != nil {
				return err
			}
			committing = true
			return tx.Commit(ctx)
		}()
		switch {
		case err == nil:
			return nil
		case committing && connLost(err):
			return &api.Error{Code: api.EUNAVAILABLE, Message: "(#2) Service temporarily unavailable",
				Detail: "The connection to the database was lost while the change was being committed: it may or may not have been stored. Read it back before you repeat it."}
		case attempt == 0 && connLost(err) && ctx.Err() == nil:
			s.pool.Reset()
			if reset != nil {
				reset()
			}
			continue
		}
		return wrap(err)
	}
}

// unavailable is the error of a database that cannot be reached even on a fresh connection.
func unavailable() *api.Error {
	return &api.Error{Code: api.EUNAVAILABLE, Message: "(#2) Service temporarily unavailable",
		Detail: "The database cannot be reached; retry in a moment."}
}
