// The shared material read in place (most of it may not be copied here): the corpus of real flows and
// the crypto test vector, found through $WAFLOWS_CORPUS or ../shared beside the checkout.
package testflow

import (
	"os"
	"path/filepath"
	"testing"
)

// CorpusDir is the shared corpus of real flows: $WAFLOWS_CORPUS, else ../../shared/corpus (the path from
// a package directory of this module to the shared material beside the checkout).
func CorpusDir() string {
	if d := os.Getenv("WAFLOWS_CORPUS"); d != "" {
		return d
	}
	return "../../shared/corpus"
}

// missing skips the test, or fails it under CI (CI set), where the shared material must be there.
func missing(tb testing.TB, what, path string, err error) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("the shared %s is not at %s (set WAFLOWS_CORPUS), and CI must run these tests: %v", what, path, err)
	}
	tb.Skipf("the shared %s is not available at %s (set WAFLOWS_CORPUS): %v", what, path, err)
}

// CorpusFiles returns the *.json files of the corpus directory sub (valid, invalid, …).
func CorpusFiles(tb testing.TB, sub string) []string {
	tb.Helper()
	dir := filepath.Join(CorpusDir(), sub)
	if _, err := os.Stat(dir); err != nil {
		missing(tb, "corpus", dir, err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no corpus files in %s (%v)", dir, err)
	}
	return files
}

// SharedFile reads rel from the shared material beside the corpus (e.g. crypto/flows_endpoint_vector.json).
func SharedFile(tb testing.TB, rel string) []byte {
	tb.Helper()
	path := filepath.Join(CorpusDir(), "..", rel)
	data, err := os.ReadFile(path)
	if err != nil {
		missing(tb, rel, path, err)
	}
	return data
}
