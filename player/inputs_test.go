// Inputs: the values each takes, the checks of a Footer press, init values and error messages, pickers,
// selection actions, and the switches that depend on the Flow JSON version.
package player_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

// oneInput is a one-screen flow holding component, with a Footer completing with ${form.NAME}.
func oneInput(version, name, component string) []byte {
	return flow(version, "", screen{id: "ONE", terminal: true, components: []string{component, completeFooter("Send", `{"v":"${form.`+name+`}"}`)}})
}

// pressErrors presses label (Send when none is given) and returns the messages of the inputs that failed.
func pressErrors(t *testing.T, s *player.Session, label ...string) map[string]string {
	t.Helper()
	button := "Send"
	if len(label) > 0 {
		button = label[0]
	}
	err := s.Press(button)
	var ie *player.InputError
	if err == nil {
		return nil
	}
	if !errors.As(err, &ie) {
		t.Fatalf("press: %v", err)
	}
	return ie.Fields
}

func TestTextInputChecks(t *testing.T) {
	for _, tc := range []struct {
		version, component, value, fillErr, pressErr string
	}{
		{"7.3", `{"type":"TextInput","name":"v","label":"Name","max-chars":5}`, "Adalovelace", "11 characters; the input takes at most 5", ""},
		{"7.3", `{"type":"TextInput","name":"v","label":"Name"}`, strings.Repeat("x", 81), "the input takes at most 80", ""}, // max-chars defaults to 80
		{"7.3", `{"type":"TextInput","name":"v","label":"Name","min-chars":3}`, "Al", "", "Enter at least 3 characters"},
		{"7.3", `{"type":"TextInput","name":"v","label":"Mail","input-type":"email"}`, "ada@", "", "Enter a valid email address"},
		{"7.3", `{"type":"TextInput","name":"v","label":"Mail","input-type":"email"}`, "ada@example.com", "", ""},
		{"7.3", `{"type":"TextInput","name":"v","label":"Age","input-type":"number"}`, "4x", "", "Enter a number"},
		{"7.3", `{"type":"TextInput","name":"v","label":"Age","input-type":"number"}`, "-4.5", "", ""},
		{"7.3", `{"type":"TextInput","name":"v","label":"Phone","input-type":"phone"}`, "call me", "", "Enter a valid phone number"},
		{"7.3", `{"type":"TextInput","name":"v","label":"Code","input-type":"passcode"}`, "12a4", "", "Enter digits only"},
		{"7.3", `{"type":"TextInput","name":"v","label":"Zip","pattern":"^[0-9]{5}$","helper-text":"Five digits"}`, "1234", "", "Invalid format: Five digits"},
		{"7.3", `{"type":"TextInput","name":"v","label":"Zip","pattern":"^[0-9]{5}$","helper-text":"Five digits"}`, "12345", "", ""},
		{"7.3", `{"type":"TextInput","name":"v","label":"Agent","input-type":"passcode","pattern":"007","helper-text":"Contains: 007"}`, "10075", "", ""}, // tested anywhere, as RegExp.test
		{"7.3", `{"type":"TextArea","name":"v","label":"Note","max-length":10}`, "far too long a note", "the input takes at most 10", ""},
	} {
		s := start(t, oneInput(tc.version, "v", tc.component))
		err := s.Fill("v", tc.value)
		if tc.fillErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.fillErr) {
				t.Errorf("%s with %q: fill %v, want …%s…", tc.component, tc.value, err, tc.fillErr)
			}
			continue
		}
		must(t, err)
		got := pressErrors(t, s)["v"]
		if got != tc.pressErr {
			t.Errorf("%s with %q: press says %q, want %q", tc.component, tc.value, got, tc.pressErr)
		}
		if tc.pressErr != "" && component(t, s, "TextInput", "v").Error != tc.pressErr && component(t, s, strings.Split(strings.Split(tc.component, `"type":"`)[1], `"`)[0], "v").Error != tc.pressErr {
			t.Errorf("%s: the message is not shown under the input", tc.component)
		}
		if tc.pressErr == "" {
			if p, ok := s.Completed(); !ok || p["v"] != tc.value {
				t.Errorf("%s with %q: completion %v", tc.component, tc.value, p)
			}
		}
	}
}

