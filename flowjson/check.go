package flowjson

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What Analyze reports of one document is bounded, so that storing and listing
// the errors of many flows stays cheap whatever was uploaded: a hostile 10 MB
// document would otherwise give thousands of errors, each repeating kilobytes
// of its keys. Past MaxErrors a flow is beyond repair by hand anyway; the
// limits on text keep every message and path readable on one line.
const (
	// MaxErrors is the most errors listed for one document, in document
	// order; when more were found, one more entry (CodeTooManyErrors) says so.
	MaxErrors = 100
	// MaxErrorsSize bounds the JSON encoding of the listed errors, in bytes:
	// 100 errors of typical length fit, and so a list page of 100 flows with
	// every field stays under 4 MB.
	MaxErrorsSize = 32 << 10
	// MaxMessageLength and MaxPointerLength bound one error's message and
	// path, in characters; a longer one is cut and ends with "…".
	MaxMessageLength = 500
	MaxPointerLength = 300
)

// maxErrors is how many findings the walks keep (see add).
const maxErrors = MaxErrors

// maxScreens is Meta's limit on the screens of a flow.
const maxScreens = 100

// pathMark in a finding's message stands for the dotted path of the
// finding's pathArg node; paths are built only when a document has errors.
const pathMark = "\x00path\x00"

// finding is one rule violation, kept as byte offsets until Analyze turns it
// into a ValidationError.
type finding struct {
	code, errorType, message string
	start, end               int // offending bytes [start, end)
	at                       int // node whose path is the pointer; the root's empty path gives none
	pathArg                  int // node whose path replaces pathMark in message, -1 for none
}

// analyzer walks a parsed tree and collects findings in two phases, as
// Meta's validator does: the schema phase checks the shape of every object
// (keys, types, enums, versions) and records what the second phase needs;
// the semantic phase (routing, references, payloads, forms, limits) runs
// only on documents that passed the first, so that one fault gives one error.
type analyzer struct {
	t     *tree
	found []finding
	later []finding // semantic findings met during the schema walk
	res   Result
	ver   int // Flow JSON version number; 0 when unknown

	dataAPI  int // data_api_version value node, -1 when absent
	routing  int // routing_model value node, -1 when absent
	screens  []screenInfo
	comps    []compInfo
	actions  []actionInfo
	refs     []refInfo
	carousel int // ImageCarousel components in the flow

	cut int // with maxErrors findings, the latest start worth keeping
	// omitted counts the findings dropped by add (a lower bound: walks stop
	// at the cut); firstOmitted is the earliest of them.
	omitted      int
	firstOmitted finding
	ends         []int                  // ends[j]: index in comps just past the components inside comps[j]
	big          map[int]map[string]int // member indexes of large objects (see lookup)
	ids          map[string]int         // screen id to index in screens

	looked map[dataKey]dataLookup // answers of lookupData
}

// screenInfo is what the schema phase learns about a screen.
type screenInfo struct {
	node, idNode   int
	id             string // "" when missing or malformed
	terminal       bool
	terminalKey    int // -1 when absent
	success        int // success value node, -1 when absent
	refresh        int // refresh_on_back value node, -1 when absent
	data           int // data value node, -1 when absent or malformed
	sensitive      int // sensitive value node, -1 when absent
	comps0, comps1 int // its components are comps[comps0:comps1]
	names          map[string]int
}

// compInfo is what the schema phase learns about a component.
type compInfo struct {
	node     int
	typ      compType
	screen   int
	parent   int // index in comps of the enclosing If, Switch or Form; -1 at the top
	branch   int // node of the enclosing then/else array or Switch case
	inForm   bool
	nameNode int // -1 when absent
	name     string
}

// actionInfo is an action object of a component.
type actionInfo struct {
	node    int // the action object
	name    string
	key     actKey
	comp    int // index in comps
	item    bool
	next    int // next.name value node (navigate), -1 otherwise
	nextScr bool
	payload int // payload object node, -1 when absent
}

// refInfo is a string value that may hold a dynamic reference or an
// expression, to be resolved once all screens are known.
type refInfo struct {
	node   int
	comp   int // index in comps, -1 for a screen title
	screen int
	p      *prop // the property, nil for a title
	prop   string
	inArr  bool // an item of a text array
	rich   bool // RichText text
}

