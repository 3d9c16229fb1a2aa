// The session: entry screens, navigation and its data, back with inputs kept, completion, the log, the
// endpoint and the errors it can cause, the summary.
package player_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

// signUp is a two-screen flow without an endpoint: a name on the first, a confirmation showing it on the
// second, then completion.
func signUp() []byte {
	return flow("7.3", "",
		screen{id: "DETAILS", components: []string{
			`{"type":"TextInput","name":"first","label":"First name","required":true}`,
			`{"type":"TextInput","name":"nick","label":"Nickname"}`,
			`{"type":"TextInput","name":"secret","label":"PIN","input-type":"passcode"}`,
			navigateFooter("Next", "CONFIRM", `{"first":"${form.first}","nick":"${form.nick}"}`)}},
		screen{id: "CONFIRM", terminal: true, extra: `"sensitive":["code"]`,
			data: `{"first":{"type":"string","__example__":"Example"},"nick":{"type":"string","__example__":"Ex"}}`,
			components: []string{
				body("Hello ${data.first}, also known as ${data.nick}"),
				body("You typed ${screen.DETAILS.form.first} on the first screen"),
				`{"type":"TextInput","name":"code","label":"Code"}`,
				completeFooter("Sign up", `{"name":"${data.first}","code":"${form.code}","pin":"${screen.DETAILS.form.secret}"}`)}})
}

func TestNavigateAndComplete(t *testing.T) {
	s := start(t, signUp(), player.WithFlowToken("token-1"))
	if sc := s.Screen(); sc.ID != "DETAILS" || sc.Title != "Title of DETAILS" || sc.CanGoBack || sc.Step != 1 || sc.Screens != 2 {
		t.Fatalf("first screen: %+v", sc)
	}
	footer := component(t, s, "Footer", "")
	if footer.Enabled || !slices.Equal(footer.Missing, []string{"First name"}) {
		t.Fatalf("the Footer before the required input: enabled %v, missing %v", footer.Enabled, footer.Missing)
	}
	err := s.Press("Next")
	if err == nil || !strings.Contains(err.Error(), "disabled until the required inputs are filled: First name") {
		t.Fatalf("pressing a disabled Footer: %v", err)
	}
	if !strings.Contains(s.Screen().Text(), "Nickname (optional)") || strings.Contains(s.Screen().Text(), "First name (optional)") {
		t.Errorf("(optional) marks: %s", s.Screen().Text())
	}
	must(t, s.Fill("first", "Ada"))
	must(t, s.Fill("secret", "4321"))
	if !component(t, s, "Footer", "").Enabled {
		t.Fatal("the Footer stays disabled with its required input filled")
	}
	must(t, s.Press("Next"))
	sc := s.Screen()
	// The payload is the next screen's data (an empty input is left out, so nick falls back to its
	// __example__); a global reference reads the first screen's form.
	if sc.ID != "CONFIRM" || !sc.CanGoBack || sc.Step != 2 {
		t.Fatalf("second screen: %+v", sc)
	}
	if got := lines(s); !slices.Contains(got, "Hello Ada, also known as Ex") || !slices.Contains(got, "You typed Ada on the first screen") {
		t.Fatalf("second screen text: %q", got)
	}
	must(t, s.Fill("code", "XYZ"))
	must(t, s.Press("Sign up"))
	payload, ok := s.Completed()
	if !ok || asJSON(payload) != `{"code":"XYZ","flow_token":"token-1","name":"Ada","pin":"4321"}` {
		t.Fatalf("completion: %v %s", ok, asJSON(payload))
	}
	if err := s.Press("Sign up"); !errors.Is(err, player.ErrCompleted) {
		t.Errorf("press after completion: %v", err)
	}
	if err := s.Back(); !errors.Is(err, player.ErrCompleted) {
		t.Errorf("back after completion: %v", err)
	}
	var kinds []string
	for _, a := range s.Log() {
		kinds = append(kinds, a.Kind+">"+a.Next)
	}
	if strings.Join(kinds, " ") != "navigate>DETAILS navigate>CONFIRM complete>" {
		t.Errorf("log: %v", kinds)
	}
	if log := s.Log(); asJSON(log[1].Payload) != `{"first":"Ada"}` || log[2].Screen != "CONFIRM" {
		t.Errorf("log entries: %s", asJSON(log))
	}
	// The summary masks the sensitive input and leaves the passcode out.
	var summary []string
	for _, a := range s.Summary() {
		summary = append(summary, a.Screen+"/"+a.Label+"="+a.Value)
	}
	if strings.Join(summary, " ") != "DETAILS/First name=Ada CONFIRM/Code=••••" {
		t.Errorf("summary: %v", summary)
	}
}

