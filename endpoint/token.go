// Data API 4.0's flow_token_signature: an HS256 JWT keyed with the app secret whose claims hold the flow
// token ([M-EP] "flow_token_signature"; FLOWS_REFERENCE C.2). Which other claims Meta puts in it is
// UNCONFIRMED: VerifyFlowTokenSignature returns them all, and checks exp and nbf only when present.
package endpoint

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// FlowTokenClaims are the claims of a verified flow_token_signature.
type FlowTokenClaims struct {
	// FlowToken is the flow_token claim; it must equal the request's flow_token.
	FlowToken string
	// All holds every claim as sent.
	All map[string]any
}

// VerifyFlowTokenSignature checks req.FlowTokenSignature: an HS256 JWT signed with one of secrets (the
// app secret, and the previous one during a rotation), not expired at now, whose flow_token claim is
// req.FlowToken.
func VerifyFlowTokenSignature(req *Request, now time.Time, secrets ...string) (*FlowTokenClaims, error) {
	if req.FlowTokenSignature == "" {
		return nil, errors.New("endpoint: the request has no flow_token_signature (sent by Data API 4.0 with Flow JSON 7.3+)")
	}
	parts := strings.Split(req.FlowTokenSignature, ".")
	if len(parts) != 3 {
		return nil, errors.New("endpoint: flow_token_signature is not a JWT (three dot-separated parts)")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := decodeSegment(parts[0], &header); err != nil {
		return nil, fmt.Errorf("endpoint: flow_token_signature header: %w", err)
	}
	if header.Alg != "HS256" {
		return nil, fmt.Errorf("endpoint: flow_token_signature uses %q: want HS256", header.Alg)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, errors.New("endpoint: flow_token_signature's signature is not base64url")
	}
	if !macMatches(sig, []byte(parts[0]+"."+parts[1]), secrets) {
		return nil, errors.New("endpoint: flow_token_signature does not verify with the app secret")
	}
	claims := map[string]any{}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return nil, fmt.Errorf("endpoint: flow_token_signature claims: %w", err)
	}
	if exp, ok := claims["exp"].(float64); ok && now.After(time.Unix(int64(exp), 0)) {
		return nil, errors.New("endpoint: flow_token_signature has expired")
	}
	if nbf, ok := claims["nbf"].(float64); ok && now.Before(time.Unix(int64(nbf), 0)) {
		return nil, errors.New("endpoint: flow_token_signature is not valid yet")
	}
	token, _ := claims["flow_token"].(string)
	if token != req.FlowToken {
		return nil, fmt.Errorf("endpoint: flow_token_signature is for flow token %q, the request carries %q", clipBytes([]byte(token), 80), clipBytes([]byte(req.FlowToken), 80))
	}
	return &FlowTokenClaims{FlowToken: token, All: claims}, nil
}

func decodeSegment(seg string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return errors.New("not base64url")
	}
	return json.Unmarshal(raw, v)
}

// SignFlowToken makes a flow_token_signature for token, as Meta's client sends it (HS256 with the app
// secret; claims flow_token and iat): for tests and for the Client playing WhatsApp.
func SignFlowToken(token, appSecret string, now time.Time) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{"flow_token": token, "iat": now.Unix()})
	body := header + "." + enc.EncodeToString(claims)
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(body))
	return body + "." + enc.EncodeToString(m.Sum(nil))
}
