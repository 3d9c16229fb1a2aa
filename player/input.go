// Inputs: filling them in (Fill), their init values, the checks WhatsApp runs before a Footer acts, and
// the on-select and on-unselect actions a selection fires.
package player

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// File is a photo or document given to a PhotoPicker or DocumentPicker.
type File struct {
	Name     string
	MIMEType string
	Data     []byte
}

// maxTextInput bounds any text value, whatever max-chars says.
const maxTextInput = 1 << 16

// Fill sets the input named name on the current screen to value, as a person would: a string for text
// inputs; an option id for RadioButtonsGroup and Dropdown; a list of ids ([]string) for CheckboxGroup and
// ChipsSelector; a bool for OptIn; "YYYY-MM-DD" for DatePicker and a single-mode CalendarPicker,
// {"start-date": …, "end-date": …} in range mode; []File for the pickers; nil clears it. A value the input
// cannot take (an unknown option, text over max-chars, a file over max-file-size-kb) is refused, as the
// device refuses it. A selection runs the input's on-select-action or on-unselect-action.
func (s *Session) Fill(name string, value any) error {
	if s.done {
		return ErrCompleted
	}
	fr := s.top()
	c, err := s.input(name)
	if err != nil {
		return err
	}
	if !c.Enabled {
		return fmt.Errorf("player: input %q on screen %s is disabled", name, fr.screen.id)
	}
	v, err := s.accept(c, value)
	if err != nil {
		return fmt.Errorf("player: input %q: %w", name, err)
	}
	old := fr.form[name]
	if v == nil {
		delete(fr.form, name)
	} else {
		fr.form[name] = v
	}
	delete(fr.errors, name)
	return s.selectionActions(fr, c, old, v)
}

// input finds a visible input of the current screen by name.
func (s *Session) input(name string) (Component, error) {
	sc := s.Screen()
	var names []string
	for _, c := range sc.Components {
		if inputTypes[c.Type] {
			if c.Name == name {
				return c, nil
			}
			names = append(names, c.Name)
		}
	}
	if s.rawComponent(s.top(), name) != nil {
		return Component{}, fmt.Errorf("player: input %q on screen %s is not shown", name, sc.ID)
	}
	return Component{}, fmt.Errorf("player: screen %s has no input named %q (inputs shown: %s)", sc.ID, name, strings.Join(names, ", "))
}

// accept checks and converts a value for input c.
func (s *Session) accept(c Component, value any) (any, error) {
	if value == nil {
		return nil, nil
	}
	value = normalize(value)
	switch c.Type {
	case "TextInput", "TextArea":
		var text string
		switch x := value.(type) {
		case string:
			text = x
		case float64:
			text = textOf(x)
		default:
			return nil, fmt.Errorf("want text, got %T", value)
		}
		max := maxTextInput
		if c.Type == "TextInput" {
			max = intProp(c.Props, "max-chars", 80)
		} else {
			max = intProp(c.Props, "max-length", 600)
		}
		if n := utf8.RuneCountInString(text); n > max || n > maxTextInput {
			return nil, fmt.Errorf("%d characters; the input takes at most %d", n, min(max, maxTextInput))
		}
		return text, nil
	case "RadioButtonsGroup", "Dropdown":
		id, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("want an option id (string), got %T", value)
		}
		if id == "" {
			return nil, nil
		}
		return id, checkOptions(c, []string{id})
	case "CheckboxGroup", "ChipsSelector":
		ids, err := stringList(value)
		if err != nil {
			return nil, err
		}
		if len(ids) > 100 {
			return nil, fmt.Errorf("%d options chosen; the input has at most 20", len(ids))
		}
		if err := checkOptions(c, ids); err != nil {
			return nil, err
		}
		if max := intProp(c.Props, "max-selected-items", 0); max > 0 && len(ids) > max {
			return nil, fmt.Errorf("%d options chosen; at most %d can be", len(ids), max)
		}
		out := make([]any, len(ids))
		for i, id := range ids {
			out[i] = id
		}
		return out, nil
	case "OptIn":
		b, ok := value.(bool)
		if !ok {
			return nil, fmt.Errorf("want a bool, got %T", value)
		}
		return b, nil
	case "DatePicker":
		str, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf(`want a date "YYYY-MM-DD", got %T`, value)
		}
		d, ok := parseDate(str)
		if !ok {
			return nil, fmt.Errorf(`%q is not a date "YYYY-MM-DD"`, clip(str))
		}
		return s.dateValue(d), nil
	case "CalendarPicker":
		if textOf(c.Props["mode"]) == "range" {
			m, ok := value.(map[string]any)
			if !ok {
				if ms, ok2 := value.(map[string]string); ok2 {
					m = map[string]any{"start-date": ms["start-date"], "end-date": ms["end-date"]}
					ok = true
				}
			}
			if !ok {
				return nil, fmt.Errorf(`want {"start-date": "YYYY-MM-DD", "end-date": "YYYY-MM-DD"}, got %T`, value)
			}
			start, ok1 := parseDate(textOf(m["start-date"]))
			end, ok2 := parseDate(textOf(m["end-date"]))
			if !ok1 || !ok2 || len(m) != 2 {
				return nil, fmt.Errorf(`want {"start-date": "YYYY-MM-DD", "end-date": "YYYY-MM-DD"}`)
			}
			if end.Before(start) {
				return nil, fmt.Errorf("the end date is before the start date")
			}
			return map[string]any{"start-date": start.Format(time.DateOnly), "end-date": end.Format(time.DateOnly)}, nil
		}
		str, _ := value.(string)
		d, ok := parseDate(str)
		if !ok {
			return nil, fmt.Errorf(`want a date "YYYY-MM-DD"`)
		}
		return d.Format(time.DateOnly), nil
	case "PhotoPicker", "DocumentPicker":
		var files []File
		switch x := value.(type) {
		case File:
			files = []File{x}
		case []File:
			files = slices.Clone(x)
		default:
			return nil, fmt.Errorf("want []player.File, got %T", value)
		}
		return files, checkFiles(c, files)
	}
	return nil, fmt.Errorf("%s takes no value", c.Type)
}