// TestBackKeepsInputs: back shows the earlier screen with its inputs as they were; forward again starts
// the next screen afresh from the new payload.
func TestBackKeepsInputs(t *testing.T) {
	s := start(t, signUp())
	if err := s.Back(); !errors.Is(err, player.ErrNoBack) {
		t.Fatalf("back on the first screen: %v", err)
	}
	must(t, s.Fill("first", "Ada"))
	must(t, s.Fill("nick", "Countess"))
	must(t, s.Press("Next"))
	must(t, s.Fill("code", "XYZ"))
	must(t, s.Back())
	if sc := s.Screen(); sc.ID != "DETAILS" || component(t, s, "TextInput", "first").Value != "Ada" || component(t, s, "TextInput", "nick").Value != "Countess" {
		t.Fatalf("back: %+v", sc)
	}
	must(t, s.Fill("first", "Grace"))
	must(t, s.Press("Next"))
	if !slices.Contains(lines(s), "Hello Grace, also known as Countess") || component(t, s, "TextInput", "code").Value != nil {
		t.Fatalf("forward again: %q", lines(s))
	}
	if log := s.Log(); log[2].Kind != "back" || log[2].Screen != "CONFIRM" || log[2].Next != "DETAILS" {
		t.Errorf("back in the log: %+v", log[2])
	}
}

func TestEntryScreens(t *testing.T) {
	doc := signUp()
	if _, err := player.Start(context.Background(), doc, player.WithScreen("CONFIRM")); err == nil || !strings.Contains(err.Error(), "not an entry screen (entry screens: DETAILS)") {
		t.Fatalf("a screen a navigate leads to: %v", err)
	}
	if _, err := player.Start(context.Background(), doc, player.WithScreen("NOPE")); err == nil || !strings.Contains(err.Error(), `no screen "NOPE"`) {
		t.Fatalf("an unknown screen: %v", err)
	}
	// WithData is the first screen's data, over its __example__.
	one := flow("7.3", "", screen{id: "A", terminal: true, data: `{"who":{"type":"string","__example__":"Example"},"n":{"type":"number","__example__":1}}`,
		components: []string{body("${data.who} ${data.n}"), completeFooter("Done", "{}")}})
	if s := start(t, one, player.WithData(map[string]any{"who": "Ada"})); component(t, s, "TextBody", "").Label != "Ada 1" {
		t.Errorf("WithData: %q", component(t, s, "TextBody", "").Label)
	}
	// Without examples, a field nobody gave renders empty, as on a device.
	if s := start(t, one, player.WithData(map[string]any{"who": "Ada"}), player.WithoutExamples()); component(t, s, "TextBody", "").Label != "Ada " {
		t.Errorf("WithoutExamples: %q", component(t, s, "TextBody", "").Label)
	}
	if _, err := player.Start(context.Background(), one, player.WithFlowAction("open")); err == nil {
		t.Error("an unknown flow action was accepted")
	}
}

func TestInvalidFlowRefused(t *testing.T) {
	_, err := player.Start(context.Background(), []byte(`{"version":"7.3","screens":[]}`))
	var inv *player.InvalidFlowError
	if !errors.As(err, &inv) || len(inv.Errors) == 0 || !strings.Contains(err.Error(), "validation error") {
		t.Fatalf("an invalid flow: %v", err)
	}
	if _, err := player.Start(context.Background(), []byte(`{"version":`)); !errors.As(err, &inv) || inv.Errors[0].Error != "INVALID_FLOW_JSON" {
		t.Fatalf("broken JSON: %v", err)
	}
}