func TestSelections(t *testing.T) {
	items := `[{"id":"r","title":"Red"},{"id":"g","title":"Green"},{"id":"b","title":"Blue","enabled":false}]`
	s := start(t, oneInput("7.3", "v", `{"type":"CheckboxGroup","name":"v","label":"Colours","data-source":`+items+`,"min-selected-items":2,"max-selected-items":2}`))
	for value, want := range map[string]any{
		"unknown":  []string{"x"},
		"disabled": []string{"b"},
		"twice":    []string{"r", "r"},
		"too many": []string{"r", "g", "b"},
		"a string": "r",
	} {
		if err := s.Fill("v", want); err == nil {
			t.Errorf("CheckboxGroup took %s: %v", value, want)
		}
	}
	must(t, s.Fill("v", []string{"r"}))
	if got := pressErrors(t, s)["v"]; got != "Select at least 2" {
		t.Errorf("one of two: %q", got)
	}
	must(t, s.Fill("v", []any{"g", "r"}))
	if errs := pressErrors(t, s); errs != nil {
		t.Fatal(errs)
	}
	if p, _ := s.Completed(); asJSON(p["v"]) != `["g","r"]` {
		t.Errorf("the payload carries %s", asJSON(p["v"]))
	}
	if c := component(t, s, "CheckboxGroup", "v"); !c.Options[0].Selected || !c.Options[1].Selected || c.Options[2].Selected || c.Options[2].Enabled {
		t.Errorf("options: %+v", c.Options)
	}

	s = start(t, oneInput("7.3", "v", `{"type":"RadioButtonsGroup","name":"v","label":"Colour","required":true,"data-source":`+items+`}`))
	if err := s.Fill("v", []string{"r"}); err == nil {
		t.Error("a radio group took a list")
	}
	must(t, s.Fill("v", "g"))
	must(t, s.Press("Send"))
	if p, _ := s.Completed(); p["v"] != "g" {
		t.Errorf("radio payload: %v", p)
	}
	// A required OptIn must be ticked.
	s = start(t, oneInput("7.3", "v", `{"type":"OptIn","name":"v","label":"I accept","required":true}`))
	must(t, s.Fill("v", false))
	if err := s.Press("Send"); err == nil || !strings.Contains(err.Error(), "I accept") {
		t.Errorf("an unticked required OptIn: %v", err)
	}
	if err := s.Fill("v", "yes"); err == nil {
		t.Error("an OptIn took a string")
	}
}

func TestDates(t *testing.T) {
	picker := `{"type":"DatePicker","name":"v","label":"Day","min-date":"2030-01-10","max-date":"2030-01-20","unavailable-dates":["2030-01-15"]}`
	for value, want := range map[string]string{
		"2030-01-09": "Choose a date on or after 2030-01-10",
		"2030-01-21": "Choose a date on or before 2030-01-20",
		"2030-01-15": "This date is not available",
		"2030-01-16": "",
	} {
		s := start(t, oneInput("7.3", "v", picker))
		must(t, s.Fill("v", value))
		if got := pressErrors(t, s)["v"]; got != want {
			t.Errorf("%s: %q, want %q", value, got, want)
		}
	}
	s := start(t, oneInput("7.3", "v", picker))
	if err := s.Fill("v", "16/01/2030"); err == nil {
		t.Error("a date not YYYY-MM-DD was taken")
	}
	// Before 5.0 a DatePicker carries milliseconds since the epoch, as a string.
	s = start(t, flow("4.0", "", screen{id: "ONE", terminal: true, components: []string{
		`{"type":"Form","name":"f","children":[{"type":"DatePicker","name":"v","label":"Day"},` + completeFooter("Send", `{"v":"${form.v}"}`) + `]}`}}))
	must(t, s.Fill("v", "2024-05-01"))
	must(t, s.Press("Send"))
	if p, _ := s.Completed(); p["v"] != "1714521600000" {
		t.Errorf("a 4.0 date: %v", p["v"])
	}

	cal := `{"type":"CalendarPicker","name":"v","mode":"range","label":{"start-date":"From","end-date":"To"},"min-days":2,"max-days":5,"include-days":["Mon","Tue","Wed","Thu","Fri"]}`
	for value, want := range map[[2]string]string{
		{"2030-01-07", "2030-01-07"}: "Choose at least 2 days",
		{"2030-01-07", "2030-01-14"}: "Choose at most 5 days",
		{"2030-01-05", "2030-01-08"}: "Choose one of the days on offer", // a Saturday
		{"2030-01-07", "2030-01-09"}: "",
	} {
		s := start(t, oneInput("7.3", "v", cal))
		must(t, s.Fill("v", map[string]any{"start-date": value[0], "end-date": value[1]}))
		if got := pressErrors(t, s)["v"]; got != want {
			t.Errorf("%v: %q, want %q", value, got, want)
		}
		if want == "" {
			if p, _ := s.Completed(); asJSON(p["v"]) != `{"end-date":"2030-01-09","start-date":"2030-01-07"}` {
				t.Errorf("range payload: %s", asJSON(p["v"]))
			}
		}
	}
	s = start(t, oneInput("7.3", "v", cal))
	if err := s.Fill("v", map[string]any{"start-date": "2030-01-09", "end-date": "2030-01-07"}); err == nil {
		t.Error("a range ending before it starts was taken")
	}
}