func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case []string:
		return slices.Clone(x), nil
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("want option ids (strings), got %T in the list", e)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a list of option ids, got %T", v)
}

func checkOptions(c Component, ids []string) error {
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return fmt.Errorf("option %q chosen twice", id)
		}
		seen[id] = true
		found := false
		for _, o := range c.Options {
			if o.ID == id {
				if !o.Enabled {
					return fmt.Errorf("option %q (%s) is disabled", id, o.Title)
				}
				found = true
			}
		}
		if !found {
			titles := make([]string, len(c.Options))
			for i, o := range c.Options {
				titles[i] = o.ID
			}
			return fmt.Errorf("no option %q (options: %s)", clip(id), strings.Join(titles, ", "))
		}
	}
	return nil
}

// The MIME types a PhotoPicker takes, and those a DocumentPicker takes when allowed-mime-types does not say
// ([M-MEDIA]).
var (
	photoTypes    = []string{"image/jpeg", "image/png", "image/heic", "image/heif", "image/webp"}
	documentTypes = []string{"application/gzip", "application/msword", "application/pdf", "application/vnd.ms-excel",
		"application/vnd.ms-powerpoint", "application/vnd.oasis.opendocument.presentation",
		"application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.text",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/x-7z-compressed",
		"application/zip", "image/avif", "image/gif", "image/heic", "image/heif", "image/jpeg", "image/png",
		"image/tiff", "image/webp", "text/plain", "video/mp4", "video/mpeg"}
)

func checkFiles(c Component, files []File) error {
	maxKey, allowed := "max-uploaded-photos", photoTypes
	if c.Type == "DocumentPicker" {
		maxKey, allowed = "max-uploaded-documents", documentTypes
		if list := c.Props["allowed-mime-types"]; list != nil {
			if ids, err := stringList(list); err == nil {
				allowed = ids
			}
		}
	}
	if max := intProp(c.Props, maxKey, 30); len(files) > max {
		return fmt.Errorf("%d files; at most %d can be given", len(files), max)
	}
	limit := intProp(c.Props, "max-file-size-kb", 25600)
	total := 0
	for _, f := range files {
		if f.Name == "" || utf8.RuneCountInString(f.Name) > 255 || !utf8.ValidString(f.Name) {
			return fmt.Errorf("a file needs a name of at most 255 characters")
		}
		if !slices.Contains(allowed, f.MIMEType) {
			return fmt.Errorf("%s: type %q is not accepted (%s)", f.Name, clip(f.MIMEType), strings.Join(allowed, ", "))
		}
		if len(f.Data) > limit*1024 {
			return fmt.Errorf("%s: %d KB; the input takes files up to %d KB", f.Name, (len(f.Data)+1023)/1024, limit)
		}
		total += len(f.Data)
	}
	// A response message carries at most 10 files and 100 MiB ([M-MEDIA]).
	if len(files) > 10 || total > 100<<20 {
		return fmt.Errorf("at most 10 files and 100 MiB in all can be sent")
	}
	return nil
}

