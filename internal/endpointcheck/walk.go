// The walk: the flow played against the endpoint with the player, inputs filled with values that fit
// them, each reply checked as the WhatsApp client checks it, to SUCCESS.
package endpointcheck

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

// maxSteps bounds a walk (a flow that loops is walked this far).
const maxSteps = 60

func (c *checker) walk(ctx context.Context) {
	token := c.opts.FlowToken
	if token == "" {
		token = "waflows-check"
	}
	action := c.opts.FlowAction
	if action == "" {
		action = player.FlowActionDataExchange
	}
	client := &endpoint.Client{URL: c.opts.URL, PublicKey: c.opts.PublicKey, AppSecret: c.opts.AppSecret, HTTPClient: c.hc}
	send := func(ctx context.Context, req endpoint.Request) (*endpoint.Response, error) {
		start := time.Now()
		resp, err := client.Send(ctx, req)
		took := time.Since(start)
		c.samples = append(c.samples, took)
		f := Finding{Check: fmt.Sprintf("%s on %s answered", req.Action, orStart(req.Screen)), Status: OK, LatencyMS: ms(took)}
		if err != nil {
			f.Status, f.Detail, f.Fix = Fail, err.Error(), fixFor(err)
		} else if resp.Screen != "" {
			f.Detail = "→ " + resp.Screen
		}
		c.add(f)
		return resp, err
	}
	s, err := player.Start(ctx, c.opts.Flow, player.WithFlowAction(action), player.WithFlowToken(token), player.WithDataExchange(send))
	if err != nil {
		c.walkFailed("the flow opens", err)
		return
	}
	for step := 0; step < maxSteps; step++ {
		if payload, ok := s.Completed(); ok {
			if payload["flow_token"] != token {
				c.add(Finding{Check: "the flow completes with its flow token", Status: Fail, Detail: fmt.Sprintf("flow_token %v", payload["flow_token"]), Fix: "put the request's flow_token in extension_message_response.params"})
			} else {
				c.add(Finding{Check: "the flow completes with its flow token", Status: OK})
			}
			return
		}
		sc := s.Screen()
		if err := fill(s); err != nil {
			c.walkFailed("filling screen "+sc.ID, err)
			return
		}
		label := pressTarget(s.Screen())
		if label == "" {
			c.add(Finding{Check: "the walk reaches SUCCESS", Status: Warn, Detail: "screen " + sc.ID + " has nothing to press", Fix: "check the flow (waflows validate)"})
			return
		}
		if err := s.Press(label); err != nil {
			var in *player.InputError
			if errors.As(err, &in) {
				c.add(Finding{Check: "the walk fills screen " + sc.ID, Status: Warn, Detail: err.Error(), Fix: "the checker could not find values these inputs accept"})
				return
			}
			c.walkFailed("pressing "+label+" on "+sc.ID, err)
			return
		}
	}
	c.add(Finding{Check: "the walk reaches SUCCESS", Status: Warn, Detail: fmt.Sprintf("not within %d steps (a loop?)", maxSteps)})
}

func (c *checker) walkFailed(what string, err error) {
	var rt *player.RuntimeError
	var ee *endpoint.Error
	switch {
	case errors.As(err, &rt):
		c.add(Finding{Check: what, Status: Fail, Detail: rt.Code + ": " + rt.Message, Fix: fixFor(err)})
	case errors.As(err, &ee):
		// Already reported by the request's own finding.
	default:
		c.add(Finding{Check: what, Status: Fail, Detail: err.Error()})
	}
}

func orStart(screen string) string {
	if screen == "" {
		return "open"
	}
	return screen
}

// fixFor says what to change for a failure Meta's client reports.
func fixFor(err error) string {
	var rt *player.RuntimeError
	if errors.As(err, &rt) {
		switch rt.Code {
		case player.CodeInvalidScreenTransition:
			return "answer with a screen the flow's routing_model allows from this one"
		case player.CodePayloadSchemaError:
			return "give the next screen every field its data model declares, with the declared types"
		}
	}
	var e *endpoint.Error
	if errors.As(err, &e) {
		switch e.Kind {
		case endpoint.KindTimeout:
			return "answer within 10 s (Meta's target is 1 s)"
		case endpoint.KindBusinessDecryption:
			return "the endpoint's private key must match the public key given here"
		case endpoint.KindResponseDecryption:
			return "encrypt the answer with the request's key and the flipped IV, base64 as the body"
		case endpoint.KindInvalidFlowToken:
			return "the endpoint refused the flow token: give one it knows (--flow-token)"
		case endpoint.KindSignatureVerification:
			return "give --app-secret, the secret of the app linked to the flow"
		}
		return "answer 200 with the encrypted response"
	}
	return ""
}

