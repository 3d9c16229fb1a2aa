package flowjson_test

// Tests with documents built to make a careless validator slow, deep or unbounded.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/flowjson"
)

// TestHostileDocuments feeds documents built to make a careless validator
// recurse without bound or spend the square of their size, and checks that
// each is judged quickly (the bound is generous: a quadratic rule takes
// minutes on these sizes, a linear one milliseconds).
func TestHostileDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("large documents")
	}
	const n = 200000
	screen := func(id string, terminal bool, data any, children ...any) map[string]any {
		s := map[string]any{"id": id, "layout": map[string]any{"type": "SingleColumnLayout", "children": children}}
		if terminal {
			s["terminal"] = true
		}
		if data != nil {
			s["data"] = data
		}
		return s
	}
	footer := map[string]any{"type": "Footer", "label": "Done", "on-click-action": map[string]any{"name": "complete", "payload": map[string]any{}}}
	boolData := map[string]any{"x": map[string]any{"type": "boolean", "__example__": true}}
	one := func(version string, data any, children ...any) any {
		return map[string]any{"version": version, "screens": []any{screen("A", true, data, append(children, footer)...)}}
	}
	text := map[string]any{"type": "TextBody", "text": "x"}
	fields := map[string]any{}
	payload := map[string]any{}
	for i := range 20000 {
		fields[fmt.Sprint("f", i)] = map[string]any{"type": "string", "__example__": "x"}
		payload[fmt.Sprint("f", i)] = fmt.Sprint("${data.f", i, "}")
	}
	var inputs []any
	initValues := map[string]any{}
	for i := range 20000 {
		inputs = append(inputs, map[string]any{"type": "TextInput", "name": fmt.Sprint("n", i), "label": "L"})
		initValues[fmt.Sprint("n", i)] = "v"
	}
	cases := map[string]any{}
	for i := range 50000 {
		cases[fmt.Sprint("c", i)] = []any{text}
	}
	var lists []any
	for i := range 10000 {
		id := "S" + strings.Map(func(r rune) rune { return 'A' + r - '0' }, fmt.Sprintf("%05d", i))
		lists = append(lists, screen(id, false, nil, map[string]any{"type": "NavigationList", "name": "menu",
			"list-items": []any{map[string]any{"id": "a", "main-content": map[string]any{"title": "t"},
				"on-click-action": map[string]any{"name": "navigate", "next": map[string]any{"type": "screen", "name": "LAST"}, "payload": map[string]any{}}}}}))
	}
	lists = append(lists, screen("LAST", true, nil, text, footer))
	navigate := map[string]any{"name": "navigate", "next": map[string]any{"type": "screen", "name": "B"}, "payload": payload}

	docs := map[string]any{
		"nested parentheses in a condition": one("7.3", boolData,
			map[string]any{"type": "If", "condition": strings.Repeat("(", n) + "${data.x}" + strings.Repeat(")", n), "then": []any{text}}),
		"nested negations in an expression": one("7.3", boolData,
			map[string]any{"type": "TextBody", "text": "x", "visible": "`" + strings.Repeat("!", n) + "${data.x}`"}),
		"a long condition": one("7.3", boolData,
			map[string]any{"type": "If", "condition": strings.Repeat("${data.x} && ", n/10) + "${data.x}", "then": []any{text}}),
		"a payload as large as the data model": map[string]any{"version": "5.1", "screens": []any{
			screen("A", false, nil, text, map[string]any{"type": "Footer", "label": "Next", "on-click-action": navigate}),
			screen("B", true, fields, text, map[string]any{"type": "Footer", "label": "Done", "on-click-action": map[string]any{"name": "complete", "payload": payload}}),
		}},
		"init-values as large as the form": one("7.3", nil,
			map[string]any{"type": "Form", "name": "form", "init-values": initValues, "children": inputs}),
		"a Switch of many cases": one("7.3", map[string]any{"x": map[string]any{"type": "string", "__example__": "c0"}},
			map[string]any{"type": "Switch", "value": "${data.x}", "cases": cases}),
		"many screens of NavigationLists": map[string]any{"version": "7.3", "screens": lists},
	}
	for name, doc := range docs {
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		errs := flowjson.Validate(data)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s (%d bytes): %v", name, len(data), d)
		}
		checkPositions(t, data, errs)
		if strings.HasPrefix(name, "nested") && (len(errs) != 1 || !strings.Contains(errs[0].Message, "nested too deeply")) {
			t.Errorf("%s: %+v", name, errs)
		}
	}
	// Reasonable nesting passes.
	deep := one("7.3", boolData, map[string]any{"type": "If", "condition": strings.Repeat("(", 50) + "${data.x}" + strings.Repeat(")", 50), "then": []any{text}},
		map[string]any{"type": "TextBody", "text": "x", "visible": "`" + strings.Repeat("!", 50) + "${data.x}`"})
	data, _ := json.Marshal(deep)
	if errs := flowjson.Validate(data); len(errs) != 0 {
		t.Errorf("50 levels: %+v", errs)
	}
}
