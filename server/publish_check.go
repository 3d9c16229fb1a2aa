package server

// This file holds the optional publishing checks of endpoint flows (Config.CheckEndpointOnPublish, serve
// --check-endpoint-on-publish): what Meta requires before it publishes a flow that uses a data endpoint
// — a phone number on the business account, a business public key uploaded for one, an app linked to the
// flow, and an endpoint that answers the health check — each refused with code 139002 and Meta's message
// (FLOWS_REFERENCE A.3, from Meta's error codes page), the reason in error_user_msg.

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/endpoint"
)

// checkEndpointForPublish runs Meta's publishing checks of an endpoint flow on f, a copy of the flow that
// has passed the other publishing checks (the caller's dry run): a phone number, its key, the app, and
// last the health check — an encrypted ping, signed with the app secret, to the flow's endpoint_uri,
// sealed with the first key uploaded for one of the account's numbers. A redirect is an answer like any
// other status: the client posts to endpoint_uri only.
func (s *Server) checkEndpointForPublish(ctx context.Context, f api.Flow) error {
	if !f.UsesEndpoint || f.EndpointURI == "" {
		return nil
	}
	refuse := func(msg, detail string) error { return &api.Error{Code: api.EPUBLISH, Message: msg, Detail: detail} }
	var phones []string
	for _, p := range s.phoneOrder {
		if s.phones[p].WABAID == f.WABAID {
			phones = append(phones, p)
		}
	}
	if len(phones) == 0 {
		return refuse("No Phone Number connected to WhatsApp Business Account",
			"The business account has no phone number; list one under phone_numbers in the access file.")
	}
	var key *api.BusinessPublicKey
	for _, p := range phones {
		k, err := s.store.BusinessPublicKey(ctx, p)
		if api.ErrorCodeOf(err) == api.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		key = &k
		break
	}
	if key == nil {
		return refuse("Missing Flows Signed Public Key",
			fmt.Sprintf("Upload a business public key for a phone number of the account: POST %s/%s/whatsapp_business_encryption.", APIPrefix, phones[0]))
	}
	app, ok := s.apps[f.ApplicationID]
	if !ok {
		return refuse("No Application Connected to the Flow",
			"Link the flow to an app of the access file (application_id); its app secret signs the endpoint's requests.")
	}
	pub, err := endpoint.ParsePublicKey([]byte(key.PEM))
	if err != nil {
		return refuse("Missing Flows Signed Public Key", "The business public key of "+key.PhoneNumberID+" cannot be read; upload it again.")
	}
	hc := &http.Client{Timeout: endpoint.Timeout, Transport: s.endpointTransport, CheckRedirect: noRedirects}
	c := endpoint.Client{URL: f.EndpointURI, PublicKey: pub, AppSecret: app.Secret, HTTPClient: hc}
	resp, err := c.Send(ctx, endpoint.Request{Version: "3.0", Action: endpoint.ActionPing})
	why := ""
	var e *endpoint.Error
	switch {
	case errors.As(err, &e):
		why = e.Error()
	case err != nil:
		why = err.Error()
	case resp.Data["status"] != "active":
		why = fmt.Sprintf(`the health check was answered %v; want {"data":{"status":"active"}}`, resp.Data)
	default:
		return nil
	}
	return refuse("Endpoint Not Available", "The health check of "+f.EndpointURI+" failed: "+truncate(why, 400)+
		". Run waflows endpoint check on it for the details.")
}