func intProp(props map[string]any, key string, def int) int {
	f, ok := normalize(props[key]).(float64)
	if !ok || f < 0 || f > 1<<30 {
		return def
	}
	return int(f)
}

// parseDate reads "YYYY-MM-DD", or (Flow JSON before 5.0) a timestamp in milliseconds.
func parseDate(s string) (time.Time, bool) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, true
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) <= 15 {
		return time.UnixMilli(ms).UTC().Truncate(24 * time.Hour), true
	}
	return time.Time{}, false
}

// dateValue is a date as a DatePicker sends it: "YYYY-MM-DD" from 5.0, a millisecond timestamp string
// before ([M-COMP] DatePicker).
func (s *Session) dateValue(d time.Time) string {
	if s.f.ver.atLeast(5, 0) {
		return d.Format(time.DateOnly)
	}
	return strconv.FormatInt(d.UnixMilli(), 10)
}

// initValues gives the inputs of a screen just entered their init values: a Form's init-values, or (4.0+)
// the input's own init-value.
func (s *Session) initValues(fr *frame) {
	var walk func(list []any, formInit map[string]any)
	walk = func(list []any, formInit map[string]any) {
		for _, c := range list {
			m, ok := c.(map[string]any)
			if !ok {
				continue
			}
			typ, _ := m["type"].(string)
			switch typ {
			case "Form":
				init, _ := s.resolve(fr, m["init-values"]).(map[string]any)
				walk(asList(m["children"]), init)
				continue
			case "If":
				walk(asList(m["then"]), formInit)
				walk(asList(m["else"]), formInit)
				continue
			case "Switch":
				if cases, ok := m["cases"].(map[string]any); ok {
					for _, k := range sortedKeys(cases) {
						walk(asList(cases[k]), formInit)
					}
				}
				continue
			}
			name, _ := m["name"].(string)
			if !inputTypes[typ] || name == "" {
				continue
			}
			var v any
			if iv, ok := m["init-value"]; ok {
				v = s.resolve(fr, iv)
			} else if formInit != nil {
				v = formInit[name]
			}
			switch x := normalize(v).(type) {
			case nil:
			case []any:
				fr.form[name] = slices.Clone(x)
			case float64:
				fr.form[name] = textOf(x)
			default:
				fr.form[name] = x
			}
		}
	}
	walk(fr.screen.children, nil)
}

// rawComponent finds an input's component object by name, in every branch of the screen.
func (s *Session) rawComponent(fr *frame, name string) map[string]any {
	var found map[string]any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, c := range x {
				walk(c)
			}
		case map[string]any:
			if found != nil {
				return
			}
			if n, _ := x["name"].(string); n == name && inputTypes[textOf(x["type"])] {
				found = x
				return
			}
			for _, k := range []string{"children", "then", "else"} {
				walk(x[k])
			}
			if cases, ok := x["cases"].(map[string]any); ok {
				for _, k := range sortedKeys(cases) {
					walk(cases[k])
				}
			}
		}
	}
	walk(fr.screen.children)
	return found
}

