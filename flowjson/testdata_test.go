package flowjson_test

// Table tests over testdata/valid and testdata/invalid: each invalid case with the exact errors it must
// give.

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/waflows/waflows/flowjson"
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

// TestWarningsTestdata checks every testdata/warnings/NAME.json: no errors (Meta accepts it), and exactly
// the warnings in NAME.warnings.json.
func TestWarningsTestdata(t *testing.T) {
	for _, path := range jsonFiles(t, "testdata/warnings") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data := mustRead(t, path)
			res := flowjson.Analyze(data)
			if len(res.Errors) != 0 {
				t.Fatalf("errors in a document Meta accepts: %s", mustJSON(t, res.Errors))
			}
			checkPositions(t, data, res.Warnings)
			golden := strings.TrimSuffix(path, ".json") + ".warnings.json"
			if *update {
				writeGolden(t, golden, res.Warnings)
				return
			}
			var want []flowjson.ValidationError
			if err := json.Unmarshal(mustRead(t, golden), &want); err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			if len(want) == 0 {
				t.Fatalf("%s expects no warnings; such documents belong in testdata/valid", golden)
			}
			for _, w := range want {
				if w.ErrorType != flowjson.ErrorTypeWarning || !slices.Contains(warningCodes, w.Error) {
					t.Errorf("%s: %s/%s is not a warning code", golden, w.Error, w.ErrorType)
				}
			}
			if !reflect.DeepEqual(res.Warnings, want) {
				t.Errorf("warnings differ\n got: %s\nwant: %s", mustJSON(t, res.Warnings), mustJSON(t, want))
			}
		})
	}
}

// warningCodes are the codes of Result.Warnings; each has a case in testdata/warnings.
var warningCodes = []string{flowjson.WarnCharacterLimit, flowjson.WarnImageSize, flowjson.WarnItemsNotRendered}

// TestValidTestdata checks that every testdata/valid file passes, and what
// Analyze learns from it: the files listed in want give the Result there,
// the others the version and data API version they declare, with
// UsesEndpoint when they declare a data API version or hold a data_exchange
// action.
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
	for _, path := range jsonFiles(t, "testdata/valid") {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data := mustRead(t, path)
			w, ok := want[name]
			if !ok {
				w = declaredResult(t, data)
			}
			got := flowjson.Analyze(data)
			if got.Errors == nil || len(got.Errors) != 0 {
				t.Errorf("Errors = %s, want an empty non-nil slice", mustJSON(t, got.Errors))
			}
			if got.Warnings == nil || len(got.Warnings) != 0 {
				t.Errorf("Warnings = %s, want an empty non-nil slice", mustJSON(t, got.Warnings))
			}
			got.Errors, got.Warnings = nil, nil
			if !reflect.DeepEqual(got, w) {
				t.Errorf("Analyze = %+v, want %+v", got, w)
			}
		})
	}
}

// declaredResult is the Result a valid document declares: its version, its
// data API version, and whether it uses an endpoint.
func declaredResult(t *testing.T, data []byte) flowjson.Result {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	r := flowjson.Result{}
	r.Version, _ = doc["version"].(string)
	r.DataAPIVersion, _ = doc["data_api_version"].(string)
	r.UsesEndpoint = r.DataAPIVersion != "" || hasDataExchange(doc)
	return r
}

func hasDataExchange(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		if v["name"] == "data_exchange" {
			return true
		}
		for _, x := range v {
			if hasDataExchange(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasDataExchange(x) {
				return true
			}
		}
	}
	return false
}

