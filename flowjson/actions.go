package flowjson

import (
	"fmt"
	"strconv"
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

// checkItemObject checks the members of an item object against props and
// reports the missing required ones; check handles the property kinds that
// need more than a string or scalar check.
func (a *analyzer) checkItemObject(ci, item int, props []prop, required []string, check func(p *prop, v int)) {
	for k, v := range a.t.members(item) {
		name := a.t.view(k)
		var p *prop
		for i := range props {
			if props[i].name == name {
				p = &props[i]
			}
		}
		switch {
		case p == nil:
			a.reportP(k, CodeInvalidPropertyKey, fmt.Sprintf("Property %s cannot be specified at %s.", quoteValue(name), pathMark), item)
			continue
		case p.since > a.ver:
			a.reportP(k, CodeInvalidPropertyKey,
				fmt.Sprintf("Property %s cannot be specified at %s: it requires Flow JSON version %s or later.", quoteValue(name), pathMark, versionString(p.since)), item)
			continue
		}
		if a.t.laterDuplicate(item, k) {
			continue
		}
		switch p.kind {
		case kString, kText:
			a.checkString(ci, p, name, v, p.limit)
		case kBool:
			a.checkScalar(ci, p, name, v)
		case kImageSource:
			a.checkImageSource(ci, p, name, v)
		case kAction:
			a.checkAction(ci, p, v, true)
		default:
			check(p, v)
		}
	}
	for _, r := range required {
		if _, _, ok := a.lookup(item, r); !ok {
			a.reportMissing(item, CodeMissingRequiredProperty, fmt.Sprintf("Required property '%s' is missing.", r))
		}
	}
}

// checkItemArray checks the shape shared by data-source, list-items and
// images: a dynamic reference, or an array of at least min objects.
func (a *analyzer) checkItemArray(ci int, p *prop, v, min int) bool {
	if a.t.kind(v) == kindString {
		a.checkDynamicOnly(ci, p, p.name, v, "array")
		return false
	}
	if a.t.kind(v) != kindArray {
		a.reportType(v, p.name, "array")
		return false
	}
	if n := a.t.count(v); n < min {
		unit := "item"
		if min > 1 {
			unit = "items"
		}
		a.report(v, CodeMinItemsRequired, fmt.Sprintf("Property '%s' should have at least '%d' %s.", p.name, min, unit))
		return false
	}
	ok := true
	for idx, item := range a.t.elements(v) {
		if a.t.kind(item) != kindObject {
			a.reportType(item, p.name+"["+strconv.Itoa(idx)+"]", "object")
			ok = false
		}
	}
	return ok
}

// checkDataSource checks the options of CheckboxGroup, RadioButtonsGroup,
// Dropdown and ChipsSelector.
func (a *analyzer) checkDataSource(ci int, p *prop, v int) {
	c := a.comps[ci].typ
	min, props := 1, itemProps
	if c == cChipsSelector {
		min, props = 2, chipItemProps
	}
	if !a.checkItemArray(ci, p, v, min) {
		return
	}
	images, colors := false, false
	for _, item := range a.t.elements(v) {
		a.checkItemObject(ci, item, props, []string{"id", "title"}, func(p *prop, v int) {})
		_, imgNode, img := a.lookup(item, "image")
		if img {
			limit := 100
			if a.ver < v60 {
				limit = 300
			}
			a.checkImageSize(imgNode, limit)
		}
		_, col, hasCol := a.lookup(item, "color")
		images = images || img
		colors = colors || hasCol
		if hasCol && a.t.kind(col) == kindString && !isHexColor(a.t.view(col)) {
			a.report(col, CodePatternMismatch, "Property 'color' should match the pattern '^#([A-Fa-f0-9]{6})$'.")
		}
	}
	max := 20
	if c == cDropdown {
		max = 200
		if images {
			max = 100
		}
	}
	if n := a.t.count(v); n > max {
		a.deferred(v, CodeMaxItemsRequired, fmt.Sprintf("Property 'data-source' should have at most '%d' items.", max))
	}
	if images && colors {
		a.deferred(v, CodeDataSourceItemsHaveBothImageAndColor,
			fmt.Sprintf("Data source can only have either only image attributes or only color attributes for all items for %s %s.", c, quoteValue(a.compName(ci))))
	}
}

// compName returns the name property of comps[ci], read from the tree.
func (a *analyzer) compName(ci int) string {
	if _, n, ok := a.lookup(a.comps[ci].node, "name"); ok && a.t.kind(n) == kindString {
		return a.t.view(n)
	}
	return ""
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for i := 1; i < 7; i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// checkListItems checks the list-items of a NavigationList.
func (a *analyzer) checkListItems(ci int, p *prop, v int) {
	if !a.checkItemArray(ci, p, v, 1) {
		return
	}
	if a.t.count(v) > 20 {
		a.deferred(v, CodeMaxItemsRequired, "Property 'list-items' should have at most '20' items.")
	}
	for _, item := range a.t.elements(v) {
		a.checkItemObject(ci, item, listItemProps, []string{"id", "main-content"}, func(p *prop, val int) {
			switch p.name {
			case "main-content", "end":
				if a.t.kind(val) != kindObject {
					a.reportType(val, p.name, "object")
					return
				}
				var req []string
				if p.name == "main-content" {
					req = []string{"title"}
				}
				a.checkItemObject(ci, val, contentProps, req, func(*prop, int) {})
			case "start":
				if a.t.kind(val) != kindObject {
					a.reportType(val, p.name, "object")
					return
				}
				a.checkItemObject(ci, val, startProps, []string{"image"}, func(*prop, int) {})
				if img := a.member(val, "image"); img >= 0 {
					a.checkImageSize(img, 100)
				}
			case "tags":
				if !a.checkStringArray(val, "tags", true) {
					return
				}
				if a.t.count(val) > 3 {
					a.report(val, CodeMaxItemsRequired, "Property 'tags' should have at most '3' items.")
				}
			}
		})
	}
}

// checkImages checks the images of an ImageCarousel.
func (a *analyzer) checkImages(ci int, p *prop, v int) {
	if !a.checkItemArray(ci, p, v, 1) {
		return
	}
	for _, item := range a.t.elements(v) {
		a.checkItemObject(ci, item, carouselImageProps, []string{"src", "alt-text"}, func(*prop, int) {})
	}
	if a.t.count(v) > 3 {
		a.deferred(v, CodeMaxItemsRequired, "Property 'images' should have at most '3' items.")
	}
}
