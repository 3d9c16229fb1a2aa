//go:build unix

package sqlite

import (
	"fmt"
	"os"
	"syscall"
)

// lockFile opens the database file (creating it, readable by its owner only) and takes an exclusive flock
// on it for the life of the store, so no second process can open the same database, whatever path
// (symlink, hard link) it uses: the store's in-memory index is exact only while it is the only writer.
// On Linux flock does not interfere with the fcntl locks SQLite takes. Close the file to release the lock,
// after SQLite has closed it.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("sqlite: %s is in use by another process (one process per SQLite file; use PostgreSQL for several instances): %w", path, err)
	}
	return f, nil
}
