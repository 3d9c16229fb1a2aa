package flowjson_test

// Tests over the shared corpus of real flows (read in place): valid, invalid, disputed and bundled flows,
// each flow that breaks a documented rule with the exact codes expected and why.

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/waflows/waflows/internal/testflow"

	"github.com/waflows/waflows/flowjson"
)

// corpusDir holds real flows from public repositories, read in place (internal/testflow.CorpusDir).
var corpusDir = testflow.CorpusDir()

func corpusFiles(t testing.TB, sub string) []string { t.Helper(); return testflow.CorpusFiles(t, sub) }

// corpusValidBreaking lists the flows of corpus/valid that their authors
// believe valid but that break a documented rule, with the exact error codes
// expected (in position order) and why.
var corpusValidBreaking = map[string][]string{
	// A list item navigates to FOURTH_SCREEN, which does not exist; a navigate
	// payload leaves out a field of FIFTH_SCREEN's data model, another passes
	// it a boolean for a string.
	"david-lev__pywa__tests_data_flows_6_2_examples__navigation_list.json": {"INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", "INVALID_NAVIGATE_ACTION_PAYLOAD", "INVALID_NAVIGATE_ACTION_PAYLOAD"},
	// Two navigate actions to their own screen; complete on an EmbeddedLink
	// (Footer only).
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_flows_price-update-flow.json": {"INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", "INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", "INVALID_ENUM_VALUE"},
	// Navigate payloads that leave out fields of the next screen's data model
	// (7.2); ERROR_SCREEN is in the routing model but connected to nothing.
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_low-stock-report-flow.json": {"INVALID_NAVIGATE_ACTION_PAYLOAD", "INVALID_ROUTING_MODEL"},
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_price-update-flow.json":     {"INVALID_NAVIGATE_ACTION_PAYLOAD", "INVALID_NAVIGATE_ACTION_PAYLOAD", "INVALID_ROUTING_MODEL"},
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_stock-management-flow.json": {"INVALID_NAVIGATE_ACTION_PAYLOAD", "INVALID_NAVIGATE_ACTION_PAYLOAD", "INVALID_ROUTING_MODEL"},
	// The demo chatbots declare data_api_version with a routing model that
	// leaves out screens and navigate routes, and DatePicker dates that are
	// not YYYY-MM-DD.
	"sipsyai__whatsapp-builder__docs_demo-chatbots_01-berber-randevu-whatsapp-flow.json":    {"INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_PROPERTY_VALUE_FORMAT", "INVALID_PROPERTY_VALUE_FORMAT", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL"},
	"sipsyai__whatsapp-builder__docs_demo-chatbots_flows_01-berber-randevu-flow.json":       {"INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_PROPERTY_VALUE_FORMAT", "INVALID_PROPERTY_VALUE_FORMAT", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL"},
	"sipsyai__whatsapp-builder__docs_demo-chatbots_flows_02-restoran-rezervasyon-flow.json": {"INVALID_ROUTING_MODEL", "INVALID_PROPERTY_VALUE_FORMAT", "INVALID_PROPERTY_VALUE_FORMAT", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL"},
	"sipsyai__whatsapp-builder__docs_demo-chatbots_flows_03-klinik-randevu-flow.json":       {"INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_PROPERTY_VALUE_FORMAT", "INVALID_PROPERTY_VALUE_FORMAT", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL"},
	"sipsyai__whatsapp-builder__docs_demo-chatbots_flows_04-eticaret-siparis-flow.json":     {"INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL"},
	"sipsyai__whatsapp-builder__docs_demo-chatbots_flows_05-emlak-danismanlik-flow.json":    {"INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL"},
	// '+' applied to strings in nested expressions (numbers only;
	// concatenation is by juxtaposition).
	"sipsyai__whatsapp-builder__docs_demo-flows_berber-randevu-flow.json": {"INVALID_PROPERTY_VALUE", "INVALID_PROPERTY_VALUE", "INVALID_PROPERTY_VALUE", "INVALID_PROPERTY_VALUE", "INVALID_PROPERTY_VALUE", "INVALID_PROPERTY_VALUE"},
	// A CheckboxGroup inside a Form with its own init-value (the Form's
	// init-values must be used).
	"spookyuser__whatsapp-flows__fixtures_all-components_flow.json": {"INVALID_PROPERTY_KEY"},
}

// corpusValidWarned lists the flows of corpus/valid that Meta accepts with
// text over a documented character limit (Meta truncates it), with the
// warning codes expected. pywa's sign_in is Meta's "Sign in" template: its
// EmbeddedLink text has 30 characters where the reference says 25, and Meta
// publishes it.
var corpusValidWarned = map[string][]string{
	"david-lev__pywa__tests_data_flows_2_1_examples__sign_in.json":                          {"CHARACTER_LIMIT_EXCEEDED"},
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_flows_price-update-flow.json":  {"CHARACTER_LIMIT_EXCEEDED", "CHARACTER_LIMIT_EXCEEDED"},
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_price-update-flow.json":        {"CHARACTER_LIMIT_EXCEEDED"},
	"sipsyai__whatsapp-builder__docs_demo-chatbots_flows_02-restoran-rezervasyon-flow.json": {"CHARACTER_LIMIT_EXCEEDED"},
	"sipsyai__whatsapp-builder__docs_demo-chatbots_flows_03-klinik-randevu-flow.json":       {"CHARACTER_LIMIT_EXCEEDED", "CHARACTER_LIMIT_EXCEEDED", "CHARACTER_LIMIT_EXCEEDED", "CHARACTER_LIMIT_EXCEEDED", "CHARACTER_LIMIT_EXCEEDED"},
	"sipsyai__whatsapp-builder__docs_demo-chatbots_flows_05-emlak-danismanlik-flow.json":    {"CHARACTER_LIMIT_EXCEEDED", "CHARACTER_LIMIT_EXCEEDED", "CHARACTER_LIMIT_EXCEEDED"},
	"spookyuser__whatsapp-flows__examples_grocery-order_flow.json":                          {"CHARACTER_LIMIT_EXCEEDED"},
}

// TestCorpusValid: flows their authors use pass, except those listed in
// corpusValidBreaking, which give exactly the codes listed.
func TestCorpusValid(t *testing.T) {
	seen := 0
	for _, path := range corpusFiles(t, "valid") {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data := mustRead(t, path)
			res := flowjson.Analyze(data)
			checkPositions(t, data, res.Errors)
			checkPositions(t, data, res.Warnings)
			want, breaking := corpusValidBreaking[name]
			if breaking {
				seen++
			}
			if got := codesOf(res.Errors); !slices.Equal(got, want) {
				t.Errorf("codes = %v, want %v; errors: %+v", got, want, res.Errors)
			}
			if got, want := codesOf(res.Warnings), corpusValidWarned[name]; !slices.Equal(got, want) {
				t.Errorf("warning codes = %v, want %v; warnings: %+v", got, want, res.Warnings)
			}
		})
	}
	if seen != len(corpusValidBreaking) {
		t.Errorf("corpusValidBreaking names %d files, %d found", len(corpusValidBreaking), seen)
	}
}

// TestCorpusInvalid: every upstream negative fixture gives at least one
// error, and the malformed version is caught as such.
func TestCorpusInvalid(t *testing.T) {
	for _, path := range corpusFiles(t, "invalid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data := mustRead(t, path)
			errs := flowjson.Validate(data)
			checkPositions(t, data, errs)
			if len(errs) == 0 {
				t.Fatal("no errors")
			}
			if !strings.HasSuffix(path, "InvalidVersionFormat.json") {
				return
			}
			if len(errs) != 1 || errs[0].Error != flowjson.CodeInvalidFlowJSONVersion || errs[0].Pointers[0] != "version" {
				t.Errorf("errors = %+v, want one INVALID_FLOW_JSON_VERSION at version", errs)
			}
		})
	}
}

