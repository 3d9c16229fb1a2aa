// The preview pages: a flow played by the player and shown as an accessible, WhatsApp-like page, at a
// flow's preview URL (GET /{flow-id}?fields=preview) and for a file on disk (waflows preview). This file
// holds the requests: Meta's query parameters, the sessions they start, and the forms a person submits.
package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

// previewPath is where a flow's preview page lives, as on business.facebook.com:
// /wa/manage/flows/{flow-id}/preview/?token=….
const previewPath = "/wa/manage/flows/:id/preview/"

// Bounds of what a page request carries.
const (
	// maxPayloadParam bounds flow_action_payload.
	maxPayloadParam = 64 << 10
	// maxFormBody bounds a form without files; maxPreviewUpload one with files (Meta's pickers take files up
	// to 25 MiB each, max-file-size-kb).
	maxFormBody      = 1 << 20
	maxPreviewUpload = 26 << 20
	// maxAnswerData bounds the JSON a person types as an endpoint's answer.
	maxAnswerData = 256 << 10
)

// pageParams are Meta's preview query parameters ([M-API] "Preview"): interactive, flow_action,
// flow_action_payload, flow_token, phone_number and debug.
type pageParams struct {
	interactive bool
	flowAction  string
	flowToken   string
	phone       string
	debug       bool
	screen      string
	data        map[string]any
	rawPayload  string
}

// parsePageParams reads Meta's parameters; a malformed one is an error that names it.
func parsePageParams(q url.Values) (pageParams, error) {
	p := pageParams{flowAction: player.FlowActionNavigate, flowToken: q.Get("flow_token"), phone: q.Get("phone_number")}
	var err error
	if p.interactive, err = boolParam(q, "interactive"); err != nil {
		return p, err
	}
	if p.debug, err = boolParam(q, "debug"); err != nil {
		return p, err
	}
	if a := q.Get("flow_action"); a != "" {
		if a != player.FlowActionNavigate && a != player.FlowActionDataExchange {
			return p, fmt.Errorf("flow_action is %q: it must be navigate or data_exchange", clipText(a, 40))
		}
		p.flowAction = a
	}
	if len(p.flowToken) > 1024 {
		return p, fmt.Errorf("flow_token is %d bytes long: the preview takes at most 1024", len(p.flowToken))
	}
	if raw := q.Get("flow_action_payload"); raw != "" {
		if len(raw) > maxPayloadParam {
			return p, fmt.Errorf("flow_action_payload is %d bytes long: the preview takes at most %d", len(raw), maxPayloadParam)
		}
		var v struct {
			Screen string         `json:"screen"`
			Data   map[string]any `json:"data"`
		}
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return p, fmt.Errorf(`flow_action_payload is not a JSON object like {"screen":"WELCOME","data":{…}} (encodeURIComponent it): %s`, clipText(err.Error(), 200))
		}
		if dec.More() {
			return p, errors.New("flow_action_payload has text after its JSON object")
		}
		p.screen, p.data, p.rawPayload = v.Screen, jsonNumbers(v.Data), raw
	}
	return p, nil
}

func boolParam(q url.Values, name string) (bool, error) {
	switch v := q.Get(name); v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, fmt.Errorf("%s is %q: it must be true or false", name, clipText(v, 40))
	}
}

// jsonNumbers turns json.Number values into float64, as the player takes numbers.
func jsonNumbers(m map[string]any) map[string]any {
	for k, v := range m {
		m[k] = numbersIn(v)
	}
	return m
}

func numbersIn(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case map[string]any:
		return jsonNumbers(x)
	case []any:
		for i := range x {
			x[i] = numbersIn(x[i])
		}
	}
	return v
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// previewFlow is the flow a page shows.
type previewFlow struct {
	key  string // the flow id, or the file's path
	name string
	json []byte
	hash string
}

func newPreviewFlow(key, name string, data []byte) previewFlow {
	sum := sha256.Sum256(data)
	return previewFlow{key: key, name: name, json: data, hash: hex.EncodeToString(sum[:])}
}

