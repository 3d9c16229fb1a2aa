// This file holds the phone numbers of a business account and the business public key uploaded for one
// (POST /{phone-number-id}/whatsapp_business_encryption), with which WhatsApp encrypts data endpoint requests.

package api

import "time"

// PhoneNumber is a WhatsApp business phone number of a business account.
type PhoneNumber struct {
	ID                 string
	WABAID             string
	DisplayPhoneNumber string
}

// BusinessPublicKey is the RSA public key (PEM) a business uploaded for one phone number. WhatsApp
// encrypts every data endpoint request of a flow sent from that number with it.
type BusinessPublicKey struct {
	PhoneNumberID string
	PEM           string
	UpdatedAt     time.Time
}
