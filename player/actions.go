// Actions: pressing what can be pressed, going back, and what navigate, data_exchange, complete,
// update_data and open_url do; the checks on what an endpoint answers.
package player

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/waflows/waflows/endpoint"
)

// Press presses what shows label on the current screen: a Footer, an EmbeddedLink, an OptIn's "Read
// more", or a NavigationList item (by its title). A Footer first runs WhatsApp's checks: pressing it while
// a required input is empty fails naming them; an input that fails a check (min-chars, input-type,
// pattern, dates, selections) gets its message and the press fails with an *InputError.
func (s *Session) Press(label string) error { return s.PressContext(s.ctx, label) }

// PressContext is Press with the context for the endpoint request it may send.
func (s *Session) PressContext(ctx context.Context, label string) error {
	if s.done {
		return ErrCompleted
	}
	defer s.withContext(ctx)()
	fr := s.top()
	sc := s.Screen()
	type target struct {
		c    Component
		item *NavItem
	}
	var found []target
	var labels []string
	for _, c := range sc.Components {
		switch c.Type {
		case "Footer", "EmbeddedLink":
			labels = append(labels, c.Label)
			if c.Label == label {
				found = append(found, target{c: c})
			}
		case "OptIn":
			if c.Action != nil {
				labels = append(labels, "Read more")
				if label == "Read more" {
					found = append(found, target{c: c})
				}
			}
		case "NavigationList":
			for i := range c.Items {
				labels = append(labels, c.Items[i].Title)
				if c.Items[i].Title == label {
					found = append(found, target{c: c, item: &c.Items[i]})
				}
			}
		}
	}
	switch len(found) {
	case 0:
		return fmt.Errorf("player: screen %s has nothing to press labelled %q (it has: %s)", sc.ID, label, strings.Join(labels, ", "))
	case 1:
	default:
		return fmt.Errorf("player: screen %s has %d things labelled %q", sc.ID, len(found), label)
	}
	t := found[0]
	switch t.c.Type {
	case "Footer":
		if !truthy(t.c.Props["enabled"], true) {
			return fmt.Errorf("player: the Footer %q is disabled", label)
		}
		if len(t.c.Missing) > 0 {
			return fmt.Errorf("player: the Footer %q is disabled until the required inputs are filled: %s", label, strings.Join(t.c.Missing, ", "))
		}
		if problems := s.check(sc); len(problems) > 0 {
			fr.errors = problems
			return &InputError{Screen: sc.ID, Fields: problems}
		}
		fr.errors = nil
		return s.run(fr, s.rawAction(fr, "Footer", label, ""))
	case "NavigationList":
		return s.run(fr, s.navigationAction(fr, t.c.Name, t.item.ID))
	case "OptIn":
		return s.run(fr, s.rawAction(fr, "OptIn", "", t.c.Name))
	}
	return s.run(fr, s.rawAction(fr, t.c.Type, label, ""))
}

// withContext makes ctx the session's context until the returned function runs.
func (s *Session) withContext(ctx context.Context) func() {
	old := s.ctx
	if ctx != nil {
		s.ctx = ctx
	}
	return func() { s.ctx = old }
}

// rawAction finds the on-click-action of the visible component of type typ labelled label (or named
// name), unresolved, as the renderer saw it.
func (s *Session) rawAction(fr *frame, typ, label, name string) map[string]any {
	var found map[string]any
	var walk func(list []any)
	walk = func(list []any) {
		for _, c := range list {
			m, ok := c.(map[string]any)
			if !ok || found != nil {
				continue
			}
			if v, ok := m["visible"]; ok && !truthy(s.resolve(fr, v), true) {
				continue
			}
			switch t, _ := m["type"].(string); t {
			case "If":
				cond, _ := m["condition"].(string)
				if s.condition(fr, cond) {
					walk(asList(m["then"]))
				} else {
					walk(asList(m["else"]))
				}
			case "Switch":
				if cases, ok := m["cases"].(map[string]any); ok {
					walk(asList(cases[textOf(s.resolve(fr, m["value"]))]))
				}
			case "Form":
				walk(asList(m["children"]))
			case typ:
				key := "label"
				if typ == "EmbeddedLink" {
					key = "text"
				}
				if (name != "" && m["name"] == name) || (name == "" && textOf(s.resolve(fr, m[key])) == label) {
					found, _ = m["on-click-action"].(map[string]any)
				}
			}
		}
	}
	walk(fr.screen.children)
	return found
}

