package flowjson

// This file holds the semantic rules of dynamic references (${data…}, ${form…}, ${screen…}): resolving
// them against data models and forms, and the types they bind (section B.5).

import (
	"fmt"
	"strconv"
	"strings"
)

// Data types as bits, for the types a property accepts from a reference.
const (
	tString uint8 = 1 << iota
	tNumber
	tBoolean
	tObject
	tArray
)

var typeNames = [...]string{"string", "number", "boolean", "object", "array"}

// typeBit returns the bit of data type name ("integer" counts as number).
func typeBit(name string) uint8 {
	switch name {
	case "string":
		return tString
	case "number", "integer":
		return tNumber
	case "boolean":
		return tBoolean
	case "object":
		return tObject
	case "array":
		return tArray
	}
	return 0
}

// expectedTypes returns the data types a reference may resolve to for a
// property of kind k: the types Meta's schema for that property allows. A
// reference to a string field is no escape for a boolean, number or array
// property: Meta's validator reports it, as in "Expected
// 'screens[0].data.x' to be of type 'boolean'." (see the package doc).
func expectedTypes(k propKind) uint8 {
	switch k {
	case kBool:
		return tBoolean
	case kRangeBool:
		return tBoolean | tObject
	case kNumber, kInteger:
		return tNumber
	case kStrings, kDates, kInitStrings, kEnumArray, kDataSource, kListItems, kImages:
		return tArray
	case kFormObject:
		return tObject
	case kErrorMessage, kRangeString:
		return tString | tObject
	case kTextBlock, kRichText:
		return tString | tArray
	case kSwitchValue, kCondition:
		return tString | tNumber | tBoolean | tObject | tArray
	}
	return tString
}