// selectionActions runs what a change of selection fires: the input's on-select-action for a selection,
// its on-unselect-action for an unselection (on-select-action when it has none), and the same actions of
// the data-source items chosen or dropped.
func (s *Session) selectionActions(fr *frame, c Component, old, now any) error {
	raw := s.rawComponent(fr, c.Name)
	if raw == nil {
		return nil
	}
	oldIDs, nowIDs := selected(old), selected(now)
	added, removed := diff(nowIDs, oldIDs), diff(oldIDs, nowIDs)
	switch c.Type {
	case "OptIn":
		if truthy(now, false) {
			added = []string{"on"}
		} else {
			removed = []string{"off"}
		}
	case "RadioButtonsGroup", "Dropdown", "DatePicker", "CalendarPicker":
		if now != nil {
			added = []string{"on"}
		} else if old != nil {
			removed = []string{"off"}
		}
	}
	var actions []map[string]any
	pick := func(m map[string]any, unselect bool) {
		if unselect {
			if a, ok := m["on-unselect-action"].(map[string]any); ok {
				actions = append(actions, a)
				return
			}
		}
		if a, ok := m["on-select-action"].(map[string]any); ok {
			actions = append(actions, a)
		}
	}
	if len(added) > 0 {
		pick(raw, false)
	}
	if len(removed) > 0 && (len(added) == 0 || raw["on-unselect-action"] != nil) {
		pick(raw, true)
	}
	if s.f.ver.atLeast(6, 0) {
		for _, it := range asList(raw["data-source"]) {
			m, ok := it.(map[string]any)
			if !ok {
				continue
			}
			id := textOf(m["id"])
			if slices.Contains(added, id) {
				pick(m, false)
			} else if slices.Contains(removed, id) {
				pick(m, true)
			}
		}
	}
	for _, a := range actions {
		if s.top() != fr || s.done {
			break // an earlier action moved on
		}
		if err := s.run(fr, a); err != nil {
			return err
		}
	}
	return nil
}

// selected lists the ids a selection value holds.
func selected(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, textOf(e))
		}
		return out
	case string:
		return []string{x}
	}
	return nil
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// selectOnRender fires, as Flow JSON 6.0–6.3 does, the component-level on-select-actions of the visible
// components of a screen just rendered ([M-CL] "March 11th, 2025": 7.0 stopped it).
func (s *Session) selectOnRender(fr *frame) error {
	if s.renderDepth > maxAutoActions {
		return &RuntimeError{Code: CodeInvalidScreenTransition, Message: "on-select-actions fired on render lead from screen to screen without end"}
	}
	s.renderDepth++
	defer func() { s.renderDepth-- }()
	for _, c := range s.Screen().Components {
		if c.Name == "" {
			continue
		}
		raw := s.rawComponent(fr, c.Name)
		a, ok := raw["on-select-action"].(map[string]any)
		if !ok {
			continue
		}
		if s.top() != fr || s.done {
			return nil
		}
		if err := s.run(fr, a); err != nil {
			return err
		}
	}
	return nil
}

// maxAutoActions bounds how many screens on-select-on-render may chain.
const maxAutoActions = 20

// Messages shown under inputs that fail the checks of a Footer press. Meta documents the rules, not the
// client's words (UNCONFIRMED): these are ours.
const (
	msgRequired     = "This field is required"
	msgEmail        = "Enter a valid email address"
	msgNumber       = "Enter a number"
	msgPhone        = "Enter a valid phone number"
	msgPasscode     = "Enter digits only"
	msgUnavailable  = "This date is not available"
	msgIncludedDays = "Choose one of the days on offer"
)