// add records a finding. Only the maxErrors earliest findings (by position)
// are kept: once that many are known, a finding that starts after all of
// them is dropped, and the list is cut back whenever it doubles.
func (a *analyzer) add(f finding) {
	if len(a.found) >= maxErrors && f.start > a.cut {
		a.omit(f)
		return
	}
	a.found = append(a.found, f)
	switch n := len(a.found); {
	case n == maxErrors:
		for _, g := range a.found {
			a.cut = max(a.cut, g.start)
		}
	case n >= 2*maxErrors:
		sortFindings(a.found)
		for _, g := range a.found[maxErrors:] {
			a.omit(g)
		}
		a.found = a.found[:maxErrors]
		a.cut = a.found[maxErrors-1].start
	}
}

// omit counts a finding that will not be listed.
func (a *analyzer) omit(f finding) {
	if a.omitted == 0 || f.start < a.firstOmitted.start {
		a.firstOmitted = f
	}
	a.omitted++
}

// past reports whether findings at node i and after it would be dropped:
// walks in document order stop there.
func (a *analyzer) past(i int) bool {
	return len(a.found) >= maxErrors && int(a.t.nodes[i].start) > a.cut
}

// errorTypeOf is the error_type of a code: the schema codes of Meta's
// catalogue are JSON_SCHEMA_ERROR, every other code (INVALID_PROPERTY_VALUE
// included, as Meta's documented sample shows) is FLOW_JSON_ERROR.
func errorTypeOf(code string) string {
	switch code {
	case CodeInvalidFlowJSON, CodeInvalidPropertyKey, CodeInvalidPropertyType, CodeInvalidPropertyValueFormat,
		CodeMinItemsRequired, CodeMaxItemsRequired, CodeMinCharsRequired, CodeMissingRequiredTypeProperty,
		CodeMissingRequiredProperty, CodePatternMismatch, CodeInvalidEnumValue, CodeInvalidDependencies,
		CodeNotKeywordSchemaValidationFailed, CodeKeywordOneOf, CodeMinimumValueRequired, CodeMaximumValueRequired:
		return ErrorTypeJSONSchema
	}
	return ErrorTypeFlowJSON
}

func (a *analyzer) newFinding(i int, code, message string) finding {
	n := a.t.nodes[i]
	return finding{code: code, errorType: errorTypeOf(code), message: message, start: int(n.start), end: int(n.end), at: i, pathArg: -1}
}

// report records a finding spanning node i (a key spans its key token).
func (a *analyzer) report(i int, code, message string) {
	a.add(a.newFinding(i, code, message))
}

// reportP is report with pathMark in message standing for the path of node p.
func (a *analyzer) reportP(i int, code, message string, p int) {
	f := a.newFinding(i, code, message)
	f.pathArg = p
	a.add(f)
}

// reportMissing records that object obj lacks a property. It points at the
// object's opening brace: the property has no position of its own, and the
// brace is where it would be added.
func (a *analyzer) reportMissing(obj int, code, message string) {
	f := a.newFinding(obj, code, message)
	f.end = f.start + 1
	a.add(f)
}

// deferred records a semantic finding met during the schema walk; it counts
// only when the schema phase finds nothing. pathMark in message stands for
// the path of node i.
func (a *analyzer) deferred(i int, code, message string) {
	if len(a.later) < maxErrors {
		f := a.newFinding(i, code, message)
		if strings.Contains(message, pathMark) {
			f.pathArg = i
		}
		a.later = append(a.later, f)
	}
}

// flowLevel turns a finding into a FLOW_JSON_ERROR, for the conditional rules
// that reuse a schema code (a property required by another one's value).
func (a *analyzer) flowLevel() {
	if n := len(a.found); n > 0 {
		a.found[n-1].errorType = ErrorTypeFlowJSON
	}
}

// reportType records that node i, the value of name, is not of type want.
func (a *analyzer) reportType(i int, name, want string) {
	a.report(i, CodeInvalidPropertyType,
		fmt.Sprintf("Expected property '%s' to be of type %s, but found %s.", name, want, a.t.kind(i).typeName()))
}

// run applies all rules.
func (a *analyzer) run() {
	a.dataAPI, a.routing = -1, -1
	if a.t.kind(root) != kindObject {
		a.reportType(root, "$root", "object")
		return
	}
	a.checkVersion()
	a.checkRootKeys()
	a.checkDataAPIVersion()
	a.checkRoutingModel()
	a.checkScreens()
	if len(a.found) > 0 || a.ver == 0 {
		return
	}
	for _, f := range a.later {
		a.add(f)
	}
	a.checkSemantics()
}

