package flowjson

// This file holds the schema phase of components: the walk over layouts, If, Switch and Form, and each
// property's type, enum, version and text (section B.8).

import (
	"fmt"
	"strconv"
	"strings"
)

// walkCtx is where the component being checked sits.
type walkCtx struct {
	screen  int
	where   container
	parent  int // index in comps of the enclosing Form, If or Switch; -1 at the top
	branch  int // the array node holding the component
	inForm  bool
	ifDepth int // for where == inIf: nesting level of that If (0 = first level)
}

// checkChildren checks every component of array arr.
func (a *analyzer) checkChildren(arr int, ctx walkCtx) {
	for _, c := range a.t.elements(arr) {
		if a.past(c) {
			return
		}
		a.checkComponent(c, ctx)
	}
}

// checkComponent checks one component object and what it holds.
func (a *analyzer) checkComponent(node int, ctx walkCtx) {
	if a.t.kind(node) != kindObject {
		a.reportP(node, CodeInvalidPropertyType,
			fmt.Sprintf("Expected property '%s' to be of type object, but found %s.", pathMark, a.t.kind(node).typeName()), node)
		return
	}
	_, typeNode, ok := a.lookup(node, "type")
	if !ok {
		a.reportMissing(node, CodeMissingRequiredTypeProperty, "Required property 'type' is missing.")
		return
	}
	if a.t.kind(typeNode) != kindString {
		a.reportType(typeNode, "type", "string")
		return
	}
	c := compTypeOf(a.t.view(typeNode))
	spec := &specs[c]
	switch {
	case c == cUnknown:
		a.report(typeNode, CodeInvalidPropertyValue, "Invalid value found for property 'type'.")
		return
	case spec.since > a.ver:
		a.report(typeNode, CodeInvalidPropertyValue,
			fmt.Sprintf("Invalid value found for property 'type'. Component '%s' requires Flow JSON version %s or later.", spec.name, versionString(spec.since)))
		return
	case c == cIf && ctx.where == inIf && ctx.ifDepth >= 2:
		a.report(typeNode, CodeMaximumIfNesting, "The 'If' component can only be nested up to 3 levels deep.")
		return
	}
	if ok, why := allowedIn(c, ctx.where, ctx.ifDepth, a.ver); !ok {
		a.report(typeNode, CodeInvalidPropertyValue,
			fmt.Sprintf("Invalid value found for property 'type'. Component '%s' %s.", spec.name, why))
		return
	}
	if a.ver < v40 && c.isInput() && !ctx.inForm {
		a.report(typeNode, CodeKeywordOneOf, fmt.Sprintf("Property '%s' must be defined inside parent property 'Form'.", spec.name))
	}
	ci := len(a.comps)
	a.comps = append(a.comps, compInfo{node: node, typ: c, screen: ctx.screen, parent: ctx.parent, branch: ctx.branch, inForm: ctx.inForm, nameNode: -1})
	if c == cImageCarousel {
		a.carousel++
	}
	for k, v := range a.t.members(node) {
		if a.past(k) {
			return
		}
		name := a.t.view(k)
		if name == "type" {
			continue
		}
		p := spec.findProp(name)
		switch {
		case p == nil:
			a.reportP(k, CodeInvalidPropertyKey, fmt.Sprintf("Property %s cannot be specified at %s on %s.", quoteValue(name), spec.name, pathMark), node)
			continue
		case p.since > a.ver:
			a.reportP(k, CodeInvalidPropertyKey,
				fmt.Sprintf("Property %s cannot be specified at %s on %s: it requires Flow JSON version %s or later.", quoteValue(name), spec.name, pathMark, versionString(p.since)), node)
			continue
		case p.noForm && ctx.inForm:
			use := "init-values"
			if name == "error-message" {
				use = "error-messages"
			}
			a.reportP(k, CodeInvalidPropertyKey,
				fmt.Sprintf("Property %s cannot be specified at %s on %s: inside a Form, use the Form's '%s'.", quoteValue(name), spec.name, pathMark, use), node)
			continue
		}
		if a.t.laterDuplicate(node, k) {
			continue
		}
		if name == "name" && a.t.kind(v) == kindString {
			a.comps[ci].nameNode, a.comps[ci].name = v, a.t.view(v)
		}
		a.checkValue(ci, p, v, ctx)
	}
	for i := range spec.props {
		p := &spec.props[i]
		if !p.isRequired(a.ver) || (p.noForm && ctx.inForm) {
			continue
		}
		if _, _, ok := a.lookup(node, p.name); !ok {
			a.reportMissing(node, CodeMissingRequiredProperty, fmt.Sprintf("Required property '%s' is missing.", p.name))
		}
	}
	a.checkDependencies(ci)
}

