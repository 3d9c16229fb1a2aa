// The preview page's markup: the document, the phone frame with its title bar and progress indicator,
// each of Flow JSON's components as WhatsApp shows it, the endpoint request a person answers, the
// completion, the actions panel, and the error pages. Markup follows ../shared/PREVIEW_ACCESSIBILITY.md:
// every control is named by its label, groups are fieldsets, decorations stay out of names.
package server

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/player"
)

// The page's own assets, embedded (no CDN: the page works offline).
const (
	previewAssetPrefix = "/_waflows/preview/"
	previewCSSPath     = "preview.css"
	previewJSPath      = "preview.js"
)

// htmlBuf builds markup; text and attributes are escaped on the way in.
type htmlBuf struct{ strings.Builder }

func (b *htmlBuf) raw(s ...string) {
	for _, x := range s {
		b.WriteString(x)
	}
}

func (b *htmlBuf) text(s string) { b.WriteString(html.EscapeString(s)) }

// attr writes ` name="value"`.
func (b *htmlBuf) attr(name, value string) {
	b.WriteString(" ")
	b.WriteString(name)
	b.WriteString(`="`)
	b.WriteString(html.EscapeString(value))
	b.WriteString(`"`)
}

// flag writes ` name` when on.
func (b *htmlBuf) flag(name string, on bool) {
	if on {
		b.WriteString(" ")
		b.WriteString(name)
	}
}

