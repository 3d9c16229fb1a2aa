// Rendering: the current screen as a person sees it — the components that are visible, with every
// reference resolved, If and Switch reduced to their branch, inputs with their values and messages.
package player

import (
	"maps"
	"slices"
	"strings"
)

// Screen is the current screen, rendered. It is a snapshot: later actions do not change it.
type Screen struct {
	ID    string
	Title string // resolved
	// Terminal screens end the flow; their Footer may complete it.
	Terminal bool
	// Components are the visible components in order. Form, If and Switch show no UI of their own: their
	// children (the branch that applies) stand in their place.
	Components []Component
	// Notice is the endpoint's error_message for this screen, shown as a snackbar.
	Notice string
	// Step is the screen's position on the navigation stack (1 for the first screen); Screens the number of
	// screens in the flow. WhatsApp shows a progress indicator on flows with more than one screen.
	Step, Screens int
	// CanGoBack is false on the first screen.
	CanGoBack bool
}

// Component is one visible component of a screen.
type Component struct {
	// Type is the component type as in Flow JSON (TextHeading, TextInput, Footer, …).
	Type string
	// Name is the name of an input (or NavigationList).
	Name string
	// Label is what the component is called on screen: an input's label, a Footer's label, an
	// EmbeddedLink's text, a heading's text.
	Label string
	// Text holds the text of TextHeading, TextSubheading, TextBody, TextCaption and RichText (one entry per
	// item when the text is a list), as written: Markdown stays Markdown.
	Text []string
	// Props are all the component's properties, resolved (children, branches and actions left out).
	Props map[string]any
	// Value is an input's current value, as the payload carries it.
	Value any
	// Required and Enabled are resolved (Enabled is true unless the flow disables it). A Footer is
	// disabled while a required input is empty.
	Required, Enabled bool
	// Error is the message shown under an input: a failed check of the last Press, else the flow's
	// error-message for it.
	Error string
	// Options are the items of a CheckboxGroup, RadioButtonsGroup, Dropdown or ChipsSelector.
	Options []Choice
	// Items are the items of a NavigationList.
	Items []NavItem
	// Missing are, on a Footer, the labels of the required inputs still empty.
	Missing []string
	// Action is what pressing runs: a Footer, EmbeddedLink, OptIn "Read more" or NavigationList.
	Action *ActionRef
	// Markdown is true for RichText, and for TextBody and TextCaption with markdown:true.
	Markdown bool
}

// Choice is one item of a selection input.
type Choice struct {
	ID, Title, Description, Metadata string
	// Image is base64, with AltText; Color is a 6-digit hex (5.0+).
	Image, AltText, Color string
	Enabled               bool
	Selected              bool
}

// NavItem is one item of a NavigationList.
type NavItem struct {
	ID                                    string
	Title, Description, Metadata          string
	StartImage, StartAltText              string
	EndTitle, EndDescription, EndMetadata string
	Badge                                 string
	Tags                                  []string
	Action                                *ActionRef
}

// ActionRef names an action: navigate (Next is the screen), data_exchange, complete, update_data or
// open_url (URL).
type ActionRef struct {
	Name string
	Next string
	URL  string
}

// inputTypes are the components a person fills in.
var inputTypes = map[string]bool{
	"TextInput": true, "TextArea": true, "CheckboxGroup": true, "RadioButtonsGroup": true, "Dropdown": true,
	"ChipsSelector": true, "OptIn": true, "DatePicker": true, "CalendarPicker": true, "PhotoPicker": true,
	"DocumentPicker": true,
}

// Screen renders the current screen.
func (s *Session) Screen() Screen {
	fr := s.top()
	sc := Screen{
		ID:        fr.screen.id,
		Title:     textOf(s.resolve(fr, fr.screen.title)),
		Terminal:  fr.screen.terminal,
		Notice:    fr.notice,
		Step:      len(s.stack),
		Screens:   len(s.f.screens),
		CanGoBack: len(s.stack) > 1 && !s.done,
	}
	r := renderer{s: s, fr: fr}
	r.children(fr.screen.children, nil)
	// The Footer waits for the required inputs.
	var missing []string
	for _, c := range r.out {
		if inputTypes[c.Type] && c.Required && c.Enabled && isEmpty(c.Value) {
			missing = append(missing, c.Label)
		}
	}
	for i := range r.out {
		if r.out[i].Type == "Footer" {
			r.out[i].Missing = missing
			r.out[i].Enabled = r.out[i].Enabled && len(missing) == 0 && !s.done
		}
	}
	sc.Components = r.out
	return sc
}

