//go:build !unix

package sqlite

import (
	"fmt"
	"os"
)

// lockFile opens the database file (creating it, for its owner only); where flock is unavailable it
// takes no lock, so run one process per database file there.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return f, nil
}
