// Long: a generated flow of many screens, the shape the benchmarks play.
package testflow

import (
	"fmt"
	"strings"
)

// Long returns a Flow JSON (7.3, no endpoint) of n screens STEP_A, STEP_B, … (ScreenID(i)). Every screen but the last has a
// required TextInput "name_i", a RadioButtonsGroup "pick_i" of three options, an If on the radio, a
// TextBody quoting the previous screen's input (${screen.STEP_….form.name_{i-1}}) and its own data, and a
// Footer "Next" that navigates with a payload; the last screen completes with every name. Person's
// values: any text for the names, "a", "b" or "c" for the radios.
func Long(n int) []byte {
	var screens []string
	for i := 1; i <= n; i++ {
		id := ScreenID(i)
		data := fmt.Sprintf(`{"step":{"type":"string","__example__":"step %d"}}`, i)
		var children []string
		children = append(children, fmt.Sprintf(`{"type":"TextHeading","text":"Step ${data.step} of %d"}`, n))
		if i > 1 {
			children = append(children, fmt.Sprintf(`{"type":"TextBody","text":"`+"`'Before: ' ${screen.%s.form.name_%d}`"+`"}`, ScreenID(i-1), i-1))
		}
		if i < n {
			children = append(children,
				fmt.Sprintf(`{"type":"TextInput","name":"name_%d","label":"Name %d","required":true,"helper-text":"Any text"}`, i, i),
				fmt.Sprintf(`{"type":"RadioButtonsGroup","name":"pick_%d","label":"Pick %d","data-source":[{"id":"a","title":"A"},{"id":"b","title":"B"},{"id":"c","title":"C"}]}`, i, i),
				fmt.Sprintf(`{"type":"If","condition":"${form.pick_%d} == 'b'","then":[{"type":"TextCaption","text":"You picked B"}],"else":[{"type":"TextCaption","text":"Not B"}]}`, i),
				fmt.Sprintf(`{"type":"Footer","label":"Next","on-click-action":{"name":"navigate","next":{"type":"screen","name":%q},"payload":{"step":"step %d"}}}`, ScreenID(i+1), i+1))
		} else {
			var fields []string
			for j := 1; j < n; j++ {
				fields = append(fields, fmt.Sprintf(`"name_%d":"${screen.%s.form.name_%d}"`, j, ScreenID(j), j))
			}
			children = append(children, `{"type":"Footer","label":"Finish","on-click-action":{"name":"complete","payload":{`+strings.Join(fields, ",")+`}}}`)
		}
		terminal := ""
		if i == n {
			terminal = `,"terminal":true`
		}
		screens = append(screens, fmt.Sprintf(`{"id":%q,"title":"Screen %d"%s,"data":%s,"layout":{"type":"SingleColumnLayout","children":[%s]}}`,
			id, i, terminal, data, strings.Join(children, ",")))
	}
	return []byte(`{"version":"7.3","screens":[` + strings.Join(screens, ",") + `]}`)
}

// ScreenID is the id of Long's screen i (from 1): STEP_A … STEP_Z, STEP_AA, … (screen ids take letters
// and underscores only).
func ScreenID(i int) string {
	s := ""
	for ; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return "STEP_" + s
}
