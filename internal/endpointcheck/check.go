// Package endpointcheck is `waflows endpoint check`: Meta's health check of a data endpoint (an encrypted
// ping, with the known wrong answers named), probes of how it refuses bad requests, a walk of a flow
// against it with the player (every reply checked against the routing and data models), and its latency
// against Meta's thresholds.
package endpointcheck

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/waflows/waflows/endpoint"
)

// Options say what to check.
type Options struct {
	URL       string
	PublicKey *rsa.PublicKey
	// AppSecret signs the requests; without it the signature probes are skipped.
	AppSecret string
	// Flow, when set, is walked against the endpoint, starting with FlowAction (default data_exchange:
	// INIT) and FlowToken (default "waflows-check").
	Flow       []byte
	FlowAction string
	FlowToken  string
	// ProbeAll adds the probes a fragile endpoint may not survive (no signature header), run last.
	ProbeAll   bool
	HTTPClient *http.Client
}

// The statuses of a finding.
const (
	OK   = "ok"
	Fail = "fail" // Meta's client would fail: the endpoint is not healthy
	Warn = "warn" // worth fixing; Meta's client copes
)

// Finding is one line of the report.
type Finding struct {
	Check     string  `json:"check"`
	Status    string  `json:"status"`
	Detail    string  `json:"detail,omitempty"`
	Fix       string  `json:"fix,omitempty"`
	LatencyMS float64 `json:"latency_ms,omitempty"`
}

// Latency summarizes the requests' times against Meta's thresholds (1 s target; alerts at p90 over 1, 5
// and 7 s; 10 s timeout).
type Latency struct {
	Requests int     `json:"requests"`
	P50MS    float64 `json:"p50_ms"`
	P90MS    float64 `json:"p90_ms"`
	MaxMS    float64 `json:"max_ms"`
}

// Report is the outcome: Healthy when no finding failed.
type Report struct {
	URL      string    `json:"url"`
	Healthy  bool      `json:"healthy"`
	Findings []Finding `json:"findings"`
	Latency  Latency   `json:"latency"`
}

type checker struct {
	opts    Options
	hc      *http.Client
	report  Report
	samples []time.Duration
}

// Run checks the endpoint.
func Run(ctx context.Context, opts Options) Report {
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: endpoint.Timeout}
	}
	c := &checker{opts: opts, hc: hc, report: Report{URL: opts.URL}}
	if c.ping(ctx) {
		c.probes(ctx)
		if len(opts.Flow) > 0 {
			c.walk(ctx)
		}
		if opts.ProbeAll {
			c.fragileProbes(ctx)
		}
	}
	c.latency()
	c.report.Healthy = !slices.ContainsFunc(c.report.Findings, func(f Finding) bool { return f.Status == Fail })
	return c.report
}

func (c *checker) add(f Finding) { c.report.Findings = append(c.report.Findings, f) }

// post sends body (signed when sign) and returns the status and reply, or an error when there was no
// answer within the client's 10 s.
func (c *checker) post(ctx context.Context, body []byte, sign string) (int, []byte, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, endpoint.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opts.URL, bytes.NewReader(body))
	if err != nil {
		return 0, nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if sign != "" {
		req.Header.Set("X-Hub-Signature-256", endpoint.Sign(body, sign))
	}
	start := time.Now()
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, time.Since(start), err
	}
	defer res.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(res.Body, 10<<20))
	return res.StatusCode, reply, time.Since(start), err
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ping is Meta's health check: an encrypted ping must get {"data":{"status":"active"}}, encrypted.
func (c *checker) ping(ctx context.Context) bool {
	const check = "health check: encrypted ping answered {\"data\":{\"status\":\"active\"}}"
	body, ex, err := endpoint.SealEnvelope([]byte(`{"version":"3.0","action":"ping"}`), c.opts.PublicKey)
	if err != nil {
		c.add(Finding{Check: check, Status: Fail, Detail: err.Error()})
		return false
	}
	status, reply, took, err := c.post(ctx, body, c.opts.AppSecret)
	if err != nil {
		c.add(Finding{Check: check, Status: Fail, Detail: "no HTTP response within 10 s: " + err.Error(), Fix: "make the endpoint reachable at " + c.opts.URL + " and answer within 10 s (aim for 1 s)"})
		return false
	}
	c.samples = append(c.samples, took)
	f := Finding{Check: check, LatencyMS: ms(took)}
	switch {
	case status == endpoint.StatusDecryptionFailed:
		f.Status, f.Detail, f.Fix = Fail, "HTTP 421: the endpoint cannot decrypt the request", "the endpoint's private key must match the public key given here (the one uploaded for the phone number)"
	case status == endpoint.StatusSignatureMismatch:
		f.Status, f.Detail, f.Fix = Fail, "HTTP 432: the endpoint refused the signature", "give --app-secret (the secret of the Meta app linked to the flow), or check the endpoint's"
	case status != http.StatusOK:
		f.Status, f.Detail, f.Fix = Fail, fmt.Sprintf("HTTP %d (unexpected_http_status_code): %s", status, clip(reply)), "answer a ping with 200 and the encrypted {\"data\":{\"status\":\"active\"}}"
	default:
		if why := ex.Explain(reply); why != "" {
			f.Status, f.Detail, f.Fix = Fail, "response-decryption-error: "+why, "encrypt the answer: AES-128-GCM with the request's key, the IV with every bit flipped, the tag appended, base64 as a plain-text body"
			break
		}
		plain, _ := ex.Open(reply)
		var v struct {
			Data struct {
				Status string `json:"status"`
			} `json:"data"`
		}
		if json.Unmarshal(plain, &v) != nil || v.Data.Status != "active" {
			f.Status, f.Detail, f.Fix = Fail, "the ping's answer decrypts to "+clip(plain), "answer a ping with {\"data\":{\"status\":\"active\"}} (without calling your flow logic)"
			break
		}
		f.Status = OK
	}
	c.add(f)
	return f.Status == OK
}