func TestPickers(t *testing.T) {
	doc := flow("7.3", `"data_api_version":"3.0","routing_model":{"ONE":["TWO"],"TWO":[]}`,
		screen{id: "ONE", components: []string{
			`{"type":"PhotoPicker","name":"photo","label":"Photo","max-uploaded-photos":1,"max-file-size-kb":1,"min-uploaded-photos":1}`,
			exchangeFooter("Upload", `{"photo":"${form.photo}"}`)}},
		screen{id: "TWO", terminal: true, components: []string{
			`{"type":"DocumentPicker","name":"doc","label":"Document","max-uploaded-documents":1,"allowed-mime-types":["application/pdf"]}`,
			completeFooter("Send", `{"doc":"${form.doc}"}`)}})
	var sent endpoint.Request
	s := start(t, doc, player.WithDataExchange(func(_ context.Context, req endpoint.Request) (*endpoint.Response, error) {
		sent = req
		return &endpoint.Response{Screen: "TWO", Data: map[string]any{}}, nil
	}))
	photo := player.File{Name: "me.jpg", MIMEType: "image/jpeg", Data: []byte("jpeg bytes")}
	for name, files := range map[string]any{
		"a type it does not take": []player.File{{Name: "me.gif", MIMEType: "application/zip", Data: []byte("x")}},
		"too large":               []player.File{{Name: "big.jpg", MIMEType: "image/jpeg", Data: make([]byte, 1025)}},
		"too many":                []player.File{photo, photo},
		"no name":                 []player.File{{MIMEType: "image/jpeg", Data: []byte("x")}},
		"not files":               "me.jpg",
	} {
		if err := s.Fill("photo", files); err == nil {
			t.Errorf("the PhotoPicker took %s", name)
		}
	}
	if got := pressErrors(t, s, "Upload")["photo"]; got != "Add at least 1 file(s)" {
		t.Errorf("min-uploaded-photos: %q", got)
	}
	must(t, s.Fill("photo", []player.File{photo}))
	must(t, s.Press("Upload"))
	media, _ := sent.Data["photo"].([]any)
	m, _ := media[0].(map[string]any)
	if len(media) != 1 || m["file_name"] != "me.jpg" || m["media_id"] == "" || m["cdn_url"] == nil || m["encryption_metadata"] == nil {
		t.Fatalf("the endpoint's media: %s", asJSON(sent.Data))
	}
	must(t, s.Fill("doc", player.File{Name: "cv.pdf", MIMEType: "application/pdf", Data: []byte("%PDF")}))
	must(t, s.Press("Send"))
	p, _ := s.Completed()
	docs, _ := p["doc"].([]any)
	d, _ := docs[0].(map[string]any)
	if d["file_name"] != "cv.pdf" || d["mime_type"] != "application/pdf" || d["sha256"] == "" || d["id"] == "" || d["cdn_url"] != nil {
		t.Fatalf("the webhook's media: %s", asJSON(p))
	}
	if got := s.Summary(); len(got) != 2 || got[0].Value != "me.jpg" || got[1].Value != "cv.pdf" {
		t.Errorf("summary: %+v", got)
	}
}

func TestInitValuesAndErrorMessages(t *testing.T) {
	doc := flow("7.3", "", screen{id: "ONE", terminal: true,
		data: `{"errors":{"type":"object","properties":{"email":{"type":"string"}},"__example__":{"email":"This address is taken"}},"start":{"type":"string","__example__":"ada@example.com"}}`,
		components: []string{
			`{"type":"Form","name":"f","init-values":{"email":"${data.start}","colours":["g"]},"error-messages":"${data.errors}","children":[
				{"type":"TextInput","name":"email","label":"Email","input-type":"email"},
				{"type":"CheckboxGroup","name":"colours","label":"Colours","data-source":[{"id":"r","title":"Red"},{"id":"g","title":"Green"}]},
				` + completeFooter("Send", `{"email":"${form.email}","colours":"${form.colours}"}`) + `]}`}})
	s := start(t, doc)
	email := component(t, s, "TextInput", "email")
	if email.Value != "ada@example.com" || email.Error != "This address is taken" {
		t.Fatalf("init value and error message: %+v", email)
	}
	if c := component(t, s, "CheckboxGroup", "colours"); asJSON(c.Value) != `["g"]` {
		t.Fatalf("checkbox init value: %v", c.Value)
	}
	must(t, s.Press("Send"))
	if p, _ := s.Completed(); asJSON(p) != `{"colours":["g"],"email":"ada@example.com","flow_token":"unused"}` {
		t.Fatalf("payload: %s", asJSON(p))
	}
	// Outside a Form (4.0+), the input's own init-value and error-message.
	s = start(t, oneInput("7.3", "v", `{"type":"TextInput","name":"v","label":"Name","init-value":"Ada","error-message":"Check this"}`))
	if c := component(t, s, "TextInput", "v"); c.Value != "Ada" || c.Error != "Check this" {
		t.Fatalf("own init-value: %+v", c)
	}
}

