package flowjson

// This file holds the schema phase of a screen object: id, title, terminal, success, refresh_on_back,
// sensitive, layout (section B.3).

import (
	"fmt"
	"strconv"
	"strings"
)

// checkScreen applies the schema rules of one screen object (section B.3)
// and walks its layout.
func (a *analyzer) checkScreen(node int) {
	si := len(a.screens)
	a.screens = append(a.screens, screenInfo{node: node, idNode: -1, terminalKey: -1, success: -1, refresh: -1, data: -1, sensitive: -1})
	s := &a.screens[si]
	hasID, hasLayout := false, false
	layout, successKey := -1, -1
	for k, v := range a.t.members(node) {
		name := a.t.view(k)
		// laterDuplicate is asked only of the keys a screen has: unknown keys need no index.
		switch name {
		case "id":
			hasID = true
			if !a.t.laterDuplicate(node, k) {
				s.idNode = v
				a.checkScreenID(v)
				if a.t.kind(v) == kindString && isScreenID(a.t.view(v)) {
					s.id = a.t.view(v)
				}
			}
		case "title":
			if !a.t.laterDuplicate(node, k) {
				a.checkTitle(si, v)
			}
		case "terminal":
			if a.t.laterDuplicate(node, k) {
				continue
			}
			s.terminalKey = k
			if kd := a.t.kind(v); kd != kindTrue && kd != kindFalse {
				a.reportType(v, "terminal", "boolean")
			}
			s.terminal = a.t.kind(v) == kindTrue
		case "success":
			if a.ver < v31 {
				a.report(k, CodeInvalidPropertyKey, "Property 'success' cannot be specified at screen: it requires Flow JSON version 3.1 or later.")
				continue
			}
			if a.t.laterDuplicate(node, k) {
				continue
			}
			successKey = k
			if kd := a.t.kind(v); kd != kindTrue && kd != kindFalse {
				a.reportType(v, "success", "boolean")
				continue
			}
			s.success = v
		case "refresh_on_back":
			if a.t.laterDuplicate(node, k) {
				continue
			}
			if kd := a.t.kind(v); kd != kindTrue && kd != kindFalse {
				a.reportType(v, "refresh_on_back", "boolean")
				continue
			}
			s.refresh = v
		case "data":
			if a.t.laterDuplicate(node, k) {
				continue
			}
			if a.t.kind(v) != kindObject {
				a.reportType(v, "data", "object")
				continue
			}
			if a.checkData(v) {
				s.data = v
			}
		case "sensitive":
			if a.ver < v51 {
				a.report(k, CodeInvalidPropertyKey, "Property 'sensitive' cannot be specified at screen: it requires Flow JSON version 5.1 or later.")
				continue
			}
			if !a.t.laterDuplicate(node, k) && a.checkStringArray(v, "sensitive", true) {
				s.sensitive = v
			}
		case "layout":
			hasLayout = true
			if !a.t.laterDuplicate(node, k) {
				layout = v
			}
		default:
			if !a.past(k) { // past maxErrors: the message would be dropped, so do not build it
				a.reportP(k, CodeInvalidPropertyKey, fmt.Sprintf("Property %s cannot be specified at %s.", quoteValue(name), pathMark), node)
			}
		}
	}
	if !hasID {
		a.reportMissing(node, CodeMissingRequiredProperty, "Required property 'id' is missing.")
	}
	if !hasLayout {
		a.reportMissing(node, CodeMissingRequiredProperty, "Required property 'layout' is missing.")
	}
	if successKey >= 0 && !s.terminal {
		a.report(successKey, CodeNotKeywordSchemaValidationFailed, "Property 'success' can only be specified on a terminal screen.")
	}
	a.screens[si].comps0 = len(a.comps)
	a.screens[si].layout = layout
	if layout >= 0 {
		a.checkLayout(si, layout)
	}
	a.screens[si].comps1 = len(a.comps)
}

func (a *analyzer) checkScreenID(v int) {
	switch {
	case a.t.kind(v) != kindString:
		a.reportType(v, "id", "string")
	case a.t.view(v) == "":
		a.report(v, CodeMinCharsRequired, "Property 'id' should have at least '1' character(s).")
	case !isScreenID(a.t.view(v)):
		a.report(v, CodePatternMismatch, "Property 'id' should only consist of alphabets and underscores.")
	}
}

func (a *analyzer) checkTitle(si, v int) {
	if a.t.kind(v) != kindString {
		a.reportType(v, "title", "string")
		return
	}
	s := a.t.view(v)
	if a.ver >= v50 && isBlank(s) {
		a.report(v, CodePatternMismatch, "Property 'title' should not be blank or empty string.")
		return
	}
	if strings.HasPrefix(s, "${") || strings.HasPrefix(s, "`") {
		a.refs = append(a.refs, refInfo{node: v, comp: -1, screen: si, prop: "title"})
	}
}

// checkStringArray checks an array of strings; minOne requires an item.
func (a *analyzer) checkStringArray(v int, name string, minOne bool) bool {
	if a.t.kind(v) != kindArray {
		a.reportType(v, name, "array")
		return false
	}
	if minOne && a.t.isEmpty(v) {
		a.report(v, CodeMinItemsRequired, fmt.Sprintf("Property '%s' should have at least '1' item.", name))
		return false
	}
	ok := true
	for idx, e := range a.t.elements(v) {
		if a.t.kind(e) != kindString {
			a.reportType(e, name+"["+strconv.Itoa(idx)+"]", "string")
			ok = false
		}
	}
	return ok
}

// checkLayout checks a screen's layout and walks its components.
func (a *analyzer) checkLayout(si, v int) {
	if a.t.kind(v) != kindObject {
		a.reportType(v, "layout", "object")
		return
	}
	children, hasType := -1, false
	for k, val := range a.t.members(v) {
		switch a.t.view(k) {
		case "type":
			hasType = true
			switch {
			case a.t.kind(val) != kindString:
				a.reportType(val, "type", "string")
			case a.t.view(val) != "SingleColumnLayout":
				a.report(val, CodeInvalidPropertyValue, "Invalid value found for property 'type'. Expected 'SingleColumnLayout'.")
			}
		case "children":
			if a.t.laterDuplicate(v, k) {
				continue
			}
			if a.t.kind(val) != kindArray {
				a.reportType(val, "children", "array")
				children = -2
				continue
			}
			children = val
		default:
			a.reportP(k, CodeInvalidPropertyKey, fmt.Sprintf("Property %s cannot be specified at %s.", quoteValue(a.t.view(k)), pathMark), v)
		}
	}
	if !hasType {
		a.reportMissing(v, CodeMissingRequiredTypeProperty, "Required property 'type' is missing.")
	}
	if children == -1 {
		a.reportMissing(v, CodeMissingRequiredProperty, "Required property 'children' is missing.")
	}
	if children >= 0 {
		a.checkChildren(children, walkCtx{screen: si, where: inLayout, parent: -1, branch: children})
	}
}