// booking is an endpoint flow: PICK (a date with an on-select refresh) → CONFIRM (refresh_on_back) →
// SUCCESS from the endpoint.
func booking() []byte {
	return flow("7.3", `"data_api_version":"3.0","routing_model":{"PICK":["CONFIRM"],"CONFIRM":[]}`,
		screen{id: "PICK", data: `{"slots":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"}}},"__example__":[{"id":"a","title":"9:00"}]},"note":{"type":"string","__example__":"pick one"}}`,
			components: []string{
				body("${data.note}"),
				`{"type":"Dropdown","name":"slot","label":"Time","required":true,"data-source":"${data.slots}","on-select-action":{"name":"data_exchange","payload":{"trigger":"slot","slot":"${form.slot}"}}}`,
				exchangeFooter("Book", `{"slot":"${form.slot}"}`)}},
		screen{id: "CONFIRM", terminal: true, extra: `"refresh_on_back":true`, data: `{"when":{"type":"string","__example__":"Monday"}}`,
			components: []string{body("Booked for ${data.when}"), exchangeFooter("Confirm", `{"ok":true}`)}})
}

// fakeBooking answers the booking flow: INIT with PICK; the on-select with a refresh of PICK; Book with
// CONFIRM; Confirm with SUCCESS; BACK with PICK.
func fakeBooking(_ context.Context, req endpoint.Request) (*endpoint.Response, error) {
	slots := []any{map[string]any{"id": "9", "title": "9:00"}, map[string]any{"id": "10", "title": "10:00"}}
	switch {
	case req.Action == endpoint.ActionInit:
		return &endpoint.Response{Screen: "PICK", Data: map[string]any{"slots": slots, "note": "Choose a time"}}, nil
	case req.Action == endpoint.ActionBack:
		return &endpoint.Response{Screen: "PICK", Data: map[string]any{"slots": slots[:1], "note": "Only 9:00 is left"}}, nil
	case req.Screen == "PICK" && req.Data["trigger"] == "slot":
		return &endpoint.Response{Screen: "PICK", Data: map[string]any{"note": "You picked " + req.Data["slot"].(string)}}, nil
	case req.Screen == "PICK":
		return &endpoint.Response{Screen: "CONFIRM", Data: map[string]any{"when": "slot " + req.Data["slot"].(string), "error_message": "Almost there"}}, nil
	}
	return &endpoint.Response{Screen: endpoint.SuccessScreen, Data: map[string]any{"extension_message_response": map[string]any{"params": map[string]any{"flow_token": req.FlowToken, "booked": true}}}}, nil
}

func TestDataExchange(t *testing.T) {
	s := start(t, booking(), player.WithFlowAction(player.FlowActionDataExchange), player.WithDataExchange(fakeBooking), player.WithFlowToken("tok"))
	if s.Screen().ID != "PICK" || !slices.Contains(lines(s), "Choose a time") || len(component(t, s, "Dropdown", "").Options) != 2 {
		t.Fatalf("after INIT: %s", describeScreen(s))
	}
	must(t, s.Fill("slot", "10")) // the on-select refreshes the screen
	if !slices.Contains(lines(s), "You picked 10") || component(t, s, "Dropdown", "").Value != "10" {
		t.Fatalf("after the on-select: %s", describeScreen(s))
	}
	must(t, s.Press("Book"))
	if sc := s.Screen(); sc.ID != "CONFIRM" || sc.Notice != "Almost there" || !slices.Contains(lines(s), "Booked for slot 10") {
		t.Fatalf("after Book: %+v", sc)
	}
	// refresh_on_back is read on the screen being left: BACK goes to the endpoint with that screen.
	must(t, s.Back())
	log := s.Log()
	back := log[len(log)-1]
	if back.Kind != "BACK" || back.Request.Screen != "CONFIRM" || back.Request.Action != "BACK" || back.Next != "PICK" {
		t.Fatalf("the BACK request: %+v", back)
	}
	if !slices.Contains(lines(s), "Only 9:00 is left") || component(t, s, "Dropdown", "").Value != "10" {
		t.Fatalf("after BACK: %s", describeScreen(s))
	}
	must(t, s.Fill("slot", "9"))
	must(t, s.Press("Book"))
	must(t, s.Press("Confirm"))
	if p, ok := s.Completed(); !ok || asJSON(p) != `{"booked":true,"flow_token":"tok"}` {
		t.Fatalf("completion: %v %s", ok, asJSON(p))
	}
	var kinds []string
	for _, a := range s.Log() {
		kinds = append(kinds, a.Kind)
	}
	if strings.Join(kinds, " ") != "INIT data_exchange data_exchange BACK data_exchange data_exchange data_exchange complete" {
		t.Errorf("log: %v", kinds)
	}
	if first := s.Log()[0]; first.Request.FlowToken != "tok" || first.Request.Version != "3.0" || first.Next != "PICK" {
		t.Errorf("the INIT entry: %+v", first)
	}
}