func TestInputsShownAndEnabled(t *testing.T) {
	doc := flow("7.3", "", screen{id: "ONE", terminal: true, data: `{"show":{"type":"boolean","__example__":false}}`, components: []string{
		`{"type":"TextInput","name":"hidden","label":"Hidden","visible":"${data.show}"}`,
		`{"type":"TextInput","name":"off","label":"Off","enabled":false}`,
		completeFooter("Send", "{}")}})
	s := start(t, doc)
	if err := s.Fill("hidden", "x"); err == nil || !strings.Contains(err.Error(), "is not shown") {
		t.Errorf("a hidden input: %v", err)
	}
	if err := s.Fill("off", "x"); err == nil || !strings.Contains(err.Error(), "is disabled") {
		t.Errorf("a disabled input: %v", err)
	}
	if err := s.Fill("nope", "x"); err == nil || !strings.Contains(err.Error(), `no input named "nope" (inputs shown: off)`) {
		t.Errorf("an input that does not exist: %v", err)
	}
	if strings.Contains(s.Screen().Text(), "Hidden") {
		t.Error("a hidden input is in the text")
	}
}

// TestSelectActions: on-select-action on selection, on-unselect-action on unselection (6.0+), and in 6.0–6.3
// the on-select-actions fire when the screen renders; 7.0 stopped that.
func TestSelectActions(t *testing.T) {
	screenOf := func(version string) []byte {
		return flow(version, "", screen{id: "ONE", terminal: true, data: `{"said":{"type":"string","__example__":"nothing"}}`, components: []string{
			body("${data.said}"),
			`{"type":"CheckboxGroup","name":"c","label":"Pick","data-source":[{"id":"a","title":"A"},{"id":"b","title":"B"}],
			  "on-select-action":{"name":"update_data","payload":{"said":"selected"}},
			  "on-unselect-action":{"name":"update_data","payload":{"said":"unselected"}}}`,
			completeFooter("Send", "{}")}})
	}
	said := func(s *player.Session) string { return component(t, s, "TextBody", "").Label }
	s := start(t, screenOf("7.3"))
	if said(s) != "nothing" {
		t.Fatalf("7.3 fired on render: %q", said(s))
	}
	must(t, s.Fill("c", []string{"a"}))
	if said(s) != "selected" {
		t.Fatalf("selection: %q", said(s))
	}
	must(t, s.Fill("c", []string{}))
	if said(s) != "unselected" {
		t.Fatalf("unselection: %q", said(s))
	}
	if s := start(t, screenOf("6.3")); said(s) != "selected" {
		t.Errorf("6.3 did not fire on render: %q", said(s))
	}
	if s := start(t, screenOf("7.0")); said(s) != "nothing" {
		t.Errorf("7.0 fired on render: %q", said(s))
	}
}

func TestMarkdown(t *testing.T) {
	doc := flow("7.3", "", screen{id: "ONE", terminal: true, components: []string{
		`{"type":"TextBody","markdown":true,"text":"**Bold** and *italic* with [a link](https://example.com)\n- first\n- second"}`,
		`{"type":"TextCaption","text":"**not markdown**"}`,
		completeFooter("Send", "{}")}})
	s := start(t, doc)
	want := "Title of ONE\nBold and italic with a link\n• first\n• second\n**not markdown**\nSend"
	if got := s.Screen().Text(); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	rich := flow("7.3", "", screen{id: "ONE", terminal: true, components: []string{
		`{"type":"RichText","text":["# Menu","## Today","| Dish | Price |","| --- | --- |","| Soup | 4 |"]}`, completeFooter("Send", "{}")}})
	if got := start(t, rich).Screen().Text(); got != "Title of ONE\nMenu\nToday\nDish  Price\nSoup  4\nSend" {
		t.Errorf("rich text:\n%s", got)
	}
}