// renderer walks a screen's layout.
type renderer struct {
	s   *Session
	fr  *frame
	out []Component
}

// formContext holds what an enclosing Form gives its children.
type formContext struct {
	errors map[string]any
}

func (r *renderer) children(list []any, form *formContext) {
	for _, c := range list {
		m, ok := c.(map[string]any)
		if !ok {
			continue
		}
		r.component(m, form)
	}
}

func (r *renderer) component(m map[string]any, form *formContext) {
	typ, _ := m["type"].(string)
	if v, ok := m["visible"]; ok && !truthy(r.s.resolve(r.fr, v), true) {
		return
	}
	switch typ {
	case "If":
		cond, _ := m["condition"].(string)
		if r.s.condition(r.fr, cond) {
			r.children(asList(m["then"]), form)
		} else {
			r.children(asList(m["else"]), form)
		}
		return
	case "Switch":
		key := textOf(r.s.resolve(r.fr, m["value"]))
		if cases, ok := m["cases"].(map[string]any); ok {
			r.children(asList(cases[key]), form)
		}
		return
	case "Form":
		fc := &formContext{}
		if em, ok := r.s.resolve(r.fr, m["error-messages"]).(map[string]any); ok {
			fc.errors = em
		}
		r.children(asList(m["children"]), fc)
		return
	}
	c := Component{Type: typ, Enabled: true, Props: map[string]any{}}
	for k, v := range m {
		switch k {
		case "type", "children", "then", "else", "cases", "data-source", "list-items":
			continue
		}
		if strings.HasSuffix(k, "-action") {
			continue
		}
		c.Props[k] = r.s.resolve(r.fr, v)
	}
	c.Name, _ = m["name"].(string)
	c.Required = truthy(c.Props["required"], false)
	c.Enabled = truthy(c.Props["enabled"], true)
	switch typ {
	case "TextHeading", "TextSubheading", "TextBody", "TextCaption", "RichText":
		c.Text = textList(c.Props["text"])
		c.Label = strings.Join(c.Text, "\n")
		c.Markdown = typ == "RichText" || truthy(c.Props["markdown"], false) && r.s.f.ver.atLeast(5, 1)
	case "Footer":
		c.Label = textOf(c.Props["label"])
		c.Action = actionRef(m["on-click-action"])
	case "EmbeddedLink":
		c.Label = textOf(c.Props["text"])
		c.Action = actionRef(m["on-click-action"])
	case "OptIn":
		c.Label = textOf(c.Props["label"])
		c.Action = actionRef(m["on-click-action"])
	case "CalendarPicker":
		if l, ok := c.Props["label"].(map[string]any); ok {
			c.Label = strings.TrimSpace(textOf(l["start-date"]) + " – " + textOf(l["end-date"]))
		} else {
			c.Label = textOf(c.Props["label"])
		}
		if req, ok := c.Props["required"].(map[string]any); ok {
			c.Required = truthy(req["start-date"], false) || truthy(req["end-date"], false)
		}
	case "NavigationList":
		c.Label = textOf(c.Props["label"])
		c.Action = actionRef(m["on-click-action"])
		for _, it := range asList(r.s.resolve(r.fr, m["list-items"])) {
			c.Items = append(c.Items, navItem(it, c.Action, rawItemAction(m["list-items"], it)))
		}
	default:
		c.Label = textOf(c.Props["label"])
	}
	if inputTypes[typ] {
		c.Value = r.fr.form[c.Name]
		if msg := r.fr.errors[c.Name]; msg != "" {
			c.Error = msg
		} else if e := c.Props["error-message"]; e != nil {
			c.Error = errorText(e)
		} else if form != nil && form.errors[c.Name] != nil {
			c.Error = textOf(form.errors[c.Name])
		}
		if ds, ok := m["data-source"]; ok {
			for _, it := range asList(r.s.resolve(r.fr, ds)) {
				c.Options = append(c.Options, option(it, c.Value))
			}
		}
	}
	r.out = append(r.out, c)
}