func jsonFiles(t *testing.T, dir string) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".errors.json") && !strings.HasSuffix(f, ".warnings.json") {
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

// catalogue is Meta's catalogue of validator error codes (section B.9 of the
// reference), followed by the codes of Meta's own Flow JSON validator that
// this package also uses. INVALID_PROPERTY, an older name of
// INVALID_PROPERTY_KEY seen only in an old Postman sample, is not emitted.
var catalogue = []string{
	// Schema
	flowjson.CodeInvalidPropertyKey, flowjson.CodeInvalidPropertyValue, flowjson.CodeInvalidPropertyType,
	flowjson.CodeInvalidPropertyValueFormat, flowjson.CodeMinItemsRequired, flowjson.CodeMinCharsRequired,
	flowjson.CodeMissingRequiredTypeProperty, flowjson.CodeMissingRequiredProperty, flowjson.CodePatternMismatch,
	flowjson.CodeInvalidEnumValue, flowjson.CodeInvalidDependencies, flowjson.CodeNotKeywordSchemaValidationFailed,
	flowjson.CodeInvalidFlowJSON, flowjson.CodeKeywordOneOf,
	// Versions
	flowjson.CodeInvalidFlowJSONVersion, flowjson.CodeMissingFlowJSONVersion, flowjson.CodeUnsupportedFlowJSONVersion,
	flowjson.CodeUnavailableFlowJSONVersion, flowjson.CodeNoSupportedDataAPIVersion,
	// Structure
	flowjson.CodeInvalidRoutingModel, flowjson.CodeInvalidCompleteAction, flowjson.CodeInvalidNavigateActionPayload,
	flowjson.CodeInvalidNavigateActionNextScreenName, flowjson.CodeInvalidOnClickActionPayload,
	flowjson.CodeInvalidActionPayloadProperty, flowjson.CodeInvalidScreenData, flowjson.CodeInvalidScreenDynamicData,
	// Limits
	flowjson.CodeMaxScreensNumber, flowjson.CodeMaxEmbeddedLinkPerScreen, flowjson.CodeMaxFooterPerScreen,
	flowjson.CodeMaxImagePerScreen, flowjson.CodeMaxOptInPerScreen, flowjson.CodeMinValueGreaterThanMax,
	flowjson.CodeMinimumValueRequired, flowjson.CodeMaximumValueRequired,
	// Naming and terminal rules
	flowjson.CodeDuplicateFormComponentNames, flowjson.CodeDuplicateScreenIDs, flowjson.CodeScreenIDIsReservedKeyword,
	flowjson.CodeMissingFooterOnTerminalScreen, flowjson.CodeMissingTerminalScreen, flowjson.CodeComponentsOutsideForm,
	flowjson.CodeMissingFooterInIfElseBranches, flowjson.CodeMissingFooterInSwitchBranches, flowjson.CodeMoreThanOneFooter,
	flowjson.CodeNativeComponentInFormInitValues,
	// Meta's validator only
	flowjson.CodeMaxItemsRequired, flowjson.CodeComponentTypeMaxNumberPerScreen, flowjson.CodeMaxAllowedComponentsPerScreen,
	flowjson.CodeInvalidComponentPlacement, flowjson.CodeInvalidRichTextPlacement, flowjson.CodeInvalidTextDynamicData,
	flowjson.CodeInvalidUpdateDataActionPayload, flowjson.CodeDataSourceItemsHaveBothImageAndColor,
	flowjson.CodeMaximumIfNesting, flowjson.CodeInvalidSensitiveField, flowjson.CodeInvalidPropertyNameForCondition,
	flowjson.CodeInvalidPropertyValueForCondition, flowjson.CodeDuplicatePropertyForCondition,
}

// TestEveryCodeHasACase fails when a code of the catalogue has no invalid
// case in testdata, or when an invalid case has no valid counterpart.
func TestEveryCodeHasACase(t *testing.T) {
	if len(catalogue) != 58 {
		t.Errorf("catalogue holds %d codes, want 45 of B.9 and 13 of Meta's validator", len(catalogue))
	}
	seen := map[string]bool{}
	for _, path := range jsonFiles(t, "testdata/invalid") {
		var errs []flowjson.ValidationError
		if err := json.Unmarshal(mustRead(t, strings.TrimSuffix(path, ".json")+".errors.json"), &errs); err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			seen[e.Error] = true
			if !slices.Contains(catalogue, e.Error) {
				t.Errorf("%s: code %s is not in the catalogue", path, e.Error)
			}
			if want := errorTypes[e.Error]; want != "" && e.ErrorType != want {
				t.Errorf("%s: %s has error_type %s, want %s", path, e.Error, e.ErrorType, want)
			}
		}
		name := filepath.Base(path)
		counterpart := name
		if c, ok := counterparts[name]; ok {
			counterpart = c
		} else if strings.HasPrefix(name, "syntax_") {
			counterpart = "minimal.json" // with escapes.json, crlf.json and multibyte.json
		}
		if _, err := os.Stat(filepath.Join("testdata/valid", counterpart)); err != nil {
			t.Errorf("%s has no valid counterpart (testdata/valid/%s)", name, counterpart)
		}
	}
	for _, code := range catalogue {
		if !seen[code] {
			t.Errorf("no case in testdata/invalid gives %s", code)
		}
	}
	warned := map[string]bool{}
	for _, path := range jsonFiles(t, "testdata/warnings") {
		var ws []flowjson.ValidationError
		if err := json.Unmarshal(mustRead(t, strings.TrimSuffix(path, ".json")+".warnings.json"), &ws); err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			warned[w.Error] = true
		}
		if _, err := os.Stat(filepath.Join("testdata/valid", filepath.Base(path))); err != nil {
			t.Errorf("%s has no counterpart without warnings in testdata/valid", path)
		}
	}
	for _, code := range warningCodes {
		if !warned[code] {
			t.Errorf("no case in testdata/warnings gives %s", code)
		}
	}
}