func (a *analyzer) checkVersion() {
	_, v, ok := a.lookup(root, "version")
	if !ok {
		a.reportMissing(root, CodeMissingFlowJSONVersion, "Flow JSON version is not specified. The property 'version' is required.")
		return
	}
	if a.t.kind(v) != kindString {
		a.report(v, CodeInvalidFlowJSONVersion,
			fmt.Sprintf("Invalid Flow JSON version. Expected a string of the form 'MAJOR.MINOR', e.g. '7.3', but found %s.", a.t.kind(v).typeName()))
		return
	}
	version := a.t.text(v)
	a.res.Version = version
	n, wellFormed := versionNumber(version)
	switch {
	case IsKnownVersion(version):
		a.ver = n
	case !wellFormed:
		a.report(v, CodeInvalidFlowJSONVersion,
			fmt.Sprintf("Invalid Flow JSON version %s. Expected a string of the form 'MAJOR.MINOR', e.g. '7.3'.", quoteValue(version)))
	case isExpiredVersion(n):
		a.report(v, CodeUnsupportedFlowJSONVersion,
			fmt.Sprintf("Unsupported Flow JSON version %s: it has expired. Supported versions are: %s.", quoteValue(version), strings.Join(Versions(), ", ")))
	case isUnavailableVersion(n):
		a.report(v, CodeUnavailableFlowJSONVersion,
			fmt.Sprintf("The Flow JSON version %s is not available for your WABA ID. Supported versions are: %s.", quoteValue(version), strings.Join(Versions(), ", ")))
	default:
		a.report(v, CodeInvalidFlowJSONVersion,
			fmt.Sprintf("Invalid Flow JSON version %s. Supported versions are: %s.", quoteValue(version), strings.Join(Versions(), ", ")))
	}
}

// checkRootKeys rejects top-level properties the schema does not define.
// Every occurrence of a bad key is reported, duplicates included.
func (a *analyzer) checkRootKeys() {
	for k, v := range a.t.members(root) {
		if a.past(k) {
			return
		}
		name := a.t.view(k)
		switch name {
		case "version", "screens", "routing_model", "data_api_version":
		case "data_channel_uri":
			switch {
			case a.ver == 0:
				// Only decidable once the version is known; an unknown version is reported already.
			case a.ver >= v30:
				a.report(k, CodeInvalidPropertyKey,
					"Property 'data_channel_uri' is no longer supported in Flow JSON as of version '3.0'. Please configure your endpoint URI using Flows API or Builder. Refer Flows documentation at https://developers.facebook.com/docs/whatsapp/flows for more information.")
			case a.t.kind(v) != kindString:
				a.reportType(v, "data_channel_uri", "string")
			case !isHTTPURL(a.t.view(v)):
				a.report(v, CodeInvalidPropertyValueFormat, "Property 'data_channel_uri' should be in 'uri' format.")
			}
		case "meta":
			// Allowed by the schema from 5.1; unknowable for an unknown version.
			if a.ver >= v51 {
				a.checkMeta(k, v)
			} else if a.ver != 0 {
				a.report(k, CodeInvalidPropertyKey, "Property 'meta' cannot be specified at $root.")
			}
		default:
			a.report(k, CodeInvalidPropertyKey, fmt.Sprintf("Property %s cannot be specified at $root.", quoteValue(name)))
		}
	}
}

// checkMeta judges the top-level "meta" object that the schema allows from
// 5.1 ({"lead_gen_ai": boolean}). Meta accepts it only on flows its own
// lead-generation assistant creates, so a well-formed one is still refused.
func (a *analyzer) checkMeta(k, v int) {
	if a.t.kind(v) != kindObject {
		a.reportType(v, "meta", "object")
		return
	}
	bad := false
	for mk, mv := range a.t.members(v) {
		if a.t.view(mk) != "lead_gen_ai" {
			a.report(mk, CodeInvalidPropertyKey, fmt.Sprintf("Property %s cannot be specified at meta.", quoteValue(a.t.view(mk))))
			bad = true
		} else if kd := a.t.kind(mv); kd != kindTrue && kd != kindFalse {
			a.reportType(mv, "lead_gen_ai", "boolean")
			bad = true
		}
	}
	if !bad {
		a.report(k, CodeInvalidPropertyKey,
			"Property 'meta' cannot be specified at $root: it is reserved for flows that Meta's lead generation assistant creates.")
	}
}

