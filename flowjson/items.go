package flowjson

// This file holds the schema phase of item arrays: data-source options, NavigationList list-items,
// ImageCarousel images.

import (
	"fmt"
	"strconv"
)

// checkItemObject checks the members of an item object against props and
// reports the missing required ones; check handles the property kinds that
// need more than a string or scalar check.
func (a *analyzer) checkItemObject(ci, item int, props []prop, required []string, check func(p *prop, v int)) {
	var present uint64 // bit i: required[i] was seen (an item has a handful of required names)
	for k, v := range a.t.members(item) {
		name := a.t.view(k)
		for i, r := range required {
			if r == name {
				present |= 1 << i
			}
		}
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
	for i, r := range required {
		if present&(1<<i) == 0 {
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
	if n := a.t.count(v); n > 20 {
		a.warn(v, WarnItemsNotRendered, fmt.Sprintf("Property 'list-items' should have at most '20' items, but found %d: the items after the 20th are not rendered.", n))
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