// checkDependencies applies the rules between properties of one component
// that Meta's schema states (dependencies and "not" keywords).
func (a *analyzer) checkDependencies(ci int) {
	node := a.comps[ci].node
	switch a.comps[ci].typ {
	case cFooter:
		lk, _, left := a.lookup(node, "left-caption")
		rk, _, right := a.lookup(node, "right-caption")
		ck, _, center := a.lookup(node, "center-caption")
		switch {
		case center && (left || right):
			a.report(ck, CodeNotKeywordSchemaValidationFailed,
				"Properties 'center-caption' and [left-caption,right-caption] must be present exclusively at Footer.")
		case left && !right:
			a.report(lk, CodeInvalidDependencies, "Footer should have property right-caption when property left-caption is present.")
		case right && !left:
			a.report(rk, CodeInvalidDependencies, "Footer should have property left-caption when property right-caption is present.")
		}
	case cTextInput:
		pk, _, hasPattern := a.lookup(node, "pattern")
		_, it, hasType := a.lookup(node, "input-type")
		if hasPattern && hasType && a.t.kind(it) == kindString {
			switch a.t.view(it) {
			case "text", "number", "password", "passcode":
			default:
				a.report(pk, CodeInvalidDependencies,
					"Property 'pattern' can only be used when property 'input-type' is one of: [text, number, password, passcode].")
			}
		}
	}
}

// checkValue checks the value v of property p of component comps[ci].
func (a *analyzer) checkValue(ci int, p *prop, v int, ctx walkCtx) {
	switch p.kind {
	case kString, kText, kName:
		a.checkString(ci, p, p.name, v, p.limit)
	case kBool, kNumber, kInteger, kIntStatic, kBoolStatic:
		a.checkScalar(ci, p, p.name, v)
	case kEnum:
		a.checkEnum(ci, p, p.name, v)
	case kStrings, kInitStrings, kDates:
		if a.t.kind(v) == kindString {
			a.checkDynamicOnly(ci, p, p.name, v, "array")
			return
		}
		if a.checkStringArray(v, p.name, false) && p.kind == kDates {
			for _, e := range a.t.elements(v) {
				a.checkDate(ci, p, e)
			}
		}
	case kEnumArray:
		a.checkEnumArray(ci, p, v)
	case kAction:
		a.checkAction(ci, p, v, false)
	case kDataSource:
		a.checkDataSource(ci, p, v)
	case kListItems:
		a.checkListItems(ci, p, v)
	case kImages:
		a.checkImages(ci, p, v)
	case kChildren:
		a.checkChildList(ci, p, v, ctx)
	case kCases:
		a.checkCases(ci, v, ctx)
	case kFormObject:
		a.checkFormObject(ci, p, v)
	case kRangeString, kRangeBool:
		a.checkRangeValue(ci, p, v)
	case kErrorMessage:
		if a.t.kind(v) == kindObject {
			for mk, mv := range a.t.members(v) {
				a.checkString(ci, p, a.t.view(mk), mv, 0)
			}
			return
		}
		a.checkString(ci, p, p.name, v, 0)
	case kCondition:
		switch kd := a.t.kind(v); {
		case kd == kindString:
			a.refs = append(a.refs, refInfo{node: v, comp: ci, screen: a.comps[ci].screen, p: p, prop: p.name})
		case a.ver >= v60 && (kd == kindTrue || kd == kindFalse):
		default:
			a.reportType(v, "condition", "string")
		}
	case kSwitchValue:
		if a.t.kind(v) != kindString {
			a.reportType(v, "value", "string")
			return
		}
		a.checkDynamicOnly(ci, p, p.name, v, "")
	case kTextBlock, kRichText:
		a.checkTextBlock(ci, p, v)
	case kImageSource:
		a.checkImageSource(ci, p, p.name, v)
	case kDate:
		if a.t.kind(v) != kindString {
			a.reportType(v, p.name, "string")
			return
		}
		if a.ver >= v60 && isBlank(a.t.view(v)) {
			a.report(v, CodePatternMismatch, fmt.Sprintf("Property '%s' should not be blank or empty string.", p.name))
			return
		}
		a.checkDate(ci, p, v)
	}
}

