package flowjson_test

// Tests of versions: components and properties from the version that introduced them, and the server's
// sample flows in every version.

import (
	"os"
	"strings"
	"testing"

	"github.com/waflows/waflows/flowjson"
)

// serverValidFlow and serverEndpointFlow are the flows the server's tests
// publish (server/helpers_test.go); they must stay valid.
const serverValidFlow = `{
  "version": "7.3",
  "screens": [
    {
      "id": "WELCOME",
      "title": "Welcome",
      "terminal": true,
      "layout": {
        "type": "SingleColumnLayout",
        "children": [
          {"type": "TextHeading", "text": "Hello"},
          {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}
        ]
      }
    }
  ]
}`

const serverEndpointFlow = `{
  "version": "7.3",
  "data_api_version": "3.0",
  "routing_model": {"WELCOME": []},
  "screens": [
    {
      "id": "WELCOME",
      "title": "Welcome",
      "terminal": true,
      "layout": {
        "type": "SingleColumnLayout",
        "children": [
          {"type": "Footer", "label": "Send", "on-click-action": {"name": "data_exchange", "payload": {}}}
        ]
      }
    }
  ]
}`

// TestServerFlows: the server's flows are valid, the simple one in every version.
func TestServerFlows(t *testing.T) {
	for _, v := range flowjson.Versions() {
		doc := strings.Replace(serverValidFlow, `"7.3"`, `"`+v+`"`, 1)
		if errs := flowjson.Validate([]byte(doc)); len(errs) != 0 {
			t.Errorf("validFlow in version %s: %+v", v, errs)
		}
	}
	res := flowjson.Analyze([]byte(serverEndpointFlow))
	if len(res.Errors) != 0 || !res.UsesEndpoint || res.DataAPIVersion != "3.0" {
		t.Errorf("endpointFlow: %+v", res)
	}
}

// oneScreen wraps components in a flow of one terminal screen that ends
// with a Footer completing the flow.
func oneScreen(version, components string) string {
	return `{"version":"` + version + `","screens":[{"id":"WELCOME","title":"Welcome","terminal":true,` +
		`"layout":{"type":"SingleColumnLayout","children":[` + components +
		`,{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`
}

// ownScreen puts components on a screen of their own (OWN, no Footer),
// reached from a first, terminal screen that also links to a last one.
func ownScreen(version, components string) string {
	link := func(to string) string {
		return `{"type":"EmbeddedLink","text":"Go","on-click-action":{"name":"navigate","next":{"type":"screen","name":"` + to + `"},"payload":{}}}`
	}
	done := `{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}`
	return `{"version":"` + version + `","screens":[` +
		`{"id":"START","title":"Start","terminal":true,"layout":{"type":"SingleColumnLayout","children":[` + link("OWN") + `,` + link("LAST") + `,` + done + `]}},` +
		`{"id":"OWN","title":"Own","layout":{"type":"SingleColumnLayout","children":[` + components + `]}},` +
		`{"id":"LAST","title":"Last","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"TextBody","text":"Bye."},` + done + `]}}]}`
}

const img = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

