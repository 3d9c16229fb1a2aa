// Resolving what a screen shows and sends: ${data…}, ${form…} and ${screen.ID.…} references, nested
// expressions, and text that mixes both with literal words.
package player

import (
	"encoding/json"
	"strconv"
	"strings"
)

// normalize turns the numbers of decoded JSON (json.Number) and Go's integer types into float64.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return 0.0
		}
		return f
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	}
	return v
}

// textOf is a value as a person reads it: numbers in their shortest form (3, 2.5), booleans as true or
// false, null as nothing, lists joined with ", ", objects as JSON.
func textOf(v any) string {
	switch x := normalize(v).(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = textOf(e)
		}
		return strings.Join(parts, ", ")
	case []string:
		return strings.Join(x, ", ")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// isExpression reports whether s is a nested expression: wrapped in backticks.
func isExpression(s string) bool { return len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' }

// isReference reports whether s is exactly one ${…} reference.
func isReference(s string) bool {
	return strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") && strings.Count(s, "${") == 1 && strings.IndexByte(s, '}') == len(s)-1
}

// resolve returns v with every reference and expression in it resolved on frame fr: strings are
// resolved, lists and objects resolved member by member.
func (s *Session) resolve(fr *frame, v any) any {
	switch x := v.(type) {
	case string:
		return s.resolveString(fr, x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = s.resolve(fr, e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = s.resolve(fr, e)
		}
		return out
	}
	return v
}

// resolveString resolves one string: a reference gives the value it names (of any type); a nested
// expression (6.0+) its result; text holding references gets their values as text (whether the device
// fills references into longer text is UNCONFIRMED: the player does, as Meta's validator accepts it);
// anything else stays as written.
func (s *Session) resolveString(fr *frame, str string) any {
	switch {
	case isReference(str):
		return s.lookup(fr, str)
	case s.f.ver.atLeast(6, 0) && isExpression(str):
		v, err := evalExpression(s.f, str[1:len(str)-1], func(ref string) any { return s.lookup(fr, ref) })
		if err != nil {
			return nil
		}
		if f, ok := v.(float64); ok {
			return f
		}
		return v
	case strings.Contains(str, "${"):
		var b strings.Builder
		rest := str
		for {
			i := strings.Index(rest, "${")
			if i < 0 {
				b.WriteString(rest)
				break
			}
			j := strings.IndexByte(rest[i:], '}')
			if j < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i])
			b.WriteString(textOf(s.lookup(fr, rest[i:i+j+1])))
			rest = rest[i+j+1:]
		}
		return b.String()
	}
	return str
}

// lookup returns the value a reference names on frame fr, or nil. ${screen.ID.…} reads the latest visit
// of screen ID on the navigation stack; a screen not visited yet (a forward reference) gives nil, which
// renders as nothing (Meta: "you need to handle empty values").
func (s *Session) lookup(fr *frame, ref string) any {
	inner := strings.TrimSuffix(strings.TrimPrefix(ref, "${"), "}")
	parts := strings.Split(inner, ".")
	target := fr
	if len(parts) >= 3 && parts[0] == "screen" {
		target = nil
		for i := len(s.stack) - 1; i >= 0; i-- {
			if s.stack[i].screen.id == parts[1] {
				target = s.stack[i]
				break
			}
		}
		parts = parts[2:]
	}
	if target == nil || len(parts) < 2 {
		return nil
	}
	var v any
	switch parts[0] {
	case "data":
		v = target.data
	case "form":
		v = target.form
	default:
		return nil
	}
	for _, p := range parts[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}
