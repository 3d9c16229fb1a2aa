package server_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/api"
)

// previewFlow reads one of the preview test flows.
func previewFlow(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/preview/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// pageReply is a preview page as the browser gets it, after redirects.
type pageReply struct {
	Status int
	URL    string
	Body   string
}

func getPage(tb testing.TB, u string) pageReply {
	tb.Helper()
	res, err := http.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	return readPage(tb, res)
}

func readPage(tb testing.TB, res *http.Response) pageReply {
	tb.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return pageReply{Status: res.StatusCode, URL: res.Request.URL.String(), Body: string(b)}
}

// post submits the screen's form as a browser without script would: the page's field markers, the
// given values, and the button pressed.
func postForm(tb testing.TB, action string, form url.Values) pageReply {
	tb.Helper()
	res, err := http.PostForm(action, form)
	if err != nil {
		tb.Fatal(err)
	}
	return readPage(tb, res)
}

var (
	h1Re     = regexp.MustCompile(`<h1>([^<]*)</h1>`)
	actionRe = regexp.MustCompile(`<form id="screen-form" method="post" enctype="multipart/form-data" novalidate action="([^"]*)"`)
	answerRe = regexp.MustCompile(`<form method="post" class="answer" novalidate action="([^"]*)"`)
	preRe    = regexp.MustCompile(`(?s)<pre class="payload" aria-label="([^"]*)" tabindex="0">(.*?)</pre>`)
)

func (p pageReply) title(tb testing.TB) string {
	tb.Helper()
	m := h1Re.FindStringSubmatch(p.Body)
	if m == nil {
		tb.Fatalf("no heading on the page (%d %s):\n%s", p.Status, p.URL, p.Body)
	}
	return html.UnescapeString(m[1])
}

// action is the address the page's form posts to.
func (p pageReply) action(tb testing.TB, re *regexp.Regexp) string {
	tb.Helper()
	m := re.FindStringSubmatch(p.Body)
	if m == nil {
		tb.Fatalf("no form on the page:\n%s", p.Body)
	}
	u, _ := url.Parse(p.URL)
	ref, _ := url.Parse(html.UnescapeString(m[1]))
	return u.ResolveReference(ref).String()
}

// pre is the JSON shown in the <pre> labelled label.
func (p pageReply) pre(tb testing.TB, label string) map[string]any {
	tb.Helper()
	for _, m := range preRe.FindAllStringSubmatch(p.Body, -1) {
		if m[1] == label {
			var v map[string]any
			if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &v); err != nil {
				tb.Fatalf("%s is not JSON: %v\n%s", label, err, m[2])
			}
			return v
		}
	}
	tb.Fatalf("no %q on the page:\n%s", label, p.Body)
	return nil
}

func (p pageReply) has(tb testing.TB, parts ...string) {
	tb.Helper()
	for _, s := range parts {
		if !strings.Contains(p.Body, s) {
			tb.Fatalf("the page (%d %s) lacks %q:\n%s", p.Status, p.URL, s, p.Body)
		}
	}
}

func (p pageReply) lacks(tb testing.TB, parts ...string) {
	tb.Helper()
	for _, s := range parts {
		if strings.Contains(p.Body, s) {
			tb.Fatalf("the page has %q:\n%s", s, p.Body)
		}
	}
}

// previewURL asks the server for the flow's preview link with fields.
func (e *env) previewURL(token, id, fields string) (string, time.Time) {
	e.tb.Helper()
	r := e.get("/"+id+"?fields="+url.QueryEscape(fields), token)
	if r.Status != 200 {
		e.tb.Fatalf("GET fields=%s: %d %s", fields, r.Status, r.Body)
	}
	var v struct {
		Preview struct {
			URL     string `json:"preview_url"`
			Expires string `json:"expires_at"`
		} `json:"preview"`
		ID string `json:"id"`
	}
	if err := json.Unmarshal(r.Body, &v); err != nil || v.ID != id || v.Preview.URL == "" {
		e.tb.Fatalf("preview reply: %v %s", err, r.Body)
	}
	exp, err := time.Parse(time.RFC3339, v.Preview.Expires)
	if err != nil {
		e.tb.Fatalf("expires_at %q: %v", v.Preview.Expires, err)
	}
	return v.Preview.URL, exp
}