// TestComponentVersions: each component passes from the version that
// introduced it and is refused, once, in the version before.
func TestComponentVersions(t *testing.T) {
	tests := []struct {
		since, before string
		doc           func(version string) string
	}{
		{"4.0", "3.1", func(v string) string {
			return oneScreen(v, `{"type":"PhotoPicker","name":"photo","label":"Photo"}`)
		}},
		{"4.0", "3.1", func(v string) string {
			return oneScreen(v, `{"type":"DocumentPicker","name":"doc","label":"Document"}`)
		}},
		{"4.0", "3.1", func(v string) string {
			return oneScreen(v, `{"type":"If","condition":"${data.x}","then":[{"type":"TextBody","text":"X"}]}`)
		}},
		{"4.0", "3.1", func(v string) string {
			return oneScreen(v, `{"type":"Switch","value":"${data.x}","cases":{"yes":[{"type":"TextBody","text":"A"}]}}`)
		}},
		{"5.1", "5.0", func(v string) string {
			return ownScreen(v, `{"type":"RichText","text":"# Terms"}`)
		}},
		{"6.1", "6.0", func(v string) string {
			return oneScreen(v, `{"type":"CalendarPicker","name":"day","label":"Day"}`)
		}},
		{"6.2", "6.1", func(v string) string {
			return ownScreen(v, `{"type":"NavigationList","name":"menu","list-items":[{"id":"a","main-content":{"title":"A"},"on-click-action":{"name":"navigate","next":{"type":"screen","name":"LAST"},"payload":{}}}]}`)
		}},
		{"6.3", "6.2", func(v string) string {
			return oneScreen(v, `{"type":"ChipsSelector","name":"tags","label":"Tags","data-source":[{"id":"a","title":"A"},{"id":"b","title":"B"}]}`)
		}},
		{"7.1", "7.0", func(v string) string {
			return oneScreen(v, `{"type":"ImageCarousel","images":[{"src":"`+img+`","alt-text":"A"}]}`)
		}},
	}
	for _, tt := range tests {
		doc := tt.doc(tt.since)
		if tt.since == "4.0" && strings.Contains(doc, `"${data.x}"`) {
			doc = strings.Replace(doc, `"terminal":true,`, `"terminal":true,"data":{"x":{"type":"boolean","__example__":true}},`, 1)
		}
		if errs := flowjson.Validate([]byte(doc)); len(errs) != 0 {
			t.Errorf("in %s: %s gives %+v", tt.since, doc, errs)
			continue
		}
		older := strings.Replace(doc, `"version":"`+tt.since+`"`, `"version":"`+tt.before+`"`, 1)
		errs := flowjson.Validate([]byte(older))
		if len(errs) != 1 || errs[0].Error != flowjson.CodeInvalidPropertyValue || !strings.HasSuffix(errs[0].Pointers[0], ".type") ||
			!strings.Contains(errs[0].Message, "requires Flow JSON version "+tt.since) {
			t.Errorf("in %s: %s gives %+v, want one INVALID_PROPERTY_VALUE at the type", tt.before, older, errs)
		}
	}
}

// TestPropertyVersions: properties pass from the version that introduced
// them and are refused, once, in the version before.
func TestPropertyVersions(t *testing.T) {
	tests := []struct {
		since, before, component, property string
	}{
		{"7.0", "6.3", `{"type":"TextInput","name":"a","label":"A","label-variant":"large"}`, "label-variant"},
		{"7.0", "6.3", `{"type":"TextArea","name":"a","label":"A","label-variant":"large"}`, "label-variant"},
		{"6.2", "6.1", `{"type":"TextInput","name":"a","label":"A","helper-text":"Digits","pattern":"^[0-9]+$"}`, "pattern"},
		{"5.0", "4.0", `{"type":"RadioButtonsGroup","name":"a","label":"A","media-size":"large","data-source":[{"id":"a","title":"A"}]}`, "media-size"},
		{"5.1", "5.0", `{"type":"TextBody","text":"**A**","markdown":true}`, "markdown"},
		{"6.0", "5.1", `{"type":"OptIn","name":"a","label":"A","on-select-action":{"name":"update_data","payload":{}}}`, "on-select-action"},
		{"6.0", "5.1", `{"type":"Dropdown","name":"a","label":"A","data-source":[{"id":"a","title":"A"}],"on-unselect-action":{"name":"update_data","payload":{}}}`, "on-unselect-action"},
		{"7.1", "7.0", `{"type":"ChipsSelector","name":"a","label":"A","data-source":[{"id":"a","title":"A"},{"id":"b","title":"B"}],"on-unselect-action":{"name":"update_data","payload":{}}}`, "on-unselect-action"},
	}
	for _, tt := range tests {
		doc := oneScreen(tt.since, tt.component)
		if errs := flowjson.Validate([]byte(doc)); len(errs) != 0 {
			t.Errorf("in %s: %s gives %+v", tt.since, doc, errs)
			continue
		}
		older := oneScreen(tt.before, tt.component)
		errs := flowjson.Validate([]byte(older))
		if len(errs) != 1 || errs[0].Error != flowjson.CodeInvalidPropertyKey || !strings.HasSuffix(errs[0].Pointers[0], "."+tt.property) {
			t.Errorf("in %s: %s gives %+v, want one INVALID_PROPERTY_KEY at %s", tt.before, older, errs, tt.property)
		}
	}
}