// navigationAction is the action a NavigationList item runs: its own, else the list's.
func (s *Session) navigationAction(fr *frame, list, item string) map[string]any {
	var found map[string]any
	visitMaps(fr.screen.children, func(m map[string]any) {
		if found != nil || m["type"] != "NavigationList" || m["name"] != list {
			return
		}
		for _, it := range asList(s.resolve(fr, m["list-items"])) {
			im, _ := it.(map[string]any)
			if textOf(im["id"]) == item {
				if a, ok := im["on-click-action"].(map[string]any); ok {
					found = a
					return
				}
			}
		}
		found, _ = m["on-click-action"].(map[string]any)
	})
	if found != nil {
		// The clicked item reaches the action: what Meta passes is UNCONFIRMED; the player leaves the
		// payload as written.
		found = maps.Clone(found)
	}
	return found
}

func visitMaps(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case []any:
		for _, c := range x {
			visitMaps(c, fn)
		}
	case map[string]any:
		fn(x)
		for _, c := range x {
			visitMaps(c, fn)
		}
	}
}

// run runs action a on frame fr.
func (s *Session) run(fr *frame, a map[string]any) error {
	if a == nil {
		return fmt.Errorf("player: nothing to run on screen %s", fr.screen.id)
	}
	name, _ := a["name"].(string)
	switch name {
	case "navigate":
		next, _ := a["next"].(map[string]any)
		id, _ := next["name"].(string)
		sc, ok := s.f.byID[id]
		if !ok {
			return fmt.Errorf("player: navigate to unknown screen %q", id)
		}
		payload := s.actionPayload(fr, a["payload"], name)
		s.log = append(s.log, Action{Kind: "navigate", Screen: fr.screen.id, Next: id, Payload: payload})
		return s.enter(sc, payload)
	case "data_exchange":
		payload := s.actionPayload(fr, a["payload"], name)
		req := endpoint.Request{Version: s.requestVersion(), Action: endpoint.ActionDataExchange, Screen: fr.screen.id, Data: payload, FlowToken: s.cfg.flowToken}
		resp, err := s.exchange(req, fr.screen.id)
		if err != nil {
			return err
		}
		return s.answer(fr, resp, false)
	case "complete":
		payload := s.actionPayload(fr, a["payload"], name)
		if payload == nil {
			payload = map[string]any{}
		}
		payload["flow_token"] = s.cfg.flowToken
		s.done, s.payload = true, payload
		s.log = append(s.log, Action{Kind: "complete", Screen: fr.screen.id, Payload: cloneMap(payload)})
		return nil
	case "update_data":
		payload := s.actionPayload(fr, a["payload"], name)
		maps.Copy(fr.data, payload)
		s.log = append(s.log, Action{Kind: "update_data", Screen: fr.screen.id, Payload: cloneMap(payload)})
		return nil
	case "open_url":
		url := textOf(s.resolve(fr, a["url"]))
		s.log = append(s.log, Action{Kind: "open_url", Screen: fr.screen.id, URL: url})
		return nil
	}
	return fmt.Errorf("player: unknown action %q", name)
}

// actionPayload resolves an action's payload on fr. References to nothing (an input left empty, a screen not
// visited) are left out (UNCONFIRMED: what the client sends for them), and a picker's files take the
// shape the action sends.
func (s *Session) actionPayload(fr *frame, raw any, kind string) map[string]any {
	m, ok := raw.(map[string]any)
	if !ok {
		return map[string]any{}
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		r := s.resolve(fr, v)
		if files, ok := r.([]File); ok {
			r = mediaValue(files, kind)
		}
		if r != nil {
			out[k] = r
		}
	}
	return out
}

