// Nested expressions and If conditions, evaluated as Meta documents them.
package player_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/waflows/waflows/player"
)

const exprData = `{"a":{"type":"number","__example__":7},"b":{"type":"number","__example__":2},"zero":{"type":"number","__example__":0},
"s":{"type":"string","__example__":"x"},"t":{"type":"string","__example__":"y"},"flag":{"type":"boolean","__example__":true},
"no":{"type":"boolean","__example__":false}}`

// TestExpressionValues: the value of each operator, shown through a TextBody.
func TestExpressionValues(t *testing.T) {
	for expr, want := range map[string]string{
		"`'= ' (${data.a} + ${data.b})`":                    "= 9",
		"`'= ' (${data.a} - ${data.b})`":                    "= 5",
		"`'= ' (${data.a} / ${data.b})`":                    "= 3.5",
		"`'= ' (${data.a} % ${data.b})`":                    "= 1",
		"`'= ' (${data.a} / ${data.zero})`":                 "= 0", // Meta: division by zero gives zero
		"`'= ' (${data.a} % ${data.zero})`":                 "= 0",
		"`'= ' (${data.a} + ${data.b} / ${data.b})`":        "= 8", // / before +
		"`'= ' ((${data.a} + ${data.b}) / 3)`":              "= 3",
		"`'= ' (${data.b} - ${data.a})`":                    "= -5",
		"`'= ' (-${data.a} + 1)`":                           "= -6",
		"`${data.s} ' and ' ${data.t}`":                     "x and y", // concatenation by juxtaposition
		"`'Flag: ' ${data.flag}`":                           "Flag: true",
		"`'Is ' (${data.a} > ${data.b})`":                   "Is true",
		"`'Is ' (${data.a} <= ${data.b})`":                  "Is false",
		"`'Is ' (${data.s} == 'x')`":                        "Is true",
		"`'Is ' (${data.s} != 'x')`":                        "Is false",
		"`'Is ' (${data.flag} && ${data.no})`":              "Is false",
		"`'Is ' (${data.flag} || ${data.no})`":              "Is true",
		"`'Is ' (${data.a} == 7 && ${data.b} >= 2)`":        "Is true",
		"`'It\\'s ' ${data.s}`":                             "It's x", // a quote escaped with a backslash
		"`'Total: ' (${data.a} + ${data.b}) ' items'`":      "Total: 9 items",
		"Hello ${data.s}, you have ${data.a} messages":      "Hello x, you have 7 messages", // a reference inside text
		"`'Nothing: ' (${data.a} + ${data.b} - 9) ' left'`": "Nothing: 0 left",
	} {
		t.Run(expr, func(t *testing.T) {
			doc := flow("7.3", "", screen{id: "ONE", terminal: true, data: exprData, components: []string{body(expr), completeFooter("Done", "{}")}})
			s, err := player.Start(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := component(t, s, "TextBody", "").Label; got != want {
				t.Errorf("%s = %q, want %q", expr, got, want)
			}
		})
	}
}

// TestExpressionNull: null in arithmetic is zero, and dividing by null gives zero.
func TestExpressionNull(t *testing.T) {
	doc := flow("7.3", "", screen{id: "ONE", terminal: true, data: exprData, components: []string{
		body("`'= ' (${data.a} / ${data.b})`"), completeFooter("Done", "{}")}})
	s := start(t, doc, player.WithData(map[string]any{"b": nil}))
	if got := component(t, s, "TextBody", "").Label; got != "= 0" {
		t.Errorf("division by null = %q, want = 0", got)
	}
}

// TestUndocumentedOperator: multiplication is not among Meta's operators; a flow using it is refused
// rather than evaluated one way or another.
func TestUndocumentedOperator(t *testing.T) {
	doc := flow("7.3", "", screen{id: "ONE", terminal: true, data: exprData, components: []string{
		body("`'= ' (${data.a} * ${data.b})`"), completeFooter("Done", "{}")}})
	_, err := player.Start(context.Background(), doc)
	if err == nil || !strings.Contains(err.Error(), "undocumented operator '*'") {
		t.Fatalf("a flow multiplying: %v", err)
	}
}

// TestConditionsFollowInput: visible expressions and If conditions on form values change as the input
// does, before any button is pressed.
func TestConditionsFollowInput(t *testing.T) {
	doc := flow("7.3", "", screen{id: "ONE", terminal: true, components: []string{
		`{"type":"TextInput","name":"age","label":"Age","input-type":"number"}`,
		`{"type":"TextBody","text":"Adult","visible":"` + "`${form.age} >= 18`" + `"}`,
		`{"type":"OptIn","name":"news","label":"Send me news"}`,
		`{"type":"If","condition":"${form.news}","then":[{"type":"TextBody","text":"Thanks for subscribing"}],"else":[{"type":"TextBody","text":"No news then"}]}`,
		completeFooter("Done", `{"age":"${form.age}"}`)}})
	s := start(t, doc)
	has := func(text string) bool { return strings.Contains(s.Screen().Text(), text) }
	if has("Adult") || !has("No news then") || has("Thanks") {
		t.Fatalf("before input:\n%s", s.Screen().Text())
	}
	must(t, s.Fill("age", "21"))
	must(t, s.Fill("news", true))
	if !has("Adult") || !has("Thanks for subscribing") || has("No news then") {
		t.Fatalf("after input:\n%s", s.Screen().Text())
	}
	must(t, s.Fill("age", "12"))
	if has("Adult") {
		t.Fatalf("12 is shown as adult:\n%s", s.Screen().Text())
	}
}

// TestIfAndSwitch: If renders its then or else branch, nested Ifs too; Switch the case its value names.
func TestIfAndSwitch(t *testing.T) {
	data := `{"animal":{"type":"string","__example__":"cat"},"vip":{"type":"boolean","__example__":true},"n":{"type":"number","__example__":3}}`
	doc := flow("7.3", "", screen{id: "ONE", terminal: true, data: data, components: []string{
		`{"type":"If","condition":"${data.vip} && (${data.n} > 2)","then":[
			{"type":"TextHeading","text":"Welcome back"},
			{"type":"If","condition":"${data.n} == 3","then":[{"type":"TextBody","text":"Third visit"}],"else":[{"type":"TextBody","text":"Another visit"}]}
		],"else":[{"type":"TextHeading","text":"Hello"}]}`,
		`{"type":"Switch","value":"${data.animal}","cases":{"cat":[{"type":"TextBody","text":"Meow"}],"dog":[{"type":"TextBody","text":"Woof"}]}}`,
		completeFooter("Done", "{}")}})
	for _, tc := range []struct {
		data map[string]any
		want []string
	}{
		{nil, []string{"Welcome back", "Third visit", "Meow"}},
		{map[string]any{"n": 4}, []string{"Welcome back", "Another visit", "Meow"}},
		{map[string]any{"vip": false, "animal": "dog"}, []string{"Hello", "Woof"}},
		{map[string]any{"animal": "fish"}, []string{"Welcome back", "Third visit"}},
	} {
		s := start(t, doc, player.WithData(tc.data))
		want := append([]string{"Title of ONE"}, tc.want...)
		if got := lines(s); fmt.Sprint(got) != fmt.Sprint(append(want, "Done")) {
			t.Errorf("data %v: %q, want %q", tc.data, got, append(want, "Done"))
		}
	}
}
