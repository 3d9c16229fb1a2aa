package flowjson

// This file holds the schema phase of action objects (on-click-action, on-select-action, on-unselect-
// action): the names each component and version allow, and their keys (section B.6).

import (
	"fmt"
)

// The action names each context allows (section B.6).
var (
	actsExchange       = []string{"data_exchange"}
	actsExchangeUpdate = []string{"data_exchange", "update_data"}
	actsUpdate         = []string{"update_data"}
	actsFooter         = []string{"data_exchange", "navigate", "complete"}
	actsLink           = []string{"data_exchange", "navigate"}
	actsLinkURL        = []string{"data_exchange", "navigate", "open_url"}
	actsNone           = []string{}
	itemProps          = []prop{{name: "id", kind: kString}, {name: "title", kind: kString, limit: 30}, {name: "description", kind: kString, limit: 300}, {name: "metadata", kind: kString, limit: 20}, {name: "enabled", kind: kBool}, {name: "color", kind: kString, since: v50}, {name: "image", kind: kImageSource, since: v50}, {name: "alt-text", kind: kText, since: v50}, {name: "on-select-action", kind: kAction, act: actSelect, since: v60}, {name: "on-unselect-action", kind: kAction, act: actUnselect, since: v60}}
	chipItemProps      = []prop{{name: "id", kind: kString}, {name: "title", kind: kString}, {name: "enabled", kind: kBool}, {name: "on-select-action", kind: kAction, act: actSelect}, {name: "on-unselect-action", kind: kAction, act: actUnselect}}
	listItemProps      = []prop{{name: "id", kind: kText}, {name: "main-content", kind: kCustom}, {name: "end", kind: kCustom}, {name: "start", kind: kCustom}, {name: "badge", kind: kText}, {name: "tags", kind: kCustom}, {name: "on-click-action", kind: kAction, act: actClick}}
	contentProps       = []prop{{name: "title", kind: kText}, {name: "description", kind: kText}, {name: "metadata", kind: kText}}
	startProps         = []prop{{name: "image", kind: kImageSource}, {name: "alt-text", kind: kText}}
	carouselImageProps = []prop{{name: "src", kind: kImageSource}, {name: "alt-text", kind: kString}}
)