// describeTypes formats the types of mask as Meta's messages do.
func describeTypes(mask uint8) (string, bool) {
	var names []string
	for i, n := range typeNames {
		if mask&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	if len(names) == 1 {
		return "'" + names[0] + "'", true
	}
	return listOf(names...), false
}

// dataLookup is the outcome of resolving a key against a data model.
type dataLookup struct {
	schema  int    // the schema node of the key, -1 when not found
	missing bool   // the top-level field is not declared
	inArray string // the segment that sits in an array schema
	absent  string // the nested segment that is not declared
	screen  int
	key     string
}

// path names the schema of a key that was found: "screens[i].data.a.properties.b". It is built only for
// messages, as building it for every reference would cost the square of a deep key's length.
func (l dataLookup) path() string {
	return "screens[" + strconv.Itoa(l.screen) + "].data." + strings.ReplaceAll(l.key, ".", ".properties.")
}

// dataKey names one lookupData question.
type dataKey struct {
	screen int
	key    string
}

// lookupData resolves dotted key against the data model of screen si. Answers
// are remembered: a document may repeat one deep reference a million times.
func (a *analyzer) lookupData(si int, key string) dataLookup {
	if l, ok := a.looked[dataKey{si, key}]; ok {
		return l
	}
	l := a.resolveData(si, key)
	if a.looked == nil {
		a.looked = map[dataKey]dataLookup{}
	}
	a.looked[dataKey{si, key}] = l
	return l
}

// resolveData walks dotted key down the data model of screen si.
func (a *analyzer) resolveData(si int, key string) dataLookup {
	out := dataLookup{schema: -1, screen: si, key: key}
	data := a.screens[si].data
	first, rest, _ := strings.Cut(key, ".")
	if data < 0 {
		out.missing = true
		return out
	}
	schema := a.member(data, first)
	if schema < 0 || first == "required" {
		out.missing = true
		return out
	}
	for rest != "" {
		var seg string
		seg, rest, _ = strings.Cut(rest, ".")
		typ := a.schemaType(schema)
		switch typ {
		case "array":
			out.inArray = seg
			return out
		case "object":
			props := a.member(schema, "properties")
			next := -1
			if props >= 0 {
				next = a.member(props, seg)
			}
			if next < 0 {
				out.absent = seg
				return out
			}
			schema = next
		default:
			out.missing = true
			return out
		}
	}
	out.schema = schema
	return out
}

// schemaType returns the "type" of a data schema node.
func (a *analyzer) schemaType(schema int) string {
	if t := a.member(schema, "type"); t >= 0 && a.t.kind(t) == kindString {
		return a.t.view(t)
	}
	return ""
}

// refTarget resolves the screen of a reference seen on screen si; it
// returns -1 when the named screen does not exist.
func (a *analyzer) refTarget(si int, screen string) int {
	if screen == "" {
		return si
	}
	return a.screenIndex(screen)
}

// checkRefs resolves the references and expressions met in components and
// titles, and checks If conditions.
func (a *analyzer) checkRefs() {
	for i := range a.refs {
		if a.past(a.refs[i].node) {
			return
		}
		r := &a.refs[i]
		s := a.t.view(r.node)
		if r.p != nil && r.p.kind == kFormObject && a.ver >= v60 {
			// Meta stopped resolving a Form's dynamic init-values and
			// error-messages in 6.0: the endpoint fills them.
			continue
		}
		switch {
		case r.rich:
			if a.ver >= v60 && hasInterpolation(s) {
				a.report(r.node, CodeInvalidPropertyValue,
					"String interpolation is not supported by RichText component. Either use static value (e.g. \"# Title\") or dynamic only (e.g. \"${data.title}\").")
			}
		case r.inArr:
			a.report(r.node, CodeInvalidTextDynamicData,
				fmt.Sprintf("Every item of the array in the 'text' property of %s on the screen %s should be a static string. Please remove dynamic binding - %s from the item of the array.",
					a.comps[r.comp].typ, quoteValue(a.screens[r.screen].id), s))
		case r.p != nil && r.p.kind == kCondition:
			if isExpression(s, a.ver) {
				a.checkExpression(r, tBoolean)
			} else {
				a.checkCondition(r)
			}
		case isExpression(s, a.ver):
			if r.p == nil || r.p.kind != kSwitchValue {
				want := tString
				if r.p != nil {
					want = expectedTypes(r.p.kind)
				}
				a.checkExpression(r, want)
			}
		case isBinding(s) && (a.ver >= v40 || strings.HasPrefix(s, "${data.")):
			a.checkBinding(r, s)
		}
	}
}

// hasInterpolation reports a reference embedded in other text.
func hasInterpolation(s string) bool {
	i := strings.Index(s, "${")
	return i >= 0 && strings.Contains(s[i:], "}")
}

// componentLabel describes the component and property of a reference for messages.
func (a *analyzer) componentLabel(r *refInfo) (string, string) {
	if r.comp < 0 {
		return "screen", r.prop
	}
	return a.comps[r.comp].typ.String(), r.prop
}

// checkBinding resolves a reference given as a property value and checks
// the type it resolves to.
func (a *analyzer) checkBinding(r *refInfo, s string) {
	screen, store, key, _ := splitBinding(s, false)
	cur := &a.screens[r.screen]
	compName, propName := a.componentLabel(r)
	target := r.screen
	if screen != "" {
		if screen == cur.id {
			a.report(r.node, CodeInvalidScreenDynamicData,
				fmt.Sprintf("Global dynamic data '%s' used on screen %s for %s property '%s' is invalid since screen %s represents current screen. Convert expression to local referencing of the form ${%s.<property>}.",
					s, quoteValue(cur.id), compName, propName, quoteValue(cur.id), store))
			return
		}
		if target = a.screenIndex(screen); target < 0 {
			a.report(r.node, CodeInvalidScreenDynamicData,
				fmt.Sprintf("Global dynamic data '%s' used on screen %s for %s property '%s' is invalid since screen %s is missing in the Flow JSON.",
					s, quoteValue(cur.id), compName, propName, quoteValue(screen)))
			return
		}
	}
	want := tString
	if r.p != nil {
		want = expectedTypes(r.p.kind)
	}
	if store == "form" {
		name, _, _ := strings.Cut(key, ".")
		ci, ok := a.screens[target].names[name]
		if !ok {
			kind := "Dynamic data"
			if screen != "" {
				kind = "Global Dynamic data"
			}
			a.report(r.node, CodeInvalidScreenDynamicData,
				fmt.Sprintf("%s '%s' from screen %s does not exist, but is used on screen %s.", kind, s, quoteValue(a.screens[target].id), quoteValue(cur.id)))
			return
		}
		vt := a.valueType(ci)
		if vt == "" {
			a.report(r.node, CodeInvalidScreenDynamicData, fmt.Sprintf("Value of '%s' component cannot be used in form binding.", a.comps[ci].typ))
			return
		}
		if typeBit(vt)&want == 0 {
			desc, _ := describeTypes(want)
			kind := "form data"
			if screen != "" {
				kind = "global form data"
			}
			a.report(r.node, CodeInvalidScreenDynamicData, fmt.Sprintf("Found invalid %s. Expected '%s' to be of type %s.", kind, s, strings.Trim(desc, "'")))
		}
		return
	}
	look := a.lookupData(target, key)
	switch {
	case look.missing:
		a.report(r.node, CodeInvalidScreenDynamicData, fmt.Sprintf("Missing dynamic data '%s' in the screen data model.", s))
		return
	case look.inArray != "":
		a.report(r.node, CodeInvalidScreenDynamicData,
			fmt.Sprintf("%s on screen %s for %s property '%s' is invalid as '%s' is defined in an array schema in the data model.", s, quoteValue(cur.id), compName, propName, look.inArray))
		return
	case look.absent != "":
		a.report(r.node, CodeInvalidScreenDynamicData,
			fmt.Sprintf("Dynamic data '%s' is invalid as its schema is missing in the data model of screen %s.", s, quoteValue(a.screens[target].id)))
		return
	}
	typ := a.schemaType(look.schema)
	if typeBit(typ)&want == 0 {
		desc, single := describeTypes(want)
		if single {
			a.report(r.node, CodeInvalidScreenDynamicData, fmt.Sprintf("Expected '%s' to be of type %s.", look.path(), desc))
		} else {
			a.report(r.node, CodeInvalidScreenDynamicData, fmt.Sprintf("Expected '%s' to be of one of these types: %s.", look.path(), desc))
		}
		return
	}
	if typ == "array" && r.p != nil {
		a.checkItemSchema(r, s, look.schema)
	}
}

// itemRequired lists the properties the items of a dynamic array must declare.
func itemRequired(k propKind) []string {
	switch k {
	case kDataSource:
		return []string{"id", "title"}
	case kListItems:
		return []string{"id", "main-content"}
	case kImages:
		return []string{"src", "alt-text"}
	}
	return nil
}

// checkItemSchema checks that the items of a data model array bound to
// data-source, list-items or images declare what each item needs.
func (a *analyzer) checkItemSchema(r *refInfo, s string, schema int) {
	req := itemRequired(r.p.kind)
	if req == nil {
		return
	}
	items := a.member(schema, "items")
	if items < 0 || a.t.kind(items) != kindObject {
		return
	}
	if typ := a.schemaType(items); typ != "object" {
		a.report(r.node, CodeInvalidScreenDynamicData, fmt.Sprintf("Expected the items of '%s' to be of type 'object'.", s))
		return
	}
	props := a.member(items, "properties")
	for _, name := range req {
		if props < 0 || a.member(props, name) < 0 {
			a.report(r.node, CodeInvalidScreenDynamicData, fmt.Sprintf("Data model schema is invalid for '%s'. Missing schema for %s.", s, name))
			return
		}
	}
}

// refType returns the data type a reference resolves to on screen si
// ("" when it does not resolve to a value), and a message when it does not
// resolve at all.
func (a *analyzer) refType(si int, s string) (string, string) {
	screen, store, key, ok := splitBinding(s, false)
	if !ok {
		return "", "Invalid reference '" + s + "'."
	}
	target := a.refTarget(si, screen)
	if target < 0 {
		return "", fmt.Sprintf("The following property '%s' does not exist in the screen data model.", screen)
	}
	first, _, _ := strings.Cut(key, ".")
	if store == "form" {
		ci, ok := a.screens[target].names[first]
		if !ok {
			return "", fmt.Sprintf("The following property '%s' does not exist in the screen data model.", first)
		}
		return a.valueType(ci), ""
	}
	look := a.lookupData(target, key)
	switch {
	case look.missing:
		return "", fmt.Sprintf("The following property '%s' does not exist in the screen data model.", first)
	case look.inArray != "":
		return "", fmt.Sprintf("The following property '%s' does not exist in the screen data model.", look.inArray)
	case look.absent != "":
		return "", fmt.Sprintf("The following property '%s' does not exist in the screen data model.", look.absent)
	}
	return a.schemaType(look.schema), ""
}

// exprType returns the type of a reference or nested expression on screen
// si, "" when it cannot be told.
func (a *analyzer) exprType(si int, s string) string {
	if isExpression(s, a.ver) {
		typ, err := a.evalExpression(si, s)
		if err != "" {
			return ""
		}
		return typ
	}
	typ, _ := a.refType(si, s)
	return typ
}