// previewTarget is one page: its flow, and its address (the query keeps the token).
type previewTarget struct {
	flow  previewFlow
	path  string
	query url.Values
	// watch is where the page asks for the version of its file (file previews), or ""; version is the
	// version the page shows.
	watch, version string
	// endpointFor, when set, says where an interactive session's data exchanges go for a phone_number:
	// nil means the person answers them on the page.
	endpointFor func(ctx context.Context, phone string) (*previewEndpoint, error)
}

// url is the page's address with the extra parameters (name, value pairs).
func (t previewTarget) url(kv ...string) string {
	q := url.Values{}
	for k, v := range t.query {
		q[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	if len(q) == 0 {
		return t.path
	}
	return t.path + "?" + q.Encode()
}

// previewer serves preview pages over a table of sessions.
type previewer struct {
	sessions *previewSessions
	now      func() time.Time
	log      *slog.Logger
}

func newPreviewer(now func() time.Time, log *slog.Logger) *previewer {
	return &previewer{sessions: newPreviewSessions(now), now: now, log: log}
}

// serve answers one request for the page t.
func (p *previewer) serve(w http.ResponseWriter, r *http.Request, t previewTarget) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors *; base-uri 'none'")
	q := r.URL.Query()
	if sid := q.Get("session"); sid != "" {
		ss := p.sessions.get(sid)
		if ss == nil || ss.flowKey != t.flow.key {
			p.errorPage(w, r, t, http.StatusGone, "This preview session has ended",
				fmt.Sprintf("Sessions are dropped after %s unused, or when %d newer ones are open. Start the flow again.", previewIdle, maxPreviewSessions), true)
			return
		}
		ss.mu.Lock()
		defer ss.mu.Unlock()
		ss.resolveWith(t)
		if ss.hash != t.flow.hash && ss.pending == nil {
			// The flow changed (saved again, or a new upload): start again on its current JSON.
			if fresh := p.restart(w, r, t, ss, "The flow changed, so the preview started again."); fresh == nil {
				return
			}
			http.Redirect(w, r, t.url("session", ss.id), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			p.post(w, r, t, ss)
			return
		}
		p.writeSession(w, r, t, ss, http.StatusOK)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		p.errorPage(w, r, t, http.StatusMethodNotAllowed, "Nothing to send here", "Open the preview first; its forms post to its session.", false)
		return
	}
	params, err := parsePageParams(q)
	if err != nil {
		p.errorPage(w, r, t, http.StatusBadRequest, "This preview address has a bad parameter", err.Error(), false)
		return
	}
	if !params.interactive {
		p.static(w, r, t, params)
		return
	}
	ss := p.newSession(t, params)
	if t.endpointFor != nil {
		ep, err := t.endpointFor(r.Context(), params.phone)
		if err != nil {
			ss.stop()
			p.errorPage(w, r, t, http.StatusBadRequest, "This preview cannot call the flow's endpoint", err.Error(), false)
			return
		}
		ss.endpoint = ep
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.resolveWith(t)
	p.start(ss, t)
	var invalid *player.InvalidFlowError
	if errors.As(ss.startErr, &invalid) {
		ss.stop()
		p.invalidPage(w, r, t, invalid)
		return
	}
	p.sessions.add(ss)
	http.Redirect(w, r, t.url("session", ss.id), http.StatusSeeOther)
}

func (p *previewer) newSession(t previewTarget, params pageParams) *previewSession {
	ctx, cancel := context.WithCancel(context.Background())
	return &previewSession{
		id: newSessionID(), flowKey: t.flow.key, hash: t.flow.hash, params: params, ctx: ctx, cancel: cancel,
		asks: make(chan *exchangeAsk), fieldErrors: map[string]string{}, partial: map[string]map[string]string{},
		flowSize: len(t.flow.json), flowJSON: t.flow.json,
	}
}

// start opens the flow in ss as its parameters say. ss.mu must be held.
func (p *previewer) start(ss *previewSession, t previewTarget) {
	exchange := ss.exchange
	if ss.endpoint != nil {
		exchange = ss.callEndpoint
	}
	opts := []player.Option{player.WithFlowAction(ss.params.flowAction), player.WithDataExchange(exchange)}
	if ss.params.flowToken != "" {
		opts = append(opts, player.WithFlowToken(ss.params.flowToken))
	}
	if ss.params.screen != "" && ss.params.flowAction == player.FlowActionNavigate {
		opts = append(opts, player.WithScreen(ss.params.screen))
	}
	if ss.params.data != nil {
		opts = append(opts, player.WithData(ss.params.data))
	}
	data := t.flow.json
	ctx := ss.ctx
	finished, err := ss.run(func() error {
		ps, err := player.Start(ctx, data, opts...)
		ss.ps = ps
		return err
	})
	if finished {
		ss.startErr = err
	}
}

// restart replaces ss's engine with a new run of t's flow, keeping the session's address.
func (p *previewer) restart(w http.ResponseWriter, r *http.Request, t previewTarget, ss *previewSession, why string) *previewSession {
	old := ss.cost()
	if ss.pending != nil || ss.done != nil {
		ss.cancel()
		if ss.done != nil {
			for {
				finished, _ := ss.answer(exchangeReply{err: errSessionEnded})
				if finished {
					break
				}
			}
		}
	}
	ss.ctx, ss.cancel = context.WithCancel(context.Background())
	ss.ps, ss.startErr, ss.pending, ss.done = nil, nil, nil, nil
	ss.hash, ss.flowSize, ss.flowJSON, ss.fileBytes = t.flow.hash, len(t.flow.json), t.flow.json, 0
	clear(ss.fieldErrors)
	clear(ss.partial)
	p.start(ss, t)
	var invalid *player.InvalidFlowError
	if errors.As(ss.startErr, &invalid) {
		p.sessions.remove(ss)
		p.invalidPage(w, r, t, invalid)
		return nil
	}
	ss.banner = why
	p.sessions.resize(ss, old)
	return ss
}

// static renders the first screen without a session: Meta's preview when interactive is false.
func (p *previewer) static(w http.ResponseWriter, r *http.Request, t previewTarget, params pageParams) {
	opts := []player.Option{}
	if params.screen != "" {
		opts = append(opts, player.WithScreen(params.screen))
	}
	if params.data != nil {
		opts = append(opts, player.WithData(params.data))
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	ps, err := player.Start(ctx, t.flow.json, opts...)
	var invalid *player.InvalidFlowError
	switch {
	case errors.As(err, &invalid):
		p.invalidPage(w, r, t, invalid)
		return
	case err != nil:
		p.errorPage(w, r, t, http.StatusBadRequest, "The flow cannot open", playerMessage(err), false)
		return
	}
	var b htmlBuf
	pg := page{t: t, static: true}
	pg.screen(&b, ps, nil)
	p.writePage(w, http.StatusOK, t.flow.name, b.String(), t)
}

// post applies one submitted form to ss. ss.mu is held.
func (p *previewer) post(w http.ResponseWriter, r *http.Request, t previewTarget, ss *previewSession) {
	live := r.Header.Get("X-Preview-Live") == "1"
	form, files, err := readPreviewForm(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		status, msg := http.StatusBadRequest, "The form could not be read: "+clipText(err.Error(), 200)
		if errors.As(err, &tooBig) {
			status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("The form is larger than the preview takes (%d MiB with files, %d KiB without).", maxPreviewUpload>>20, maxFormBody>>10)
		}
		if live {
			http.Error(w, msg, status)
			return
		}
		p.errorPage(w, r, t, status, "The form was not accepted", msg, false)
		return
	}
	op := form.Get("_op")
	old := ss.cost()
	var finished bool
	var opErr error
	switch {
	case op == "restart":
		if p.restart(w, r, t, ss, "") == nil {
			return
		}
		finished = true
	case ss.pending != nil:
		if op != "answer" {
			ss.banner = "The flow is waiting for its data endpoint: answer the request first (or start again)."
			break
		}
		resp, problem := answerFromForm(form)
		if problem != "" {
			ss.banner = problem
			break
		}
		finished, opErr = ss.answer(exchangeReply{resp: resp})
	case ss.ps == nil:
		ss.banner = "The flow did not open; start it again."
	default:
		ps := ss.ps
		finished, opErr = ss.run(func() error {
			if err := p.applyInputs(ss, ps, form, files); err != nil {
				return err
			}
			switch {
			case form.Has("_press"):
				return ps.Press(form.Get("_press"))
			case op == "back":
				return ps.Back()
			case form.Has("_clear"):
				return ps.Fill(form.Get("_clear"), nil)
			}
			return nil
		})
	}
	if finished && ss.ps == nil && ss.startErr == nil {
		ss.startErr = opErr // the answer to INIT was refused
	}
	if opErr != nil {
		var inputErr *player.InputError
		if !errors.As(opErr, &inputErr) && !errors.Is(opErr, errSessionEnded) {
			ss.banner = playerMessage(opErr)
		}
	}
	p.sessions.resize(ss, old)
	if live {
		p.writeSession(w, r, t, ss, http.StatusOK)
		return
	}
	http.Redirect(w, r, t.url("session", ss.id), http.StatusSeeOther)
}

// readPreviewForm reads a posted form, bounded in size; files are read whole (the preview keeps them).
func readPreviewForm(w http.ResponseWriter, r *http.Request) (url.Values, map[string][]player.File, error) {
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "multipart/form-data") {
		r.Body = http.MaxBytesReader(w, r.Body, maxPreviewUpload)
		if err := r.ParseMultipartForm(maxPreviewUpload); err != nil {
			return nil, nil, err
		}
		defer r.MultipartForm.RemoveAll()
		files := map[string][]player.File{}
		for name, hs := range r.MultipartForm.File {
			for _, h := range hs {
				f, err := readPreviewFile(h)
				if err != nil {
					return nil, nil, err
				}
				if f.Name == "" && len(f.Data) == 0 {
					continue // an empty file input
				}
				files[name] = append(files[name], f)
			}
		}
		return url.Values(r.MultipartForm.Value), files, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return nil, nil, err
	}
	return r.PostForm, nil, nil
}

func readPreviewFile(h *multipart.FileHeader) (player.File, error) {
	rd, err := h.Open()
	if err != nil {
		return player.File{}, err
	}
	defer rd.Close()
	data, err := io.ReadAll(io.LimitReader(rd, maxPreviewUpload))
	if err != nil {
		return player.File{}, err
	}
	mime := h.Header.Get("Content-Type")
	if mime == "" || mime == "application/octet-stream" {
		mime = http.DetectContentType(data)
		if i := strings.IndexByte(mime, ';'); i >= 0 {
			mime = mime[:i]
		}
	}
	return player.File{Name: clipText(h.Filename, 255), MIMEType: mime, Data: data}, nil
}

// answerFromForm is the endpoint reply a person typed: a screen and its data as a JSON object; or what
// is wrong with it, for the page.
func answerFromForm(form url.Values) (*endpoint.Response, string) {
	screen := strings.TrimSpace(form.Get("_screen"))
	if screen == "" {
		return nil, "Choose the screen the endpoint answers with."
	}
	raw := strings.TrimSpace(form.Get("_data"))
	if len(raw) > maxAnswerData {
		return nil, fmt.Sprintf("The answer's data is %d KiB: the preview takes at most %d KiB.", len(raw)>>10, maxAnswerData>>10)
	}
	data := map[string]any{}
	if raw != "" {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&data); err != nil || dec.More() {
			msg := "it has text after the object"
			if err != nil {
				msg = err.Error()
			}
			return nil, fmt.Sprintf("The answer's data must be a JSON object: %s.", clipText(msg, 200))
		}
		jsonNumbers(data)
	}
	return &endpoint.Response{Screen: screen, Data: data}, ""
}

// applyInputs gives the engine the values of the current screen's inputs as the form carries them.
// Only inputs the page showed (their marker p.NAME is in the form) and whose value changed are filled,
// in screen order; a value the engine refuses is kept as a message under the input.
func (p *previewer) applyInputs(ss *previewSession, ps *player.Session, form url.Values, files map[string][]player.File) error {
	for _, c := range ps.Screen().Components {
		if c.Name == "" || !form.Has("p."+c.Name) || !c.Enabled {
			continue
		}
		if !stillShown(ps, c.Name) {
			continue // an earlier value hid it
		}
		key := "f." + c.Name
		var value any
		switch c.Type {
		case "TextInput", "TextArea":
			s := form.Get(key)
			if len(s) > 1<<16 {
				ss.fieldErrors[c.Name] = fmt.Sprintf("The text is %d KiB: the preview takes at most 64 KiB.", len(s)>>10)
				continue
			}
			if s != "" {
				value = s
			}
		case "RadioButtonsGroup", "Dropdown", "DatePicker":
			if s := form.Get(key); s != "" {
				value = s
			}
		case "CalendarPicker":
			if c.Props["mode"] == "range" {
				start, end := form.Get(key+".start-date"), form.Get(key+".end-date")
				delete(ss.partial, c.Name)
				switch {
				case start != "" && end != "":
					value = map[string]any{"start-date": start, "end-date": end}
				case start != "" || end != "":
					ss.partial[c.Name] = map[string]string{"start-date": start, "end-date": end}
				}
			} else if s := form.Get(key); s != "" {
				value = s
			}
		case "CheckboxGroup", "ChipsSelector":
			ids := form[key]
			if len(ids) > 100 {
				ss.fieldErrors[c.Name] = "Too many options were sent."
				continue
			}
			if len(ids) > 0 {
				list := make([]any, len(ids))
				for i, id := range ids {
					list[i] = id
				}
				value = list
			}
		case "OptIn":
			value = form.Get(key) == "on"
		case "PhotoPicker", "DocumentPicker":
			fs, ok := files[key]
			if !ok {
				continue // no new files: keep what was given
			}
			size := 0
			for _, f := range fs {
				size += len(f.Data)
			}
			if ss.fileBytes+size > maxSessionFiles {
				ss.fieldErrors[c.Name] = fmt.Sprintf("The preview keeps at most %d MiB of files per session.", maxSessionFiles>>20)
				continue
			}
			if err := ps.Fill(c.Name, fs); err != nil {
				if errors.Is(err, errSessionEnded) {
					return err
				}
				ss.fieldErrors[c.Name] = fillMessage(err)
				continue
			}
			ss.fileBytes += size
			delete(ss.fieldErrors, c.Name)
			continue
		default:
			continue
		}
		if sameValue(c.Value, value) {
			continue
		}
		if err := ps.Fill(c.Name, value); err != nil {
			if errors.Is(err, errSessionEnded) {
				return err
			}
			var rt *player.RuntimeError
			if errors.As(err, &rt) {
				return err
			}
			if strings.Contains(err.Error(), "player: input ") {
				ss.fieldErrors[c.Name] = fillMessage(err)
				continue
			}
			return err
		}
		delete(ss.fieldErrors, c.Name)
	}
	return nil
}

func stillShown(ps *player.Session, name string) bool {
	for _, c := range ps.Screen().Components {
		if c.Name == name {
			return true
		}
	}
	return false
}

// sameValue compares an input's value with the one a form carries.
func sameValue(cur, next any) bool {
	if cur == nil || next == nil {
		return cur == nil && next == nil
	}
	a, _ := json.Marshal(cur)
	b, _ := json.Marshal(next)
	return bytes.Equal(a, b)
}

// fillMessage is a refused value's message as the page shows it under the input.
func fillMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "player: input ") && i >= 0 {
		if j := strings.Index(msg[i+2:], ": "); j >= 0 {
			msg = msg[i+2+j+2:]
		}
	}
	return msg
}

