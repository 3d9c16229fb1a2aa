// Package endpoint is the WhatsApp Flows data-endpoint protocol: what the WhatsApp client sends to a
// business's endpoint when a flow exchanges data, and what the endpoint answers. It holds the wire types
// for now (Request, Response, as Meta documents them, decrypted); the player uses them to call an endpoint
// in tests and in the preview.
//
// Sources: Meta, "Implementing the endpoint for Flows"
// (https://developers.facebook.com/docs/whatsapp/flows/guides/implementingyourflowendpoint), request and
// response payloads.
package endpoint
