package server_test

// The preview pages in a real browser: Debian's Chromium, driven over the DevTools protocol, finding
// everything by role and accessible name (../shared/PREVIEW_ACCESSIBILITY.md), never by CSS. Screenshots
// of each step go to $WAFLOWS_ARTIFACTS/preview (default: the system's temporary directory).

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/server"
)

// chromiumPath finds Debian's Chromium; without it the browser tests skip, except under CI.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("WAFLOWS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is missing (apt-get install -y chromium); under CI the browser tests must run")
	}
	t.Skip("chromium is missing (apt-get install -y chromium, or set WAFLOWS_CHROMIUM): browser tests skipped")
	return ""
}

// axNode is a node of Chromium's accessibility tree, decoded here rather than by cdproto (whose enums
// lag behind Chromium's).
type axNode struct {
	Ignored          bool              `json:"ignored"`
	Role             *axValue          `json:"role"`
	Name             *axValue          `json:"name"`
	Properties       []axProperty      `json:"properties"`
	BackendDOMNodeID cdp.BackendNodeID `json:"backendDOMNodeId"`
}

type axValue struct {
	Value json.RawMessage `json:"value"`
}

type axProperty struct {
	Name  string   `json:"name"`
	Value *axValue `json:"value"`
}

// tab is one browser tab on a preview page.
type tab struct {
	t     *testing.T
	ctx   context.Context
	dir   string
	shots int
	mu    sync.Mutex
	errs  []string
	// loads receives the page's load events: a command sent while a navigation commits can be lost and
	// leave the tab unanswering, so a click that navigates waits for the load first.
	loads chan struct{}
}