// isDynamic reports whether s has the form of a dynamic value in version
// ver, as Meta's pattern sees it: ${data.x} (before 4.0), also ${form.x} and
// ${screen.ID.data|form.x} (4.0+), and a nested expression in backticks (6.0+).
func isDynamic(s string, ver int) bool {
	if ver >= v60 && len(s) >= 3 && s[0] == '`' && s[len(s)-1] == '`' {
		return true
	}
	if !strings.HasPrefix(s, "${") {
		return false
	}
	if ver < v40 {
		return strings.HasPrefix(s, "${data.") && len(s) > len("${data.}") && s[len(s)-1] == '}'
	}
	_, _, _, ok := splitBinding(s, true)
	return ok
}

// splitBinding parses a reference ${data.a.b}, ${form.x} or
// ${screen.ID.data.a}: it returns the screen id ("" for a local one), the
// store ("data" or "form") and the dotted key. With prefixOnly, text may
// follow the closing brace (Meta's schema pattern is not anchored at the end).
func splitBinding(s string, prefixOnly bool) (screen, store, key string, ok bool) {
	if !strings.HasPrefix(s, "${") {
		return "", "", "", false
	}
	rest := s[2:]
	if strings.HasPrefix(rest, "screen.") {
		rest = rest[len("screen."):]
		dot := strings.IndexByte(rest, '.')
		if dot < 0 {
			return "", "", "", false
		}
		screen = rest[:dot]
		for i := 0; i < len(screen); i++ {
			if c := screen[i]; c != '_' && c != ',' && (c|0x20 < 'a' || c|0x20 > 'z') {
				return "", "", "", false
			}
		}
		rest = rest[dot+1:]
	}
	switch {
	case strings.HasPrefix(rest, "data."):
		store = "data"
	case strings.HasPrefix(rest, "form."):
		store = "form"
	default:
		return "", "", "", false
	}
	rest = rest[len(store):]
	// One or more ".segment" ([A-Za-z0-9_-]+), then "}".
	i := 0
	for i < len(rest) && rest[i] == '.' {
		j := i + 1
		for j < len(rest) && isKeyByte(rest[j]) {
			j++
		}
		if j == i+1 {
			return "", "", "", false
		}
		i = j
	}
	if i == 0 || i >= len(rest) || rest[i] != '}' {
		return "", "", "", false
	}
	if !prefixOnly && i != len(rest)-1 {
		return "", "", "", false
	}
	return screen, store, rest[1:i], true
}

