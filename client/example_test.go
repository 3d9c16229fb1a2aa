package client_test

import (
	"context"
	"fmt"
	"log"

	"github.com/waflows/waflows/client"
	"github.com/waflows/waflows/waflowstest"
)

// The whole lifecycle of a flow. Here the client talks to an in-process waflows server; against Meta,
// leave out WithBaseURL and pass your system user token.
func Example() {
	srv, err := waflowstest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	c, err := client.New(client.WithBaseURL(srv.URL), client.WithToken(srv.Token))
	if err != nil {
		log.Fatal(err)
	}

	id, _, err := c.CreateFlow(ctx, srv.BusinessAccountID, client.CreateFlowRequest{
		Name:       "Appointment booking",
		Categories: []client.Category{"APPOINTMENT_BOOKING"},
	})
	if err != nil {
		log.Fatal(err)
	}

	// Graph keeps an invalid Flow JSON and reports what is wrong with it.
	problems, _, err := c.UploadFlowJSON(ctx, id, []byte(`{"version": "7.3", "screens": [}`))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range problems {
		fmt.Printf("line %d, column %d: %s\n", *p.LineStart, *p.ColumnStart, *p.Error)
	}
	_, err = c.PublishFlow(ctx, id)
	fmt.Println("publish refused:", client.IsLifecycle(err))

	problems, _, err = c.UploadFlowJSON(ctx, id, []byte(`{
  "version": "7.3",
  "screens": [{
    "id": "BOOK",
    "title": "Book a visit",
    "terminal": true,
    "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "TextBody", "text": "We will call you back."},
      {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}
    ]}
  }]
}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("validation errors:", len(problems))

	if _, err := c.PublishFlow(ctx, id); err != nil {
		log.Fatal(err)
	}
	flow, _, err := c.GetFlow(ctx, id, "name", "status", "json_version")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*flow.Name, *flow.Status, *flow.JSONVersion)

	// Published flows are immutable: deprecate them instead of deleting.
	_, err = c.DeleteFlow(ctx, id)
	fmt.Println("delete refused:", client.IsLifecycle(err))
	if _, err := c.DeprecateFlow(ctx, id); err != nil {
		log.Fatal(err)
	}
	for f, err := range c.Flows(ctx, srv.BusinessAccountID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(*f.Name, *f.Status)
	}
	// Output:
	// line 1, column 32: INVALID_FLOW_JSON
	// publish refused: true
	// validation errors: 0
	// Appointment booking PUBLISHED 7.3
	// delete refused: true
	// Appointment booking DEPRECATED
}

// Errors are *client.Error values; the predicates cover the cases callers branch on.
func ExampleIsNotFound() {
	srv, err := waflowstest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, _ := client.New(client.WithBaseURL(srv.URL), client.WithToken(srv.Token))

	_, _, err = c.GetFlow(context.Background(), "123456789012345")
	fmt.Println(client.IsNotFound(err))
	// Output: true
}
