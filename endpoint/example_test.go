package endpoint_test

// This file holds a complete endpoint for a two-screen appointment flow, played end to end as WhatsApp
// would play it: the handler behind real HTTP, the Client sealing and signing each request, the player
// running the flow against it.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http/httptest"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

// appointmentFlow asks for a date on APPOINTMENT, and CONFIRM shows what the endpoint made of it.
const appointmentFlow = `{
  "version": "7.3",
  "data_api_version": "3.0",
  "routing_model": {"APPOINTMENT": ["CONFIRM"], "CONFIRM": []},
  "screens": [
    {"id": "APPOINTMENT", "title": "Book a visit",
     "data": {"dates": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "title": {"type": "string"}}},
                        "__example__": [{"id": "mon", "title": "Monday"}]}},
     "layout": {"type": "SingleColumnLayout", "children": [
       {"type": "Dropdown", "name": "date", "label": "Day", "required": true, "data-source": "${data.dates}"},
       {"type": "Footer", "label": "Continue", "on-click-action": {"name": "data_exchange", "payload": {"date": "${form.date}"}}}]}},
    {"id": "CONFIRM", "title": "Confirm", "terminal": true, "success": true,
     "data": {"summary": {"type": "string", "__example__": "Monday at 9:00"}, "date": {"type": "string", "__example__": "mon"}},
     "layout": {"type": "SingleColumnLayout", "children": [
       {"type": "TextBody", "text": "${data.summary}"},
       {"type": "Footer", "label": "Book", "on-click-action": {"name": "data_exchange", "payload": {"date": "${data.date}"}}}]}}
  ]
}`

// days is what the business offers.
var days = map[string]string{"mon": "Monday", "tue": "Tuesday"}

// appointments is the business logic: the handler has already checked the signature, decrypted the
// request and answered pings and error notifications; what is left is the flow's own steps.
func appointments(_ context.Context, req *endpoint.Request) (*endpoint.Response, error) {
	if req.FlowToken == "" {
		return nil, endpoint.InvalidFlowToken("this flow was not sent by us") // → 427, the flow closes
	}
	switch {
	case req.Action == endpoint.ActionInit:
		return endpoint.NextScreen("APPOINTMENT", map[string]any{"dates": []any{
			map[string]any{"id": "mon", "title": days["mon"]},
			map[string]any{"id": "tue", "title": days["tue"]},
		}}), nil
	case req.Action == endpoint.ActionDataExchange && req.Screen == "APPOINTMENT":
		date, _ := req.Data["date"].(string)
		if days[date] == "" {
			return endpoint.NextScreen("APPOINTMENT", nil).WithErrorMessage("That day is no longer free"), nil
		}
		return endpoint.NextScreen("CONFIRM", map[string]any{"summary": days[date] + " at 9:00", "date": date}), nil
	case req.Action == endpoint.ActionDataExchange && req.Screen == "CONFIRM":
		// Book it, then close the flow: the params reach the business's webhook as response_json.
		return endpoint.Complete(req.FlowToken, map[string]any{"date": req.Data["date"]}), nil
	}
	return nil, fmt.Errorf("unexpected %s on %q", req.Action, req.Screen) // → 500, logged, nothing leaked
}

// Example plays the appointment flow against its endpoint, as WhatsApp does: INIT, the date, the
// booking, and the completion payload the business receives.
func Example() {
	// In production: endpoint.ParsePrivateKey(pemBytes, passphrase) on the file `waflows keys generate`
	// wrote, and the app secret of the Meta app linked to the flow.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	const appSecret = "the-app-secret"
	srv := httptest.NewServer(endpoint.NewHandler(endpoint.Config{PrivateKey: key, AppSecret: appSecret, Handle: appointments}))
	defer srv.Close()

	// WhatsApp's side: the public key uploaded for the phone number, the same app secret.
	wa := &endpoint.Client{URL: srv.URL, PublicKey: &key.PublicKey, AppSecret: appSecret}
	s, err := player.Start(context.Background(), []byte(appointmentFlow),
		player.WithFlowAction(player.FlowActionDataExchange), player.WithFlowToken("booking-42"), player.WithDataExchange(wa.Send))
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Screen().Title, len(s.Screen().Components[0].Options), "days")
	if err := s.Fill("date", "tue"); err != nil {
		panic(err)
	}
	if err := s.Press("Continue"); err != nil {
		panic(err)
	}
	fmt.Println(s.Screen().Title+":", s.Screen().Components[0].Text[0])
	if err := s.Press("Book"); err != nil {
		panic(err)
	}
	payload, _ := s.Completed()
	fmt.Println("completed:", payload["date"], payload["flow_token"])
	// Output:
	// Book a visit 2 days
	// Confirm: Tuesday at 9:00
	// completed: tue booking-42
}