// TestEndpointErrors: answers the client would refuse, with Meta's error codes; and no endpoint at all.
func TestEndpointErrors(t *testing.T) {
	answer := func(resp *endpoint.Response) player.Option {
		return player.WithDataExchange(func(_ context.Context, req endpoint.Request) (*endpoint.Response, error) {
			if req.Action == endpoint.ActionInit || req.Data["trigger"] == "slot" {
				return &endpoint.Response{Screen: "PICK", Data: map[string]any{"slots": []any{map[string]any{"id": "9", "title": "9:00"}}, "note": "n"}}, nil
			}
			return resp, nil
		})
	}
	for _, tc := range []struct {
		name string
		resp *endpoint.Response
		code string
		msg  string
	}{
		{"unknown screen", &endpoint.Response{Screen: "ELSEWHERE", Data: map[string]any{}}, player.CodeInvalidScreenTransition, `screen "ELSEWHERE", which the flow does not have`},
		{"missing field", &endpoint.Response{Screen: "CONFIRM", Data: map[string]any{}}, player.CodePayloadSchemaError, "lacks when"},
		{"wrong type", &endpoint.Response{Screen: "CONFIRM", Data: map[string]any{"when": 3}}, player.CodePayloadSchemaError, "field when should be string, got integer"},
		{"success without params", &endpoint.Response{Screen: "SUCCESS", Data: map[string]any{}}, player.CodePayloadSchemaError, "extension_message_response.params"},
		{"success without flow token", &endpoint.Response{Screen: "SUCCESS", Data: map[string]any{"extension_message_response": map[string]any{"params": map[string]any{}}}}, player.CodePayloadSchemaError, "needs the flow_token"},
		{"no screen", &endpoint.Response{Data: map[string]any{}}, player.CodePayloadSchemaError, "names no screen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, booking(), player.WithFlowAction(player.FlowActionDataExchange), answer(tc.resp))
			must(t, s.Fill("slot", "9"))
			err := s.Press("Book")
			var rt *player.RuntimeError
			if !errors.As(err, &rt) || rt.Code != tc.code || !strings.Contains(rt.Message, tc.msg) {
				t.Fatalf("got %v, want %s: …%s…", err, tc.code, tc.msg)
			}
			if log := s.Log(); log[len(log)-1].Error == "" {
				t.Error("the log does not record the error")
			}
			if s.Screen().ID != "PICK" {
				t.Errorf("a refused answer moved the flow to %s", s.Screen().ID)
			}
		})
	}
	// The routing model allows PICK → CONFIRM only.
	doc := flow("7.3", `"data_api_version":"3.0","routing_model":{"A":["B"],"B":["C"],"C":[]}`,
		screen{id: "A", components: []string{exchangeFooter("Go", "{}")}},
		screen{id: "B", components: []string{exchangeFooter("Go", "{}")}},
		screen{id: "C", terminal: true, components: []string{completeFooter("Done", "{}")}})
	s := start(t, doc, player.WithDataExchange(func(context.Context, endpoint.Request) (*endpoint.Response, error) {
		return &endpoint.Response{Screen: "C", Data: map[string]any{}}, nil
	}))
	var rt *player.RuntimeError
	if err := s.Press("Go"); !errors.As(err, &rt) || rt.Code != player.CodeInvalidScreenTransition || !strings.Contains(rt.Message, "no route from A to C") {
		t.Fatalf("a route the model lacks: %v", err)
	}
	// Without an endpoint.
	s = start(t, doc)
	if err := s.Press("Go"); !errors.Is(err, player.ErrNoEndpoint) {
		t.Fatalf("no endpoint: %v", err)
	}
	if _, err := player.Start(context.Background(), doc, player.WithFlowAction(player.FlowActionDataExchange)); !errors.Is(err, player.ErrNoEndpoint) {
		t.Fatalf("INIT without an endpoint: %v", err)
	}
	// An endpoint that fails.
	s = start(t, doc, player.WithDataExchange(func(context.Context, endpoint.Request) (*endpoint.Response, error) {
		return nil, errors.New("connection refused")
	}))
	if err := s.Press("Go"); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("a failing endpoint: %v", err)
	}
}

