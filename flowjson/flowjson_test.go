package flowjson_test

// Tests of the API: what Analyze reports besides errors, versions, nesting and error limits.

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/flowgen"
)

// TestAnalyzeResult covers what Analyze reports besides errors, chiefly
// endpoint detection.
func TestAnalyzeResult(t *testing.T) {
	const screens = `"screens":[{"id":"A","layout":{"type":"SingleColumnLayout","children":[%s]}}]`
	flow := func(top, child string) string {
		return `{"version":"7.3",` + top + strings.Replace(screens, "%s", child, 1) + `}`
	}
	tests := []struct {
		name string
		doc  string
		want flowjson.Result
	}{
		{"no endpoint", flow("", `{"type":"Footer","label":"Go","on-click-action":{"name":"complete","payload":{}}}`),
			flowjson.Result{Version: "7.3"}},
		{"data_api_version alone", flow(`"data_api_version":"3.0","routing_model":{"A":[]},`, ``),
			flowjson.Result{Version: "7.3", DataAPIVersion: "3.0", UsesEndpoint: true}},
		{"data_exchange on a Footer", flow("", `{"type":"Footer","label":"Go","on-click-action":{"name":"data_exchange","payload":{}}}`),
			flowjson.Result{Version: "7.3", UsesEndpoint: true}},
		{"data_exchange in a nested on-select-action", flow("", `{"type":"If","condition":"${form.x}","then":[{"type":"Dropdown","name":"d","label":"D","data-source":[{"id":"1","title":"One","on-select-action":{"payload":{},"name":"data_exchange"}}]}]}`),
			flowjson.Result{Version: "7.3", UsesEndpoint: true}},
		{"data_exchange spelt with an escape", flow("", `{"type":"Footer","label":"Go","on\u002dclick-action":{"name":"data\u005fexchange"}}`),
			flowjson.Result{Version: "7.3", UsesEndpoint: true}},
		{"data_exchange outside an action", flow("", `{"type":"TextBody","text":"data_exchange","name":"data_exchange"}`),
			flowjson.Result{Version: "7.3"}},
		{"action key holding a string", flow("", `{"type":"Footer","label":"Go","on-click-action":"data_exchange"}`),
			flowjson.Result{Version: "7.3"}},
		{"data_api_version null", flow(`"data_api_version":null,`, ``),
			flowjson.Result{Version: "7.3"}},
		{"unsupported data_api_version still counts", flow(`"data_api_version":"2.0",`, ``),
			flowjson.Result{Version: "7.3", DataAPIVersion: "2.0", UsesEndpoint: true}},
		{"malformed version is still reported", `{"version":"v2.1","screens":[{}]}`,
			flowjson.Result{Version: "v2.1"}},
		{"version not a string", `{"version":2.1,"screens":[{}]}`,
			flowjson.Result{}},
		{"not JSON", `{"version":"7.3",`, flowjson.Result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flowjson.Analyze([]byte(tt.doc))
			if got.Errors == nil || got.Warnings == nil {
				t.Error("Errors or Warnings is nil, want a non-nil slice")
			}
			got.Errors, got.Warnings = nil, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Analyze(%s) = %+v, want %+v", tt.doc, got, tt.want)
			}
		})
	}
}

func TestValidateEqualsAnalyzeErrors(t *testing.T) {
	doc := []byte(`{"version":"9.9","screens":[],"x":1}`)
	if got, want := flowjson.Validate(doc), flowjson.Analyze(doc).Errors; !reflect.DeepEqual(got, want) || len(got) != 3 {
		t.Errorf("Validate = %+v, want the 3 errors of Analyze %+v", got, want)
	}
}

// TestAnalyzeDoesNotKeepInput guards against errors that alias the caller's
// buffer, which the server may reuse.
func TestAnalyzeDoesNotKeepInput(t *testing.T) {
	doc := []byte(`{"version":"v7","data_api_version":"2.0","screens":[1]}`)
	res := flowjson.Analyze(doc)
	for i := range doc {
		doc[i] = 'x'
	}
	if res.Version != "v7" || res.DataAPIVersion != "2.0" || !strings.Contains(res.Errors[0].Message, "'v7'") {
		t.Errorf("result changed with the input: %+v", res)
	}
}