// answer applies an endpoint's Response to a request sent from fr: complete (SUCCESS), refresh fr (the
// same screen), or move to the next screen the routing model allows, with data that fits its data model.
// back says the request was BACK, after which fr has been left already.
func (s *Session) answer(fr *frame, resp *endpoint.Response, back bool) error {
	last := &s.log[len(s.log)-1]
	switch {
	case resp.Screen == endpoint.SuccessScreen:
		ext, _ := resp.Data["extension_message_response"].(map[string]any)
		params, ok := ext["params"].(map[string]any)
		if !ok {
			return s.runtimeError(last, CodePayloadSchemaError, "a SUCCESS response needs data.extension_message_response.params")
		}
		if _, ok := params["flow_token"]; !ok {
			return s.runtimeError(last, CodePayloadSchemaError, "extension_message_response.params needs the flow_token")
		}
		last.Next = endpoint.SuccessScreen
		s.done, s.payload = true, maps.Clone(params)
		s.log = append(s.log, Action{Kind: "complete", Screen: fr.screen.id, Payload: maps.Clone(params)})
		return nil
	case resp.Screen == "":
		return s.runtimeError(last, CodePayloadSchemaError, "the response names no screen")
	case resp.Screen == fr.screen.id && !back:
		if err := checkTypes(fr.screen, resp.Data); err != nil {
			return s.runtimeError(last, CodePayloadSchemaError, err.Error())
		}
		last.Next = fr.screen.id
		maps.Copy(fr.data, resp.Data)
		fr.notice = textOf(resp.Data["error_message"])
		return nil
	}
	next, ok := s.f.byID[resp.Screen]
	if !ok {
		return s.runtimeError(last, CodeInvalidScreenTransition, fmt.Sprintf("the response names screen %q, which the flow does not have", resp.Screen))
	}
	if !s.f.allows(fr.screen.id, next.id) {
		return s.runtimeError(last, CodeInvalidScreenTransition, fmt.Sprintf("the routing model has no route from %s to %s", fr.screen.id, next.id))
	}
	if err := checkSchema(next, resp.Data); err != nil {
		return s.runtimeError(last, CodePayloadSchemaError, err.(*RuntimeError).Message)
	}
	last.Next = next.id
	if back && len(s.stack) > 0 && s.top().screen == next {
		// Back to the screen before, with fresh data; its inputs stay as they were.
		top := s.top()
		maps.Copy(top.data, resp.Data)
		top.notice = textOf(resp.Data["error_message"])
		return nil
	}
	if err := s.enter(next, resp.Data); err != nil {
		return err
	}
	s.top().notice = textOf(resp.Data["error_message"])
	return nil
}

func (s *Session) runtimeError(entry *Action, code, msg string) error {
	err := &RuntimeError{Code: code, Message: msg}
	entry.Error = err.Error()
	return err
}