// documentHTML is the whole page around body. watch, when set, is where the page asks for the version of
// the file it shows; version is the version shown.
func documentHTML(title, body, watch, version string) string {
	var b htmlBuf
	b.raw(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>`)
	b.text(title)
	b.raw(` · waflows preview</title><link rel="icon" href="data:,"><link rel="stylesheet" href="`, previewAssetPrefix, previewCSSPath, `"></head><body`)
	if watch != "" {
		b.attr("data-watch", watch)
		b.attr("data-version", version)
	}
	b.raw(`><div id="app">`, body, `</div><script src="`, previewAssetPrefix, previewJSPath, `" defer></script></body></html>`)
	return b.String()
}

// page renders one view of a preview.
type page struct {
	t      previewTarget
	ss     *previewSession
	static bool
}

// frame opens the phone: the title bar (with Back when there is somewhere to go back to), and the
// progress indicator on flows of more than one screen.
func (pg *page) frameOpen(b *htmlBuf, title string, sc *player.Screen) {
	b.raw(`<div class="layout"><div class="phone">`)
	b.raw(`<header class="bar">`)
	if sc != nil && sc.CanGoBack && !pg.static {
		b.raw(`<button type="submit" class="back" form="screen-form" name="_op" value="back">Back</button>`)
	}
	b.raw(`<h1>`)
	b.text(title)
	b.raw(`</h1></header>`)
	if sc != nil && sc.Screens > 1 {
		b.raw(`<div class="progress" role="progressbar" aria-label="Progress"`)
		b.attr("aria-valuemin", "1")
		b.attr("aria-valuemax", strconv.Itoa(sc.Screens))
		b.attr("aria-valuenow", strconv.Itoa(min(sc.Step, sc.Screens)))
		pct := 100 * min(sc.Step, sc.Screens) / sc.Screens
		b.raw(`><span style="width:`, strconv.Itoa(pct), `%"></span></div>`)
	}
	b.raw(`<div class="body">`)
}

func (pg *page) frameClose(b *htmlBuf) {
	b.raw(`</div><p class="managed">Managed by the business. Learn more</p></div>`)
}

// tools are the controls around the phone: start again and the theme.
func (pg *page) tools(b *htmlBuf) {
	b.raw(`<div class="tools">`)
	if pg.ss != nil {
		b.raw(`<form method="post"`)
		b.attr("action", pg.t.url("session", pg.ss.id))
		b.raw(`><input type="hidden" name="_op" value="restart"><button type="submit">Start again</button></form>`)
	}
	b.raw(`<button type="button" class="theme" aria-pressed="false" hidden>Dark theme</button></div>`)
}

// session renders a session: its screen, the endpoint request it waits on, or its completion.
func (pg *page) session(b *htmlBuf) {
	ss := pg.ss
	switch {
	case ss.pending != nil:
		pg.pendingView(b)
	case ss.ps == nil:
		pg.frameOpen(b, "The flow did not open", nil)
		pg.banner(b)
		b.raw(`<p role="alert" class="error">`)
		if ss.startErr != nil {
			b.text(playerMessage(ss.startErr))
		}
		b.raw(`</p>`)
		pg.frameClose(b)
	default:
		if payload, ok := ss.ps.Completed(); ok {
			pg.completed(b, payload, ss.ps.Summary())
		} else {
			pg.screen(b, ss.ps, ss)
			return
		}
	}
	pg.after(b)
}

// after closes the layout: the tools, and the actions panel when debug is on.
func (pg *page) after(b *htmlBuf) {
	pg.tools(b)
	b.raw(`</div>`)
	if pg.ss != nil && pg.ss.params.debug {
		pg.actions(b)
	}
}

func (pg *page) banner(b *htmlBuf) {
	if pg.ss != nil && pg.ss.banner != "" {
		b.raw(`<p class="banner" role="alert">`)
		b.text(pg.ss.banner)
		b.raw(`</p>`)
	}
	if pg.static {
		b.raw(`<p class="banner">A static preview of the first screen. Add interactive=true to the address to use the flow.</p>`)
	}
}

// screen renders the current screen of ps as a form.
func (pg *page) screen(b *htmlBuf, ps *player.Session, ss *previewSession) {
	sc := ps.Screen()
	pg.frameOpen(b, sc.Title, &sc)
	pg.banner(b)
	if sc.Notice != "" {
		b.raw(`<p class="snackbar" role="status">`)
		b.text(sc.Notice)
		b.raw(`</p>`)
	}
	// novalidate: the engine checks the inputs, as the WhatsApp client does, not the browser.
	b.raw(`<form id="screen-form" method="post" enctype="multipart/form-data" novalidate`)
	if !pg.static {
		b.attr("action", pg.t.url("session", ss.id))
	}
	b.attr("data-screen", sc.ID)
	b.raw(`>`)
	if pg.static {
		b.raw(`<fieldset class="static" disabled>`)
	}
	// Enter in a text field submits this first button: it only applies the inputs.
	b.raw(`<button type="submit" name="_op" value="fill" class="implicit" tabindex="-1" aria-hidden="true"></button>`)
	r := componentWriter{b: b, ss: ss}
	var footer *player.Component
	for i := range sc.Components {
		c := &sc.Components[i]
		if c.Type == "Footer" {
			footer = c
			continue
		}
		r.component(c)
	}
	if footer != nil {
		r.footer(footer)
	}
	if pg.static {
		b.raw(`</fieldset>`)
	}
	b.raw(`</form>`)
	pg.frameClose(b)
	pg.after(b)
}

// componentWriter writes the components of one screen.
type componentWriter struct {
	b  *htmlBuf
	ss *previewSession
}

func inputID(name string) string { return "in-" + name }

// optionalMark is the "(optional)" WhatsApp adds to the labels of inputs that are not required, kept out
// of the accessible name.
func (r *componentWriter) optionalMark(c *player.Component) {
	// A picker with a minimum of files is not optional either (the engine checks the minimum on press).
	if !c.Required && propInt(c, "min-uploaded-photos", 0) == 0 && propInt(c, "min-uploaded-documents", 0) == 0 {
		r.b.raw(`<span class="optional" aria-hidden="true"> (optional)</span>`)
	}
}

// fieldError is the message under an input: a value the engine refused, else the screen's own.
func (r *componentWriter) fieldError(c *player.Component) string {
	if r.ss != nil {
		if msg := r.ss.fieldErrors[c.Name]; msg != "" {
			return msg
		}
	}
	return c.Error
}

// describe writes an input's helper text and error, returning the ids aria-describedby names.
func (r *componentWriter) describe(c *player.Component, helper string) {
	id := inputID(c.Name)
	if helper != "" {
		r.b.raw(`<p class="helper"`)
		r.b.attr("id", id+"-help")
		r.b.raw(`>`)
		r.b.text(helper)
		r.b.raw(`</p>`)
	}
	if msg := r.fieldError(c); msg != "" {
		r.b.raw(`<p class="error"`)
		r.b.attr("id", id+"-err")
		r.b.raw(`>`)
		r.b.text(msg)
		r.b.raw(`</p>`)
	}
}

func (r *componentWriter) describedBy(c *player.Component, helper string) {
	var ids []string
	if helper != "" {
		ids = append(ids, inputID(c.Name)+"-help")
	}
	if r.fieldError(c) != "" {
		ids = append(ids, inputID(c.Name)+"-err")
		r.b.attr("aria-invalid", "true")
	}
	if len(ids) > 0 {
		r.b.attr("aria-describedby", strings.Join(ids, " "))
	}
}

// marker tells applyInputs that the page showed the input.
func (r *componentWriter) marker(c *player.Component) {
	r.b.raw(`<input type="hidden" value="1"`)
	r.b.attr("name", "p."+c.Name)
	r.b.raw(`>`)
}

func propString(c *player.Component, key string) string {
	switch v := c.Props[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func propInt(c *player.Component, key string, def int) int {
	switch v := c.Props[key].(type) {
	case float64:
		return int(v)
	case json.Number:
		if n, err := v.Float64(); err == nil {
			return int(n)
		}
	}
	if s, ok := c.Props[key].(string); ok {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	return def
}

func valueString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// dateString turns a date as the flow or the engine holds it ("YYYY-MM-DD", or before Flow JSON 5.0 a
// millisecond timestamp) into the value of an <input type="date">.
func dateString(v any) string {
	s := valueString(v)
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return s
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC().Format(time.DateOnly)
	}
	return ""
}

func (r *componentWriter) component(c *player.Component) {
	b := r.b
	switch c.Type {
	case "TextHeading":
		b.raw(`<h2 class="heading">`)
		b.text(strings.Join(c.Text, " "))
		b.raw(`</h2>`)
	case "TextSubheading":
		b.raw(`<h3 class="subheading">`)
		b.text(strings.Join(c.Text, " "))
		b.raw(`</h3>`)
	case "TextBody", "TextCaption", "RichText":
		class := map[string]string{"TextBody": "body-text", "TextCaption": "caption", "RichText": "rich"}[c.Type]
		if c.Markdown {
			b.raw(`<div class="`, class, ` md">`)
			markdownHTML(b, strings.Join(c.Text, "\n"))
			b.raw(`</div>`)
			return
		}
		b.raw(`<p class="`, class, `"`)
		style := []string{}
		if fw := propString(c, "font-weight"); strings.Contains(fw, "bold") {
			style = append(style, "font-weight:bold")
		}
		if fw := propString(c, "font-weight"); strings.Contains(fw, "italic") {
			style = append(style, "font-style:italic")
		}
		if propString(c, "strikethrough") == "true" {
			style = append(style, "text-decoration:line-through")
		}
		if len(style) > 0 {
			b.attr("style", strings.Join(style, ";"))
		}
		b.raw(`>`)
		b.text(strings.Join(c.Text, "\n"))
		b.raw(`</p>`)
	case "TextInput":
		r.textInput(c)
	case "TextArea":
		r.textArea(c)
	case "RadioButtonsGroup", "CheckboxGroup", "ChipsSelector":
		r.choices(c)
	case "Dropdown":
		r.dropdown(c)
	case "OptIn":
		r.optIn(c)
	case "DatePicker":
		r.datePicker(c)
	case "CalendarPicker":
		r.calendar(c)
	case "PhotoPicker", "DocumentPicker":
		r.picker(c)
	case "Image":
		r.image(c.Props["src"], propString(c, "alt-text"), propInt(c, "width", 0), propInt(c, "height", 0))
	case "ImageCarousel":
		b.raw(`<div class="carousel" role="group" aria-label="Images">`)
		if list, ok := c.Props["images"].([]any); ok {
			for _, it := range list {
				m, _ := it.(map[string]any)
				alt, _ := m["alt-text"].(string)
				r.image(m["src"], alt, 0, 0)
			}
		}
		b.raw(`</div>`)
	case "EmbeddedLink":
		b.raw(`<p class="link-line"><button type="submit" class="link" name="_press"`)
		b.attr("value", c.Label)
		b.raw(`>`)
		b.text(c.Label)
		b.raw(`</button></p>`)
	case "NavigationList":
		r.navigationList(c)
	default:
		if c.Label != "" {
			b.raw(`<p>`)
			b.text(c.Label)
			b.raw(`</p>`)
		}
	}
}

// label writes an input's label with "(optional)" beside it, outside the label (so outside its name).
func (r *componentWriter) label(c *player.Component, forID string) {
	r.b.raw(`<span class="label-row"><label`)
	r.b.attr("for", forID)
	r.b.raw(`>`)
	r.b.text(c.Label)
	r.b.raw(`</label>`)
	r.optionalMark(c)
	r.b.raw(`</span>`)
}

func (r *componentWriter) textInput(c *player.Component) {
	b := r.b
	id := inputID(c.Name)
	helper := propString(c, "helper-text")
	b.raw(`<div class="field">`)
	r.label(c, id)
	typ, mode := "text", ""
	switch propString(c, "input-type") {
	case "number":
		typ, mode = "text", "decimal"
	case "email":
		typ = "email"
	case "password":
		typ = "password"
	case "passcode":
		typ, mode = "password", "numeric"
	case "phone":
		typ = "tel"
	}
	b.raw(`<input`)
	b.attr("type", typ)
	if mode != "" {
		b.attr("inputmode", mode)
	}
	b.attr("id", id)
	b.attr("name", "f."+c.Name)
	b.attr("value", valueString(c.Value))
	b.attr("maxlength", strconv.Itoa(propInt(c, "max-chars", 80)))
	b.attr("autocomplete", "off")
	b.flag("required", c.Required)
	b.flag("disabled", !c.Enabled)
	r.describedBy(c, helper)
	b.raw(`>`)
	r.marker(c)
	r.describe(c, helper)
	b.raw(`</div>`)
}

func (r *componentWriter) textArea(c *player.Component) {
	b := r.b
	id := inputID(c.Name)
	helper := propString(c, "helper-text")
	max := propInt(c, "max-length", 600)
	text := valueString(c.Value)
	b.raw(`<div class="field">`)
	r.label(c, id)
	b.raw(`<textarea`)
	b.attr("id", id)
	b.attr("name", "f."+c.Name)
	b.attr("maxlength", strconv.Itoa(max))
	b.attr("rows", "3")
	b.flag("required", c.Required)
	b.flag("disabled", !c.Enabled)
	r.describedBy(c, helper)
	b.raw(`>`)
	b.text(text)
	b.raw(`</textarea><span class="counter" aria-hidden="true">`)
	b.text(fmt.Sprintf("%d/%d", len([]rune(text)), max))
	b.raw(`</span>`)
	r.marker(c)
	r.describe(c, helper)
	b.raw(`</div>`)
}

func (r *componentWriter) choices(c *player.Component) {
	b := r.b
	id := inputID(c.Name)
	kind, class := "checkbox", "checks"
	switch c.Type {
	case "RadioButtonsGroup":
		kind, class = "radio", "radios"
	case "ChipsSelector":
		class = "chips"
	}
	helper := propString(c, "description")
	b.raw(`<fieldset class="group `, class, `"`)
	b.attr("id", id)
	b.flag("disabled", !c.Enabled)
	r.describedBy(c, helper)
	b.raw(`><legend>`)
	b.text(c.Label)
	r.optionalMark(c)
	b.raw(`</legend>`)
	if helper != "" {
		b.raw(`<p class="helper"`)
		b.attr("id", id+"-help")
		b.raw(`>`)
		b.text(helper)
		b.raw(`</p>`)
	}
	for i, o := range c.Options {
		oid := id + "-" + strconv.Itoa(i)
		b.raw(`<div class="choice">`)
		if o.Image != "" {
			r.image(o.Image, "", 0, 0)
		}
		b.raw(`<input`)
		b.attr("type", kind)
		b.attr("id", oid)
		b.attr("name", "f."+c.Name)
		b.attr("value", o.ID)
		b.flag("checked", o.Selected)
		b.flag("disabled", !o.Enabled)
		if o.Description != "" || o.Metadata != "" {
			b.attr("aria-describedby", oid+"-d")
		}
		b.raw(`><label`)
		b.attr("for", oid)
		if o.Color != "" && c.Type == "ChipsSelector" {
			b.attr("style", "--chip:#"+strings.TrimPrefix(o.Color, "#"))
		}
		b.raw(`>`)
		b.text(o.Title)
		b.raw(`</label>`)
		if o.Description != "" || o.Metadata != "" {
			b.raw(`<span class="desc"`)
			b.attr("id", oid+"-d")
			b.raw(`>`)
			b.text(strings.TrimSpace(o.Description + " " + o.Metadata))
			b.raw(`</span>`)
		}
		b.raw(`</div>`)
	}
	r.marker(c)
	if msg := r.fieldError(c); msg != "" {
		b.raw(`<p class="error"`)
		b.attr("id", id+"-err")
		b.raw(`>`)
		b.text(msg)
		b.raw(`</p>`)
	}
	b.raw(`</fieldset>`)
}

func (r *componentWriter) dropdown(c *player.Component) {
	b := r.b
	id := inputID(c.Name)
	b.raw(`<div class="field">`)
	r.label(c, id)
	b.raw(`<select`)
	b.attr("id", id)
	b.attr("name", "f."+c.Name)
	b.flag("required", c.Required)
	b.flag("disabled", !c.Enabled)
	r.describedBy(c, "")
	b.raw(`><option value="">Select</option>`)
	for _, o := range c.Options {
		b.raw(`<option`)
		b.attr("value", o.ID)
		b.flag("selected", o.Selected)
		b.flag("disabled", !o.Enabled)
		b.raw(`>`)
		b.text(o.Title)
		b.raw(`</option>`)
	}
	b.raw(`</select>`)
	r.marker(c)
	r.describe(c, "")
	b.raw(`</div>`)
}

func (r *componentWriter) optIn(c *player.Component) {
	b := r.b
	id := inputID(c.Name)
	b.raw(`<div class="field optin"><input type="checkbox"`)
	b.attr("id", id)
	b.attr("name", "f."+c.Name)
	b.flag("checked", c.Value == true)
	b.flag("disabled", !c.Enabled)
	r.describedBy(c, "")
	b.raw(`>`)
	r.label(c, id)
	if c.Action != nil {
		b.raw(` <button type="submit" class="link" name="_press" value="Read more">Read more</button>`)
	}
	r.marker(c)
	r.describe(c, "")
	b.raw(`</div>`)
}

func (r *componentWriter) dateInput(c *player.Component, id, name, value string) {
	b := r.b
	b.raw(`<input type="date"`)
	b.attr("id", id)
	b.attr("name", name)
	b.attr("value", value)
	if d := dateString(c.Props["min-date"]); d != "" {
		b.attr("min", d)
	}
	if d := dateString(c.Props["max-date"]); d != "" {
		b.attr("max", d)
	}
	b.flag("required", c.Required)
	b.flag("disabled", !c.Enabled)
	r.describedBy(c, propString(c, "helper-text"))
	b.raw(`>`)
}

func (r *componentWriter) datePicker(c *player.Component) {
	id := inputID(c.Name)
	r.b.raw(`<div class="field">`)
	r.label(c, id)
	r.dateInput(c, id, "f."+c.Name, dateString(c.Value))
	r.marker(c)
	r.describe(c, propString(c, "helper-text"))
	r.b.raw(`</div>`)
}

func (r *componentWriter) calendar(c *player.Component) {
	b := r.b
	id := inputID(c.Name)
	if propString(c, "mode") != "range" {
		r.datePicker(c)
		return
	}
	labels, _ := c.Props["label"].(map[string]any)
	startLabel, _ := labels["start-date"].(string)
	endLabel, _ := labels["end-date"].(string)
	if startLabel == "" {
		startLabel = "Start date"
	}
	if endLabel == "" {
		endLabel = "End date"
	}
	cur, _ := c.Value.(map[string]any)
	start, end := dateString(cur["start-date"]), dateString(cur["end-date"])
	if cur == nil && r.ss != nil {
		if p := r.ss.partial[c.Name]; p != nil {
			start, end = p["start-date"], p["end-date"]
		}
	}
	title := propString(c, "title")
	if title == "" {
		title = c.Label
	}
	b.raw(`<fieldset class="group range"`)
	b.attr("id", id)
	b.raw(`><legend>`)
	b.text(title)
	r.optionalMark(c)
	b.raw(`</legend>`)
	for _, part := range []struct{ key, label, value string }{{"start-date", startLabel, start}, {"end-date", endLabel, end}} {
		pid := id + "-" + part.key
		b.raw(`<div class="field"><label`)
		b.attr("for", pid)
		b.raw(`>`)
		b.text(part.label)
		b.raw(`</label>`)
		r.dateInput(c, pid, "f."+c.Name+"."+part.key, part.value)
		b.raw(`</div>`)
	}
	r.marker(c)
	r.describe(c, propString(c, "helper-text"))
	b.raw(`</fieldset>`)
}

func (r *componentWriter) picker(c *player.Component) {
	b := r.b
	id := inputID(c.Name)
	desc := propString(c, "description")
	max := 30
	accept := "image/jpeg,image/png"
	if c.Type == "PhotoPicker" {
		max = propInt(c, "max-uploaded-photos", 30)
	} else {
		max = propInt(c, "max-uploaded-documents", 30)
		accept = ""
		if list, ok := c.Props["allowed-mime-types"].([]any); ok {
			var types []string
			for _, t := range list {
				if s, ok := t.(string); ok {
					types = append(types, s)
				}
			}
			accept = strings.Join(types, ",")
		}
	}
	b.raw(`<div class="field picker">`)
	r.label(c, id)
	b.raw(`<input type="file"`)
	b.attr("id", id)
	b.attr("name", "f."+c.Name)
	if accept != "" {
		b.attr("accept", accept)
	}
	b.flag("multiple", max > 1)
	b.flag("disabled", !c.Enabled)
	r.describedBy(c, desc)
	b.raw(`>`)
	files, _ := c.Value.([]player.File)
	if len(files) > 0 {
		b.raw(`<ul class="files">`)
		for _, f := range files {
			b.raw(`<li>`)
			b.text(fmt.Sprintf("%s (%s, %s)", f.Name, f.MIMEType, byteSize(len(f.Data))))
			b.raw(`</li>`)
		}
		b.raw(`</ul><button type="submit" class="link" name="_clear"`)
		b.attr("value", c.Name)
		b.raw(`>`)
		b.text("Remove the files of " + c.Label)
		b.raw(`</button>`)
	}
	r.marker(c)
	r.describe(c, desc)
	b.raw(`</div>`)
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// image writes a base64 image (Flow JSON's src) as a data URL of the type its bytes show.
func (r *componentWriter) image(src any, alt string, width, height int) {
	s, _ := src.(string)
	mime := "image/png"
	if head, err := base64.StdEncoding.DecodeString(padTo4(s[:min(len(s), 16)])); err == nil && len(head) >= 4 {
		switch {
		case head[0] == 0xFF && head[1] == 0xD8:
			mime = "image/jpeg"
		case string(head[:4]) == "GIF8":
			mime = "image/gif"
		case string(head[:4]) == "RIFF":
			mime = "image/webp"
		}
	}
	r.b.raw(`<img`)
	r.b.attr("src", "data:"+mime+";base64,"+s)
	r.b.attr("alt", alt)
	if width > 0 {
		r.b.attr("width", strconv.Itoa(width))
	}
	if height > 0 {
		r.b.attr("height", strconv.Itoa(height))
	}
	r.b.raw(`>`)
}

func padTo4(s string) string {
	s = s[:len(s)/4*4]
	return s
}

func (r *componentWriter) navigationList(c *player.Component) {
	b := r.b
	b.raw(`<section class="navlist"`)
	if c.Label != "" {
		b.attr("aria-labelledby", inputID(c.Name)+"-h")
	}
	b.raw(`>`)
	if c.Label != "" {
		b.raw(`<h2 class="navlist-label"`)
		b.attr("id", inputID(c.Name)+"-h")
		b.raw(`>`)
		b.text(c.Label)
		b.raw(`</h2>`)
	}
	if d := propString(c, "description"); d != "" {
		b.raw(`<p class="helper">`)
		b.text(d)
		b.raw(`</p>`)
	}
	b.raw(`<ul>`)
	for _, it := range c.Items {
		b.raw(`<li><button type="submit" name="_press"`)
		b.attr("value", it.Title)
		b.raw(`>`)
		if it.StartImage != "" {
			r.image(it.StartImage, "", 0, 0)
		}
		b.raw(`<span class="main"><span class="title">`)
		b.text(it.Title)
		b.raw(`</span>`)
		for _, s := range []string{it.Description, it.Metadata} {
			if s != "" {
				b.raw(` <span class="desc">`)
				b.text(s)
				b.raw(`</span>`)
			}
		}
		for _, t := range it.Tags {
			b.raw(` <span class="tag">`)
			b.text(t)
			b.raw(`</span>`)
		}
		b.raw(`</span>`)
		if it.EndTitle != "" || it.EndDescription != "" || it.EndMetadata != "" || it.Badge != "" {
			b.raw(`<span class="end">`)
			for _, s := range []string{it.Badge, it.EndTitle, it.EndDescription, it.EndMetadata} {
				if s != "" {
					b.raw(` <span>`)
					b.text(s)
					b.raw(`</span>`)
				}
			}
			b.raw(`</span>`)
		}
		b.raw(`</button></li>`)
	}
	b.raw(`</ul></section>`)
}

// footer writes the screen's call to action, disabled while a required input is empty (or the flow
// disables it), with its captions outside the button's name.
func (r *componentWriter) footer(c *player.Component) {
	b := r.b
	b.raw(`<div class="footer">`)
	for _, k := range []string{"left-caption", "center-caption"} {
		if s := propString(c, k); s != "" {
			b.raw(`<span class="caption">`)
			b.text(s)
			b.raw(`</span>`)
		}
	}
	b.raw(`<button type="submit" class="cta" name="_press"`)
	b.attr("value", c.Label)
	disabled := !c.Enabled || len(c.Missing) > 0
	b.flag("disabled", disabled)
	if len(c.Missing) > 0 {
		b.attr("title", "Fill in first: "+strings.Join(c.Missing, ", "))
	}
	b.raw(`>`)
	b.text(c.Label)
	b.raw(`</button>`)
	if s := propString(c, "right-caption"); s != "" {
		b.raw(`<span class="caption">`)
		b.text(s)
		b.raw(`</span>`)
	}
	b.raw(`</div>`)
}

// completed shows what the business receives when the flow completes, and the person's summary.
func (pg *page) completed(b *htmlBuf, payload map[string]any, summary []player.Answer) {
	pg.frameOpen(b, "Flow completed", nil)
	pg.banner(b)
	pretty, _ := json.MarshalIndent(payload, "", "  ")
	compact, _ := json.Marshal(payload)
	b.raw(`<section class="done" aria-labelledby="payload-h"><h2 id="payload-h">Completion payload</h2>`)
	b.raw(`<p>The business receives this as the flow's response (the response_json of the nfm_reply message).</p>`)
	b.raw(`<pre class="payload" aria-label="Completion payload" tabindex="0">`)
	b.text(string(pretty))
	b.raw(`</pre><details><summary>As the webhook carries it</summary><pre class="payload" tabindex="0">`)
	msg, _ := json.MarshalIndent(map[string]any{"type": "interactive", "interactive": map[string]any{"type": "nfm_reply",
		"nfm_reply": map[string]any{"name": "flow", "body": "Sent", "response_json": string(compact)}}}, "", "  ")
	b.text(string(msg))
	b.raw(`</pre></details>`)
	if len(summary) > 0 {
		b.raw(`<h2>The person's summary</h2><dl class="summary">`)
		for _, a := range summary {
			b.raw(`<dt>`)
			b.text(a.Label)
			b.raw(`</dt><dd>`)
			b.text(a.Value)
			b.raw(`</dd>`)
		}
		b.raw(`</dl>`)
	}
	b.raw(`</section>`)
	pg.frameClose(b)
}

// pendingView shows the endpoint request the flow waits on, with a form to answer it as the endpoint
// would: a screen the routing model allows, and its data, prefilled from the screen's __example__.
func (pg *page) pendingView(b *htmlBuf) {
	ss := pg.ss
	req := ss.pending.req
	pg.frameOpen(b, "Data endpoint request", nil)
	pg.banner(b)
	b.raw(`<p>The flow sent this request to its data endpoint. This preview has no endpoint: answer it as the endpoint would.</p>`)
	pretty, _ := json.MarshalIndent(req, "", "  ")
	b.raw(`<pre class="payload" aria-label="Endpoint request" tabindex="0">`)
	b.text(string(pretty))
	b.raw(`</pre>`)
	out := outlineOf(ss.flowJSONForOutline())
	choices := out.answers(req, ss.params.flowTokenOr())
	if req.Action == endpoint.ActionBack && ss.ps != nil {
		// Back returns to the screen before, which the engine shows beneath the request: offer it first.
		prev := ss.ps.Screen().ID
		for i, ch := range choices {
			if ch.id == prev {
				choices = append([]answerChoice{ch}, append(choices[:i:i], choices[i+1:]...)...)
				break
			}
		}
	}
	examples := map[string]string{}
	for _, ch := range choices {
		examples[ch.id] = ch.data
	}
	ex, _ := json.Marshal(examples)
	b.raw(`<form method="post" class="answer" novalidate`)
	b.attr("action", pg.t.url("session", ss.id))
	b.raw(`><input type="hidden" name="_op" value="answer"><div class="field"><label for="answer-screen">Next screen</label><select id="answer-screen" name="_screen"`)
	b.attr("data-examples", string(ex))
	b.raw(`>`)
	for _, ch := range choices {
		b.raw(`<option`)
		b.attr("value", ch.id)
		b.raw(`>`)
		b.text(ch.label)
		b.raw(`</option>`)
	}
	b.raw(`</select></div><div class="field"><label for="answer-data">Screen data (JSON)</label><textarea id="answer-data" name="_data" rows="10" spellcheck="false">`)
	if len(choices) > 0 {
		b.text(choices[0].data)
	}
	b.raw(`</textarea></div><div class="footer"><button type="submit" class="cta">Send answer</button></div></form>`)
	pg.frameClose(b)
}

// actions is the debug panel: every action the engine took, with its payload, or its endpoint request
// and response (like the Flow Builder's Actions tab).
func (pg *page) actions(b *htmlBuf) {
	b.raw(`<aside class="actions" aria-labelledby="actions-h"><h2 id="actions-h">Actions</h2>`)
	switch ep := pg.ss.endpoint; {
	case ep != nil && ep.phone != "":
		b.raw(`<p class="helper">phone_number `)
		b.text(ep.phone)
		b.raw(`: endpoint requests go to <code>`)
		b.text(ep.url)
		b.raw(`</code>, encrypted with the number's business public key and signed with the secret of app `)
		b.text(ep.appID)
		b.raw(`.</p>`)
	case ep != nil:
		b.raw(`<p class="helper">Endpoint requests go to <code>`)
		b.text(ep.url)
		if ep.appSecret != "" {
			b.raw(`</code>, encrypted with the given public key and signed with the app secret.</p>`)
		} else {
			b.raw(`</code>, encrypted with the given public key, unsigned (no app secret given).</p>`)
		}
	case pg.ss.params.phone != "":
		b.raw(`<p class="helper">phone_number `)
		b.text(pg.ss.params.phone)
		b.raw(`: endpoint requests are answered on this page (this preview has no endpoint to call).</p>`)
	}
	var log []player.Action
	if pg.ss.ps != nil {
		log = pg.ss.ps.Log()
	}
	b.raw(`<ol>`)
	for _, a := range log {
		b.raw(`<li><details><summary>`)
		line := a.Kind
		if a.Screen != "" {
			line += " on " + a.Screen
		}
		if a.Next != "" {
			line += " → " + a.Next
		}
		b.text(line)
		if a.Error != "" {
			b.raw(` <span class="error">`)
			b.text(a.Error)
			b.raw(`</span>`)
		}
		b.raw(`</summary><pre tabindex="0">`)
		detail, _ := json.MarshalIndent(a, "", "  ")
		b.text(string(detail))
		b.raw(`</pre></details></li>`)
	}
	if pg.ss.pending != nil {
		b.raw(`<li>`)
		b.text(pg.ss.pending.req.Action + " on " + orDash(pg.ss.pending.req.Screen) + ": waiting for the answer")
		b.raw(`</li>`)
	}
	b.raw(`</ol>`)
	if calls := pg.ss.calls.list(); len(calls) > 0 {
		b.raw(`<h3>Endpoint calls</h3><ol class="calls">`)
		for _, c := range calls {
			b.raw(`<li>`)
			line := c.Action
			if c.Screen != "" {
				line += " on " + c.Screen
			}
			if c.Status != 0 {
				line += fmt.Sprintf(": HTTP %d", c.Status)
			} else {
				line += ": no HTTP response"
			}
			if ms := float64(c.Latency.Microseconds()) / 1000; ms < 10 {
				line += fmt.Sprintf(" in %.1f ms", ms)
			} else {
				line += fmt.Sprintf(" in %.0f ms", ms)
			}
			b.text(line)
			if c.Problem != "" {
				b.raw(` <span class="error">`)
				b.text(c.Problem)
				b.raw(`</span>`)
			}
			b.raw(`</li>`)
		}
		b.raw(`</ol>`)
	}
	b.raw(`</aside>`)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// invalid lists a flow's validation errors in place of its screens.
func (pg *page) invalid(b *htmlBuf, errs []flowjson.ValidationError) {
	pg.frameOpen(b, "The flow has validation errors", nil)
	b.raw(`<p role="alert">Meta would not accept this Flow JSON, so it cannot be shown. Fix these and reload:</p><ol class="verrs">`)
	for _, e := range errs {
		b.raw(`<li><span class="code">`)
		b.text(e.Error)
		b.raw(`</span> <span class="where">line `)
		b.text(strconv.Itoa(e.LineStart) + ", column " + strconv.Itoa(e.ColumnStart))
		b.raw(`</span><p>`)
		b.text(e.Message)
		b.raw(`</p></li>`)
	}
	b.raw(`</ol>`)
	pg.frameClose(b)
	pg.tools(b)
	b.raw(`</div>`)
}

// problem is an error page's content.
func (pg *page) problem(b *htmlBuf, title, msg string, restart bool) {
	pg.frameOpen(b, title, nil)
	b.raw(`<p role="alert">`)
	b.text(msg)
	b.raw(`</p>`)
	if restart {
		b.raw(`<p><a`)
		b.attr("href", pg.t.url("interactive", "true"))
		b.raw(`>Start the flow again</a></p>`)
	}
	pg.frameClose(b)
	b.raw(`</div>`)
}
