package flowjson

// This file holds the semantic rules of single components: If and Switch Footers, minimum and maximum
// pairs, dates and CalendarPicker modes, NavigationList, Form init-values and error-messages.

import (
	"fmt"
	"strconv"
	"time"
)

// checkComponentRules applies the semantic rules of one component.
func (a *analyzer) checkComponentRules(si, ci int) {
	c := &a.comps[ci]
	switch c.typ {
	case cIf:
		a.checkIfFooters(ci)
	case cSwitch:
		a.checkSwitchFooters(ci)
	case cTextInput:
		if a.ver >= v62 && a.member(c.node, "pattern") >= 0 && a.member(c.node, "helper-text") < 0 {
			a.reportMissing(c.node, CodeMissingRequiredProperty, "Required property 'helper-text' is missing.")
		}
		a.checkMinMax(ci, "min-chars", "max-chars")
	case cCheckboxGroup, cChipsSelector:
		a.checkMinMax(ci, "min-selected-items", "max-selected-items")
	case cPhotoPicker:
		a.checkMinMax(ci, "min-uploaded-photos", "max-uploaded-photos")
	case cDocumentPicker:
		a.checkMinMax(ci, "min-uploaded-documents", "max-uploaded-documents")
	case cDatePicker:
		a.checkDateRange(ci, a.member(c.node, "init-value"))
	case cCalendarPicker:
		a.checkCalendar(ci)
	case cNavigationList:
		a.checkNavigationList(si, ci)
	case cForm:
		a.checkFormValues(si, ci)
	}
}

func (a *analyzer) checkIfFooters(ci int) {
	node := a.comps[ci].node
	then, els := a.member(node, "then"), a.member(node, "else")
	th, eh := false, false
	a.branches(ci, func(arr int, c typeCounts) {
		if c[cFooter] > 0 {
			th = th || arr == then
			eh = eh || arr == els
		}
	})
	switch {
	case th && els < 0:
		a.report(a.typeNode(ci), CodeMissingFooterInIfElseBranches,
			"Missing Footer inside one of the 'If' component branches. Branch 'else' should exist and contain one Footer.")
	case th != eh && els >= 0:
		lacking := a.keyOf(node, "then")
		if th {
			lacking = a.keyOf(node, "else")
		}
		a.report(lacking, CodeMissingFooterInIfElseBranches,
			"Footer component must be present in all branches of 'If' component if it exists in any one branch.")
	}
}

func (a *analyzer) checkSwitchFooters(ci int) {
	cases := a.member(a.comps[ci].node, "cases")
	if cases < 0 {
		return
	}
	// The cases with a Footer, in document order (a subset of the cases).
	var with []int
	a.branches(ci, func(arr int, c typeCounts) {
		if c[cFooter] > 0 {
			with = append(with, arr)
		}
	})
	if len(with) == 0 {
		return
	}
	next := 0
	for k, arr := range a.t.members(cases) {
		if next < len(with) && with[next] == arr {
			next++
			continue
		}
		a.report(k, CodeMissingFooterInSwitchBranches,
			"Footer component must be present in all switch cases if it exists in one of the cases.")
		return
	}
}

// staticNumber returns the value of property name of object obj when it is
// a number.
func (a *analyzer) staticNumber(obj int, name string) (float64, int, bool) {
	v := a.member(obj, name)
	if v < 0 || a.t.kind(v) != kindNumber {
		return 0, v, false
	}
	return a.t.number(v), v, true
}

// checkMinMax reports a minimum property greater than its maximum.
func (a *analyzer) checkMinMax(ci int, minName, maxName string) {
	node := a.comps[ci].node
	mn, mnNode, ok1 := a.staticNumber(node, minName)
	mx, _, ok2 := a.staticNumber(node, maxName)
	if !ok1 || !ok2 || mn <= mx {
		return
	}
	if t := a.comps[ci].typ; t.isNative() {
		// Meta's media-upload page words it so.
		a.report(mnNode, CodeMinValueGreaterThanMax,
			fmt.Sprintf("%q cannot be greater than %q for %s component %s.", minName, maxName, t, a.compName(ci)))
		return
	}
	a.report(mnNode, CodeMinValueGreaterThanMax,
		fmt.Sprintf("'%s' cannot be greater than '%s' for %s %s.", minName, maxName, a.comps[ci].typ, quoteValue(a.compName(ci))))
}