func (a *analyzer) checkDataAPIVersion() {
	_, v, ok := a.lookup(root, "data_api_version")
	if !ok {
		return
	}
	a.res.UsesEndpoint = a.t.kind(v) != kindNull
	if a.t.kind(v) != kindNull {
		a.dataAPI = v
	}
	if a.t.kind(v) == kindString {
		a.res.DataAPIVersion = a.t.text(v)
		if isDataAPIVersionFor(a.res.DataAPIVersion, a.ver) {
			return
		}
	}
	found := a.t.kind(v).typeName()
	if a.t.kind(v) == kindString {
		found = quoteValue(a.res.DataAPIVersion)
	}
	expected := "3.0, 4.0"
	if a.ver != 0 && a.ver < v73 {
		expected = "3.0"
	}
	a.report(v, CodeNoSupportedDataAPIVersion,
		fmt.Sprintf("No supported Data API version found for given Flow JSON version. Expected one of: [%s], but found %s.", expected, found))
}

// checkRoutingModel checks the shape of routing_model: a map from screen ids
// to arrays of screen ids. What the routes mean is judged later.
func (a *analyzer) checkRoutingModel() {
	_, v, ok := a.lookup(root, "routing_model")
	if !ok {
		return
	}
	if a.t.kind(v) != kindObject {
		a.reportType(v, "routing_model", "object")
		return
	}
	a.routing = v
	if a.ver == 0 {
		return
	}
	for k, dests := range a.t.members(v) {
		if a.past(k) {
			return
		}
		if !isScreenID(a.t.view(k)) {
			a.report(k, CodePatternMismatch, fmt.Sprintf("%s should only consist of alphabets and underscores.", quoteValue(a.t.view(k))))
			continue
		}
		if a.t.kind(dests) != kindArray {
			a.reportType(dests, a.t.view(k), "array")
			continue
		}
		for idx, d := range a.t.elements(dests) {
			switch {
			case a.t.kind(d) != kindString:
				a.reportType(d, a.t.view(k)+"["+strconv.Itoa(idx)+"]", "string")
			case !isScreenID(a.t.view(d)):
				a.report(d, CodePatternMismatch, fmt.Sprintf("%s should only consist of alphabets and underscores.", quoteValue(a.t.view(d))))
			}
		}
	}
}

func (a *analyzer) checkScreens() {
	_, screens, ok := a.lookup(root, "screens")
	switch {
	case !ok:
		a.reportMissing(root, CodeMissingRequiredProperty, "Required property 'screens' is missing.")
	case a.t.kind(screens) != kindArray:
		a.reportType(screens, "screens", "array")
	case a.t.isEmpty(screens):
		a.report(screens, CodeMinItemsRequired, "Property 'screens' should have at least '1' item.")
	default:
		for idx, screen := range a.t.elements(screens) {
			if a.past(screen) {
				return
			}
			if a.t.kind(screen) != kindObject {
				a.reportType(screen, "screens["+strconv.Itoa(idx)+"]", "object")
				continue
			}
			if a.ver != 0 {
				a.checkScreen(screen)
			}
		}
	}
}

// isScreenID reports whether s is a screen id: letters and underscores.
func isScreenID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && (c|0x20 < 'a' || c|0x20 > 'z') {
			return false
		}
	}
	return true
}

// isBlank reports whether s holds nothing but white space, as Meta's
// "not blank or empty" pattern sees it.
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && r != '\ufeff' {
			return false
		}
	}
	return true
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// charCount counts the characters (code points) of s.
func charCount(s string) int { return utf8.RuneCountInString(s) }

// clipLength is how much of a long text from the document a message repeats.
const clipLength = 200

// clip cuts s to clipLength characters, marking the cut with "…": messages
// quote expressions and operands, which a hostile document makes megabytes long.
func clip(s string) string { return clipTo(s, clipLength) }

// clipTo cuts s to at most n characters, the last of them "…" when cut.
func clipTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	chars := 0
	for i := range s {
		if chars == n-1 {
			return s[:i] + "…"
		}
		chars++
	}
	return s
}

// quoteValue shows a value taken from the document in single quotes, with
// control characters escaped and long values cut, so that a message stays
// one short line whatever the document holds.
func quoteValue(s string) string {
	const limit = 60
	var b strings.Builder
	b.WriteByte('\'')
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		n++
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// listOf formats names as Meta's messages list them: "[a, b]".
func listOf(names ...string) string {
	return "[" + strings.Join(names, ", ") + "]"
}