// pressTarget is what the walk presses: the Footer, else the first navigation item, else the first
// embedded link.
func pressTarget(sc player.Screen) string {
	var nav, link string
	for _, c := range sc.Components {
		switch c.Type {
		case "Footer":
			return c.Label
		case "NavigationList":
			if nav == "" && len(c.Items) > 0 {
				nav = c.Items[0].Title
			}
		case "EmbeddedLink":
			if link == "" {
				link = c.Label
			}
		}
	}
	if nav != "" {
		return nav
	}
	return link
}

// fill gives every visible, enabled, empty input of the screen a value that fits it, one at a time and
// looking at the screen again after each: a selection may run an action (on-select-action) whose answer
// enables, shows or refills other inputs, as on Meta's appointment template. It stops at the first error
// (an endpoint failure is reported by its request's finding).
func fill(s *player.Session) error {
	tried := map[string]bool{}
	for range maxFills {
		next := ""
		var value any
		for _, c := range s.Screen().Components {
			if c.Name == "" || !c.Enabled || c.Value != nil || tried[c.Name] {
				continue
			}
			if v := valueFor(c); v != nil {
				next, value = c.Name, v
				break
			}
		}
		if next == "" {
			return nil
		}
		tried[next] = true
		if err := s.Fill(next, value); err != nil {
			var in *player.InputError
			if errors.As(err, &in) {
				continue // a value this input refuses; the press reports what is still missing
			}
			return err
		}
	}
	return nil
}

// maxFills bounds the inputs one screen's fill tries.
const maxFills = 200

func intProp(c player.Component, key string, def int) int {
	switch v := c.Props[key].(type) {
	case float64:
		return int(v)
	case interface{ Float64() (float64, error) }:
		if f, err := v.Float64(); err == nil {
			return int(f)
		}
	}
	return def
}

func valueFor(c player.Component) any {
	switch c.Type {
	case "TextInput", "TextArea":
		text := "test"
		switch c.Props["input-type"] {
		case "email":
			text = "test@example.com"
		case "number":
			text = "1"
		case "phone":
			text = "+15550100"
		case "passcode":
			text = "1234"
		case "password":
			text = "Secret123"
		}
		if n := intProp(c, "min-chars", 0); len(text) < n {
			text += strings.Repeat("1", n-len(text))
		}
		return text
	case "RadioButtonsGroup", "Dropdown":
		for _, o := range c.Options {
			if o.Enabled {
				return o.ID
			}
		}
	case "CheckboxGroup", "ChipsSelector":
		n := max(intProp(c, "min-selected-items", 1), 1)
		var ids []string
		for _, o := range c.Options {
			if o.Enabled && len(ids) < n {
				ids = append(ids, o.ID)
			}
		}
		if len(ids) > 0 {
			return ids
		}
	case "OptIn":
		return true
	case "DatePicker":
		return dateFor(c)
	case "CalendarPicker":
		d := dateFor(c)
		if c.Props["mode"] == "range" {
			return map[string]any{"start-date": d, "end-date": d}
		}
		return d
	case "PhotoPicker":
		return []player.File{{Name: "photo.jpg", MIMEType: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0 waflows check")}}
	case "DocumentPicker":
		return []player.File{{Name: "document.pdf", MIMEType: "application/pdf", Data: []byte("%PDF-1.4 waflows check")}}
	}
	return nil
}

// dateFor is a date in the picker's range that is not unavailable: its min-date, else today.
func dateFor(c player.Component) string {
	d := time.Now().UTC()
	if s, ok := c.Props["min-date"].(string); ok {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			d = t
		}
	}
	unavailable := map[string]bool{}
	if list, ok := c.Props["unavailable-dates"].([]any); ok {
		for _, u := range list {
			if s, ok := u.(string); ok {
				unavailable[s] = true
			}
		}
	}
	for i := 0; i < 366 && unavailable[d.Format(time.DateOnly)]; i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly)
}