// dateFormat is how dates are written in version ver.
func dateFormat(ver int) string {
	if ver < v50 {
		return "timestamp in milliseconds"
	}
	return "YYYY-MM-DD"
}

// dateValue parses a date of version ver into a comparable number: a
// timestamp in milliseconds before 5.0, a "YYYY-MM-DD" calendar date from 5.0.
func dateValue(s string, ver int) (int64, bool) {
	if ver < v50 {
		if s == "" || len(s) > 18 {
			return 0, false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	if len(s) != 10 {
		return 0, false
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return d.Unix(), true
}

// staticDate returns the date of string node v, when v is a static, well-formed date.
func (a *analyzer) staticDate(v int) (int64, bool) {
	if v < 0 || a.t.kind(v) != kindString {
		return 0, false
	}
	return dateValue(a.t.view(v), a.ver)
}

// checkDateRange applies the range rules of DatePicker and CalendarPicker:
// min-date not after max-date, unavailable dates and the initial value
// (static, or the start and end of a range) within them.
func (a *analyzer) checkDateRange(ci int, initValue int) {
	node := a.comps[ci].node
	minNode, maxNode := a.member(node, "min-date"), a.member(node, "max-date")
	lo, hasLo := a.staticDate(minNode)
	hi, hasHi := a.staticDate(maxNode)
	if hasLo && hasHi && lo > hi {
		a.report(minNode, CodeMinValueGreaterThanMax,
			fmt.Sprintf("'min-date' cannot be greater than 'max-date' for %s %s.", a.comps[ci].typ, quoteValue(a.compName(ci))))
		return
	}
	str := func(v int) string {
		if v < 0 || a.t.kind(v) != kindString {
			return ""
		}
		return a.t.view(v)
	}
	inRange := func(v int, prop string) {
		d, ok := a.staticDate(v)
		if ok && ((hasLo && d < lo) || (hasHi && d > hi)) {
			a.report(v, CodeInvalidPropertyValue, fmt.Sprintf("The value of property '%s' of component '%s' must be in the range of [%s, %s].",
				prop, a.comps[ci].typ, str(minNode), str(maxNode)))
		}
	}
	if u := a.member(node, "unavailable-dates"); u >= 0 && a.t.kind(u) == kindArray {
		for _, d := range a.t.elements(u) {
			inRange(d, "unavailable-dates")
		}
	}
	if initValue < 0 {
		return
	}
	if a.t.kind(initValue) == kindObject {
		start, end := a.member(initValue, "start-date"), a.member(initValue, "end-date")
		s, ok1 := a.staticDate(start)
		e, ok2 := a.staticDate(end)
		if ok1 && ok2 && s > e {
			a.report(start, CodeMinValueGreaterThanMax,
				fmt.Sprintf("'start-date' cannot be greater than 'end-date' for %s %s.", a.comps[ci].typ, quoteValue(a.compName(ci))))
			return
		}
		inRange(start, "init-value")
		inRange(end, "init-value")
		return
	}
	inRange(initValue, "init-value")
}

// calendarMode returns the static mode of a CalendarPicker: "single" by
// default, "" when it is dynamic.
func (a *analyzer) calendarMode(ci int) string {
	m := a.member(a.comps[ci].node, "mode")
	if m < 0 {
		return "single"
	}
	if s := a.t.view(m); s == "single" || s == "range" {
		return s
	}
	return ""
}

// checkCalendar applies the mode-dependent rules of a CalendarPicker.
func (a *analyzer) checkCalendar(ci int) {
	node := a.comps[ci].node
	mode := a.calendarMode(ci)
	if mode == "" {
		return
	}
	if mode == "single" {
		for _, name := range [...]string{"title", "description", "min-days", "max-days"} {
			if k := a.keyOf(node, name); k >= 0 {
				a.report(k, CodeInvalidPropertyNameForCondition,
					fmt.Sprintf("Cannot set property '%s' when 'mode' is not set to 'range' for component 'CalendarPicker'.", name))
			}
		}
	} else {
		a.checkMinMax(ci, "min-days", "max-days")
	}
	for _, name := range [...]string{"label", "helper-text", "required", "init-value", "error-message"} {
		v := a.member(node, name)
		if v < 0 {
			continue
		}
		isObj := a.t.kind(v) == kindObject
		switch {
		case mode == "single" && isObj:
			a.report(v, CodeInvalidPropertyType,
				fmt.Sprintf("Expected property '%s' to be of type %s when 'mode' is 'single', but found object.", name, calendarBaseType(name)))
		case mode == "range" && !isObj && !isDynamic(a.t.view(v), a.ver):
			a.report(v, CodeInvalidPropertyType,
				fmt.Sprintf("Expected property '%s' to be of type object {\"start-date\", \"end-date\"} when 'mode' is 'range', but found %s.", name, a.t.kind(v).typeName()))
		case mode == "range" && isObj:
			for mk := range a.t.members(v) {
				if n := a.t.view(mk); n != "start-date" && n != "end-date" {
					a.report(mk, CodeInvalidPropertyKey,
						fmt.Sprintf("Property %s cannot be specified at %s of CalendarPicker: in 'range' mode it only takes 'start-date' and 'end-date'.", quoteValue(n), name))
				}
			}
			if a.member(v, "start-date") < 0 {
				a.reportMissing(v, CodeMissingRequiredProperty, "Required property 'start-date' is missing.")
			}
			if name == "label" && a.member(v, "end-date") < 0 {
				a.reportMissing(v, CodeMissingRequiredProperty, "Required property 'end-date' is missing.")
			}
		}
	}
	init := a.member(node, "init-value")
	if init >= 0 {
		dates := []int{init}
		if a.t.kind(init) == kindObject {
			dates = []int{a.member(init, "start-date"), a.member(init, "end-date")}
		}
		for _, d := range dates {
			if d >= 0 && a.t.kind(d) == kindString && !isDynamic(a.t.view(d), a.ver) {
				if _, ok := dateValue(a.t.view(d), a.ver); !ok {
					a.report(d, CodeInvalidPropertyValueFormat, "Property 'init-value' should be in 'YYYY-MM-DD' format.")
					return
				}
			}
		}
	}
	a.checkDateRange(ci, init)
}

func calendarBaseType(name string) string {
	if name == "required" {
		return "boolean"
	}
	return "string"
}

// checkNavigationList applies the rules of a NavigationList with static items.
func (a *analyzer) checkNavigationList(si, ci int) {
	node := a.comps[ci].node
	items := a.member(node, "list-items")
	if items < 0 || a.t.kind(items) != kindArray {
		return
	}
	compAction := a.keyOf(node, "on-click-action")
	badges, withAction, count := 0, 0, 0
	firstItemAction := -1
	large := false
	if ms := a.member(node, "media-size"); ms >= 0 && a.t.view(ms) == "large" {
		large = true
	}
	for _, item := range a.t.elements(items) {
		count++
		if a.member(item, "badge") >= 0 {
			badges++
		}
		if k := a.keyOf(item, "on-click-action"); k >= 0 {
			withAction++
			if firstItemAction < 0 {
				firstItemAction = k
			}
		}
		end := a.member(item, "end")
		if end < 0 || a.t.kind(end) != kindObject {
			continue
		}
		if large {
			a.report(a.member(node, "media-size"), CodeInvalidPropertyValueForCondition,
				"Cannot set property 'media-size' to 'large' when 'end' add-on is present for component 'NavigationList'.")
			large = false
		}
		if n := a.t.count(end); n < 1 || n > 2 {
			a.report(end, CodeDuplicatePropertyForCondition,
				"For the 'NavigationList' component, 'end' add-on should have at least 1 and at most 2 of 'title', 'metadata' or 'description'.")
		}
	}
	if badges > 1 {
		a.report(items, CodeMaxItemsRequired, "Property 'list-items' should have at most '1' badge item.")
	}
	switch {
	case compAction >= 0 && withAction > 0:
		a.report(firstItemAction, CodeDuplicatePropertyForCondition,
			"For the 'NavigationList' component, 'on-click-action' can only be defined at either root level or within the 'list-items', but not both.")
	case compAction < 0 && withAction < count:
		a.reportMissing(node, CodeMissingRequiredProperty, "Required property 'on-click-action' is missing.")
	}
}

// valueType is the data type of the value a component holds, as form
// references and init-values see it ("" for components without a value).
func (a *analyzer) valueType(ci int) string {
	switch a.comps[ci].typ {
	case cCheckboxGroup, cChipsSelector, cPhotoPicker, cDocumentPicker:
		return "array"
	case cDatePicker, cDropdown, cRadioButtonsGroup, cTextArea, cNavigationList:
		return "string"
	case cCalendarPicker:
		if a.calendarMode(ci) == "range" {
			return "object"
		}
		return "string"
	case cTextInput:
		if it := a.member(a.comps[ci].node, "input-type"); it >= 0 {
			if s := a.t.view(it); s == "number" || s == "passcode" {
				return "number"
			}
		}
		return "string"
	case cOptIn:
		return "boolean"
	}
	return ""
}

// formField returns the component named name inside Form comps[form], or -1.
func (a *analyzer) formField(form int, name string) int {
	if j, ok := a.screens[a.comps[form].screen].names[name]; ok && j > form && j < a.ends[form] {
		return j
	}
	return -1
}

// checkFormValues applies the rules of a Form's init-values and error-messages.
func (a *analyzer) checkFormValues(si, ci int) {
	node := a.comps[ci].node
	if iv := a.member(node, "init-values"); iv >= 0 && a.t.kind(iv) == kindObject {
		for k, v := range a.t.members(iv) {
			name := a.t.view(k)
			field := a.formField(ci, name)
			if field >= 0 && a.comps[field].typ.isNative() {
				a.report(k, CodeNativeComponentInFormInitValues,
					fmt.Sprintf("Property 'init-values' should not contain value for components: [%s].", a.comps[field].typ))
				continue
			}
			if field >= 0 && a.comps[field].typ == cDatePicker && a.t.kind(v) == kindString && !isDynamic(a.t.view(v), a.ver) {
				if _, ok := dateValue(a.t.view(v), a.ver); !ok {
					a.report(v, CodeInvalidPropertyValueFormat, fmt.Sprintf("Property %s should be in '%s' format.", quoteValue(name), dateFormat(a.ver)))
					continue
				}
				a.checkDateRange(field, v)
			}
			if a.ver < v70 {
				continue
			}
			if field < 0 {
				a.report(k, CodeInvalidPropertyValue, fmt.Sprintf("The property %s is declared but not used in the init-values.", quoteValue(name)))
				continue
			}
			a.checkFormValueType(si, name, v, a.valueType(field))
		}
	}
	if em := a.member(node, "error-messages"); em >= 0 && a.t.kind(em) == kindObject && a.ver >= v70 {
		for k, v := range a.t.members(em) {
			want := "string"
			if field := a.formField(ci, a.t.view(k)); field >= 0 && a.comps[field].typ == cCalendarPicker && a.calendarMode(field) == "range" {
				want = "object"
			}
			a.checkFormValueType(si, a.t.view(k), v, want)
		}
	}
}

// checkFormValueType checks that value v of a Form's init-values or
// error-messages has type want (7.0+).
func (a *analyzer) checkFormValueType(si int, name string, v int, want string) {
	if want == "" {
		return
	}
	got := a.t.kind(v).typeName()
	if a.t.kind(v) == kindString {
		s := a.t.view(v)
		if isBinding(s) || isExpression(s, a.ver) {
			got = a.exprType(si, s)
			if got == "" {
				return
			}
		}
	}
	if got == "integer" {
		got = "number"
	}
	if got != want {
		a.report(v, CodeInvalidPropertyValue, fmt.Sprintf("Expected property %s to be of type '%s' but found '%s'.", quoteValue(name), want, got))
	}
}