// corpusDisputed is the decision taken for each disputed flow (its authors
// call it valid, a documented rule says no): the exact error codes expected,
// in position order (none: the flow is valid), and why. Warnings (text over
// its limit) are not errors: Meta publishes such flows.
var corpusDisputed = map[string][]string{
	// Mixed "Hi ${data.x}!" text is accepted outside RichText; its two labels
	// over 20 characters are warnings.
	"anilhemnani__wed-knots__whatsapp-rsvp-flow-v7.3.json": nil,
	// Schema errors (data_channel_uri in 6.3, a data field without
	// __example__, update_data on a Footer) stop the checks before the
	// per-screen ones (three Footers on one screen).
	"devlooped__WhatsApp__src_Tests_Content_Flows_Valid_FullKitchenSink.json": {"INVALID_PROPERTY_KEY", "MISSING_REQUIRED_PROPERTY", "INVALID_ENUM_VALUE"},
	// 3.1: success on non-terminal screens, inputs outside a Form, a string
	// 'enabled'; the routing model leaves out two screens and their routes,
	// and the reserved id SUCCESS sits on a screen nothing reaches.
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_salon-appointment-flow.json": {"NOT_KEYWORD_SCHEMA_VALIDATION_FAILED", "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED", "KEYWORD_ONE_OF", "KEYWORD_ONE_OF", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED", "KEYWORD_ONE_OF", "KEYWORD_ONE_OF", "PATTERN_MISMATCH", "INVALID_ROUTING_MODEL", "INVALID_ROUTING_MODEL", "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED", "KEYWORD_ONE_OF", "KEYWORD_ONE_OF", "KEYWORD_ONE_OF", "SCREEN_ID_IS_RESERVED_KEYWORD", "INVALID_ROUTING_MODEL"},
	// A navigate payload that leaves out two fields of the next screen's
	// data model; the reserved screen id SUCCESS.
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_salon-dynamic-flow.json": {"INVALID_NAVIGATE_ACTION_PAYLOAD", "SCREEN_ID_IS_RESERVED_KEYWORD"},
	// The reserved screen id SUCCESS.
	"sipsyai__whatsapp-builder__backend_src_modules_chatbots_salon-simple-flow.json":                   {"SCREEN_ID_IS_RESERVED_KEYWORD"},
	"sipsyai__whatsapp-builder__docs_whatsapp-flow-dynamic-calendar_examples_simple-flow-example.json": {"SCREEN_ID_IS_RESERVED_KEYWORD"},
	// Valid: from 6.0, a dynamic Form init-values is not resolved against
	// the data model (Meta's own Form reference uses "${data.init_values}").
	"treble-ai__whatsapp-flows-example__flow.json": nil,
}