// TestPreviewLink: GET ?fields=preview gives a link that needs no token, stays the same until it expires
// or is invalidated, and stops working then; only the flow's account gets it; the page shows the current
// JSON, or its validation errors.
func TestPreviewLink(t *testing.T) { eachBackend(t, testPreviewLink) }

func testPreviewLink(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	id := e.createFlow(tokenA, waba1, "Preview")
	e.upload(tokenA, id, previewFlow(t, "signup.json"))

	url1, exp := e.previewURL(tokenA, id, "preview")
	if want := e.Clock.Now().Add(api.PreviewLifetime); exp.Before(want.Add(-2*time.Second)) || exp.After(want.Add(time.Second)) {
		t.Fatalf("expires_at = %v, want 30 days from now (%v)", exp, want)
	}
	if !strings.HasPrefix(url1, e.Root+"/wa/manage/flows/"+id+"/preview/?token=") {
		t.Fatalf("preview_url = %s", url1)
	}
	if again, _ := e.previewURL(tokenA, id, "preview.invalidate(false)"); again != url1 {
		t.Fatalf("invalidate(false) changed the link: %s, then %s", url1, again)
	}
	if again, _ := e.previewURL(tokenAll, id, "name,preview"); again != url1 {
		t.Fatalf("a second read changed the link: %s, then %s", url1, again)
	}
	// Static by default: the first screen, inert.
	p := getPage(t, url1)
	if p.Status != 200 || p.title(t) != "Sign up" {
		t.Fatalf("preview page: %d %q", p.Status, p.Body)
	}
	p.has(t, "A static preview of the first screen", `<fieldset class="static" disabled>`, `<label for="in-full_name">Full name</label>`)

	// Another account's token cannot reach the flow, so not its link either.
	graphError(t, e.get("/"+id+"?fields=preview", tokenB), 400, 100)

	url2, _ := e.previewURL(tokenA, id, "preview.invalidate(true)")
	if url2 == url1 {
		t.Fatal("invalidate(true) kept the link")
	}
	if p := getPage(t, url1); p.Status != 404 || !strings.Contains(p.Body, "does not work") {
		t.Fatalf("the replaced link: %d %s", p.Status, p.Body)
	}
	tampered := url2[:len(url2)-4] + "0000"
	if tampered == url2 {
		tampered = url2[:len(url2)-4] + "1111"
	}
	for _, u := range []string{tampered, strings.Split(url2, "?")[0], strings.Replace(url2, id, "123456789012345", 1)} {
		if p := getPage(t, u); p.Status != 404 {
			t.Fatalf("%s: %d, want 404", u, p.Status)
		}
	}
	// The page follows the flow's current JSON.
	e.upload(tokenA, id, previewFlow(t, "branches.json"))
	if p := getPage(t, url2); p.title(t) != "How did you hear about us?" {
		t.Fatalf("after a new upload: %s", p.Body)
	}
	// A flow whose JSON has errors shows them, with their code and line.
	e.upload(tokenA, id, []byte("{\n  \"version\": \"7.3\",\n  \"screens\": []\n}"))
	p = getPage(t, url2)
	if p.Status != 200 || p.title(t) != "The flow has validation errors" {
		t.Fatalf("invalid flow: %d %s", p.Status, p.Body)
	}
	p.has(t, `<span class="where">line `)

	// Expired after 30 days; asking again gives a new one.
	e.Clock.Add(api.PreviewLifetime + time.Second)
	if p := getPage(t, url2); p.Status != 404 {
		t.Fatalf("expired link: %d", p.Status)
	}
	if url3, _ := e.previewURL(tokenA, id, "preview"); url3 == url2 {
		t.Fatal("an expired link was given again")
	}

	// A flow without JSON says so.
	bare := e.createFlow(tokenA, waba1, "Bare")
	u, _ := e.previewURL(tokenA, bare, "preview")
	if p := getPage(t, u); !strings.Contains(p.Body, "no Flow JSON yet") {
		t.Fatalf("flow without JSON: %s", p.Body)
	}
	// The list edge does not make links.
	wantMessage(t, graphError(t, e.get("/"+waba1+"/flows?fields=preview", tokenA), 400, 100), "one flow at a time")
}

