package flowjson_test

// The fuzz target of Analyze: no panics, positions inside the document, results that do not alias the
// input.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/waflows/waflows/flowjson"
)

// FuzzAnalyze checks that Analyze never panics, that every position lies in
// the input, and that its idea of well-formed JSON matches encoding/json's.
func FuzzAnalyze(f *testing.F) {
	for _, pattern := range []string{"testdata/*/*.json", corpusDir + "/*/*.json"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"version":"7.3","screens":[{"id":"A","layout":{"type":"SingleColumnLayout","children":[]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := flowjson.Analyze(data)
		if res.Errors == nil {
			t.Fatal("Errors is nil")
		}
		checkPositions(t, data, res.Errors)
		notJSON := len(res.Errors) > 0 && res.Errors[0].Error == flowjson.CodeInvalidFlowJSON
		if notJSON && len(res.Errors) != 1 {
			t.Errorf("unparseable input gave %d errors", len(res.Errors))
		}
		// encoding/json tolerates invalid UTF-8 and nests 10000 deep; we do not.
		if !utf8.Valid(data) || bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > 512 {
			return
		}
		if valid := json.Valid(data); valid == notJSON {
			t.Errorf("json.Valid = %v but Analyze says not JSON = %v: %+v", valid, notJSON, res.Errors)
		}
	})
}
