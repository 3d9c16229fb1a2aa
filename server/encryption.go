package server

// This file holds GET and POST /{phone-number-id}/whatsapp_business_encryption: the business public key of
// a phone number, with which WhatsApp (here: the preview) encrypts the data endpoint requests of flows sent
// from that number. Shapes and errors follow Meta's reference
// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/whatsapp-business-encryption) and the
// Cloud API error table: code 100 unless the key is "a valid 2048-bit RSA public key in PEM format".

import (
	encpem "encoding/pem"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/gen"
)

// maxPublicKeyPEM bounds an uploaded key; a 2048-bit key in PEM is about 450 bytes.
const maxPublicKeyPEM = 16 << 10

// encryptionNodeType is the node type Graph names in "nonexisting field" errors here.
const encryptionNodeType = "WhatsAppBusinessEncryption"

// reachablePhone returns a phone number the caller's token may use; one of another business account is
// reported exactly like a missing one.
func (s *Server) reachablePhone(c echo.Context, id string) (api.PhoneNumber, error) {
	p, ok := s.phones[id]
	if !ok || !callerGrant(c).accounts[p.WABAID] {
		return api.PhoneNumber{}, api.NotFound(id)
	}
	return p, nil
}

// GetBusinessEncryption implements GET /{phone-number-id}/whatsapp_business_encryption:
// {"data":[{"business_public_key","business_public_key_signature_status"}]}, or {"data":[]} before any
// upload. The key is signed when stored, so its status is VALID.
func (s *Server) GetBusinessEncryption(c echo.Context, phoneNumberID gen.PhoneNumberID, params gen.GetBusinessEncryptionParams) error {
	if _, err := s.reachablePhone(c, phoneNumberID); err != nil {
		return err
	}
	withKey, withStatus := true, true
	if params.Fields != nil && strings.TrimSpace(*params.Fields) != "" {
		if len(*params.Fields) > maxFieldsLength {
			return api.Errorf(api.EINVALID, "(#100) Param fields is too long: the limit is %d characters", maxFieldsLength)
		}
		withKey, withStatus = false, false
		for _, f := range strings.Split(*params.Fields, ",") {
			switch f = strings.TrimSpace(f); f {
			case "":
				// "a,,b" and a trailing comma: nothing asked for there.
			case "business_public_key":
				withKey = true
			case "business_public_key_signature_status":
				withStatus = true
			default:
				return api.Errorf(api.EINVALID, "(#100) Tried accessing nonexisting field (%s) on node type (%s)", truncate(f, 100), encryptionNodeType)
			}
		}
		if !withKey && !withStatus {
			withKey, withStatus = true, true
		}
	}
	k, err := s.store.BusinessPublicKey(c.Request().Context(), phoneNumberID)
	if api.ErrorCodeOf(err) == api.ENOTFOUND {
		return c.JSONBlob(http.StatusOK, []byte(`{"data":[]}`))
	}
	if err != nil {
		return err
	}
	return writeJSON(c, func(b []byte) []byte {
		b = append(b, `{"data":[{`...)
		if withKey {
			b = append(b, `"business_public_key":`...)
			b = appendString(b, k.PEM)
		}
		if withStatus {
			if withKey {
				b = append(b, ',')
			}
			b = append(b, `"business_public_key_signature_status":"VALID"`...)
		}
		return append(b, `}]}`...)
	})
}

// SetBusinessEncryption implements POST /{phone-number-id}/whatsapp_business_encryption with
// business_public_key (form or JSON): the key replaces the number's previous one, durably, before the 200.
func (s *Server) SetBusinessEncryption(c echo.Context, phoneNumberID gen.PhoneNumberID) error {
	if _, err := s.reachablePhone(c, phoneNumberID); err != nil {
		return err
	}
	var req encryptionBody
	if err := s.checks["setBusinessEncryption"].readBody(c.Request(), &req); err != nil {
		return err
	}
	pem := *req.BusinessPublicKey // the schema check has made sure it is present
	if err := checkBusinessPublicKey(pem); err != nil {
		return err
	}
	k := api.BusinessPublicKey{PhoneNumberID: phoneNumberID, PEM: pem, UpdatedAt: s.now().UTC()}
	if err := s.store.PutBusinessPublicKey(c.Request().Context(), k); err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, successBody)
}

// checkBusinessPublicKey refuses, with code 100 and the reason, anything but a 2048-bit RSA public key
// in PEM (PKIX or PKCS#1).
func checkBusinessPublicKey(pem string) error {
	invalid := func(why string) error {
		return &api.Error{Code: api.EINVALID,
			Message: "(#100) Param business_public_key must be a valid 2048-bit RSA public key in PEM format",
			Detail:  why}
	}
	if len(pem) > maxPublicKeyPEM {
		return invalid("The key is longer than 16 KB; a 2048-bit public key in PEM is about 450 bytes.")
	}
	if strings.TrimSpace(pem) == "" {
		return invalid("The key is empty.")
	}
	if block, rest := encpem.Decode([]byte(pem)); block != nil && strings.TrimSpace(string(rest)) != "" {
		return invalid("There is text after the key's -----END " + block.Type + "-----: send one PEM block only.")
	}
	key, err := endpoint.ParsePublicKey([]byte(pem))
	if err != nil {
		return invalid(truncate(strings.TrimPrefix(err.Error(), "endpoint: "), 300) + ".")
	}
	if n := key.N.BitLen(); n != 2048 {
		return invalid("The key has " + strconv.Itoa(n) + " bits; WhatsApp needs a 2048-bit RSA key.")
	}
	return nil
}

// encryptionBody is the upload body: business_public_key, from a form or a JSON object.
type encryptionBody struct {
	BusinessPublicKey *string `json:"business_public_key"`
}

func (b *encryptionBody) known(name string) bool { return name == "business_public_key" }

func (b *encryptionBody) setForm(v map[string][]string) error {
	b.BusinessPublicKey = lastValue(v, "business_public_key")
	return nil
}

func (b *encryptionBody) schemaValue() map[string]any {
	m := map[string]any{}
	putString(m, "business_public_key", b.BusinessPublicKey)
	return m
}