// newTab starts Chromium and opens one tab; the page's console errors, failed loads and uncaught
// exceptions fail the test when it ends.
func newTab(t *testing.T) *tab {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(900, 1000), chromedp.Flag("lang", "en-US"), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	base := os.Getenv("WAFLOWS_ARTIFACTS")
	if base == "" {
		base = filepath.Join(os.TempDir(), "waflows-artifacts")
	}
	b := &tab{t: t, ctx: ctx, loads: make(chan struct{}, 16), dir: filepath.Join(base, "preview", strings.ReplaceAll(t.Name(), "/", "-"))}
	os.RemoveAll(b.dir)
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.mu.Lock()
		errs := b.errs
		b.mu.Unlock()
		cancel()
		cancelA()
		if len(errs) > 0 {
			t.Errorf("the page logged errors:\n%s", strings.Join(errs, "\n"))
		}
		t.Logf("screenshots: %s", b.dir)
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	chromedp.ListenTarget(ctx, func(ev any) {
		if _, ok := ev.(*page.EventLoadEventFired); ok {
			select {
			case b.loads <- struct{}{}:
			default:
			}
			return
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				b.errs = append(b.errs, "console."+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			b.errs = append(b.errs, "uncaught: "+ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.LevelError {
				b.errs = append(b.errs, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	})
	if err := chromedp.Run(ctx, cdplog.Enable(), runtime.Enable()); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *tab) open(u string) {
	b.t.Helper()
	if err := chromedp.Run(b.ctx, chromedp.Navigate(u)); err != nil {
		b.t.Fatalf("open %s: %v", u, err)
	}
}

// shot saves a screenshot of the page as the step's artefact.
func (b *tab) shot(step string) {
	b.t.Helper()
	var img []byte
	var err error
	for range 5 { // a page that is still laying out may refuse a capture
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		err = chromedp.Run(ctx, chromedp.FullScreenshot(&img, 100))
		cancel()
		if err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		b.t.Logf("screenshot %s: %v", step, err)
		return
	}
	b.shots++
	name := filepath.Join(b.dir, fmt.Sprintf("%02d-%s.png", b.shots, step))
	if err := os.WriteFile(name, img, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// find waits for a shown element with role and accessible name (prefix: the name starts with it) under
// the element within (nil: the document), and returns its accessibility node.
func (b *tab) find(role, name string, prefix bool, within *axNode) *axNode {
	b.t.Helper()
	var last error
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		nodes, err := b.query(role, name, prefix, within)
		if err == nil && len(nodes) == 1 {
			return nodes[0]
		}
		if err == nil && len(nodes) > 1 {
			b.t.Fatalf("%d elements with role %s named %q (names must be unique)", len(nodes), role, name)
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	b.shot("missing")
	b.t.Fatalf("no %s named %q on the page (%v); the page has: %s", role, name, last, b.names())
	return nil
}

// query lists the shown nodes with role and name.
func (b *tab) query(role, name string, prefix bool, within *axNode) ([]*axNode, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	defer cancel()
	var nodes []*axNode
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var root cdp.BackendNodeID
		if within != nil {
			root = within.BackendDOMNodeID
		} else {
			doc, err := dom.GetDocument().Do(ctx)
			if err != nil {
				return err
			}
			root = doc.BackendNodeID
		}
		q := map[string]any{"backendNodeId": root}
		if role != "" {
			q["role"] = role
		}
		if !prefix {
			q["accessibleName"] = name
		}
		var res struct {
			Nodes []*axNode `json:"nodes"`
		}
		err := cdp.Execute(ctx, "Accessibility.queryAXTree", q, &res)
		nodes = res.Nodes
		return err
	}))
	if err != nil {
		return nil, err
	}
	var out []*axNode
	for _, n := range nodes {
		if n.Ignored || (prefix && !strings.HasPrefix(axString(n.Name), name)) {
			continue
		}
		out = append(out, n)
	}
	return out, nil
}

func axString(v *axValue) string {
	if v == nil {
		return ""
	}
	var s string
	if json.Unmarshal(v.Value, &s) == nil {
		return strings.Join(strings.Fields(s), " ")
	}
	return string(v.Value)
}

// tree is the page's accessibility tree, shown nodes only.
func (b *tab) tree() []*axNode {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	var nodes []*axNode
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var res struct {
			Nodes []*axNode `json:"nodes"`
		}
		err := cdp.Execute(ctx, "Accessibility.getFullAXTree", map[string]any{}, &res)
		nodes = res.Nodes
		return err
	}))
	if err != nil {
		b.t.Fatal(err)
	}
	var out []*axNode
	for _, n := range nodes {
		if !n.Ignored {
			out = append(out, n)
		}
	}
	return out
}

// names lists the page's buttons, links, headings and fields, for failure messages.
func (b *tab) names() string {
	var list []string
	for _, n := range b.tree() {
		switch role := axString(n.Role); role {
		case "button", "link", "heading", "textbox", "combobox", "radio", "checkbox", "group", "radiogroup":
			list = append(list, role+" "+fmt.Sprintf("%q", axString(n.Name)))
		}
	}
	return strings.Join(list, ", ")
}

// uniqueNames fails when two shown buttons or links, or two fields, share a name (rule 4).
func (b *tab) uniqueNames() {
	b.t.Helper()
	seen := map[string]bool{}
	for _, n := range b.tree() {
		kind := map[string]string{"button": "control", "link": "control", "textbox": "field", "combobox": "field", "spinbutton": "field"}[axString(n.Role)]
		if kind == "" {
			continue
		}
		key := kind + ":" + axString(n.Name)
		if seen[key] {
			b.t.Errorf("two shown %ss named %q", kind, axString(n.Name))
		}
		seen[key] = true
	}
}

func property(n *axNode, name string) (string, bool) {
	for _, p := range n.Properties {
		if p.Name == name {
			return axString(p.Value), true
		}
	}
	return "", false
}

// disabled reports whether the element is disabled (the attribute, or aria-disabled).
func (b *tab) disabled(role, name string) bool {
	b.t.Helper()
	v, ok := property(b.find(role, name, false, nil), "disabled")
	return ok && v == "true"
}

// waitEnabled waits until the control can be used (the page follows inputs over a round trip).
func (b *tab) waitEnabled(role, name string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for b.disabled(role, name) {
		if time.Now().After(deadline) {
			b.shot("still-disabled")
			b.t.Fatalf("%s %q stays disabled", role, name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// do runs CDP commands on the tab, bounded in time.
func (b *tab) do(fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.ActionFunc(fn))
}

// click presses the element as a person does: scrolled into view, a mouse click at its centre, once
// the page has settled (its stylesheet applied, nothing moving).
func (b *tab) click(n *axNode) {
	b.t.Helper()
	id := n.BackendDOMNodeID
	var q dom.Quad
	for i := 0; ; i++ {
		var ready string
		b.eval(`document.readyState`, &ready)
		var box *dom.BoxModel
		err := b.do(func(ctx context.Context) error {
			if err := dom.ScrollIntoViewIfNeeded().WithBackendNodeID(id).Do(ctx); err != nil {
				return err
			}
			var err error
			box, err = dom.GetBoxModel().WithBackendNodeID(id).Do(ctx)
			return err
		})
		if err != nil {
			b.t.Fatalf("box of %q: %v", axString(n.Name), err)
		}
		if ready == "complete" && slices.Equal(q, box.Border) || i == 50 {
			break
		}
		q = box.Border
		time.Sleep(30 * time.Millisecond)
	}
	x, y := (q[0]+q[2]+q[4]+q[6])/4, (q[1]+q[3]+q[5]+q[7])/4
	err := b.do(func(ctx context.Context) error {
		if err := input.DispatchMouseEvent(input.MousePressed, x, y).WithButton(input.Left).WithButtons(1).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		return input.DispatchMouseEvent(input.MouseReleased, x, y).WithButton(input.Left).WithClickCount(1).Do(ctx)
	})
	if err != nil {
		b.t.Fatalf("click %q: %v", axString(n.Name), err)
	}
}

// settle waits while the page is re-rendering after an input (#app is aria-busy during the round trip).
func (b *tab) settle() {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var busy bool
		b.eval(`!!document.querySelector('[aria-busy="true"]')`, &busy)
		if !busy {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatal("the page stays busy")
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// navigate clicks an element that leads to another page (a button submitting the screen's form) and
// waits until that page has loaded.
func (b *tab) navigate(n *axNode) {
	b.t.Helper()
	b.settle()
	for len(b.loads) > 0 {
		<-b.loads
	}
	b.click(n)
	select {
	case <-b.loads:
	case <-time.After(10 * time.Second):
		b.t.Fatalf("pressing %q loaded no page", axString(n.Name))
	}
}

// expectLoad runs fn, which makes the page reload itself, and waits for the new page.
func (b *tab) expectLoad(fn func()) {
	b.t.Helper()
	for len(b.loads) > 0 {
		<-b.loads
	}
	fn()
	select {
	case <-b.loads:
	case <-time.After(10 * time.Second):
		b.t.Fatal("the page did not reload")
	}
}

// press clicks the button named name, which submits the screen, and waits for the next page.
func (b *tab) press(role, name string) {
	b.t.Helper()
	b.settle()
	b.navigate(b.find(role, name, false, nil))
}

// call runs fn (a JavaScript function) with this bound to n's element, and returns its JSON value.
func (b *tab) call(n *axNode, fn string, args ...any) json.RawMessage {
	b.t.Helper()
	var out json.RawMessage
	err := b.do(func(ctx context.Context) error {
		obj, err := dom.ResolveNode().WithBackendNodeID(n.BackendDOMNodeID).Do(ctx)
		if err != nil {
			return err
		}
		var callArgs []*runtime.CallArgument
		for _, a := range args {
			raw, _ := json.Marshal(a)
			callArgs = append(callArgs, &runtime.CallArgument{Value: raw})
		}
		res, exc, err := runtime.CallFunctionOn(fn).WithObjectID(obj.ObjectID).WithArguments(callArgs).WithReturnByValue(true).Do(ctx)
		if err != nil {
			return err
		}
		if exc != nil {
			return fmt.Errorf("script: %s", exc.Text)
		}
		out = json.RawMessage(res.Value)
		return nil
	})
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}

// typeInto focuses the field named name, selects what it holds and types text over it.
func (b *tab) typeInto(name, text string) {
	b.t.Helper()
	b.settle()
	n := b.find("textbox", name, false, nil)
	if err := b.do(func(ctx context.Context) error { return dom.Focus().WithBackendNodeID(n.BackendDOMNodeID).Do(ctx) }); err != nil {
		b.t.Fatal(err)
	}
	b.call(n, `function(){ this.select(); }`)
	if err := b.do(func(ctx context.Context) error { return input.InsertText(text).Do(ctx) }); err != nil {
		b.t.Fatal(err)
	}
}

// choose ticks the radio or checkbox named option inside the group named group. The page re-renders
// as inputs change, so the group is looked up again until the option is found in it.
func (b *tab) choose(groupRole, group, role, option string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		b.settle()
		g := b.find(groupRole, group, false, nil)
		if nodes, err := b.query(role, option, false, g); err == nil && len(nodes) == 1 {
			b.click(nodes[0])
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("no %s named %q in the %s named %q; the page has: %s", role, option, groupRole, group, b.names())
}

// selectOption picks the option titled title in the native select named name, as a person's choice
// does (the change event follows).
func (b *tab) selectOption(name, title string) {
	b.t.Helper()
	b.settle()
	n := b.find("combobox", name, false, nil)
	ok := b.call(n, `function(title){ for (const o of this.options) if (o.text === title) { this.focus(); this.value = o.value;
		this.dispatchEvent(new Event('input', {bubbles: true})); this.dispatchEvent(new Event('change', {bubbles: true})); return true } return false }`, title)
	if string(ok) != "true" {
		b.t.Fatalf("no option %q in %q", title, name)
	}
}

// setDate fills the date field named name with YYYY-MM-DD. Chromium gives <input type="date"> no
// textbox role, so it is found by its name alone.
func (b *tab) setDate(name, date string) {
	b.t.Helper()
	b.settle()
	var n *axNode
	for _, role := range []string{"Date", "date", "textbox", "spinbutton"} {
		if nodes, err := b.query(role, name, false, nil); err == nil && len(nodes) == 1 {
			n = nodes[0]
			break
		}
	}
	if n == nil {
		b.t.Fatalf("no date field named %q; the page has: %s", name, b.names())
	}
	b.call(n, `function(d){ this.focus(); this.value = d; this.dispatchEvent(new Event('input', {bubbles: true})); this.dispatchEvent(new Event('change', {bubbles: true})); }`, date)
}

// heading waits for a heading, and checks the names on the page are unique.
func (b *tab) heading(name string) {
	b.t.Helper()
	b.find("heading", name, false, nil)
	b.uniqueNames()
}

// fieldValue is the current value of the field named name.
func (b *tab) fieldValue(role, name string) string {
	b.t.Helper()
	var s string
	json.Unmarshal(b.call(b.find(role, name, false, nil), `function(){ return this.value }`), &s)
	return s
}

func (b *tab) eval(expr string, v any) {
	b.t.Helper()
	var raw json.RawMessage
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Evaluate(expr, &raw)); err != nil {
		b.t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		b.t.Fatal(err)
	}
}

// shownText is the page's visible text.
func (b *tab) shownText() string {
	var s string
	b.eval(`document.body.innerText`, &s)
	return s
}

// waitText waits until the page shows text (or, with gone, no longer shows it).
func (b *tab) waitText(text string, gone bool) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(b.shownText(), text) == gone {
		if time.Now().After(deadline) {
			b.shot("text")
			b.t.Fatalf("waiting for %q (gone=%v); the page shows:\n%s", text, gone, b.shownText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// payload reads the completion payload, shown as JSON.
func (b *tab) payload() map[string]any {
	b.t.Helper()
	b.heading("Completion payload")
	var texts []string
	b.eval(`[...document.querySelectorAll('pre')].map(p => p.textContent)`, &texts)
	for _, s := range texts {
		var v map[string]any
		if json.Unmarshal([]byte(s), &v) == nil && v["flow_token"] != nil {
			return v
		}
	}
	b.t.Fatalf("no completion payload shown: %q", texts)
	return nil
}

// graphPreview uploads the test flow name to a new server and returns its preview URL.
func graphPreview(t *testing.T, name string) string {
	t.Helper()
	e := MustOpenServer(t)
	id := e.createFlow(tokenA, waba1, name)
	e.upload(tokenA, id, previewFlow(t, name))
	u, _ := e.previewURL(tokenA, id, "preview")
	return u
}

// TestBrowserSignUp walks a form flow at its Graph preview URL: the disabled Footer until every required
// input is filled, a dropdown, radios, checkboxes, an opt-in, a date, navigation with the payload, Back
// with inputs kept, and the completion payload with the flow token.
func TestBrowserSignUp(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	b.open(graphPreview(t, "signup.json") + "&interactive=true&debug=true&flow_token=browser-1")
	b.heading("Sign up")
	b.shot("details")
	if !b.disabled("button", "Continue") {
		t.Fatal("Continue is usable before the required inputs are filled")
	}
	b.typeInto("Full name", "Ada Lovelace")
	b.selectOption("City", "Berlin")
	b.choose("group", "Plan", "radio", "Pro")
	b.choose("group", "Topics", "checkbox", "News")
	b.setDate("Birthday", "1990-12-10")
	if b.disabled("button", "Continue") == false {
		t.Fatal("Continue is usable before the terms are accepted")
	}
	b.click(b.find("checkbox", "I accept the terms", false, nil))
	b.waitEnabled("button", "Continue")
	b.shot("filled")
	b.press("button", "Continue")
	b.heading("Confirm")
	b.waitText("Hello, Ada Lovelace", false)
	b.waitText("You chose pro", false)
	b.shot("confirm")
	b.press("button", "Back")
	b.heading("Sign up")
	if got := b.fieldValue("textbox", "Full name"); got != "Ada Lovelace" {
		t.Fatalf("after Back the name is %q", got)
	}
	if got := b.fieldValue("combobox", "City"); got != "ber" {
		t.Fatalf("after Back the city is %q", got)
	}
	b.press("button", "Continue")
	b.heading("Confirm")
	b.press("button", "Sign up")
	got := b.payload()
	b.shot("completed")
	want := map[string]any{"full_name": "Ada Lovelace", "city": "ber", "plan": "pro", "topics": []any{"news"}, "terms": true, "birthday": "1990-12-10", "flow_token": "browser-1"}
	if mustJSON(got) != mustJSON(want) {
		t.Fatalf("completion payload:\n got %s\nwant %s", mustJSON(got), mustJSON(want))
	}
	b.find("heading", "Actions", false, nil)
}

// TestBrowserBranches: If and Switch follow a radio choice live (no reload), a required input shown by
// the If disables the Footer until filled, and chips reach the payload.
func TestBrowserBranches(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	b.open(graphPreview(t, "branches.json") + "&interactive=true")
	b.heading("How did you hear about us?")
	if !b.disabled("button", "Next") {
		t.Fatal("Next is usable before a source is chosen")
	}
	b.choose("group", "Source", "radio", "A friend")
	b.waitText("Friends get 10% off.", false)
	b.waitText("Thanks for telling us.", false)
	b.shot("friend")
	b.choose("group", "Source", "radio", "Something else")
	b.find("textbox", "Where, then?", false, nil)
	b.waitText("Friends get 10% off.", true)
	b.shot("other")
	if !b.disabled("button", "Next") {
		t.Fatal("Next is usable while the If's required input is empty")
	}
	b.typeInto("Where, then?", "The radio")
	b.waitEnabled("button", "Next")
	b.press("button", "Next")
	b.heading("Rate us")
	b.choose("group", "What did you like?", "checkbox", "Speed")
	b.shot("rate")
	b.press("button", "Send")
	got := b.payload()
	if want := `{"flow_token":"unused","liked":["speed"],"other":"The radio","source":"other"}`; mustJSON(got) != want {
		t.Fatalf("payload %s, want %s", mustJSON(got), want)
	}
	b.shot("completed")
}

// TestBrowserCatalog: a NavigationList item (its button's name starts with the item's title), a title
// from the screen's data, an EmbeddedLink, Back, a dropdown, and the payload.
func TestBrowserCatalog(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	b.open(graphPreview(t, "catalog.json") + "&interactive=true&flow_token=cat")
	b.heading("Our menu")
	b.shot("menu")
	b.navigate(b.find("button", "Cake", true, nil))
	b.heading("Cake")
	b.waitText("One Cake, coming up", false)
	b.shot("dish")
	b.press("button", "Add a drink")
	b.heading("A drink")
	b.press("button", "Back")
	b.heading("Cake")
	b.press("button", "Add a drink")
	b.heading("A drink")
	b.selectOption("Drink", "Juice")
	b.waitEnabled("button", "Order with a drink")
	b.press("button", "Order with a drink")
	if got, want := mustJSON(b.payload()), `{"dish":"Cake","drink":"juice","flow_token":"cat"}`; got != want {
		t.Fatalf("payload %s, want %s", got, want)
	}
	b.shot("completed")
}

// TestBrowserReload: the authoring loop of waflows preview — saving the file reloads the page with the
// new flow; a save with validation errors shows them; the dark theme switches. (The walks above use the
// Graph preview URL: Chromium's DevTools stop answering queries after a form navigation on a page that
// polls, which the file preview's page does.)
func TestBrowserReload(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	path := filepath.Join(t.TempDir(), "flow.json")
	flow := string(previewFlow(t, "catalog.json"))
	if err := os.WriteFile(path, []byte(flow), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.NewFilePreview(path, nil))
	t.Cleanup(ts.Close)
	b.open(ts.URL + "/?" + url.Values{"interactive": {"true"}}.Encode())
	b.heading("Our menu")
	b.click(b.find("button", "Dark theme", false, nil))
	var theme string
	b.eval(`document.documentElement.getAttribute("data-theme")`, &theme)
	if theme != "dark" {
		t.Fatalf("theme = %q after Dark theme", theme)
	}
	b.shot("dark")
	time.Sleep(1100 * time.Millisecond) // a new modification time, even on coarse clocks
	b.expectLoad(func() { os.WriteFile(path, []byte(strings.Replace(flow, `"Our menu"`, `"Today's menu"`, 1)), 0o644) })
	b.heading("Today's menu")
	b.waitText("The flow changed", false)
	b.shot("reloaded")
	time.Sleep(1100 * time.Millisecond)
	b.expectLoad(func() {
		os.WriteFile(path, []byte(strings.Replace(flow, `"name": "DISH"}, "payload": {"dish": "Soup"}`, `"name": "NOWHERE"}, "payload": {"dish": "Soup"}`, 1)), 0o644)
	})
	b.heading("The flow has validation errors")
	b.waitText("INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", false)
	b.shot("invalid")
}

// TestBrowserEndpoint: with phone_number, the page plays the flow against its real endpoint (encrypted
// and signed over TLS) in the browser, and the actions panel lists the calls under their own heading.
func TestBrowserEndpoint(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	var h http.Handler
	ts, e := endpointServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	priv := e.uploadKey(t, tokenA, phone1)
	h = endpoint.NewHandler(endpoint.Config{PrivateKey: priv, AppSecret: secret1, Handle: (&bookingEndpoint{}).handle})
	link := e.endpointFlow(t, tokenA, waba1, ts.URL)
	b.open(link + "&interactive=true&flow_action=data_exchange&flow_token=browser-ep&debug=true&phone_number=" + phone1)
	b.heading("Book a visit")
	b.waitText("Hello from the endpoint", false)
	b.find("heading", "Endpoint calls", false, nil)
	b.shot("init")
	b.typeInto("Your name", "Grace")
	b.waitEnabled("button", "See times")
	b.press("button", "See times")
	b.heading("Pick a time")
	b.choose("group", "Time", "radio", "14:00")
	b.waitEnabled("button", "Book")
	b.shot("times")
	b.press("button", "Book")
	if got, want := mustJSON(b.payload()), `{"flow_token":"browser-ep","slot":"14"}`; got != want {
		t.Fatalf("payload %s, want %s", got, want)
	}
	b.shot("completed")
}
