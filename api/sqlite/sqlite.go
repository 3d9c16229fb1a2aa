// Package sqlite is the embedded FlowStore: one SQLite file in WAL mode, owned by one process, written by
// one connection. Flow metadata is also kept in an in-memory index updated after each commit, so reads
// of flows and pages of flows cost no SQL; flow JSON bytes are read from the file.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/waflows/waflows/api"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a FlowStore on one SQLite database file.
type Store struct {
	// writer has exactly one connection, so write transactions queue in Go instead of failing with
	// SQLITE_BUSY; reader serves plain reads concurrently (WAL lets readers run beside the writer).
	writer *sql.DB
	reader *sql.DB

	// writeMu serializes writes with the index updates that follow their commits.
	writeMu sync.Mutex
	index   *flowIndex

	// file is the database file as opened (and flocked); path is where it should still be.
	path   string
	file   *os.File
	fileID os.FileInfo
}

var _ api.FlowStore = (*Store)(nil)

// Open opens (creating if needed) the database at path, applies pending migrations and returns the store.
// Commits are synchronous (synchronous=FULL): a nil error from a write means the data is on disk.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.Contains(path, "mode=memory") {
		return nil, fmt.Errorf("sqlite: %q: give the path of a database file (an in-memory database cannot be shared by the store's connections)", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		// The database holds the development token and the link-signing key: its directory, when created
		// here, is its owner's only (an existing one keeps its mode).
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: create directory for %s: %w", path, err)
		}
	}
	dsn := func(mode string) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "foreign_keys(ON)")
		q.Set("_txlock", "immediate")
		q.Set("mode", mode)
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	file, err := lockFile(path)
	if err != nil {
		return nil, err
	}
	fileID, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	writer, err := sql.Open("sqlite", dsn("rwc"))
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	s := &Store{writer: writer, index: newFlowIndex(), path: path, file: file, fileID: fileID}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.index.load(ctx, s); err != nil {
		s.Close()
		return nil, err
	}
	reader, err := sql.Open("sqlite", dsn("ro"))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	reader.SetConnMaxLifetime(0)
	s.reader = reader
	return s, nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	var errs []error
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	errs = append(errs, s.writer.Close())
	if s.file != nil {
		errs = append(errs, s.file.Close())
	}
	return errors.Join(errs...)
}

// checkFile reports EUNAVAILABLE when the database file is no longer at its path — deleted, or replaced
// by another file — while the store runs: writes would go to a file no later start will open, and a
// second server may already be using the path. It costs one stat.
func (s *Store) checkFile() error {
	fi, err := os.Stat(s.path)
	if err == nil && os.SameFile(fi, s.fileID) {
		return nil
	}
	what := "replaced by another file"
	if err != nil {
		what = "deleted"
	}
	return &api.Error{Code: api.EUNAVAILABLE, Message: "(#2) Service temporarily unavailable",
		Detail: fmt.Sprintf("The database file %s was %s while the server runs; nothing can be stored until waflows serve is restarted.", s.path, what)}
}

// Health reports whether the store can take writes: EUNAVAILABLE when its database file is gone. It asks
// a reading connection, so it does not wait behind a long write.
func (s *Store) Health(ctx context.Context) error {
	if err := s.checkFile(); err != nil {
		return err
	}
	return wrap(s.reader.PingContext(ctx))
}

// migrate applies, in one transaction, every embedded migration not yet recorded.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for _, name := range names {
		var done int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&done); err != nil {
			return fmt.Errorf("sqlite: migrate: %w", err)
		}
		if done > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, name); err != nil {
			return fmt.Errorf("sqlite: migrate: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	return nil
}

// PutBusinessAccount creates or renames a business account.
func (s *Store) PutBusinessAccount(ctx context.Context, a api.BusinessAccount) error {
	if err := s.checkFile(); err != nil {
		return err
	}
	_, err := s.writer.ExecContext(ctx,
		`INSERT INTO business_accounts (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
		a.ID, a.Name)
	return wrap(err)
}

// BusinessAccount returns one account; ENOTFOUND when it does not exist.
func (s *Store) BusinessAccount(ctx context.Context, id string) (api.BusinessAccount, error) {
	a := api.BusinessAccount{ID: id}
	err := s.reader.QueryRowContext(ctx, `SELECT name FROM business_accounts WHERE id = ?`, id).Scan(&a.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return api.BusinessAccount{}, api.NotFound(id)
	}
	return a, wrap(err)
}

// Setting returns a stored setting, or "" when unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.reader.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, wrap(err)
}

// InitSetting stores value under key unless one is there, and returns the stored value.
func (s *Store) InitSetting(ctx context.Context, key, value string) (string, error) {
	if err := s.checkFile(); err != nil {
		return "", err
	}
	if _, err := s.writer.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
		return "", wrap(err)
	}
	var v string
	err := s.writer.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	return v, wrap(err)
}

// PutBusinessPublicKey stores the public key of a phone number, replacing the one before.
func (s *Store) PutBusinessPublicKey(ctx context.Context, k api.BusinessPublicKey) error {
	if err := s.checkFile(); err != nil {
		return err
	}
	_, err := s.writer.ExecContext(ctx, `INSERT INTO business_public_keys (phone_number_id, public_key, updated_at)
		VALUES (?, ?, ?) ON CONFLICT (phone_number_id) DO UPDATE SET public_key = excluded.public_key, updated_at = excluded.updated_at`,
		k.PhoneNumberID, k.PEM, k.UpdatedAt.UnixNano())
	return wrap(err)
}

// BusinessPublicKey returns a phone number's public key; ENOTFOUND when none was uploaded.
func (s *Store) BusinessPublicKey(ctx context.Context, phoneNumberID string) (api.BusinessPublicKey, error) {
	k := api.BusinessPublicKey{PhoneNumberID: phoneNumberID}
	var at int64
	err := s.reader.QueryRowContext(ctx, `SELECT public_key, updated_at FROM business_public_keys WHERE phone_number_id = ?`,
		phoneNumberID).Scan(&k.PEM, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return api.BusinessPublicKey{}, api.NotFound(phoneNumberID)
	}
	k.UpdatedAt = time.Unix(0, at).UTC()
	return k, wrap(err)
}

// wrap turns driver errors into domain errors where they mean something to a caller.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite3.Error
	if errors.As(err, &se) && se.Code() == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE && strings.Contains(se.Error(), "flows.waba_id, flows.name") {
		return &api.Error{Code: api.ECONFLICT, Message: "Flow name is not unique",
			Detail: "Another flow in this WhatsApp Business Account already has this name."}
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return err
	}
	return fmt.Errorf("sqlite: %w", err)
}
