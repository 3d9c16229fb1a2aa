// waflows endpoint check: Meta's health check of a data endpoint, probes, a walk of a flow against it,
// and its latency, as a report a person reads (or --json).
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/internal/endpointcheck"
)

const endpointCheckHelp = "Sends Meta's health check (an encrypted ping) and names the known wrong answers (plain JSON, not\n" +
	"base64, the IV not flipped, a wrapped reply, a 12-byte nonce…); probes how bad requests are refused\n" +
	"(undecryptable → 421, tampered tag → 421, wrong signature → 432); with --flow, walks the flow with the\n" +
	"player against the endpoint (INIT, every data_exchange it reaches, values that fit each input), checking\n" +
	"each reply against the routing and data models, to SUCCESS; then the latency against Meta's thresholds.\n" +
	"--flow-id walks a flow's current JSON from the API instead of a file.\n" +
	"Exit status 0 only when the endpoint is healthy for Meta's client (probes and latency are findings)."

// endpointCheck implements `waflows endpoint check URL`.
func endpointCheck(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("endpoint check")
	pubFile := fs.String("public-key", "", "the business public key in PEM (the one uploaded for the phone number) (required)")
	appSecret := fs.String("app-secret", os.Getenv("WAFLOWS_APP_SECRET"), "the secret of the Meta app linked to the flow: requests are signed with it (default $WAFLOWS_APP_SECRET)")
	flowFile := fs.String("flow", "", "a Flow JSON to walk against the endpoint")
	flowToken := fs.String("flow-token", "waflows-check", "the flow token the walk sends")
	flowAction := fs.String("flow-action", "data_exchange", "how the walk opens the flow: data_exchange (INIT) or navigate")
	probeAll := fs.Bool("probe-all", false, "also run the probes a fragile endpoint may not survive (no signature header), last")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	flowID := fs.String("flow-id", "", "walk this flow's current JSON, downloaded through the API (--base-url, --token)")
	phoneID := fs.String("phone-number-id", "", "use the business public key uploaded for this phone number, read through the API (--base-url, --token), instead of --public-key")
	caFile := fs.String("ca", "", "PEM file of CA certificates to trust besides the system's (an endpoint with a self-signed certificate)")
	var cf commonFlags
	cf.register(fs, false, "", std)
	pos, err := fs.parseArgs(args, std)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fs.fail("endpoint check takes the endpoint's URL, got %d arguments", len(pos))
	}
	var pemBytes []byte
	keyFrom := *pubFile
	switch {
	case *pubFile != "" && *phoneID != "":
		return fs.fail("give --public-key or --phone-number-id, not both")
	case *pubFile != "":
		if pemBytes, err = os.ReadFile(*pubFile); err != nil {
			return ioError{err}
		}
	case *phoneID != "":
		c, err := cf.client()
		if err != nil {
			return err
		}
		k, _, err := c.GetBusinessPublicKey(ctx, *phoneID)
		if err != nil {
			return cf.explain(err)
		}
		if k == nil {
			return fs.fail("phone number %s has no business public key: upload one (POST /%s/whatsapp_business_encryption)", *phoneID, *phoneID)
		}
		pemBytes, keyFrom = []byte(k.BusinessPublicKey), "of phone number "+*phoneID
	default:
		return fs.fail("--public-key is required: the business public key in PEM (or --phone-number-id to read the uploaded one)")
	}
	pub, err := endpoint.ParsePublicKey(pemBytes)
	if err != nil {
		return fs.fail("the public key %s: %v", keyFrom, err)
	}
	opts := endpointcheck.Options{URL: pos[0], PublicKey: pub, AppSecret: *appSecret, FlowToken: *flowToken, FlowAction: *flowAction, ProbeAll: *probeAll}
	if *caFile != "" {
		tr, err := trustingTransport(*caFile)
		if err != nil {
			return fs.fail("--ca: %v", err)
		}
		opts.HTTPClient = &http.Client{Timeout: endpoint.Timeout, Transport: tr}
	}
	switch {
	case *flowFile != "" && *flowID != "":
		return fs.fail("give --flow or --flow-id, not both")
	case *flowFile != "":
		if opts.Flow, err = os.ReadFile(*flowFile); err != nil {
			return ioError{err}
		}
	case *flowID != "":
		c, err := cf.client()
		if err != nil {
			return err
		}
		if opts.Flow, _, err = c.DownloadFlowJSON(ctx, *flowID); err != nil {
			return cf.explain(err)
		}
	}
	report := endpointcheck.Run(ctx, opts)
	if *asJSON {
		b, _ := json.MarshalIndent(report, "", "  ")
		fmt.Fprintln(std.out, string(b))
	} else {
		for _, f := range report.Findings {
			mark := map[string]string{endpointcheck.OK: "✔", endpointcheck.Fail: "✘", endpointcheck.Warn: "!"}[f.Status]
			line := mark + " " + f.Check
			if f.LatencyMS > 0 {
				line += fmt.Sprintf(" (%.0f ms)", f.LatencyMS)
			}
			fmt.Fprintln(std.out, line)
			if f.Detail != "" {
				fmt.Fprintln(std.out, "    "+f.Detail)
			}
			if f.Fix != "" && f.Status != endpointcheck.OK {
				fmt.Fprintln(std.out, "    fix: "+f.Fix)
			}
		}
		verdict := "healthy: Meta's client can use this endpoint"
		if !report.Healthy {
			verdict = "not healthy: Meta's client would fail (✘ above)"
		}
		fmt.Fprintln(std.out, verdict)
	}
	if !report.Healthy {
		return errInvalid // the report said why
	}
	return nil
}

// trustingTransport is the default transport (the environment's proxy settings included) trusting the
// PEM certificates of caFile besides the system's: --ca of endpoint check and preview.
func trustingTransport(caFile string) (*http.Transport, error) {
	roots, err := loadRoots(caFile)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return tr, nil
}
