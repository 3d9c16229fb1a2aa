// Package postgres is the FlowStore for several server instances on one PostgreSQL database. Every read
// goes to the database, so each instance sees the others' writes at once; writes that change a flow lock
// its row for the length of one transaction.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/waflows/waflows/api"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock key under which instances apply migrations one at a time.
const migrationLock = 0x7761666c6f7773 // "waflows"

// seqLockClass is the first key of the advisory locks under which creates take their seq, one business
// account at a time (the second key is the account's hash).
const seqLockClass = 0x77666c73 // "wfls"

// Store is a FlowStore on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

var _ api.FlowStore = (*Store)(nil)

// Open connects to dsn (a postgres:// URL or key=value string), applies pending migrations under an
// advisory lock so that instances starting together do not collide, and returns the store.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed pool configuration (tests use it to set a search_path).
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Health reports whether the database answers.
func (s *Store) Health(ctx context.Context) error {
	return s.again(ctx, func() error { return s.pool.Ping(ctx) })
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// migrate applies every embedded migration not yet recorded, holding the advisory lock.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		var done bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`, name).Scan(&done); err != nil {
			return fmt.Errorf("postgres: migrate: %w", err)
		}
		if done {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

// PutBusinessAccount creates or renames a business account.
func (s *Store) PutBusinessAccount(ctx context.Context, a api.BusinessAccount) error {
	return s.again(ctx, func() error { // an upsert: running it twice is running it once
		_, err := s.pool.Exec(ctx, `INSERT INTO business_accounts (id, name) VALUES ($1, $2)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name`, a.ID, a.Name)
		return err
	})
}

// BusinessAccount returns one account; ENOTFOUND when it does not exist.
func (s *Store) BusinessAccount(ctx context.Context, id string) (api.BusinessAccount, error) {
	a := api.BusinessAccount{ID: id}
	err := s.again(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT name FROM business_accounts WHERE id = $1`, id).Scan(&a.Name)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return api.BusinessAccount{}, api.NotFound(id)
	}
	return a, err
}

// Setting returns a stored setting, or "" when unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.again(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// InitSetting stores value under key unless one is there, and returns the stored value: instances that
// start together agree on the first one stored.
func (s *Store) InitSetting(ctx context.Context, key, value string) (string, error) {
	// Two statements: under READ COMMITTED the SELECT sees a row another instance committed after the
	// INSERT found the conflict, which one statement's snapshot might not.
	if err := s.again(ctx, func() error { // DO NOTHING on conflict: a second run changes nothing
		_, err := s.pool.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, value)
		return err
	}); err != nil {
		return "", err
	}
	var v string
	err := s.again(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	})
	return v, err
}

// PutBusinessPublicKey stores the public key of a phone number, replacing the one before.
func (s *Store) PutBusinessPublicKey(ctx context.Context, k api.BusinessPublicKey) error {
	return s.again(ctx, func() error { // an upsert of the same values: running it twice is running it once
		_, err := s.pool.Exec(ctx, `INSERT INTO business_public_keys (phone_number_id, public_key, updated_at)
			VALUES ($1, $2, $3) ON CONFLICT (phone_number_id) DO UPDATE SET public_key = excluded.public_key, updated_at = excluded.updated_at`,
			k.PhoneNumberID, k.PEM, k.UpdatedAt.UnixNano())
		return err
	})
}

// BusinessPublicKey returns a phone number's public key; ENOTFOUND when none was uploaded.
func (s *Store) BusinessPublicKey(ctx context.Context, phoneNumberID string) (api.BusinessPublicKey, error) {
	k := api.BusinessPublicKey{PhoneNumberID: phoneNumberID}
	var at int64
	err := s.again(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT public_key, updated_at FROM business_public_keys WHERE phone_number_id = $1`,
			phoneNumberID).Scan(&k.PEM, &at)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return api.BusinessPublicKey{}, api.NotFound(phoneNumberID)
	}
	k.UpdatedAt = time.Unix(0, at).UTC()
	return k, err
}

// wrap turns driver errors into domain errors where they mean something to a caller.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "flows_name_unique" {
		return &api.Error{Code: api.ECONFLICT, Message: "Flow name is not unique",
			Detail: "Another flow in this WhatsApp Business Account already has this name."}
	}
	if connLost(err) {
		return fmt.Errorf("postgres: %w (%w)", unavailable(), err)
	}
	return fmt.Errorf("postgres: %w", err)
}