// probes check how the endpoint refuses bad requests; they are findings, not failures, since Meta's
// client never sends them.
func (c *checker) probes(ctx context.Context) {
	garbage := []byte(`{"encrypted_flow_data":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","encrypted_aes_key":"AAAA","initial_vector":"AAAAAAAAAAAAAAAAAAAAAA=="}`)
	c.expect(ctx, "an undecryptable request is refused with 421", garbage, c.opts.AppSecret, endpoint.StatusDecryptionFailed,
		"answer 421 when a request does not decrypt: the client then re-fetches the public key and retries")
	body, _, err := endpoint.SealEnvelope([]byte(`{"version":"3.0","action":"ping"}`), c.opts.PublicKey)
	if err == nil {
		var env map[string]string
		json.Unmarshal(body, &env)
		if data, err := base64.StdEncoding.DecodeString(env["encrypted_flow_data"]); err == nil && len(data) > 0 {
			data[len(data)-1] ^= 0x01
			env["encrypted_flow_data"] = base64.StdEncoding.EncodeToString(data)
			tampered, _ := json.Marshal(env)
			c.expect(ctx, "a request with a tampered GCM tag is refused with 421", tampered, c.opts.AppSecret, endpoint.StatusDecryptionFailed,
				"check the GCM tag (the last 16 bytes of encrypted_flow_data) and answer 421 when it fails")
		}
	}
	if c.opts.AppSecret != "" {
		c.expect(ctx, "a wrong signature is refused with 432", body, c.opts.AppSecret+"-wrong", endpoint.StatusSignatureMismatch,
			"verify X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret) and answer 432 when it does not match")
	}
}

// fragileProbes may upset a fragile endpoint, so they run last and only on request.
func (c *checker) fragileProbes(ctx context.Context) {
	if c.opts.AppSecret == "" {
		return
	}
	body, _, err := endpoint.SealEnvelope([]byte(`{"version":"3.0","action":"ping"}`), c.opts.PublicKey)
	if err == nil {
		c.expect(ctx, "a request without a signature is refused with 432", body, "", endpoint.StatusSignatureMismatch,
			"refuse requests without X-Hub-Signature-256 with 432")
	}
}

func (c *checker) expect(ctx context.Context, check string, body []byte, sign string, want int, fix string) {
	status, _, took, err := c.post(ctx, body, sign)
	switch {
	case err != nil:
		c.add(Finding{Check: check, Status: Warn, Detail: "no HTTP response within 10 s: " + err.Error(), Fix: "answer every request, even a bad one"})
	case status == want:
		c.add(Finding{Check: check, Status: OK, LatencyMS: ms(took)})
	case status >= 500:
		c.add(Finding{Check: check, Status: Warn, Detail: fmt.Sprintf("HTTP %d", status), Fix: fix})
	default:
		c.add(Finding{Check: check, Status: Warn, Detail: fmt.Sprintf("HTTP %d, want %d", status, want), Fix: fix})
	}
}

func (c *checker) latency() {
	if len(c.samples) == 0 {
		return
	}
	s := slices.Clone(c.samples)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	pick := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	c.report.Latency = Latency{Requests: len(s), P50MS: ms(pick(0.5)), P90MS: ms(pick(0.9)), MaxMS: ms(s[len(s)-1])}
	p90 := pick(0.9)
	f := Finding{Check: fmt.Sprintf("latency: p90 %.0f ms over %d requests (Meta's target 1 s; alerts at p90 1, 5, 7 s; timeout 10 s)", ms(p90), len(s)), Status: OK}
	switch {
	case p90 >= 7*time.Second:
		f.Status, f.Fix = Warn, "Meta alerts at a p90 of 7 s and times out at 10 s: make the endpoint faster"
	case p90 >= time.Second:
		f.Status, f.Fix = Warn, "Meta alerts when the p90 passes 1 s over 30 minutes: aim below 1 s"
	}
	c.add(f)
}

func clip(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 120 {
		return s[:120] + "…"
	}
	if s == "" {
		return "(empty)"
	}
	return s
}