// allowedActions returns the action names an action property of component c
// accepts in version ver (item: the property sits on a data-source or list item).
func allowedActions(c compType, key actKey, item bool, ver int) []string {
	switch key {
	case actUnselect:
		return actsUpdate
	case actSelect:
		if item {
			return actsUpdate
		}
		switch c {
		case cCheckboxGroup, cRadioButtonsGroup, cDropdown:
			if ver >= v60 {
				return actsExchangeUpdate
			}
			return actsExchange
		case cChipsSelector:
			if ver >= v71 {
				return actsExchangeUpdate
			}
			return actsExchange
		case cDatePicker, cCalendarPicker:
			return actsExchange
		case cOptIn:
			return actsUpdate
		}
	case actClick:
		switch c {
		case cFooter:
			return actsFooter
		case cEmbeddedLink, cOptIn:
			if ver >= v60 {
				return actsLinkURL
			}
			return actsLink
		case cNavigationList:
			return actsLink
		}
	}
	return actsNone
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkAction checks an action object (on-click-action, on-select-action,
// on-unselect-action) and records it for the semantic phase.
func (a *analyzer) checkAction(ci int, p *prop, v int, item bool) {
	if a.t.kind(v) != kindObject {
		a.reportType(v, p.name, "object")
		return
	}
	names := allowedActions(a.comps[ci].typ, p.act, item, a.ver)
	nameNode, payload, next, url := -1, -1, -1, -1
	payloadKey, nextKey, urlKey := -1, -1, -1
	unknown := false
	for k, val := range a.t.members(v) {
		switch key := a.t.view(k); {
		case key == "name":
			if !a.t.laterDuplicate(v, k) {
				nameNode = val
			}
		case key == "payload":
			if !a.t.laterDuplicate(v, k) {
				payload, payloadKey = val, k
			}
		case key == "next" && p.act == actClick:
			if !a.t.laterDuplicate(v, k) {
				next, nextKey = val, k
			}
		case key == "url" && p.act == actClick && a.ver >= v60:
			if !a.t.laterDuplicate(v, k) {
				url, urlKey = val, k
			}
		default:
			unknown = true
		}
	}
	if nameNode < 0 {
		a.reportMissing(v, CodeMissingRequiredProperty, "Required property 'name' is missing.")
		return
	}
	if a.t.kind(nameNode) != kindString {
		a.reportType(nameNode, "name", "string")
		return
	}
	name := a.t.view(nameNode)
	if !contains(names, name) {
		a.report(nameNode, CodeInvalidEnumValue, fmt.Sprintf("Value should be one of: %s.", listOf(names...)))
		return
	}
	// Unknown keys are judged only once the name is known to be good: with
	// a bad name, the name is the one fault.
	for k := range a.t.members(v) {
		if !unknown {
			break
		}
		switch key := a.t.view(k); {
		case key == "name", key == "payload", key == "next" && p.act == actClick, key == "url" && p.act == actClick && a.ver >= v60:
		default:
			a.reportP(k, CodeInvalidPropertyKey, fmt.Sprintf("Property %s cannot be specified at %s.", quoteValue(key), pathMark), v)
		}
	}
	if payload < 0 && p.act != actClick {
		a.reportMissing(v, CodeMissingRequiredProperty, "Required property 'payload' is missing.")
	}
	if payload >= 0 && a.t.kind(payload) != kindObject {
		a.reportType(payload, "payload", "object")
		payload = -1
	}
	info := actionInfo{node: v, name: name, key: p.act, comp: ci, item: item, next: -1, payload: payload}
	if name == "navigate" {
		if next < 0 {
			a.reportMissing(v, CodeMissingRequiredProperty, "Required property 'next' is missing.")
		} else {
			info.next, info.nextScr = a.checkNext(ci, next)
		}
	} else if next >= 0 {
		a.report(nextKey, CodeNotKeywordSchemaValidationFailed, fmt.Sprintf("Property 'next' cannot be specified at %s '%s'.", p.name, name))
	}
	if name == "open_url" {
		switch {
		case url < 0:
			a.reportMissing(v, CodeMissingRequiredProperty, "Required property 'url' is missing.")
		case a.t.kind(url) != kindString:
			a.reportType(url, "url", "string")
		case isDynamic(a.t.view(url), a.ver):
			a.noteRef(ci, &prop{name: "url", kind: kString}, "url", url)
		case !isHTTPURL(a.t.view(url)):
			a.report(url, CodeInvalidPropertyValueFormat, "Property 'url' should be in 'uri' format.")
		}
		if payloadKey >= 0 {
			a.report(payloadKey, CodeNotKeywordSchemaValidationFailed, fmt.Sprintf("Property 'payload' cannot be specified at %s 'open_url'.", p.name))
		}
	} else if url >= 0 {
		a.report(urlKey, CodeNotKeywordSchemaValidationFailed, fmt.Sprintf("Property 'url' cannot be specified at %s '%s'.", p.name, name))
	}
	a.actions = append(a.actions, info)
}

// checkNext checks the next object of a navigate action and returns its name
// node (-1 when unusable) and whether its type is "screen".
func (a *analyzer) checkNext(ci, next int) (int, bool) {
	if a.t.kind(next) != kindObject {
		a.reportType(next, "next", "object")
		return -1, false
	}
	nameNode, typeNode := -1, -1
	for k, val := range a.t.members(next) {
		switch a.t.view(k) {
		case "name":
			nameNode = val
		case "type":
			typeNode = val
		default:
			a.reportP(k, CodeInvalidPropertyKey, fmt.Sprintf("Property %s cannot be specified at %s.", quoteValue(a.t.view(k)), pathMark), next)
		}
	}
	str := prop{kind: kString}
	if typeNode < 0 {
		a.reportMissing(next, CodeMissingRequiredProperty, "Required property 'type' is missing.")
	} else {
		str.name = "type"
		a.checkString(ci, &str, "type", typeNode, 0)
	}
	if nameNode < 0 {
		a.reportMissing(next, CodeMissingRequiredProperty, "Required property 'name' is missing.")
		return -1, false
	}
	str.name = "name"
	a.checkString(ci, &str, "name", nameNode, 0)
	if a.t.kind(nameNode) != kindString {
		return -1, false
	}
	return nameNode, typeNode >= 0 && a.t.kind(typeNode) == kindString && a.t.view(typeNode) == "screen"
}
