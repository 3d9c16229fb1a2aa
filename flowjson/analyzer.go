package flowjson

// This file holds the analyzer: what the schema phase records, how findings are kept within the limits,
// the two phases in order, and member lookup in large objects.

import (
	"fmt"
	"strings"
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
	errs  findings
	warns findings
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

	ends []int                  // ends[j]: index in comps just past the components inside comps[j]
	big  map[int]map[string]int // member indexes of large objects (see lookup)
	ids  map[string]int         // screen id to index in screens

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
	layout         int // layout value node, -1 when absent
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

// findings keeps the maxErrors earliest findings (by position) of one kind: once that many are known, a
// finding that starts after all of them is dropped, and the list is cut back whenever it doubles. It
// counts what it drops.
type findings struct {
	list []finding
	cut  int // with maxErrors findings, the latest start worth keeping
	// omitted counts the findings dropped (a lower bound: walks stop at the cut); firstOmitted is the
	// earliest of them.
	omitted      int
	firstOmitted finding
}

// add records a finding, or counts it as omitted.
func (fs *findings) add(f finding) {
	if len(fs.list) >= maxErrors && f.start > fs.cut {
		fs.omit(f)
		return
	}
	fs.list = append(fs.list, f)
	switch n := len(fs.list); {
	case n == maxErrors:
		for _, g := range fs.list {
			fs.cut = max(fs.cut, g.start)
		}
	case n >= 2*maxErrors:
		sortFindings(fs.list)
		for _, g := range fs.list[maxErrors:] {
			fs.omit(g)
		}
		fs.list = fs.list[:maxErrors]
		fs.cut = fs.list[maxErrors-1].start
	}
}

// omit counts a finding that will not be listed.
func (fs *findings) omit(f finding) {
	if fs.omitted == 0 || f.start < fs.firstOmitted.start {
		fs.firstOmitted = f
	}
	fs.omitted++
}

// add records an error.
func (a *analyzer) add(f finding) { a.errs.add(f) }

// past reports whether errors at node i and after it would be dropped:
// walks in document order stop there.
func (a *analyzer) past(i int) bool {
	return len(a.errs.list) >= maxErrors && int(a.t.nodes[i].start) > a.errs.cut
}

// warn records a warning: something Meta accepts but truncates, does not
// render or replaces at run time (see the package doc). pathMark in message
// stands for the path of node i.
func (a *analyzer) warn(i int, code, message string) {
	if len(a.warns.list) >= maxErrors && int(a.t.nodes[i].start) > a.warns.cut {
		a.warns.omitted++ // not built: the list is full before it
		return
	}
	f := a.newFinding(i, code, message)
	f.errorType = ErrorTypeWarning
	if strings.Contains(message, pathMark) {
		f.pathArg = i
	}
	a.warns.add(f)
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
	if n := len(a.errs.list); n > 0 {
		a.errs.list[n-1].errorType = ErrorTypeFlowJSON
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
	if a.ver == 0 {
		return
	}
	if len(a.errs.list) > 0 {
		// The cross-screen rules that need only what is sound run anyway, so that a document missing its
		// terminal screen and holding a typo elsewhere gets both errors in one round.
		a.checkSoundParts()
		return
	}
	for _, f := range a.later {
		a.add(f)
	}
	a.checkSemantics()
}

// checkSemantics applies the rules that span objects: screens, forms,
// conditional rendering, actions, references and routing.
func (a *analyzer) checkSemantics() {
	a.ends = make([]int, len(a.comps))
	for j := len(a.comps) - 1; j >= 0; j-- {
		end := j + 1
		for end < len(a.comps) && a.inside(j, end) {
			end = a.ends[end]
		}
		a.ends[j] = end
	}
	a.checkScreenIDs()
	for si := range a.screens {
		if a.past(a.screens[si].node) {
			return
		}
		a.checkScreenComponents(si)
	}
	a.checkFlowRules()
	a.checkActions()
	a.checkRouting()
	a.checkRefs()
}

// inside reports whether comps[j] lies inside comps[i].
func (a *analyzer) inside(i, j int) bool {
	return a.comps[j].node < int(a.t.nodes[a.comps[i].node].next)
}

// bigObject is the size from which an object's members are looked up
// through an index: a hostile document must not make rules that look up
// every key of one large object in another (payloads against data models,
// init-values against forms) cost the product of their sizes.
const bigObject = 32

// lookup is tree.member for the rules: it returns the key and value nodes of
// the last property name of object obj. Objects of more than bigObject
// members are indexed on first use.
func (a *analyzer) lookup(obj int, name string) (key, val int, ok bool) {
	if obj < 0 || a.t.kind(obj) != kindObject {
		return 0, 0, false
	}
	if idx, indexed := a.big[obj]; indexed {
		key, ok = idx[name]
		if !ok {
			return 0, 0, false
		}
		return key, key + 1, true
	}
	n := 0
	for k, v := range a.t.members(obj) {
		n++
		if a.t.textEquals(k, name) {
			key, val, ok = k, v, true
		}
	}
	if n > bigObject {
		idx := make(map[string]int, n)
		for k := range a.t.members(obj) {
			idx[a.t.view(k)] = k
		}
		if a.big == nil {
			a.big = make(map[int]map[string]int)
		}
		a.big[obj] = idx
	}
	return key, val, ok
}

// member returns the value of property name of object obj, or -1.
func (a *analyzer) member(obj int, name string) int {
	if _, v, ok := a.lookup(obj, name); ok {
		return v
	}
	return -1
}

// keyOf returns the key node of property name of object obj, or -1.
func (a *analyzer) keyOf(obj int, name string) int {
	if k, _, ok := a.lookup(obj, name); ok {
		return k
	}
	return -1
}
