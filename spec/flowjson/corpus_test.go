package flowjson_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waflows/waflows/spec/flowjson"
)

// corpusDir holds real flows collected from public repositories. Most may
// not be copied into this repository (see its SOURCES.tsv), so tests read
// them in place and skip when the checkout lacks them.
const corpusDir = "../../../shared/corpus"

func corpusFiles(t testing.TB, sub string) []string {
	t.Helper()
	dir := filepath.Join(corpusDir, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available at %s: %v", dir, err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files in %s (%v)", dir, err)
	}
	return files
}

// TestCorpusValid: flows their authors use must pass the rules implemented so far.
func TestCorpusValid(t *testing.T) {
	for _, path := range corpusFiles(t, "valid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if errs := flowjson.Validate(mustRead(t, path)); len(errs) != 0 {
				t.Errorf("unexpected errors: %+v", errs)
			}
		})
	}
}

// TestCorpusInvalid: the deep rules that reject these come later; for now
// they must not upset the validator, and the malformed version must be caught.
func TestCorpusInvalid(t *testing.T) {
	for _, path := range corpusFiles(t, "invalid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data := mustRead(t, path)
			errs := flowjson.Validate(data)
			checkPositions(t, data, errs)
			if !strings.HasSuffix(path, "InvalidVersionFormat.json") {
				return
			}
			if len(errs) != 1 || errs[0].Error != flowjson.CodeInvalidFlowJSONVersion || errs[0].Pointers[0] != "version" {
				t.Errorf("errors = %+v, want one INVALID_FLOW_JSON_VERSION at version", errs)
			}
		})
	}
}

// TestCorpusDisputed: these break documented rules not implemented yet; they
// must at least parse.
func TestCorpusDisputed(t *testing.T) {
	for _, path := range corpusFiles(t, "disputed") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data := mustRead(t, path)
			errs := flowjson.Validate(data)
			checkPositions(t, data, errs)
			for _, e := range errs {
				if e.Error == flowjson.CodeInvalidFlowJSON {
					t.Errorf("corpus flow is not JSON? %+v", e)
				}
			}
		})
	}
}