// errorTypes is the error_type Meta gives the schema codes; every other code
// is a FLOW_JSON_ERROR, except the few conditional rules that reuse a
// schema code at flow level (checked case by case in the golden files).
var errorTypes = map[string]string{
	flowjson.CodeInvalidFlowJSON:                  flowjson.ErrorTypeJSONSchema,
	flowjson.CodeInvalidPropertyKey:               flowjson.ErrorTypeJSONSchema,
	flowjson.CodeInvalidPropertyType:              flowjson.ErrorTypeJSONSchema,
	flowjson.CodeInvalidPropertyValueFormat:       flowjson.ErrorTypeJSONSchema,
	flowjson.CodeMinItemsRequired:                 flowjson.ErrorTypeJSONSchema,
	flowjson.CodeMaxItemsRequired:                 flowjson.ErrorTypeJSONSchema,
	flowjson.CodeMinCharsRequired:                 flowjson.ErrorTypeJSONSchema,
	flowjson.CodeMissingRequiredTypeProperty:      flowjson.ErrorTypeJSONSchema,
	flowjson.CodePatternMismatch:                  flowjson.ErrorTypeJSONSchema,
	flowjson.CodeInvalidEnumValue:                 flowjson.ErrorTypeJSONSchema,
	flowjson.CodeInvalidDependencies:              flowjson.ErrorTypeJSONSchema,
	flowjson.CodeNotKeywordSchemaValidationFailed: flowjson.ErrorTypeJSONSchema,
	flowjson.CodeKeywordOneOf:                     flowjson.ErrorTypeJSONSchema,
	flowjson.CodeMinimumValueRequired:             flowjson.ErrorTypeJSONSchema,
	flowjson.CodeMaximumValueRequired:             flowjson.ErrorTypeJSONSchema,
	flowjson.CodeInvalidFlowJSONVersion:           flowjson.ErrorTypeFlowJSON,
	flowjson.CodeInvalidRoutingModel:              flowjson.ErrorTypeFlowJSON,
	flowjson.CodeInvalidScreenDynamicData:         flowjson.ErrorTypeFlowJSON,
}

// counterparts names the valid file close to an invalid one when the names
// differ (the older cases).
var counterparts = map[string]string{
	"data_api_version_number.json":       "data_api_version_4_0.json",
	"data_api_version_unsupported.json":  "data_api_version_4_0.json",
	"data_channel_uri_v3_0.json":         "data_channel_uri_v2_1.json",
	"root_not_object.json":               "minimal.json",
	"root_unknown_key.json":              "minimal.json",
	"routing_model_not_object.json":      "data_api_version_4_0.json",
	"screen_not_object.json":             "minimal.json",
	"screens_empty.json":                 "minimal.json",
	"screens_missing.json":               "minimal.json",
	"screens_not_array.json":             "minimal.json",
	"several_faults.json":                "minimal.json",
	"version_duplicate_last_wins.json":   "duplicate_keys_last_wins.json",
	"version_major_only.json":            "minimal.json",
	"version_missing.json":               "minimal.json",
	"version_number.json":                "minimal.json",
	"version_prefixed.json":              "minimal.json",
	"version_too_old.json":               "minimal.json",
	"version_unknown.json":               "minimal.json",
	"syntax_crlf_missing_comma.json":     "crlf.json",
	"syntax_multibyte_before_fault.json": "multibyte.json",
}