var (
	emailRE = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
	phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{4,}$`)
	digitRE = regexp.MustCompile(`^[0-9]+$`)
	numRE   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
)

// check runs the checks of a Footer press on the inputs shown, and returns the message of each that fails.
func (s *Session) check(sc Screen) map[string]string {
	out := map[string]string{}
	for _, c := range sc.Components {
		if !inputTypes[c.Type] || !c.Enabled {
			continue
		}
		if isEmpty(c.Value) {
			if c.Required {
				out[c.Name] = msgRequired
			}
			if c.Type == "PhotoPicker" || c.Type == "DocumentPicker" {
				key := "min-uploaded-photos"
				if c.Type == "DocumentPicker" {
					key = "min-uploaded-documents"
				}
				if n := intProp(c.Props, key, 0); n > 0 {
					out[c.Name] = fmt.Sprintf("Add at least %d file(s)", n)
				}
			}
			continue
		}
		if msg := s.checkValue(c); msg != "" {
			out[c.Name] = msg
		}
	}
	return out
}

func (s *Session) checkValue(c Component) string {
	switch c.Type {
	case "TextInput":
		text := textOf(c.Value)
		if n := intProp(c.Props, "min-chars", 0); utf8.RuneCountInString(text) < n {
			return fmt.Sprintf("Enter at least %d characters", n)
		}
		switch textOf(c.Props["input-type"]) {
		case "email":
			if !emailRE.MatchString(text) {
				return msgEmail
			}
		case "number":
			if !numRE.MatchString(text) {
				return msgNumber
			}
		case "phone":
			if !phoneRE.MatchString(text) {
				return msgPhone
			}
		case "passcode":
			if !digitRE.MatchString(text) {
				return msgPasscode
			}
		}
		if p := textOf(c.Props["pattern"]); p != "" && s.f.ver.atLeast(6, 2) {
			// A JavaScript regular expression, tested as RegExp.test does: anywhere in the value unless it
			// anchors itself (pywa's example pairs the pattern "007" with the helper text "Contains: 007").
			// One RE2 cannot read (backreferences, lookaround) is not checked.
			if re, err := regexp.Compile(p); err == nil && !re.MatchString(text) {
				if h := textOf(c.Props["helper-text"]); h != "" {
					return "Invalid format: " + h
				}
				return "Invalid format"
			}
		}
	case "CheckboxGroup", "ChipsSelector":
		n := len(selected(c.Value))
		if min := intProp(c.Props, "min-selected-items", 0); n < min {
			return fmt.Sprintf("Select at least %d", min)
		}
		if max := intProp(c.Props, "max-selected-items", 0); max > 0 && n > max {
			return fmt.Sprintf("Select at most %d", max)
		}
	case "DatePicker":
		d, ok := parseDate(textOf(c.Value))
		if !ok {
			return "Enter a valid date"
		}
		return s.checkDate(c, d)
	case "CalendarPicker":
		if m, ok := c.Value.(map[string]any); ok {
			start, _ := parseDate(textOf(m["start-date"]))
			end, _ := parseDate(textOf(m["end-date"]))
			if msg := s.checkDate(c, start); msg != "" {
				return msg
			}
			if msg := s.checkDate(c, end); msg != "" {
				return msg
			}
			days := int(end.Sub(start).Hours()/24) + 1
			if n := intProp(c.Props, "min-days", 0); n > 0 && days < n {
				return fmt.Sprintf("Choose at least %d days", n)
			}
			if n := intProp(c.Props, "max-days", 0); n > 0 && days > n {
				return fmt.Sprintf("Choose at most %d days", n)
			}
			return ""
		}
		d, _ := parseDate(textOf(c.Value))
		return s.checkDate(c, d)
	}
	return ""
}

// checkDate checks a date against min-date, max-date, unavailable-dates and include-days.
func (s *Session) checkDate(c Component, d time.Time) string {
	if min, ok := parseDate(textOf(c.Props["min-date"])); ok && d.Before(min) {
		return "Choose a date on or after " + s.showDate(min)
	}
	if max, ok := parseDate(textOf(c.Props["max-date"])); ok && d.After(max) {
		return "Choose a date on or before " + s.showDate(max)
	}
	for _, u := range asList(c.Props["unavailable-dates"]) {
		if ud, ok := parseDate(textOf(u)); ok && ud.Equal(d) {
			return msgUnavailable
		}
	}
	if days := asList(c.Props["include-days"]); len(days) > 0 {
		wd := d.Weekday().String()[:3]
		found := false
		for _, x := range days {
			if textOf(x) == wd {
				found = true
			}
		}
		if !found {
			return msgIncludedDays
		}
	}
	return ""
}

func (s *Session) showDate(d time.Time) string { return d.Format(time.DateOnly) }

// mediaValue is a picker's files as an action sends them: for data_exchange the endpoint's shape
// (media_id, cdn_url, file_name, encryption_metadata), for complete the webhook's (file_name, mime_type,
// sha256, id) ([M-MEDIA]). The player uploads nothing: ids are derived from the content, the CDN address
// is a placeholder under .invalid, and the encryption metadata describes no real upload (the endpoint
// toolkit's media helpers are the next step).
func mediaValue(files []File, kind string) []any {
	out := make([]any, 0, len(files))
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		id := strconv.FormatUint(uint64(sum[0])<<40|uint64(sum[1])<<32|uint64(sum[2])<<24|uint64(sum[3])<<16|uint64(sum[4])<<8|uint64(sum[5]), 10)
		hash := base64.StdEncoding.EncodeToString(sum[:])
		if kind == "complete" {
			out = append(out, map[string]any{"file_name": f.Name, "mime_type": f.MIMEType, "sha256": hash, "id": id})
			continue
		}
		out = append(out, map[string]any{
			"media_id":  id,
			"cdn_url":   "https://media.waflows.invalid/" + hex.EncodeToString(sum[:8]),
			"file_name": f.Name,
			"encryption_metadata": map[string]any{
				"encrypted_hash": hash, "iv": "", "encryption_key": "", "hmac_key": "", "plaintext_hash": hash,
			},
		})
	}
	return out
}