// checkSchema checks the data an endpoint gives a new screen against its data model: every declared field
// present, with its declared type. error_message may come on any screen.
func checkSchema(sc *screenDef, data map[string]any) error {
	var missing []string
	for _, name := range sc.fieldOrder {
		if _, ok := data[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return &RuntimeError{Code: CodePayloadSchemaError, Message: fmt.Sprintf("screen %s: the data lacks %s, which its data model declares", sc.id, strings.Join(missing, ", "))}
	}
	if err := checkTypes(sc, data); err != nil {
		return &RuntimeError{Code: CodePayloadSchemaError, Message: err.Error()}
	}
	return nil
}

// checkTypes checks the declared fields present in data against their types.
func checkTypes(sc *screenDef, data map[string]any) error {
	for _, name := range sc.fieldOrder {
		v, ok := data[name]
		if !ok {
			continue
		}
		want := textOf(sc.fields[name]["type"])
		if got := jsonType(v); want != "" && got != want && !(want == "number" && got == "integer") && !(want == "integer" && got == "number" && isWhole(v)) {
			return fmt.Errorf("screen %s: field %s should be %s, got %s", sc.id, name, want, got)
		}
	}
	return nil
}

func jsonType(v any) string {
	switch x := normalize(v).(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any, []string:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func isWhole(v any) bool {
	f, ok := normalize(v).(float64)
	return ok && f == float64(int64(f))
}

// Back goes back to the previous screen with its data and inputs as they were. When the screen being left
// has refresh_on_back, the endpoint is asked first (action BACK, with that screen) and its answer is shown.
func (s *Session) Back() error { return s.BackContext(s.ctx) }

// BackContext is Back with the context for the endpoint request it may send.
func (s *Session) BackContext(ctx context.Context) error {
	if s.done {
		return ErrCompleted
	}
	if len(s.stack) < 2 {
		return ErrNoBack
	}
	defer s.withContext(ctx)()
	left := s.top()
	if left.screen.refreshOnBack {
		req := endpoint.Request{Version: s.requestVersion(), Action: endpoint.ActionBack, Screen: left.screen.id, FlowToken: s.cfg.flowToken}
		resp, err := s.exchange(req, left.screen.id)
		if err != nil {
			return err
		}
		s.stack = s.stack[:len(s.stack)-1]
		if err := s.answer(left, resp, true); err != nil {
			s.stack = append(s.stack, left) // nothing changes when the answer is refused
			return err
		}
		return nil
	}
	s.stack = s.stack[:len(s.stack)-1]
	s.log = append(s.log, Action{Kind: "back", Screen: left.screen.id, Next: s.top().screen.id})
	return nil
}

// Answer is one line of the summary a person can open from the response message.
type Answer struct {
	Screen, Label, Value string
	// Masked is true for the inputs the screen lists as sensitive: the summary shows "••••" for them.
	Masked bool
}

// Summary lists the answers the person gave on the screens of the path that completed the flow, as the
// summary in the chat shows them (5.1+): the inputs a screen lists in "sensitive" masked, passwords and
// passcodes left out ([M-FJ] "sensitive"; [M-BP]).
func (s *Session) Summary() []Answer {
	var out []Answer
	for _, fr := range s.stack {
		var walk func(list []any)
		walk = func(list []any) {
			for _, c := range list {
				m, ok := c.(map[string]any)
				if !ok {
					continue
				}
				for _, k := range []string{"children", "then", "else"} {
					walk(asList(m[k]))
				}
				typ, _ := m["type"].(string)
				name, _ := m["name"].(string)
				v, given := fr.form[name]
				if !inputTypes[typ] || !given || isEmpty(v) {
					continue
				}
				if it := textOf(m["input-type"]); it == "password" || it == "passcode" {
					continue
				}
				a := Answer{Screen: fr.screen.id, Label: textOf(s.resolve(fr, m["label"])), Value: s.answerText(fr, m, v)}
				if contains(fr.screen.sensitive, name) {
					a.Value, a.Masked = "••••", true
				}
				out = append(out, a)
			}
		}
		walk(fr.screen.children)
	}
	return out
}

// answerText is an input's value as the summary shows it: option titles for selections, file names for
// pickers.
func (s *Session) answerText(fr *frame, m map[string]any, v any) string {
	if files, ok := v.([]File); ok {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Name
		}
		return strings.Join(names, ", ")
	}
	if ds := asList(s.resolve(fr, m["data-source"])); len(ds) > 0 {
		var titles []string
		for _, id := range selected(v) {
			for _, it := range ds {
				im, _ := it.(map[string]any)
				if textOf(im["id"]) == id {
					titles = append(titles, textOf(im["title"]))
				}
			}
		}
		return strings.Join(titles, ", ")
	}
	if b, ok := v.(bool); ok {
		if b {
			return "Yes"
		}
		return "No"
	}
	return textOf(v)
}