func isKeyByte(c byte) bool {
	return c == '_' || c == '-' || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// isBinding reports whether s is exactly one reference (nothing around it).
func isBinding(s string) bool {
	_, _, _, ok := splitBinding(s, false)
	return ok
}

// isExpression reports whether s is a nested expression (6.0+): wrapped in backticks.
func isExpression(s string, ver int) bool {
	return ver >= v60 && len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`'
}

// noteRef records a string that may refer to data or forms, to be resolved
// in the semantic phase.
func (a *analyzer) noteRef(ci int, p *prop, name string, v int) {
	s := a.t.view(v)
	if strings.HasPrefix(s, "${") || isExpression(s, a.ver) {
		a.refs = append(a.refs, refInfo{node: v, comp: ci, screen: a.comps[ci].screen, p: p, prop: name})
	}
}

// checkString checks a string property; limit is its character limit.
func (a *analyzer) checkString(ci int, p *prop, name string, v, limit int) {
	if a.t.kind(v) != kindString {
		a.reportType(v, name, "string")
		return
	}
	s := a.t.view(v)
	if p.minLen1 && s == "" {
		a.report(v, CodeMinCharsRequired, fmt.Sprintf("Property '%s' should have at least '1' character(s).", name))
		return
	}
	blankOK := a.ver < v60
	switch p.kind {
	case kText:
		blankOK = false
	case kName:
		blankOK = a.ver < v40
	}
	if !blankOK && isBlank(s) {
		a.report(v, CodePatternMismatch, fmt.Sprintf("Property '%s' should not be blank or empty string.", name))
		return
	}
	if p.kind == kName {
		if a.ver >= v60 && strings.HasPrefix(s, "${") {
			a.report(v, CodePatternMismatch,
				fmt.Sprintf("Property '%s' should not be dynamic data format of the form ${screen.data.your_value} or ${data.your_value}.", name))
		} else if isExpression(s, a.ver) {
			a.report(v, CodePatternMismatch, fmt.Sprintf("Property '%s' should not be enclosed in backticks.", name))
		}
		return
	}
	a.noteRef(ci, p, name, v)
	// A string has at least as many bytes as characters: most need no count.
	if limit > 0 && len(s) > limit && !isBinding(s) && !isExpression(s, a.ver) {
		if n := charCount(s); n > limit {
			a.warn(v, WarnCharacterLimit, fmt.Sprintf("Property '%s' should have at most '%d' character(s), but found %d: the device truncates the rest.", name, limit, n))
		}
	}
}

// dynamicForm is how Meta's messages describe a dynamic value in version ver.
func dynamicForm(ver int) string {
	if ver < v40 {
		return "${data.your_value}"
	}
	return "${screen.data.your_value} or ${data.your_value}"
}

// checkDynamicOnly checks a string given where a non-string value or a
// dynamic reference is expected; want names the static type ("" when none).
func (a *analyzer) checkDynamicOnly(ci int, p *prop, name string, v int, want string) bool {
	s := a.t.view(v)
	if !isDynamic(s, a.ver) {
		if want == "" {
			a.report(v, CodePatternMismatch, fmt.Sprintf("Property '%s' should have dynamic data format of the form %s.", name, dynamicForm(a.ver)))
		} else {
			a.report(v, CodePatternMismatch,
				fmt.Sprintf("Property '%s' should be of type '%s' or have dynamic data format of the form %s.", name, want, dynamicForm(a.ver)))
		}
		return false
	}
	a.noteRef(ci, p, name, v)
	return true
}

// checkScalar checks a boolean, number or integer property.
func (a *analyzer) checkScalar(ci int, p *prop, name string, v int) {
	want := "boolean"
	switch p.kind {
	case kNumber:
		want = "number"
	case kInteger, kIntStatic:
		want = "integer"
	}
	kd := a.t.kind(v)
	if kd == kindString && p.kind != kIntStatic && p.kind != kBoolStatic {
		a.checkDynamicOnly(ci, p, name, v, want)
		return
	}
	good := false
	switch want {
	case "boolean":
		good = kd == kindTrue || kd == kindFalse
	case "number":
		good = kd == kindNumber
	case "integer":
		good = kd == kindNumber && a.t.isInteger(v)
	}
	if !good {
		found := kd.typeName()
		if kd == kindNumber {
			found = "number"
		}
		a.report(v, CodeInvalidPropertyType, fmt.Sprintf("Expected property '%s' to be of type %s, but found %s.", name, want, found))
		return
	}
	if kd != kindNumber || !p.hasMin {
		return
	}
	f := a.t.number(v)
	switch {
	case f < p.min:
		a.report(v, CodeMinimumValueRequired, fmt.Sprintf("The minimum value allowed for property '%s' is %s.", name, formatNumber(p.min)))
	case p.max > 0 && f > p.max:
		a.report(v, CodeMaximumValueRequired, fmt.Sprintf("The maximum value allowed for property '%s' is %s.", name, formatNumber(p.max)))
	}
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// checkEnum checks a property limited to the strings of p.enum.
func (a *analyzer) checkEnum(ci int, p *prop, name string, v int) {
	if a.t.kind(v) != kindString {
		a.reportType(v, name, "string")
		return
	}
	s := a.t.view(v)
	if p.dyn && isDynamic(s, a.ver) {
		a.noteRef(ci, p, name, v)
		return
	}
	for _, e := range p.enum {
		if e == s {
			return
		}
	}
	a.report(v, CodeInvalidEnumValue, fmt.Sprintf("Value should be one of: %s.", listOf(p.enum...)))
}

// checkEnumArray checks an array of enum strings (include-days, allowed-mime-types).
func (a *analyzer) checkEnumArray(ci int, p *prop, v int) {
	if a.t.kind(v) == kindString && p.dyn {
		a.checkDynamicOnly(ci, p, p.name, v, "array")
		return
	}
	if a.t.kind(v) != kindArray {
		a.reportType(v, p.name, "array")
		return
	}
	if a.t.isEmpty(v) {
		a.report(v, CodeMinItemsRequired, fmt.Sprintf("Property '%s' should have at least '1' item.", p.name))
		return
	}
	for idx, e := range a.t.elements(v) {
		if a.t.kind(e) != kindString {
			a.reportType(e, p.name+"["+strconv.Itoa(idx)+"]", "string")
			continue
		}
		known := false
		for _, x := range p.enum {
			known = known || x == a.t.view(e)
		}
		if !known {
			a.report(e, CodeInvalidEnumValue, fmt.Sprintf("Value should be one of: %s.", listOf(p.enum...)))
		}
	}
}

// checkTextBlock checks the text of TextBody, TextCaption and RichText.
func (a *analyzer) checkTextBlock(ci int, p *prop, v int) {
	arrays := p.kind == kRichText || a.ver >= v51
	if a.t.kind(v) == kindArray && arrays {
		total := 0
		for idx, e := range a.t.elements(v) {
			name := "text[" + strconv.Itoa(idx) + "]"
			if a.t.kind(e) != kindString {
				a.reportType(e, name, "string")
				continue
			}
			s := a.t.view(e)
			if (p.kind == kRichText && s == "") || (p.kind == kTextBlock && isBlank(s)) {
				a.report(e, CodePatternMismatch, fmt.Sprintf("Property '%s' should not be blank or empty string.", name))
				continue
			}
			if isBinding(s) {
				a.refs = append(a.refs, refInfo{node: e, comp: ci, screen: a.comps[ci].screen, p: p, prop: "text", inArr: true})
			}
			total += charCount(s)
		}
		if p.limit > 0 && total > p.limit {
			a.warn(v, WarnCharacterLimit, fmt.Sprintf("Property 'text' should have at most '%d' character(s), but found %d: the device truncates the rest.", p.limit, total))
		}
		return
	}
	if a.t.kind(v) != kindString {
		want := "string"
		if arrays {
			want = "string or array"
		}
		a.reportType(v, "text", want)
		return
	}
	if p.kind == kRichText {
		s := a.t.view(v)
		if a.ver >= v60 && isBlank(s) {
			a.report(v, CodePatternMismatch, "Property 'text' should not be blank or empty string.")
			return
		}
		if strings.Contains(s, "${") && !isBinding(s) {
			a.refs = append(a.refs, refInfo{node: v, comp: ci, screen: a.comps[ci].screen, p: p, prop: "text", rich: true})
			return
		}
		a.noteRef(ci, p, "text", v)
		return
	}
	a.checkString(ci, &prop{name: "text", kind: kText}, "text", v, p.limit)
}

// checkImageSource checks a base64 image (or a dynamic reference).
func (a *analyzer) checkImageSource(ci int, p *prop, name string, v int) {
	if a.t.kind(v) != kindString {
		a.reportType(v, name, "string")
		return
	}
	s := a.t.view(v)
	if strings.HasPrefix(s, "${") || isExpression(s, a.ver) {
		a.noteRef(ci, p, name, v)
		return
	}
	if !isBase64(s) {
		a.deferred(v, CodeInvalidPropertyValue, "Image source is not in a valid base64 format.")
	}
}

// checkImageSize warns of a static base64 image of more than limitKB
// kilobytes once decoded (the images of list items: 300 KB before 6.0, 100 KB
// from 6.0): WhatsApp shows a placeholder instead.
func (a *analyzer) checkImageSize(v, limitKB int) {
	if a.t.kind(v) != kindString {
		return
	}
	s := a.t.view(v)
	if strings.HasPrefix(s, "${") || isExpression(s, a.ver) || !isBase64(s) {
		return
	}
	if size := base64Size(s); size > limitKB*1024 {
		a.warn(v, WarnImageSize, fmt.Sprintf("Image size should not exceed %d KB, but found %d KB: WhatsApp shows a placeholder instead.", limitKB, (size+1023)/1024))
	}
}

// base64Size is the number of bytes base64 text s decodes to.
func base64Size(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\r', '\f', '=':
		default:
			n++
		}
	}
	return n * 3 / 4
}

// isBase64 reports whether s decodes as standard base64, as a browser's atob
// sees it: ASCII white space is ignored, padding is optional.
func isBase64(s string) bool {
	n, pad := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			continue
		case c == '=':
			pad++
			continue
		case pad > 0:
			return false
		case c == '+' || c == '/' || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z'):
			n++
		default:
			return false
		}
	}
	if pad > 2 || (pad > 0 && (n+pad)%4 != 0) {
		return false
	}
	return n%4 != 1
}

// checkChildList checks the children of a Form or the branches of an If.
func (a *analyzer) checkChildList(ci int, p *prop, v int, ctx walkCtx) {
	if a.t.kind(v) != kindArray {
		a.reportType(v, p.name, "array")
		return
	}
	c := a.comps[ci]
	inner := walkCtx{screen: ctx.screen, parent: ci, branch: v, inForm: ctx.inForm}
	if c.typ == cForm {
		if a.t.isEmpty(v) {
			a.report(v, CodeMinItemsRequired, "Property 'children' should have at least '1' item.")
			return
		}
		inner.where, inner.inForm = inForm, true
	} else {
		inner.where = inIf
		if ctx.where == inIf {
			inner.ifDepth = ctx.ifDepth + 1
		}
		if p.name == "then" && a.t.isEmpty(v) {
			a.deferred(v, CodeInvalidPropertyValue, "Expected array to contain at least one component.")
		}
	}
	a.checkChildren(v, inner)
}

// switchCaseKey is the pattern of the keys of a Switch's cases.
func isSwitchCaseKey(s string) bool {
	if s == "" || (s[0]|0x20 < 'a' || s[0]|0x20 > 'z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isKeyByte(s[i]) {
			return false
		}
	}
	return true
}

func (a *analyzer) checkCases(ci, v int, ctx walkCtx) {
	if a.t.kind(v) != kindObject {
		a.reportType(v, "cases", "object")
		return
	}
	if a.t.isEmpty(v) {
		a.deferred(v, CodeInvalidPropertyValue, "Invalid empty property found at: "+pathMark+".")
		return
	}
	for k, arr := range a.t.members(v) {
		if !isSwitchCaseKey(a.t.view(k)) {
			a.report(k, CodePatternMismatch, fmt.Sprintf("%s should match the pattern '^[a-zA-Z][a-zA-Z0-9-_]*$'.", quoteValue(a.t.view(k))))
			continue
		}
		if a.t.kind(arr) != kindArray {
			a.reportType(arr, a.t.view(k), "array")
			continue
		}
		a.checkChildren(arr, walkCtx{screen: ctx.screen, where: inSwitch, parent: ci, branch: arr, inForm: ctx.inForm})
	}
}

// checkFormObject checks a Form's init-values or error-messages.
func (a *analyzer) checkFormObject(ci int, p *prop, v int) {
	switch a.t.kind(v) {
	case kindString:
		a.checkDynamicOnly(ci, p, p.name, v, "object")
	case kindObject:
		if p.name == "error-messages" && a.ver < v60 {
			for mk, mv := range a.t.members(v) {
				if a.t.kind(mv) != kindString {
					a.reportType(mv, a.t.view(mk), "string")
				}
			}
		}
	default:
		a.reportType(v, p.name, "object")
	}
}

// checkRangeValue checks a CalendarPicker property that is a plain value in
// single mode and {"start-date": …, "end-date": …} in range mode. Which form
// the mode needs is judged in the semantic phase.
func (a *analyzer) checkRangeValue(ci int, p *prop, v int) {
	base := prop{name: p.name, kind: kString, limit: p.limit}
	if p.kind == kRangeBool {
		base.kind = kBool
	}
	check := func(name string, x int) {
		if base.kind == kBool {
			a.checkScalar(ci, &base, name, x)
		} else {
			a.checkString(ci, &base, name, x, base.limit)
		}
	}
	if a.t.kind(v) == kindObject {
		for mk, mv := range a.t.members(v) {
			switch a.t.view(mk) {
			case "start-date", "end-date":
				check(a.t.view(mk), mv)
			}
		}
		return
	}
	if p.kind == kRangeBool && a.t.kind(v) != kindString && a.t.kind(v) != kindTrue && a.t.kind(v) != kindFalse {
		a.reportType(v, p.name, "boolean or object")
		return
	}
	if p.kind == kRangeString && a.t.kind(v) != kindString {
		a.reportType(v, p.name, "string or object")
		return
	}
	check(p.name, v)
}

// checkDate checks a date value: "YYYY-MM-DD" from 5.0, a timestamp in
// milliseconds before (both as strings); dynamic values are skipped.
func (a *analyzer) checkDate(ci int, p *prop, v int) {
	if a.t.kind(v) != kindString {
		return
	}
	s := a.t.view(v)
	if strings.HasPrefix(s, "${") || isExpression(s, a.ver) {
		a.noteRef(ci, p, p.name, v)
		return
	}
	if _, ok := dateValue(s, a.ver); !ok {
		a.deferred(v, CodeInvalidPropertyValueFormat, fmt.Sprintf("Property '%s' should be in '%s' format.", p.name, dateFormat(a.ver)))
	}
}