// TestCorpusDisputed checks the decision taken for each disputed flow.
func TestCorpusDisputed(t *testing.T) {
	files := corpusFiles(t, "disputed")
	if len(files) != len(corpusDisputed) {
		t.Errorf("corpus/disputed holds %d files, corpusDisputed %d", len(files), len(corpusDisputed))
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := corpusDisputed[name]
			if !ok {
				t.Fatal("no decision for this file in corpusDisputed")
			}
			data := mustRead(t, path)
			errs := flowjson.Validate(data)
			checkPositions(t, data, errs)
			if got := codesOf(errs); !slices.Equal(got, want) {
				t.Errorf("codes = %v, want %v; errors: %+v", got, want, errs)
			}
		})
	}
}

// bundleBreaking lists the flows of the pywa bundles that break a rule (the
// same as in corpus/valid), with the error codes expected; sign_in is valid,
// with a warning for its EmbeddedLink text.
var bundleBreaking = map[string][]string{
	"david-lev__pywa__tests_data_flows_6_2_examples.json#navigation_list": {"INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", "INVALID_NAVIGATE_ACTION_PAYLOAD", "INVALID_NAVIGATE_ACTION_PAYLOAD"},
}

// TestCorpusBundles validates every flow of every pywa bundle (a JSON
// object mapping a name to a flow), byte for byte as the bundle holds it.
func TestCorpusBundles(t *testing.T) {
	flows := 0
	for _, path := range corpusFiles(t, "bundles") {
		var bundle map[string]json.RawMessage
		if err := json.Unmarshal(mustRead(t, path), &bundle); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		names := make([]string, 0, len(bundle))
		for name := range bundle {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			key := filepath.Base(path) + "#" + name
			flows++
			t.Run(key, func(t *testing.T) {
				data := []byte(bundle[name])
				errs := flowjson.Validate(data)
				checkPositions(t, data, errs)
				if got, want := codesOf(errs), bundleBreaking[key]; !slices.Equal(got, want) {
					t.Errorf("codes = %v, want %v; errors: %+v", got, want, errs)
				}
			})
		}
	}
	if flows < 30 {
		t.Errorf("only %d flows in the bundles", flows)
	}
}

func codesOf(errs []flowjson.ValidationError) []string {
	var codes []string
	for _, e := range errs {
		codes = append(codes, e.Error)
	}
	return codes
}
