// The endpoint's HTTP handler, in Meta's order: the signature (432), the decryption (421), the health
// check and error notifications answered without the business's code, then Handle; and the helpers that
// build its answers.
package endpoint

import (
	"context"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// DefaultMaxBody bounds a request's body (Meta's endpoint payloads are far smaller).
const DefaultMaxBody = 1 << 20

// Status codes the WhatsApp client understands ([M-ERR] "Endpoint error codes").
const (
	StatusDecryptionFailed  = 421 // the client re-fetches the public key and retries once
	StatusInvalidFlowToken  = 427 // the client shows error_msg and disables the CTA
	StatusSignatureMismatch = 432 // X-Hub-Signature-256 missing or wrong
)

// Config configures NewHandler.
type Config struct {
	// PrivateKey decrypts the requests (required).
	PrivateKey *rsa.PrivateKey
	// AppSecret is the secret of the Meta app the flow is linked to: requests must carry
	// X-Hub-Signature-256 over their raw body with it. PreviousAppSecret is accepted too, for the
	// rotation window. With both empty, signatures are not checked.
	AppSecret, PreviousAppSecret string
	// Handle answers INIT, BACK, data_exchange (and navigate) requests (required). Return
	// InvalidFlowToken(msg) for a flow token the business does not know; any other error is a 500.
	Handle func(context.Context, *Request) (*Response, error)
	// OnErrorNotification, if set, sees the error notifications the client sends after a bad answer
	// (data.error, error_key, error_message); they are acknowledged either way.
	OnErrorNotification func(context.Context, *Request)
	// MaxBody bounds a request's body; zero means DefaultMaxBody.
	MaxBody int64
	// Logger receives the causes of 500s and refused requests; nil discards.
	Logger *slog.Logger
}

// invalidTokenError is what InvalidFlowToken returns.
type invalidTokenError struct{ msg string }

func (e *invalidTokenError) Error() string { return "endpoint: invalid flow token: " + e.msg }

// InvalidFlowToken makes the handler answer 427 with {"error_msg": msg}, which the client shows.
func InvalidFlowToken(msg string) error { return &invalidTokenError{msg: msg} }

// NextScreen is the answer that shows screen with data.
func NextScreen(screen string, data map[string]any) *Response {
	if data == nil {
		data = map[string]any{}
	}
	return &Response{Screen: screen, Data: data}
}

// WithErrorMessage adds error_message to the answer: the client shows it as a snackbar.
func (r *Response) WithErrorMessage(msg string) *Response {
	if r.Data == nil {
		r.Data = map[string]any{}
	}
	r.Data["error_message"] = msg
	return r
}

// Complete is the answer that completes the flow: SUCCESS with extension_message_response.params, which
// the business receives as the completion's response_json. The flow token is required by the client.
func Complete(flowToken string, params map[string]any) *Response {
	p := map[string]any{}
	for k, v := range params {
		p[k] = v
	}
	p["flow_token"] = flowToken
	return &Response{Screen: SuccessScreen, Data: map[string]any{"extension_message_response": map[string]any{"params": p}}}
}

// Sign is the X-Hub-Signature-256 value of body under secret: "sha256=" and the hex HMAC-SHA256.
func Sign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// verifySignature compares header with the body's signature under each secret in constant time.
func verifySignature(header string, body []byte, secrets ...string) bool {
	got, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok {
		return false
	}
	raw, err := hex.DecodeString(got)
	return err == nil && macMatches(raw, body, secrets)
}

// macMatches reports whether mac is the HMAC-SHA256 of msg under one of secrets (empty ones skipped),
// comparing in constant time.
func macMatches(mac, msg []byte, secrets []string) bool {
	matched := false
	for _, s := range secrets {
		if s == "" {
			continue
		}
		m := hmac.New(sha256.New, []byte(s))
		m.Write(msg)
		if hmac.Equal(mac, m.Sum(nil)) {
			matched = true
		}
	}
	return matched
}

type handler struct {
	cfg Config
	log *slog.Logger
}

// NewHandler returns the data endpoint as an http.Handler.
func NewHandler(cfg Config) http.Handler {
	if cfg.PrivateKey == nil || cfg.Handle == nil {
		panic("endpoint: NewHandler needs Config.PrivateKey and Config.Handle")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &handler{cfg: cfg, log: log}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "the data endpoint takes POST", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "the body is larger than the endpoint takes", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "the body could not be read", http.StatusBadRequest)
		return
	}
	if h.cfg.AppSecret != "" || h.cfg.PreviousAppSecret != "" {
		if !verifySignature(r.Header.Get("X-Hub-Signature-256"), body, h.cfg.AppSecret, h.cfg.PreviousAppSecret) {
			h.log.Warn("endpoint: request refused: X-Hub-Signature-256 missing or wrong")
			w.WriteHeader(StatusSignatureMismatch)
			return
		}
	}
	plain, ex, err := OpenEnvelope(body, h.cfg.PrivateKey)
	if err != nil {
		h.log.Warn("endpoint: request refused: it does not decrypt", "err", err)
		w.WriteHeader(StatusDecryptionFailed)
		return
	}
	var req Request
	if err := json.Unmarshal(plain, &req); err != nil {
		h.log.Warn("endpoint: request refused: the decrypted payload is not a request", "err", err)
		w.WriteHeader(StatusDecryptionFailed)
		return
	}
	switch {
	case req.Action == ActionPing:
		h.reply(w, ex, http.StatusOK, map[string]any{"data": map[string]any{"status": "active"}})
		return
	case isErrorNotification(&req):
		if h.cfg.OnErrorNotification != nil {
			h.cfg.OnErrorNotification(r.Context(), &req)
		}
		h.reply(w, ex, http.StatusOK, map[string]any{"data": map[string]any{"acknowledged": true}})
		return
	}
	resp, err := h.handle(r.Context(), &req)
	var invalid *invalidTokenError
	switch {
	case errors.As(err, &invalid):
		// UNCONFIRMED whether the client wants this body encrypted; Meta's sample encrypts it.
		h.reply(w, ex, StatusInvalidFlowToken, map[string]any{"error_msg": invalid.msg})
	case err != nil:
		h.log.Error("endpoint: Handle failed", "action", req.Action, "screen", req.Screen, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	case resp == nil:
		h.log.Error("endpoint: Handle returned no response", "action", req.Action, "screen", req.Screen)
		http.Error(w, "internal error", http.StatusInternalServerError)
	default:
		if resp.Data == nil {
			resp.Data = map[string]any{}
		}
		h.reply(w, ex, http.StatusOK, resp)
	}
}

// handle runs Handle, turning a panic into an error.
func (h *handler) handle(ctx context.Context, req *Request) (resp *Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("endpoint: the Handle func panicked")
			h.log.Error("endpoint: Handle panicked", "panic", p)
		}
	}()
	return h.cfg.Handle(ctx, req)
}

// isErrorNotification: the client reports that an earlier answer was bad ([M-EP] "Error notification").
func isErrorNotification(req *Request) bool {
	if req.Data == nil {
		return false
	}
	_, hasError := req.Data["error"]
	_, hasKey := req.Data["error_key"]
	_, hasMsg := req.Data["error_message"]
	return hasError || hasKey && hasMsg
}

func (h *handler) reply(w http.ResponseWriter, ex *Exchange, status int, v any) {
	plain, err := json.Marshal(v)
	if err == nil {
		var sealed string
		if sealed, err = ex.Seal(plain); err == nil {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			io.WriteString(w, sealed)
			return
		}
	}
	h.log.Error("endpoint: the answer cannot be encrypted", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