// TestVersionErrors covers how each kind of bad version is told apart.
func TestVersionErrors(t *testing.T) {
	tests := []struct{ version, code string }{
		{"9.9", flowjson.CodeInvalidFlowJSONVersion},
		{"2024.0", flowjson.CodeInvalidFlowJSONVersion},
		{"7.30", flowjson.CodeInvalidFlowJSONVersion},
		{"v7.3", flowjson.CodeInvalidFlowJSONVersion},
		{"", flowjson.CodeInvalidFlowJSONVersion},
		{"1.0", flowjson.CodeUnsupportedFlowJSONVersion},
		{"2.0", flowjson.CodeUnsupportedFlowJSONVersion},
		{"2.2", flowjson.CodeUnsupportedFlowJSONVersion},
		{"3.2", flowjson.CodeUnsupportedFlowJSONVersion},
		{"4.1", flowjson.CodeUnsupportedFlowJSONVersion},
		{"5.2", flowjson.CodeUnavailableFlowJSONVersion},
		{"7.4", flowjson.CodeUnavailableFlowJSONVersion},
	}
	for _, tt := range tests {
		errs := flowjson.Validate([]byte(strings.Replace(serverValidFlow, `"7.3"`, `"`+tt.version+`"`, 1)))
		if len(errs) != 1 || errs[0].Error != tt.code || errs[0].Pointers[0] != "version" {
			t.Errorf("version %q: %+v, want one %s", tt.version, errs, tt.code)
		}
	}
}

// TestDataAPIVersions: "4.0" from Flow JSON 7.3 only, "3.0" everywhere.
func TestDataAPIVersions(t *testing.T) {
	for _, v := range flowjson.Versions() {
		for _, api := range flowjson.DataAPIVersions() {
			doc := strings.Replace(serverEndpointFlow, `"7.3"`, `"`+v+`"`, 1)
			doc = strings.Replace(doc, `"data_api_version": "3.0"`, `"data_api_version": "`+api+`"`, 1)
			errs := flowjson.Validate([]byte(doc))
			wantErr := api == "4.0" && v != "7.3"
			if wantErr != (len(errs) == 1 && errs[0].Error == flowjson.CodeNoSupportedDataAPIVersion) || (!wantErr && len(errs) != 0) {
				t.Errorf("Flow JSON %s with Data API %s: %+v", v, api, errs)
			}
		}
	}
}

// TestVersionedRules: rules that a version introduces do not apply before
// it (the invalid testdata cases, moved to the previous version, pass).
func TestVersionedRules(t *testing.T) {
	tests := []struct{ file, from, to string }{
		{"payload_expression_7_2.json", "7.2", "7.1"},       // payload expressions checked from 7.2
		{"data_source_image_size_6_0.json", "6.0", "5.1"},   // 100 KB images from 6.0 (300 KB before)
		{"blank_string_6_0.json", "6.0", "5.1"},             // no blank strings from 6.0
		{"richtext_with_footer_6_2.json", "6.2", "6.3"},     // RichText beside a Footer from 6.3
		{"chips_in_if_7_0.json", "7.0", "7.1"},              // ChipsSelector in If from 7.1
		{"form_init_values_type_7_0.json", "7.0", "6.3"},    // init-values typed from 7.0
		{"navigate_on_terminal_footer.json", "7.3", "7.2"},  // terminal Footers complete from 7.3
		{"routing_no_entry_7_3.json", "7.3", "7.2"},         // navigate targets are not entries from 7.3
		{"form_init_values_dynamic_5_1.json", "5.1", "6.0"}, // dynamic init-values resolved before 6.0
		{"checkbox_label_required_4_0.json", "4.0", "3.1"},  // label required from 4.0 (3.1 needs a Form, added below)
	}
	for _, tt := range tests {
		dir := "testdata/invalid/"
		if _, err := os.Stat(dir + tt.file); err != nil {
			dir = "testdata/warnings/"
		}
		data := string(mustRead(t, dir+tt.file))
		if !strings.Contains(data, `"version": "`+tt.from+`"`) {
			t.Fatalf("%s is not version %s", tt.file, tt.from)
		}
		doc := strings.Replace(data, `"version": "`+tt.from+`"`, `"version": "`+tt.to+`"`, 1)
		if tt.to == "3.1" {
			// Before 4.0 inputs sit in a Form.
			doc = strings.Replace(doc, `"children": [`, `"children": [{"type": "Form", "name": "form", "children": [`, 1)
			doc = strings.Replace(doc, "\n        ]\n      }\n    }\n  ]\n}", "\n        ]}]\n      }\n    }\n  ]\n}", 1)
		}
		if res := flowjson.Analyze([]byte(doc)); len(res.Errors)+len(res.Warnings) != 0 {
			t.Errorf("%s in version %s: %+v %+v\n%s", tt.file, tt.to, res.Errors, res.Warnings, doc)
		}
	}
}
