// The flow as the player reads it: screens, their data models and layouts, the routing model, the version.
package player

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// flowDef is a validated Flow JSON, decoded.
type flowDef struct {
	version   string
	ver       version
	dataAPI   string
	routing   map[string][]string // nil when the flow has no routing model
	screens   []*screenDef
	byID      map[string]*screenDef
	navigates map[string]bool // screens some navigate action leads to
	exprs     map[string]tokenized
}

// version is a Flow JSON version, comparable: 6.3 is {6, 3}.
type version struct{ major, minor int }

func parseVersion(s string) version {
	maj, min, _ := strings.Cut(s, ".")
	a, _ := strconv.Atoi(maj)
	b, _ := strconv.Atoi(min)
	return version{a, b}
}

func (v version) atLeast(major, minor int) bool {
	return v.major > major || v.major == major && v.minor >= minor
}

// screenDef is one screen of the flow.
type screenDef struct {
	id            string
	title         any
	terminal      bool
	refreshOnBack bool
	sensitive     []string
	fields        map[string]map[string]any // the data model: field name → its schema (with __example__)
	fieldOrder    []string
	children      []any // layout.children
}

// decode reads JSON keeping numbers exact (json.Number), as the business wrote them.
func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// parseFlow decodes a Flow JSON that the validator has accepted.
func parseFlow(data []byte) (*flowDef, error) {
	v, err := decode(data)
	if err != nil {
		return nil, err
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the flow is not a JSON object")
	}
	f := &flowDef{byID: map[string]*screenDef{}, navigates: map[string]bool{}}
	f.version, _ = root["version"].(string)
	f.ver = parseVersion(f.version)
	f.dataAPI, _ = root["data_api_version"].(string)
	if rm, ok := root["routing_model"].(map[string]any); ok {
		f.routing = map[string][]string{}
		for from, to := range rm {
			list, _ := to.([]any)
			for _, t := range list {
				if s, ok := t.(string); ok {
					f.routing[from] = append(f.routing[from], s)
				}
			}
			if f.routing[from] == nil {
				f.routing[from] = []string{}
			}
		}
	}
	screens, _ := root["screens"].([]any)
	for _, sv := range screens {
		sm, ok := sv.(map[string]any)
		if !ok {
			continue
		}
		s := &screenDef{fields: map[string]map[string]any{}}
		s.id, _ = sm["id"].(string)
		s.title = sm["title"]
		s.terminal, _ = sm["terminal"].(bool)
		s.refreshOnBack, _ = sm["refresh_on_back"].(bool)
		for _, x := range asList(sm["sensitive"]) {
			if str, ok := x.(string); ok {
				s.sensitive = append(s.sensitive, str)
			}
		}
		if data, ok := sm["data"].(map[string]any); ok {
			for name, schema := range data {
				if m, ok := schema.(map[string]any); ok {
					s.fields[name] = m
					s.fieldOrder = append(s.fieldOrder, name)
				}
			}
			slices.Sort(s.fieldOrder)
		}
		if layout, ok := sm["layout"].(map[string]any); ok {
			s.children = asList(layout["children"])
		}
		f.screens = append(f.screens, s)
		f.byID[s.id] = s
	}
	for _, s := range f.screens {
		walkActions(s.children, func(a map[string]any) {
			if name, _ := a["name"].(string); name == "navigate" {
				if next, ok := a["next"].(map[string]any); ok {
					if n, ok := next["name"].(string); ok {
						f.navigates[n] = true
					}
				}
			}
		})
	}
	return f, nil
}

// entryScreens are the screens a flow may open on, in the order of the flow: with a routing model, those
// no route leads to; without, those no navigate action leads to (Meta's routing rules, [M-FJ]).
func (f *flowDef) entryScreens() []string {
	inbound := map[string]bool{}
	if f.routing != nil {
		for _, to := range f.routing {
			for _, t := range to {
				inbound[t] = true
			}
		}
	} else {
		inbound = f.navigates
	}
	var out []string
	for _, s := range f.screens {
		if !inbound[s.id] {
			out = append(out, s.id)
		}
	}
	if len(out) == 0 && len(f.screens) > 0 {
		out = append(out, f.screens[0].id)
	}
	return out
}

// allows reports whether the routing model lets from lead to to (either way: a route also allows back).
// A flow without a routing model allows every transition.
func (f *flowDef) allows(from, to string) bool {
	if f.routing == nil {
		return true
	}
	for _, t := range f.routing[from] {
		if t == to {
			return true
		}
	}
	for _, t := range f.routing[to] {
		if t == from {
			return true
		}
	}
	return false
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// walkActions calls fn with every action object (a value under a key ending in "-action") in children,
// branches and items included.
func walkActions(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case []any:
		for _, c := range x {
			walkActions(c, fn)
		}
	case map[string]any:
		for k, c := range x {
			if strings.HasSuffix(k, "-action") {
				if a, ok := c.(map[string]any); ok {
					fn(a)
				}
			}
			walkActions(c, fn)
		}
	}
}