func TestVersions(t *testing.T) {
	want := []string{"2.1", "3.0", "3.1", "4.0", "5.0", "5.1", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3"}
	if got := flowjson.Versions(); !slices.Equal(got, want) {
		t.Errorf("Versions() = %v, want %v", got, want)
	}
	flowjson.Versions()[0] = "changed"
	if flowjson.Versions()[0] != "2.1" {
		t.Error("Versions() shares its slice between callers")
	}
	frozen := []string{"2.1", "3.0", "3.1", "4.0", "5.0"}
	for _, v := range want {
		if !flowjson.IsKnownVersion(v) {
			t.Errorf("IsKnownVersion(%q) = false", v)
		}
		if got := flowjson.IsPublishableVersion(v); got == slices.Contains(frozen, v) {
			t.Errorf("IsPublishableVersion(%q) = %v", v, got)
		}
	}
	for _, v := range []string{"", "1.0", "2.0", "7.4", "7.30", "07.3", " 7.3", "v7.3", "7"} {
		if flowjson.IsKnownVersion(v) || flowjson.IsPublishableVersion(v) {
			t.Errorf("version %q accepted", v)
		}
	}
	if got := flowjson.DataAPIVersions(); !slices.Equal(got, []string{"3.0", "4.0"}) {
		t.Errorf("DataAPIVersions() = %v", got)
	}
	if flowjson.MaxSize != 10<<20 {
		t.Errorf("MaxSize = %d", flowjson.MaxSize)
	}
}

func TestNestingLimit(t *testing.T) {
	nest := func(depth int) []byte {
		return []byte(strings.Repeat("[", depth) + strings.Repeat("]", depth))
	}
	// 512 levels parse (and fail only because the root is not an object).
	if errs := flowjson.Validate(nest(512)); len(errs) != 1 || errs[0].Error != flowjson.CodeInvalidPropertyType {
		t.Errorf("512 levels: %+v", errs)
	}
	errs := flowjson.Validate(nest(100000))
	if len(errs) != 1 || errs[0].Error != flowjson.CodeInvalidFlowJSON || errs[0].ColumnStart != 513 {
		t.Errorf("100000 levels: %+v, want INVALID_FLOW_JSON at column 513", errs)
	}
}

// TestErrorCap: a document with more errors than MaxErrors lists the first ones in document order, then
// one TOO_MANY_ERRORS entry at the first error left out; long keys are cut in messages and paths, and
// the whole list stays under MaxErrorsSize however long the document's texts are.
func TestErrorCap(t *testing.T) {
	doc := `{"version":"7.3","screens":[` + strings.Repeat(`1,`, 1500) + `1],"zz":0}`
	errs := flowjson.Validate([]byte(doc))
	if len(errs) != flowjson.MaxErrors+1 {
		t.Fatalf("got %d errors, want %d and the closing entry", len(errs), flowjson.MaxErrors)
	}
	if first, last := errs[0].Pointers[0], errs[flowjson.MaxErrors-1].Pointers[0]; first != "screens[0]" || last != "screens[99]" {
		t.Errorf("errors run from %s to %s, want screens[0] to screens[99]", first, last)
	}
	more := errs[flowjson.MaxErrors]
	if more.Error != flowjson.CodeTooManyErrors || more.ColumnStart != errs[flowjson.MaxErrors-1].ColumnStart+2 ||
		!strings.Contains(more.Message, "Only the first 100 errors are listed") || len(more.Pointers) != 0 {
		t.Errorf("closing entry: %+v", more)
	}

	// Keys of 9,800 characters: every error would repeat one twice.
	errs = flowjson.Validate(flowgen.UnknownKeys(9<<20, 9800))
	raw, _ := json.Marshal(errs)
	if len(raw) > flowjson.MaxErrorsSize {
		t.Fatalf("errors of long keys take %d bytes, over %d", len(raw), flowjson.MaxErrorsSize)
	}
	if len(errs) < 20 || errs[len(errs)-1].Error != flowjson.CodeTooManyErrors {
		t.Fatalf("got %d errors ending with %s, want dozens and a closing entry", len(errs), errs[len(errs)-1].Error)
	}
	for _, e := range errs[:len(errs)-1] {
		if n := utf8.RuneCountInString(e.Message); n > flowjson.MaxMessageLength {
			t.Fatalf("message of %d characters", n)
		}
		if p := e.Pointers[0]; utf8.RuneCountInString(p) > flowjson.MaxPointerLength || !strings.HasPrefix(p, "screens[0].xxx") || !strings.HasSuffix(p, "…") {
			t.Fatalf("pointer %.80q…", p)
		}
	}
}
