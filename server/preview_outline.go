// What the preview needs to know of a flow besides playing it: its screens, their __example__ data and
// its routing model, to offer a person the answers an endpoint may give.
package server

import (
	"encoding/json"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

type outlineScreen struct {
	id, title string
	terminal  bool
	example   map[string]any
}

type flowOutline struct {
	screens []outlineScreen
	routing map[string][]string // nil without a routing model
}

// outlineOf reads the outline of a flow the player accepted (so it parses).
func outlineOf(data []byte) flowOutline {
	var doc struct {
		Screens []struct {
			ID       string                     `json:"id"`
			Title    any                        `json:"title"`
			Terminal bool                       `json:"terminal"`
			Data     map[string]json.RawMessage `json:"data"`
		} `json:"screens"`
		Routing map[string][]string `json:"routing_model"`
	}
	json.Unmarshal(data, &doc)
	out := flowOutline{routing: doc.Routing}
	for _, s := range doc.Screens {
		sc := outlineScreen{id: s.ID, terminal: s.Terminal, example: map[string]any{}}
		if t, ok := s.Title.(string); ok {
			sc.title = t
		}
		for name, raw := range s.Data {
			var field struct {
				Example any `json:"__example__"`
			}
			if json.Unmarshal(raw, &field) == nil && field.Example != nil {
				sc.example[name] = field.Example
			}
		}
		out.screens = append(out.screens, sc)
	}
	return out
}

// allows is the routing rule the player applies: a route lets an endpoint move either way along it, and a
// flow without a routing model allows every move.
func (o flowOutline) allows(from, to string) bool {
	if o.routing == nil {
		return true
	}
	for _, t := range o.routing[from] {
		if t == to {
			return true
		}
	}
	for _, t := range o.routing[to] {
		if t == from {
			return true
		}
	}
	return false
}

// answerChoice is one answer a person may give an endpoint request: a screen and its data as JSON text.
type answerChoice struct {
	id, label, data string
}

// answers lists the screens an endpoint may answer req with, forward routes first: for INIT every screen,
// otherwise the screen itself (a refresh), the screens the routing model allows, and SUCCESS to complete.
func (o flowOutline) answers(req endpoint.Request, flowToken string) []answerChoice {
	var out []answerChoice
	add := func(sc outlineScreen, note string) {
		data, _ := json.MarshalIndent(sc.example, "", "  ")
		label := sc.id
		if note != "" {
			label += " (" + note + ")"
		}
		out = append(out, answerChoice{id: sc.id, label: label, data: string(data)})
	}
	seen := map[string]bool{}
	if req.Action == endpoint.ActionInit || req.Screen == "" {
		for _, sc := range o.screens {
			add(sc, "")
		}
		return out
	}
	byID := map[string]outlineScreen{}
	for _, sc := range o.screens {
		byID[sc.id] = sc
	}
	// Forward routes first, in the routing model's order; then the rest the model allows.
	if o.routing != nil {
		for _, id := range o.routing[req.Screen] {
			if sc, ok := byID[id]; ok && !seen[id] && id != req.Screen {
				seen[id] = true
				add(sc, "")
			}
		}
	}
	for _, sc := range o.screens {
		if !seen[sc.id] && sc.id != req.Screen && o.allows(req.Screen, sc.id) {
			seen[sc.id] = true
			add(sc, "")
		}
	}
	if req.Action != endpoint.ActionBack {
		if sc, ok := byID[req.Screen]; ok {
			add(sc, "the same screen, refreshed")
		}
	}
	success, _ := json.MarshalIndent(map[string]any{"extension_message_response": map[string]any{"params": map[string]any{"flow_token": flowToken}}}, "", "  ")
	out = append(out, answerChoice{id: endpoint.SuccessScreen, label: "SUCCESS (complete the flow)", data: string(success)})
	return out
}

// flowTokenOr is the session's flow token as the player sends it.
func (p pageParams) flowTokenOr() string {
	if p.flowToken == "" {
		return player.DefaultFlowToken
	}
	return p.flowToken
}
