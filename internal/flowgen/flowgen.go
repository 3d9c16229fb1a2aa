// Package flowgen generates large, valid Flow JSON documents for benchmarks and tests.
package flowgen

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Generate builds a valid, pretty-printed flow of the given number of
// screens, chained by navigate actions, each with perScreen components of
// the common kinds (inputs, dropdowns with many options, radio groups,
// rich text) and a Footer. The last screen is terminal and completes.
func Generate(screens, perScreen int) []byte {
	routing := map[string][]string{}
	list := make([]any, 0, screens)
	for s := range screens {
		id, next := screenID(s), screenID(s+1)
		last := s == screens-1
		if last {
			routing[id] = []string{}
		} else {
			routing[id] = []string{next}
		}
		list = append(list, generateScreen(id, next, last, perScreen))
	}
	flow := ordered{
		{"version", "7.3"},
		{"data_api_version", "3.0"},
		{"routing_model", routing},
		{"screens", list},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(flow); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func screenID(n int) string {
	id := []byte("SCREEN_")
	for ; ; n /= 26 {
		id = append(id, byte('A'+n%26))
		if n < 26 {
			return string(id)
		}
	}
}

func generateScreen(id, next string, last bool, perScreen int) ordered {
	children := make([]any, 0, perScreen+1)
	for c := range perScreen {
		children = append(children, generateComponent(c))
	}
	action := ordered{{"name", "navigate"}, {"next", ordered{{"type", "screen"}, {"name", next}}}, {"payload", ordered{{"greeting", "${data.greeting}"}}}}
	if last {
		action = ordered{{"name", "complete"}, {"payload", ordered{{"field_1", "${form.field_1}"}}}}
	} else if id == "SCREEN_A" {
		action = ordered{{"name", "data_exchange"}, {"payload", ordered{{"field_1", "${form.field_1}"}}}}
	}
	children = append(children, ordered{{"type", "Footer"}, {"label", "Continue"}, {"on-click-action", action}})
	return ordered{
		{"id", id},
		{"title", "Step " + id + " — détails ✓"},
		{"terminal", last},
		{"data", ordered{{"greeting", ordered{{"type", "string"}, {"__example__", "Hello there"}}}}},
		{"layout", ordered{{"type", "SingleColumnLayout"}, {"children", []any{
			ordered{{"type", "Form"}, {"name", "form"}, {"children", children}},
		}}}},
	}
}

func generateComponent(c int) ordered {
	name := fmt.Sprintf("field_%d", c)
	switch c % 4 {
	case 0:
		return ordered{{"type", "TextInput"}, {"name", name}, {"label", "Answer " + name}, {"input-type", "text"}, {"required", true}, {"helper-text", "Between 2 and 80 characters, please"}, {"max-chars", 80}}
	case 1:
		return ordered{{"type", "Dropdown"}, {"name", name}, {"label", "Pick one option"}, {"required", false}, {"data-source", options(c, 10)}}
	case 2:
		return ordered{{"type", "RadioButtonsGroup"}, {"name", name}, {"label", "How did it go?"}, {"data-source", options(c, 5)}, {"on-select-action", ordered{{"name", "update_data"}, {"payload", ordered{{"greeting", "${form." + name + "}"}}}}}}
	}
	return ordered{{"type", "TextBody"}, {"text", "${data.greeting} — please read this paragraph, which explains the next questions in some detail (ünïcödé 日本語)."}, {"markdown", false}}
}

func options(c, n int) []any {
	items := make([]any, n)
	for i := range items {
		items[i] = ordered{{"id", fmt.Sprintf("opt_%d_%d", c, i)}, {"title", fmt.Sprintf("Option number %d", i)}, {"description", "A short description of this option"}, {"metadata", "Extra detail"}}
	}
	return items
}

// ordered is a JSON object that keeps its keys in the order given.
type ordered []struct {
	key   string
	value any
}

func (o ordered) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(kv.key)
		v, err := json.Marshal(kv.value)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnknownKeys builds a flow of about size bytes whose one screen carries, besides a valid layout, unknown
// keys of keyLen characters each (keyLen 0 gives short ones): every key is a validation error, and with
// long keys every error would repeat kilobytes of the document.
func UnknownKeys(size, keyLen int) []byte {
	var b bytes.Buffer
	b.Grow(size + keyLen + 64)
	b.WriteString(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}`)
	key := bytes.Repeat([]byte("x"), keyLen)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `,"%sk%d":0`, key, i)
	}
	b.WriteString(`}]}`)
	return b.Bytes()
}