// playerMessage is an engine error as a person reads it.
func playerMessage(err error) string {
	var rt *player.RuntimeError
	if errors.As(err, &rt) {
		return "The client refused the endpoint's answer (" + rt.Code + "): " + rt.Message
	}
	return strings.TrimPrefix(err.Error(), "player: ")
}

// writeSession renders ss: the screen, the endpoint request waiting for an answer, or the completion.
func (p *previewer) writeSession(w http.ResponseWriter, r *http.Request, t previewTarget, ss *previewSession, status int) {
	var b htmlBuf
	pg := page{t: t, ss: ss}
	pg.session(&b)
	ss.banner = ""
	if r.Header.Get("X-Preview-Live") == "1" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, b.String())
		return
	}
	p.writePage(w, status, t.flow.name, b.String(), t)
}

// invalidPage shows the flow's validation errors instead of a broken render.
func (p *previewer) invalidPage(w http.ResponseWriter, r *http.Request, t previewTarget, invalid *player.InvalidFlowError) {
	var b htmlBuf
	pg := page{t: t}
	pg.invalid(&b, invalid.Errors)
	p.writePage(w, http.StatusOK, t.flow.name, b.String(), t)
}

// errorPage answers with a page that says what went wrong; restart offers to start the flow again.
func (p *previewer) errorPage(w http.ResponseWriter, r *http.Request, t previewTarget, status int, title, msg string, restart bool) {
	var b htmlBuf
	pg := page{t: t}
	pg.problem(&b, title, msg, restart)
	p.writePage(w, status, title, b.String(), t)
}

