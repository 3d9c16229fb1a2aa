package client

// This file holds the business public key of a phone number (whatsapp_business_encryption): upload it and
// read it back, on Meta's Graph API and on waflows serve alike.

import (
	"context"

	"github.com/waflows/waflows/gen"
)

// BusinessPublicKey is a phone number's uploaded key and whether its signature verifies
// (gen.BusinessPublicKeySignatureStatusVALID or MISMATCH).
type BusinessPublicKey = gen.BusinessEncryption

// SetBusinessPublicKey uploads a 2048-bit RSA public key in PEM for a phone number, replacing the one
// before; WhatsApp encrypts the data endpoint requests of flows sent from that number with it. Graph
// refuses anything else with code 100.
func (c *Client) SetBusinessPublicKey(ctx context.Context, phoneNumberID, publicKeyPEM string) (*Response, error) {
	res, err := c.gen.SetBusinessEncryptionWithFormdataBodyWithResponse(withClass(ctx, classWrite), phoneNumberID,
		gen.SetBusinessEncryptionFormdataRequestBody{BusinessPublicKey: publicKeyPEM})
	if err != nil {
		return nil, err
	}
	return result("SetBusinessPublicKey", res.HTTPResponse, res.Body, res.JSON200 != nil)
}

// GetBusinessPublicKey returns a phone number's uploaded key; nil (and no error) when none is uploaded.
func (c *Client) GetBusinessPublicKey(ctx context.Context, phoneNumberID string) (*BusinessPublicKey, *Response, error) {
	res, err := c.gen.GetBusinessEncryptionWithResponse(withClass(ctx, classRead), phoneNumberID, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := result("GetBusinessPublicKey", res.HTTPResponse, res.Body, res.JSON200 != nil)
	if err != nil || len(res.JSON200.Data) == 0 {
		return nil, resp, err
	}
	k := res.JSON200.Data[0]
	return &k, resp, nil
}
