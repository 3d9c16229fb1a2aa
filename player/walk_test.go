// Helpers that walk a flow as a person would: fill every input shown with a value it accepts, press what
// can be pressed, and reach every screen; and an endpoint that answers from the routing model.
package player_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

// fillAll fills every enabled input shown on the current screen with a value its checks accept. It stops
// when a fill moves the flow to another screen (an on-select data_exchange can).
func fillAll(s *player.Session) error {
	screen := s.Screen().ID
	for range 3 { // a fill can show or hide other inputs (If on a form value)
		changed := false
		for _, c := range s.Screen().Components {
			if c.Name == "" || !c.Enabled || c.Type == "NavigationList" || (c.Value != nil && c.Error == "") {
				continue
			}
			v := valueFor(c)
			if v == nil {
				continue
			}
			if err := s.Fill(c.Name, v); err != nil {
				return fmt.Errorf("fill %s (%s): %w", c.Name, c.Type, err)
			}
			changed = true
			if _, done := s.Completed(); done || s.Screen().ID != screen {
				return nil
			}
		}
		if !changed {
			return nil
		}
	}
	return nil
}

// matches reports whether text matches the regular expression p, as RegExp.test does.
func matches(p, text string) bool {
	re, err := regexp.Compile(p)
	return err == nil && re.MatchString(text)
}

// valueFor is a value input c accepts.
func valueFor(c player.Component) any {
	switch c.Type {
	case "TextInput":
		text := "Ada Lovelace"
		switch c.Props["input-type"] {
		case "email":
			text = "ada@example.com"
		case "number":
			text = "42"
		case "phone":
			text = "+15551234567"
		case "passcode":
			text = "123456"
		case "password":
			text = "correct horse"
		}
		if p, _ := c.Props["pattern"].(string); p != "" {
			for _, candidate := range []string{"12345", "123456", "10075", "A1B2C3", "ABC123", "abc", "AB-1234", "1993-08-04", "ada@example.com"} {
				if matches(p, candidate) {
					text = candidate
					break
				}
			}
		}
		for n := intOf(c.Props["min-chars"]); len([]rune(text)) < n; {
			text += "x"
		}
		if n := intOf(c.Props["max-chars"]); n > 0 && len([]rune(text)) > n {
			text = string([]rune(text)[:n])
		}
		return text
	case "TextArea":
		return "All good, thank you."
	case "RadioButtonsGroup", "Dropdown":
		for _, o := range c.Options {
			if o.Enabled {
				return o.ID
			}
		}
	case "CheckboxGroup", "ChipsSelector":
		want := max(intOf(c.Props["min-selected-items"]), 1)
		var ids []string
		for _, o := range c.Options {
			if o.Enabled && len(ids) < want {
				ids = append(ids, o.ID)
			}
		}
		return ids
	case "OptIn":
		return true
	case "DatePicker":
		return dateFor(c, 0)
	case "CalendarPicker":
		if c.Props["mode"] == "range" {
			days := max(intOf(c.Props["min-days"]), 1)
			start := dateFor(c, 0)
			d, _ := time.Parse(time.DateOnly, start)
			end := d.AddDate(0, 0, days-1).Format(time.DateOnly)
			return map[string]any{"start-date": start, "end-date": end}
		}
		return dateFor(c, 0)
	case "PhotoPicker":
		return []player.File{{Name: "photo.jpg", MIMEType: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0 not much of a photo")}}
	case "DocumentPicker":
		return []player.File{{Name: "doc.pdf", MIMEType: "application/pdf", Data: []byte("%PDF-1.4 not much of a document")}}
	}
	return nil
}

// dateFor is the first date from min-date (or 2030-01-07, a Monday) that is available and allowed.
func dateFor(c player.Component, _ int) string {
	d, _ := time.Parse(time.DateOnly, "2030-01-07")
	if t, ok := propDate(c.Props["max-date"]); ok && t.Before(d) {
		d = t.AddDate(0, 0, -14)
	}
	if t, ok := propDate(c.Props["min-date"]); ok {
		d = t
	}
	unavailable := map[string]bool{}
	if l, ok := c.Props["unavailable-dates"].([]any); ok {
		for _, u := range l {
			if t, ok := propDate(u); ok {
				unavailable[t.Format(time.DateOnly)] = true
			}
		}
	}
	var days []string
	if l, ok := c.Props["include-days"].([]any); ok {
		for _, x := range l {
			days = append(days, fmt.Sprint(x))
		}
	}
	for range 400 {
		if !unavailable[d.Format(time.DateOnly)] && (len(days) == 0 || slices.Contains(days, d.Weekday().String()[:3])) {
			break
		}
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly)
}

// propDate reads a date property: "YYYY-MM-DD", or (before 5.0) milliseconds.
func propDate(v any) (time.Time, bool) {
	str, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.DateOnly, str); err == nil {
		return t, true
	}
	var ms int64
	if _, err := fmt.Sscan(str, &ms); err == nil {
		return time.UnixMilli(ms).UTC().Truncate(24 * time.Hour), true
	}
	return time.Time{}, false
}

func intOf(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case fmt.Stringer:
		var n int
		fmt.Sscan(x.String(), &n)
		return n
	}
	return 0
}

// pressables lists what can be pressed on the current screen.
func pressables(s *player.Session) []string {
	var out []string
	for _, c := range s.Screen().Components {
		switch c.Type {
		case "Footer", "EmbeddedLink":
			out = append(out, c.Label)
		case "OptIn":
			if c.Action != nil {
				out = append(out, "Read more")
			}
		case "NavigationList":
			for _, it := range c.Items {
				out = append(out, it.Title)
			}
		}
	}
	return out
}

// routingEndpoint answers like an endpoint that follows the flow's routing model: INIT with the entry (or
// with start when set), data_exchange with the first screen the routing model leads to (SUCCESS from a
// screen that leads nowhere), each screen's data from its __example__, and BACK with the screen before.
type routingEndpoint struct {
	t       testing.TB
	routing map[string][]string
	example map[string]map[string]any
	entry   string
	// filling makes a data_exchange refresh its own screen, as an endpoint answers an on-select-action.
	filling bool
}

func (e *routingEndpoint) answer(_ context.Context, req endpoint.Request) (*endpoint.Response, error) {
	if e.filling && req.Action == endpoint.ActionDataExchange {
		return &endpoint.Response{Screen: req.Screen, Data: e.example[req.Screen]}, nil
	}
	switch req.Action {
	case endpoint.ActionInit:
		return &endpoint.Response{Screen: e.entry, Data: e.example[e.entry]}, nil
	case endpoint.ActionBack:
		for from, to := range e.routing {
			if slices.Contains(to, req.Screen) {
				return &endpoint.Response{Screen: from, Data: e.example[from]}, nil
			}
		}
	}
	next := e.routing[req.Screen]
	if len(next) == 0 {
		return &endpoint.Response{Screen: endpoint.SuccessScreen, Data: map[string]any{
			"extension_message_response": map[string]any{"params": map[string]any{"flow_token": req.FlowToken, "answered": req.Data}}}}, nil
	}
	return &endpoint.Response{Screen: next[0], Data: e.example[next[0]]}, nil
}

// describeScreen is a screen's id and text, for failure messages.
func describeScreen(s *player.Session) string {
	sc := s.Screen()
	return sc.ID + ":\n" + indent(sc.Text())
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
