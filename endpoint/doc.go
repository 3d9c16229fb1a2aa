// Package endpoint is the WhatsApp Flows data-endpoint protocol, both sides of the wire, on the standard
// library only:
//   - the wire types (Request, Response), as Meta documents them, decrypted;
//   - the business's keys (ParsePrivateKey for PKCS#1, PKCS#8, legacy-encrypted and encrypted PKCS#8
//     PEM; ParsePublicKey);
//   - the envelope (OpenEnvelope, SealEnvelope, Exchange): RSA-OAEP-SHA256 around an AES-128 key,
//     AES-128-GCM with a 16-byte IV, the reply under the flipped IV as base64 text;
//   - NewHandler, the endpoint in Meta's order (signature 432, decryption 421, ping and error
//     notifications answered, then Config.Handle; InvalidFlowToken gives 427), with NextScreen and
//     Complete for its answers;
//   - Client, what WhatsApp does when it calls an endpoint (a fresh key per request, the signature, the
//     10 s timeout, one retry after 421), with failures named as Meta's alerts name them. Client.Send fits
//     player.WithDataExchange.
//
// Sources: Meta, "Implementing the endpoint for Flows"
// (https://developers.facebook.com/docs/whatsapp/flows/guides/implementingyourflowendpoint): request and
// response payloads, "Request Decryption and Encryption", "Request Signature Validation"; Meta's error
// codes page for 421, 427, 432 and the alert names.
package endpoint