// errorText is an error-message as shown: a string, or (pickers) the messages of an object joined.
func errorText(v any) string {
	if m, ok := v.(map[string]any); ok {
		var parts []string
		for _, k := range sortedKeys(m) {
			parts = append(parts, textOf(m[k]))
		}
		return strings.Join(parts, "; ")
	}
	return textOf(v)
}

func textList(v any) []string {
	if l, ok := v.([]any); ok {
		out := make([]string, 0, len(l))
		for _, e := range l {
			out = append(out, textOf(e))
		}
		return out
	}
	if v == nil {
		return nil
	}
	return []string{textOf(v)}
}

// truthy reads a resolved boolean property; anything not a boolean gives def.
func truthy(v any, def bool) bool {
	if b, ok := v.(bool); ok {
		return b
	}
	return def
}

func actionRef(v any) *ActionRef {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	a := &ActionRef{}
	a.Name, _ = m["name"].(string)
	if next, ok := m["next"].(map[string]any); ok {
		a.Next, _ = next["name"].(string)
	}
	a.URL, _ = m["url"].(string)
	return a
}

// rawItemAction finds the unresolved on-click-action of the NavigationList item it (by id).
func rawItemAction(items any, it any) any {
	id := ""
	if m, ok := it.(map[string]any); ok {
		id, _ = m["id"].(string)
	}
	for _, raw := range asList(items) {
		if m, ok := raw.(map[string]any); ok && m["id"] == id {
			return m["on-click-action"]
		}
	}
	return nil
}

func option(v any, value any) Choice {
	m, _ := v.(map[string]any)
	o := Choice{Enabled: truthy(m["enabled"], true)}
	o.ID = textOf(m["id"])
	o.Title = textOf(m["title"])
	o.Description = textOf(m["description"])
	o.Metadata = textOf(m["metadata"])
	o.Image = textOf(m["image"])
	o.AltText = textOf(m["alt-text"])
	o.Color = textOf(m["color"])
	switch x := value.(type) {
	case string:
		o.Selected = x == o.ID
	case []string:
		o.Selected = contains(x, o.ID)
	case []any:
		for _, e := range x {
			if textOf(e) == o.ID {
				o.Selected = true
			}
		}
	}
	return o
}

func navItem(v any, list *ActionRef, raw any) NavItem {
	m, _ := v.(map[string]any)
	it := NavItem{ID: textOf(m["id"]), Badge: textOf(m["badge"]), Action: list}
	if mc, ok := m["main-content"].(map[string]any); ok {
		it.Title, it.Description, it.Metadata = textOf(mc["title"]), textOf(mc["description"]), textOf(mc["metadata"])
	}
	if st, ok := m["start"].(map[string]any); ok {
		it.StartImage, it.StartAltText = textOf(st["image"]), textOf(st["alt-text"])
	}
	if en, ok := m["end"].(map[string]any); ok {
		it.EndTitle, it.EndDescription, it.EndMetadata = textOf(en["title"]), textOf(en["description"]), textOf(en["metadata"])
	}
	for _, t := range asList(m["tags"]) {
		it.Tags = append(it.Tags, textOf(t))
	}
	if a := actionRef(raw); a != nil {
		it.Action = a
	}
	return it
}

// condition evaluates an If condition on fr; one that cannot be evaluated is false.
func (s *Session) condition(fr *frame, cond string) bool {
	ok, err := evalCondition(s.f, cond, func(ref string) any { return s.lookup(fr, ref) })
	return err == nil && ok
}

// isEmpty reports whether an input's value counts as not given: nothing, an empty string or list, an
// OptIn not ticked.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	case []File:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