// interactive opens a flow's preview interactively, with extra parameters.
func (e *env) interactive(t *testing.T, file string, params url.Values) pageReply {
	t.Helper()
	id := e.createFlow(tokenA, waba1, "Walk "+file+params.Encode())
	e.upload(tokenA, id, previewFlow(t, file))
	u, _ := e.previewURL(tokenA, id, "preview")
	q := url.Values{"interactive": {"true"}}
	for k, v := range params {
		q[k] = v
	}
	return getPage(t, u+"&"+q.Encode())
}

// TestPreviewWalk walks a flow through the page's forms, as a browser without script does: the
// disabled Footer, navigation with the payload, back with inputs kept, completion with the flow token,
// the actions panel.
func TestPreviewWalk(t *testing.T) {
	e := MustOpenServer(t)
	p := e.interactive(t, "signup.json", url.Values{"flow_token": {"T-42"}, "debug": {"true"}})
	if p.title(t) != "Sign up" || !strings.Contains(p.URL, "session=") {
		t.Fatalf("interactive preview: %s %s", p.URL, p.Body)
	}
	p.has(t, `<button type="submit" class="cta" name="_press" value="Continue" disabled`, `<span class="optional" aria-hidden="true"> (optional)</span>`, `<h2 id="actions-h">Actions</h2>`)
	action := p.action(t, actionRe)
	form := url.Values{}
	for _, name := range []string{"full_name", "email", "city", "plan", "topics", "birthday", "note", "terms"} {
		form.Set("p."+name, "1")
	}
	form.Set("f.full_name", "Ada Lovelace")
	form.Set("f.city", "lis")
	form.Set("f.plan", "pro")
	form.Add("f.topics", "news")
	form.Add("f.topics", "events")
	form.Set("f.birthday", "1990-12-10")
	form.Set("f.terms", "on")
	// Filling without pressing: the Footer is enabled now.
	p = postForm(t, action, form)
	p.has(t, `value="Continue">Continue</button>`)
	p.lacks(t, `value="Continue" disabled`)
	form.Set("_press", "Continue")
	p = postForm(t, action, form)
	if p.title(t) != "Confirm" {
		t.Fatalf("after Continue: %s", p.Body)
	}
	p.has(t, "Hello, Ada Lovelace", "You chose <strong>pro</strong>", "navigate on DETAILS → CONFIRM")
	p = postForm(t, action, url.Values{"_op": {"back"}})
	if p.title(t) != "Sign up" {
		t.Fatalf("after Back: %s", p.Body)
	}
	p.has(t, `value="Ada Lovelace"`, `value="events" checked`)
	form.Set("f.full_name", "Ada King")
	p = postForm(t, action, form)
	p = postForm(t, action, url.Values{"_press": {"Sign up"}})
	if p.title(t) != "Flow completed" {
		t.Fatalf("after Sign up: %s", p.Body)
	}
	got := p.pre(t, "Completion payload")
	want := map[string]any{"full_name": "Ada King", "city": "lis", "plan": "pro", "topics": []any{"news", "events"}, "terms": true, "birthday": "1990-12-10", "flow_token": "T-42"}
	if a, b := mustJSON(got), mustJSON(want); a != b {
		t.Fatalf("completion payload:\n got %s\nwant %s", a, b)
	}
	p.has(t, "The person's summary", "complete on CONFIRM")
	// Pressing on a completed flow says so, and the payload stays.
	p = postForm(t, action, url.Values{"_press": {"Sign up"}})
	p.has(t, "the flow has completed")
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestPreviewAnswersEndpoint: without an endpoint, each request waits for the person's answer: a screen
// the routing model allows, with data prefilled from __example__; a refused answer is shown with Meta's
// error name and the request stays open; a malformed one is refused.
func TestPreviewAnswersEndpoint(t *testing.T) {
	e := MustOpenServer(t)
	p := e.interactive(t, "endpoint.json", url.Values{"flow_action": {"data_exchange"}, "flow_token": {"tok"}})
	if p.title(t) != "Data endpoint request" {
		t.Fatalf("INIT: %s", p.Body)
	}
	if req := p.pre(t, "Endpoint request"); req["action"] != "INIT" || req["flow_token"] != "tok" || req["version"] != "3.0" {
		t.Fatalf("INIT request: %v", req)
	}
	answer := p.action(t, answerRe)
	p = postForm(t, answer, url.Values{"_op": {"answer"}, "_screen": {"START"}, "_data": {`{"greeting": "Hi there"}`}})
	if p.title(t) != "Book a visit" {
		t.Fatalf("after answering INIT: %s", p.Body)
	}
	p.has(t, "Hi there")
	action := p.action(t, actionRe)
	p = postForm(t, action, url.Values{"p.name": {"1"}, "f.name": {"Grace"}, "_press": {"See times"}})
	if p.title(t) != "Data endpoint request" {
		t.Fatalf("after See times: %s", p.Body)
	}
	if req := p.pre(t, "Endpoint request"); req["action"] != "data_exchange" || req["screen"] != "START" || mustJSON(req["data"]) != `{"name":"Grace"}` {
		t.Fatalf("data_exchange request: %v", req)
	}
	// The routing model's next screen comes first, with its example data.
	if i, j := strings.Index(p.Body, `<option value="SLOTS">`), strings.Index(p.Body, `<option value="START">`); i < 0 || j < 0 || i > j {
		t.Fatalf("answer choices:\n%s", p.Body)
	}
	p.has(t, "&#34;id&#34;: &#34;9&#34;")
	p.lacks(t, `<option value="DONE">`)
	// Malformed data: said, and the request still waits.
	p = postForm(t, answer, url.Values{"_op": {"answer"}, "_screen": {"SLOTS"}, "_data": {`{"times": [`}})
	if p.title(t) != "Data endpoint request" || !strings.Contains(p.Body, "must be a JSON object") {
		t.Fatalf("malformed answer: %s", p.Body)
	}
	// A screen the routing model does not allow: the client's error, and back to the screen.
	p = postForm(t, answer, url.Values{"_op": {"answer"}, "_screen": {"DONE"}, "_data": {`{"summary": "x"}`}})
	p.has(t, "invalid-screen-transition")
	if p.title(t) != "Book a visit" {
		t.Fatalf("after a refused answer: %s", p.Body)
	}
	p = postForm(t, action, url.Values{"_press": {"See times"}})
	p = postForm(t, answer, url.Values{"_op": {"answer"}, "_screen": {"SLOTS"}, "_data": {`{"times": [{"id": "9", "title": "9:00"}]}`}})
	if p.title(t) != "Pick a time" {
		t.Fatalf("after answering SLOTS: %s", p.Body)
	}
	p.has(t, `<label for="in-time-0">9:00</label>`)
	p = postForm(t, action, url.Values{"p.time": {"1"}, "f.time": {"9"}, "_press": {"Book"}})
	p = postForm(t, answer, url.Values{"_op": {"answer"}, "_screen": {"SUCCESS"}, "_data": {`{"extension_message_response": {"params": {"flow_token": "tok", "slot": "9"}}}`}})
	if got := p.pre(t, "Completion payload"); got["slot"] != "9" || got["flow_token"] != "tok" {
		t.Fatalf("completion through SUCCESS: %v", got)
	}
}

// TestPreviewBadInput: bad parameters, unknown sessions, oversized forms and odd uploads get a page or
// a message that says what was wrong, never a 500.
func TestPreviewBadInput(t *testing.T) {
	e := MustOpenServer(t)
	id := e.createFlow(tokenA, waba1, "Bad")
	e.upload(tokenA, id, []byte(photoFlow))
	u, _ := e.previewURL(tokenA, id, "preview")
	for q, want := range map[string]string{
		"interactive=true&flow_action_payload=" + url.QueryEscape(`{"screen":`):                "flow_action_payload is not a JSON object",
		"interactive=true&flow_action=dance":                                                   "flow_action is &#34;dance&#34;",
		"interactive=maybe":                                                                    "interactive is &#34;maybe&#34;",
		"interactive=true&flow_action_payload=" + url.QueryEscape(strings.Repeat("x", 70<<10)): "flow_action_payload is 71680 bytes long",
	} {
		p := getPage(t, u+"&"+q)
		if p.Status != 400 || !strings.Contains(p.Body, want) {
			t.Fatalf("%.80s: %d, want 400 with %q:\n%s", q, p.Status, want, p.Body)
		}
	}
	if p := getPage(t, u+"&interactive=true&flow_action_payload="+url.QueryEscape(`{"screen":"NOPE"}`)); !strings.Contains(p.Body, `the flow has no screen &#34;NOPE&#34;`) {
		t.Fatalf("unknown screen: %d %s", p.Status, p.Body)
	}
	if p := getPage(t, u+"&session=nope"); p.Status != 410 || !strings.Contains(p.Body, "session has ended") {
		t.Fatalf("unknown session: %d %s", p.Status, p.Body)
	}
	p := getPage(t, u+"&interactive=true")
	action := p.action(t, actionRe)
	if big := postForm(t, action, url.Values{"f.x": {strings.Repeat("x", 2<<20)}}); big.Status != 413 || !strings.Contains(big.Body, "larger than the preview takes") {
		t.Fatalf("oversized form: %d %s", big.Status, big.Body)
	}
	// A text file given to a PhotoPicker: the message under the input.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("p.photo", "1")
	fw, _ := mw.CreateFormFile("f.photo", "notes.txt")
	fw.Write([]byte("just text"))
	mw.Close()
	res, err := http.Post(action, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	p = readPage(t, res)
	p.has(t, "notes.txt: type &#34;text/plain&#34; is not accepted")
	// One photo at most, and at least one: no "multiple", no "(optional)".
	p.lacks(t, "multiple", "(optional)")
	// A real photo is taken, and the page lists it.
	body.Reset()
	mw = multipart.NewWriter(&body)
	mw.WriteField("p.photo", "1")
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="f.photo"; filename="cat.png"`}
	h["Content-Type"] = []string{"image/png"}
	fw, _ = mw.CreatePart(h)
	fw.Write([]byte("\x89PNG\r\n\x1a\nfake"))
	mw.WriteField("_press", "Send")
	mw.Close()
	res, err = http.Post(action, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	p = readPage(t, res)
	got := p.pre(t, "Completion payload")
	photos, _ := got["photo"].([]any)
	if len(photos) != 1 || photos[0].(map[string]any)["file_name"] != "cat.png" || photos[0].(map[string]any)["mime_type"] != "image/png" {
		t.Fatalf("photo in the completion: %v", got)
	}
}

const photoFlow = `{
  "version": "7.3",
  "screens": [{
    "id": "PHOTO", "title": "A photo", "terminal": true, "data": {},
    "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "PhotoPicker", "name": "photo", "label": "Your photo", "min-uploaded-photos": 1, "max-uploaded-photos": 1},
      {"type": "Footer", "label": "Send", "on-click-action": {"name": "complete", "payload": {"photo": "${form.photo}"}}}
    ]}
  }]
}`
