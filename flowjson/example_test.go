package flowjson_test

// Examples of the API, checked by go test.

import (
	"fmt"

	"github.com/waflows/waflows/flowjson"
)

func ExampleValidate() {
	doc := []byte(`{
  "version": "7.3",
  "screens": [
    {
      "id": "WELCOME",
      "title": "Welcome",
      "layout": {
        "type": "SingleColumnLayout",
        "children": [
          {"type": "TextHeading", "text": "Hello", "colour": "red"},
          {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}
        ]
      }
    }
  ]
}`)
	for _, e := range flowjson.Validate(doc) {
		fmt.Printf("%d:%d %s: %s (%s)\n", e.LineStart, e.ColumnStart, e.Error, e.Message, e.Pointers[0])
	}
	// Both faults come in one round: the unknown key, and the missing terminal screen.
	// Output:
	// 3:14 MISSING_TERMINAL_SCREEN: Terminal screen is required but not provided. (screens)
	// 10:52 INVALID_PROPERTY_KEY: Property 'colour' cannot be specified at TextHeading on screens[0].layout.children[0]. (screens[0].layout.children[0].colour)
}

func ExampleAnalyze() {
	doc := []byte(`{"version":"7.3","screens":[{"id":"WELCOME","title":"Welcome","terminal":true,"layout":{"type":"SingleColumnLayout","children":[` +
		`{"type":"Footer","label":"Send my answers to the team, please!","on-click-action":{"name":"complete","payload":{}}}]}}]}`)
	res := flowjson.Analyze(doc)
	fmt.Println("errors:", len(res.Errors))
	for _, w := range res.Warnings {
		fmt.Printf("warning %s: %s\n", w.Error, w.Message)
	}
	// Output:
	// errors: 0
	// warning CHARACTER_LIMIT_EXCEEDED: Property 'label' should have at most '35' character(s), but found 36: the device truncates the rest.
}