// TestUpdateDataAndOpenURL: update_data changes the screen's data at once, without the endpoint;
// open_url is recorded, not opened.
func TestUpdateDataAndOpenURL(t *testing.T) {
	doc := flow("7.3", "", screen{id: "ONE", terminal: true,
		data: `{"size_text":{"type":"string","__example__":"no size yet"}}`,
		components: []string{
			body("${data.size_text}"),
			`{"type":"RadioButtonsGroup","name":"size","label":"Size","data-source":[{"id":"s","title":"Small"},{"id":"l","title":"Large"}],
			  "on-select-action":{"name":"update_data","payload":{"size_text":"` + "`'You chose ' ${form.size}`" + `"}}}`,
			`{"type":"EmbeddedLink","text":"Terms","on-click-action":{"name":"open_url","url":"https://example.com/terms"}}`,
			completeFooter("Done", `{"size":"${form.size}"}`)}})
	s := start(t, doc)
	must(t, s.Fill("size", "l"))
	if got := component(t, s, "TextBody", "").Label; got != "You chose l" {
		t.Fatalf("after update_data: %q", got)
	}
	must(t, s.Press("Terms"))
	log := s.Log()
	if log[1].Kind != "update_data" || asJSON(log[1].Payload) != `{"size_text":"You chose l"}` || log[2].Kind != "open_url" || log[2].URL != "https://example.com/terms" {
		t.Fatalf("log: %s", asJSON(log))
	}
	if s.Screen().ID != "ONE" {
		t.Fatal("open_url moved the flow")
	}
}

// TestNavigationListAndLinks: a NavigationList item, an EmbeddedLink and an OptIn's "Read more" navigate.
func TestNavigationListAndLinks(t *testing.T) {
	doc := flow("7.3", "",
		screen{id: "MENU", components: []string{`{"type":"NavigationList","name":"menu","list-items":[
			{"id":"pizza","main-content":{"title":"Pizza","description":"Hot"},"on-click-action":{"name":"navigate","next":{"type":"screen","name":"ORDER"},"payload":{"dish":"pizza"}}},
			{"id":"salad","main-content":{"title":"Salad"},"badge":"New","on-click-action":{"name":"navigate","next":{"type":"screen","name":"ORDER"},"payload":{"dish":"salad"}}}]}`}},
		screen{id: "ORDER", data: `{"dish":{"type":"string","__example__":"soup"}}`, components: []string{
			body("You chose ${data.dish}"),
			`{"type":"EmbeddedLink","text":"See terms","on-click-action":{"name":"navigate","next":{"type":"screen","name":"TERMS"},"payload":{}}}`,
			`{"type":"OptIn","name":"agree","label":"I agree","on-click-action":{"name":"navigate","next":{"type":"screen","name":"TERMS"},"payload":{}}}`,
			completeFooter("Order", `{"dish":"${data.dish}"}`)}, terminal: true},
		screen{id: "TERMS", terminal: true, components: []string{body("Terms"), completeFooter("Close", "{}")}})
	s := start(t, doc)
	if !slices.Equal(lines(s), []string{"Title of MENU", "Pizza", "Hot", "Salad", "New"}) {
		t.Fatalf("menu: %q", lines(s))
	}
	must(t, s.Press("Salad"))
	if !slices.Contains(lines(s), "You chose salad") {
		t.Fatalf("after the item: %q", lines(s))
	}
	must(t, s.Press("See terms"))
	must(t, s.Back())
	must(t, s.Press("Read more"))
	if s.Screen().ID != "TERMS" {
		t.Fatalf("Read more: %s", s.Screen().ID)
	}
	must(t, s.Back())
	if err := s.Press("Nothing"); err == nil || !strings.Contains(err.Error(), "it has: See terms, Read more, Order") {
		t.Fatalf("pressing what is not there: %v", err)
	}
}
