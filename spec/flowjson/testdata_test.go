package flowjson_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/waflows/waflows/spec/flowjson"
)

var update = flag.Bool("update", false, "rewrite testdata/invalid/*.errors.json from the current output (review the diff!)")

// TestInvalidTestdata checks every testdata/invalid/NAME.json against the
// exact errors in NAME.errors.json: codes, messages, positions and pointers.
func TestInvalidTestdata(t *testing.T) {
	files := jsonFiles(t, "testdata/invalid")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data := mustRead(t, path)
			got := flowjson.Validate(data)
			checkPositions(t, data, got)
			golden := strings.TrimSuffix(path, ".json") + ".errors.json"
			if *update {
				writeGolden(t, golden, got)
				return
			}
			var want []flowjson.ValidationError
			if err := json.Unmarshal(mustRead(t, golden), &want); err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			if len(want) == 0 {
				t.Fatalf("%s expects no errors; valid documents belong in testdata/valid", golden)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("errors differ\n got: %s\nwant: %s", mustJSON(t, got), mustJSON(t, want))
			}
		})
	}
}

// TestValidTestdata checks that every testdata/valid file passes, and what
// Analyze learns from it.
func TestValidTestdata(t *testing.T) {
	want := map[string]flowjson.Result{
		"minimal.json":                     {Version: "7.3"},
		"screens_four.json":                {Version: "6.3"},
		"crlf.json":                        {Version: "6.3"},
		"multibyte.json":                   {Version: "7.3"},
		"escapes.json":                     {Version: "7.3"},
		"duplicate_keys_last_wins.json":    {Version: "7.3"},
		"data_api_version_4_0.json":        {Version: "7.3", DataAPIVersion: "4.0", UsesEndpoint: true},
		"data_channel_uri_v2_1.json":       {Version: "2.1", DataAPIVersion: "3.0", UsesEndpoint: true},
		"whatsapp_flows_tools_survey.json": {Version: "3.1"},
	}
	files := jsonFiles(t, "testdata/valid")
	if len(files) != len(want) {
		t.Errorf("testdata/valid holds %d files, the table %d; keep them in step", len(files), len(want))
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			got := flowjson.Analyze(mustRead(t, path))
			if got.Errors == nil || len(got.Errors) != 0 {
				t.Errorf("Errors = %#v, want an empty non-nil slice", got.Errors)
			}
			got.Errors = nil
			if !reflect.DeepEqual(got, w) {
				t.Errorf("Analyze = %+v, want %+v", got, w)
			}
		})
	}
}

func jsonFiles(t *testing.T, dir string) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".errors.json") {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		t.Fatalf("no files in %s", dir)
	}
	return files
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeGolden(t *testing.T, path string, errs []flowjson.ValidationError) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(errs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