func (p *previewer) writePage(w http.ResponseWriter, status int, title, body string, t previewTarget) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, documentHTML(title, body, t.watch, t.version))
}

// servePreviewAsset serves the page's stylesheet and script.
func servePreviewAsset(w http.ResponseWriter, r *http.Request) bool {
	var body, ctype string
	switch {
	case strings.HasSuffix(r.URL.Path, previewCSSPath):
		body, ctype = previewCSS, "text/css; charset=utf-8"
	case strings.HasSuffix(r.URL.Path, previewJSPath):
		body, ctype = previewJS, "text/javascript; charset=utf-8"
	default:
		return false
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	io.WriteString(w, body)
	return true
}

// previewPage serves a flow's preview page at its preview URL: the token in the URL is the only
// credential (as on Meta), compared in constant time, and it stops working when it expires or is
// replaced. Unknown flows, wrong tokens and expired links get the same answer.
func (s *Server) previewPage(c echo.Context) error {
	w, r := c.Response(), c.Request()
	id := c.Param("id")
	token := r.URL.Query().Get("token")
	t := previewTarget{path: strings.Replace(previewPath, ":id", url.PathEscape(id), 1), query: url.Values{"token": {token}}}
	bad := func() error {
		s.preview.errorPage(w, r, previewTarget{path: t.path}, http.StatusNotFound, "This preview link does not work",
			"It is unknown, has expired (links last 30 days), or was replaced by a newer one (preview.invalidate(true)). Ask for the flow's preview again: GET /{flow-id}?fields=preview.", false)
		return nil
	}
	if token == "" || len(token) > 200 {
		return bad()
	}
	f, err := s.store.Flow(r.Context(), id)
	if err != nil {
		if api.ErrorCodeOf(err) == api.ENOTFOUND {
			return bad()
		}
		return err
	}
	if !f.Preview.Valid(s.now()) || subtle.ConstantTimeCompare([]byte(f.Preview.Token), []byte(token)) != 1 {
		return bad()
	}
	content, err := s.store.Asset(r.Context(), id)
	if api.ErrorCodeOf(err) == api.ENOTFOUND {
		s.preview.errorPage(w, r, t, http.StatusOK, "This flow has no Flow JSON yet", "Upload one (POST /{flow-id}/assets) and reload this page.", false)
		return nil
	}
	if err != nil {
		return err
	}
	t.flow = newPreviewFlow(id, f.Name, content)
	t.endpointFor = s.previewEndpointFor(f)
	s.preview.serve(w, r, t)
	return nil
}

// previewAsset serves the preview page's stylesheet and script.
func (s *Server) previewAsset(c echo.Context) error {
	if !servePreviewAsset(c.Response(), c.Request()) {
		return echo.ErrNotFound
	}
	return nil
}

// newPreviewToken is a preview link's secret: 256 random bits.
func newPreviewToken() string {
	return randomHex(32)
}

// previewExpiry formats a preview link's expiry in RFC 3339, as the spec's date-time says
// ("2023-05-21T11:18:09+00:00"); Graph itself writes "+0000", which the client also reads.
func previewExpiry(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-07:00") }
