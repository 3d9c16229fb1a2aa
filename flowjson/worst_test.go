package flowjson_test

// The worst shapes of input we know for the validator's time and memory: each is grown to a target size
// by repeating its expensive part, so a pass that is not linear in the input shows at once.

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/waflows/waflows/flowjson"
)

// worstShape builds one hostile document of about size bytes.
type worstShape struct {
	name  string
	build func(size int) []byte
}

// screenPrefix opens a document with one terminal screen, ready for more members of the screen object.
const screenPrefix = `{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}`

// letters names screen i with letters only, as screen ids must be: A, B, …, Z, BA, BB, …
func letters(i int) string {
	s := string(rune('A' + i%26))
	for i /= 26; i > 0; i /= 26 {
		s = string(rune('A'+i%26)) + s
	}
	return s
}

// fill writes item(i) for i = 0, 1, … separated by sep until b holds size bytes.
func fill(b *bytes.Buffer, size int, sep string, item func(i int) string) {
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(item(i))
	}
}

var worstShapes = []worstShape{
	{"screen-keys", func(size int) []byte { // one screen with many distinct unknown keys
		var b bytes.Buffer
		b.WriteString(screenPrefix)
		fill(&b, size, "", func(i int) string { return fmt.Sprintf(`,"k%d":0`, i) })
		b.WriteString(`}]}`)
		return b.Bytes()
	}},
	{"duplicate-keys", func(size int) []byte { // one screen repeating the same keys
		var b bytes.Buffer
		b.WriteString(screenPrefix)
		fill(&b, size, "", func(i int) string { return `,"title":"T","terminal":true` })
		b.WriteString(`}]}`)
		return b.Bytes()
	}},
	{"component-keys", func(size int) []byte { // one component with many unknown keys
		var b bytes.Buffer
		b.WriteString(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"TextBody","text":"x"`)
		fill(&b, size-200, "", func(i int) string { return fmt.Sprintf(`,"p%d":"v"`, i) })
		b.WriteString(`},{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
		return b.Bytes()
	}},
	{"data-model", func(size int) []byte { // a data model with many fields, all referenced by 49 texts
		var fields bytes.Buffer
		fill(&fields, size/2, ",", func(i int) string { return fmt.Sprintf(`"f%d":{"type":"string","__example__":"x"}`, i) })
		n := strings.Count(fields.String(), `"type"`)
		var texts bytes.Buffer
		for c := range 49 {
			if c > 0 {
				texts.WriteByte(',')
			}
			var e bytes.Buffer
			for i := c; i < n; i += 49 {
				fmt.Fprintf(&e, "${data.f%d} ", i)
			}
			fmt.Fprintf(&texts, `{"type":"TextBody","text":"%s"}`, e.String())
		}
		return []byte(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"data":{` + fields.String() +
			`},"layout":{"type":"SingleColumnLayout","children":[` + texts.String() +
			`,{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
	}},
	{"routing-model", func(size int) []byte { // a routing model naming many screens
		var b bytes.Buffer
		b.WriteString(`{"version":"7.3","routing_model":{"ONLY":[]`)
		fill(&b, size-300, "", func(i int) string { return fmt.Sprintf(`,"S%s":["ONLY","S%s"]`, letters(i), letters(i+1)) })
		b.WriteString(`},"screens":[{"id":"ONLY","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
		return b.Bytes()
	}},
	{"deep-nesting", func(size int) []byte { // arrays nested to the parser's depth limit, over and over
		deep := strings.Repeat("[", 500) + strings.Repeat("]", 500)
		var b bytes.Buffer
		b.WriteString(screenPrefix + `,"x":[`)
		fill(&b, size, ",", func(int) string { return deep })
		b.WriteString(`]}]}`)
		return b.Bytes()
	}},
	{"deep-if", func(size int) []byte { // If components nested as deep as JSON allows, on many screens
		var one strings.Builder
		const depth = 60
		for range depth {
			one.WriteString(`{"type":"If","condition":"true","then":[`)
		}
		one.WriteString(`{"type":"TextBody","text":"x"}`)
		one.WriteString(strings.Repeat(`]}`, depth))
		var b bytes.Buffer
		b.WriteString(`{"version":"7.3","screens":[`)
		fill(&b, size, ",", func(i int) string {
			return fmt.Sprintf(`{"id":"S%s","terminal":true,"layout":{"type":"SingleColumnLayout","children":[%s,{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}`, letters(i), one.String())
		})
		b.WriteString(`]}`)
		return b.Bytes()
	}},
	{"ref-array", func(size int) []byte { // a long array of references: dropdown options built from data
		var b bytes.Buffer
		b.WriteString(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"data":{"t":{"type":"string","__example__":"x"}},"layout":{"type":"SingleColumnLayout","children":[{"type":"Form","name":"f","children":[{"type":"Dropdown","name":"d","label":"L","data-source":[`)
		fill(&b, size-200, ",", func(i int) string { return fmt.Sprintf(`{"id":"%d","title":"${data.t}","description":"${data.t}"}`, i) })
		b.WriteString(`]},{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{"d":"${form.d}"}}}]}]}}]}`)
		return b.Bytes()
	}},
	{"many-screens", func(size int) []byte { // far more screens than Meta allows, chained by navigate
		var b bytes.Buffer
		b.WriteString(`{"version":"7.3","screens":[`)
		fill(&b, size, ",", func(i int) string {
			return fmt.Sprintf(`{"id":"S%s","title":"S","layout":{"type":"SingleColumnLayout","children":[{"type":"Footer","label":"Next","on-click-action":{"name":"navigate","next":{"type":"screen","name":"S%s"},"payload":{}}}]}}`, letters(i), letters(i+1))
		})
		b.WriteString(`]}`)
		return b.Bytes()
	}},
	{"long-expression", func(size int) []byte { // one nested expression with a great many operands
		var e bytes.Buffer
		fill(&e, size-400, " + ", func(int) string { return "${data.n}" })
		return []byte(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"data":{"n":{"type":"number","__example__":1}},"layout":{"type":"SingleColumnLayout","children":[{"type":"TextBody","text":"` + "`" + e.String() + "`" + `"},{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
	}},
	{"long-condition", func(size int) []byte { // one If condition with a great many operands
		var e bytes.Buffer
		fill(&e, size-400, " && ", func(int) string { return "${data.b}" })
		return []byte(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"data":{"b":{"type":"boolean","__example__":true}},"layout":{"type":"SingleColumnLayout","children":[{"type":"If","condition":"` + e.String() + `","then":[{"type":"TextBody","text":"x"}]},{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
	}},
	{"long-string", func(size int) []byte { // one text of millions of characters
		return []byte(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"TextBody","text":"` +
			strings.Repeat("é", (size-300)/2) + `"},{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
	}},
	{"many-inputs", func(size int) []byte { // a form of many named inputs, all in the complete payload
		var inputs, payload bytes.Buffer
		fill(&inputs, size/2, ",", func(i int) string { return fmt.Sprintf(`{"type":"TextInput","name":"i%d","label":"L"}`, i) })
		n := strings.Count(inputs.String(), `"TextInput"`)
		for i := range n {
			if i > 0 {
				payload.WriteByte(',')
			}
			fmt.Fprintf(&payload, `"i%d":"${form.i%d}"`, i, i)
		}
		return []byte(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"Form","name":"f","children":[` +
			inputs.String() + `,{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{` + payload.String() + `}}}]}]}}]}`)
	}},
	{"navigate-payload", func(size int) []byte { // a navigate payload of many fields into a data model of as many
		var fields, payload bytes.Buffer
		n := size / 80
		for i := range n {
			if i > 0 {
				fields.WriteByte(',')
				payload.WriteByte(',')
			}
			fmt.Fprintf(&fields, `"f%d":{"type":"string","__example__":"x"}`, i)
			fmt.Fprintf(&payload, `"f%d":"v"`, i)
		}
		return []byte(`{"version":"7.3","screens":[{"id":"A","title":"A","layout":{"type":"SingleColumnLayout","children":[{"type":"Footer","label":"Next","on-click-action":{"name":"navigate","next":{"type":"screen","name":"B"},"payload":{` + payload.String() +
			`}}}]}},{"id":"B","terminal":true,"data":{` + fields.String() + `},"layout":{"type":"SingleColumnLayout","children":[{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
	}},
	{"deep-schema", func(size int) []byte { // a data model nested deep, referenced by its full path, many times
		const depth = 150
		var schema, path strings.Builder
		for range depth {
			schema.WriteString(`{"type":"object","properties":{"a":`)
			path.WriteString(".a")
		}
		schema.WriteString(`{"type":"string"}`)
		schema.WriteString(strings.Repeat("}}", depth))
		var refs bytes.Buffer
		fill(&refs, size-schema.Len()-300, ",", func(int) string {
			return `{"type":"TextBody","text":"${data.d` + path.String() + `}"}`
		})
		ex := strings.Repeat(`{"a":`, depth) + `"x"` + strings.Repeat("}", depth)
		s := strings.Replace(schema.String(), `{"type":"object"`, `{"type":"object","__example__":`+ex, 1)
		return []byte(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"data":{"d":` + s + `},"layout":{"type":"SingleColumnLayout","children":[` +
			refs.String() + `,{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
	}},
	{"global-refs", func(size int) []byte { // many screens whose texts name every earlier screen's form
		var b bytes.Buffer
		b.WriteString(`{"version":"7.3","screens":[`)
		for i := 0; i < 99; i++ {
			var texts bytes.Buffer
			fill(&texts, size/100, ",", func(j int) string {
				return fmt.Sprintf(`{"type":"TextBody","text":"${screen.S%s.form.i}"}`, letters(j%(i+1)))
			})
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"S%s","title":"S","layout":{"type":"SingleColumnLayout","children":[{"type":"Form","name":"f","children":[{"type":"TextInput","name":"i","label":"L"},%s,{"type":"Footer","label":"Next","on-click-action":{"name":"navigate","next":{"type":"screen","name":"S%s"},"payload":{}}}]}]}}`, letters(i), texts.String(), letters(i+1))
		}
		b.WriteString(`,{"id":"S` + letters(99) + `","terminal":true,"layout":{"type":"SingleColumnLayout","children":[{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
		return b.Bytes()
	}},
	{"many-errors", func(size int) []byte { // thousands of faulty components
		var b bytes.Buffer
		b.WriteString(`{"version":"7.3","screens":[{"id":"ONLY","terminal":true,"layout":{"type":"SingleColumnLayout","children":[`)
		fill(&b, size-200, ",", func(i int) string {
			return fmt.Sprintf(`{"type":"TextInput","name":"n","label":%d,"input-type":"nope","x%d":1}`, i, i)
		})
		b.WriteString(`,{"type":"Footer","label":"Done","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
		return b.Bytes()
	}},
}

// BenchmarkWorstShapes validates each worst shape at 600 KB and at 10 MB, Meta's limit. Every pass of the
// validator is linear in its input, so each runs in well under a second on one core.
func BenchmarkWorstShapes(b *testing.B) {
	for _, size := range []int{600 << 10, flowjson.MaxSize - 8<<10} {
		for _, s := range worstShapes {
			doc := s.build(size)
			if len(doc) > flowjson.MaxSize {
				b.Fatalf("%s: %d bytes, over the limit", s.name, len(doc))
			}
			b.Run(fmt.Sprintf("%s/%dKB", s.name, len(doc)>>10), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				b.ReportAllocs()
				for b.Loop() {
					flowjson.Analyze(doc)
				}
			})
		}
	}
}
