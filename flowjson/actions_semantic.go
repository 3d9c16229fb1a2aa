package flowjson

// This file holds the semantic rules of actions: complete on terminal screens, navigate targets and
// payloads, update_data, payload references, media picker values in payloads (section B.6).

import (
	"fmt"
	"slices"
	"strings"
)

// Limits of the media a complete action may carry (Meta's validator; from
// 5.0 a response message holds up to 10 files and 100 MiB).
const (
	defaultMaxUploads  = 30
	defaultMaxFileKB   = 25 * 1024
	maxResponseFiles   = 10
	maxResponseSizeKB  = 100 * 1024
	maxResponseFiles40 = 1
)

// actionKeyName is the property an action of key k sits in.
func actionKeyName(k actKey) string {
	switch k {
	case actSelect:
		return "on-select-action"
	case actUnselect:
		return "on-unselect-action"
	}
	return "on-click-action"
}

// checkActions applies the rules of actions (section B.6).
func (a *analyzer) checkActions() {
	firstExchange := -1
	for i := range a.actions {
		if a.past(a.actions[i].node) {
			return
		}
		act := &a.actions[i]
		c := &a.comps[act.comp]
		nameNode := a.member(act.node, "name")
		if act.item && c.typ != cNavigationList && a.keyOf(c.node, actionKeyName(act.key)) >= 0 {
			a.report(act.node, CodeInvalidUpdateDataActionPayload,
				fmt.Sprintf("The '%s' property cannot be used at both the component and data-source levels.", actionKeyName(act.key)))
			continue
		}
		switch act.name {
		case "data_exchange":
			if firstExchange < 0 {
				firstExchange = nameNode
			}
		case "complete":
			if !a.screens[c.screen].terminal {
				a.report(nameNode, CodeInvalidCompleteAction, "On-click-action 'complete' can only be configured on a terminal screen.")
				continue
			}
		case "navigate":
			if !a.checkNavigate(act) {
				continue
			}
		case "update_data":
			a.checkUpdateData(act)
			continue
		}
		a.checkPayloadRefs(act)
	}
	if firstExchange >= 0 && a.dataAPI < 0 {
		a.report(firstExchange, CodeMissingRequiredProperty, "The property 'data_api_version' is required for data_exchange action.")
		a.flowLevel()
	}
	if a.ver >= v73 {
		a.checkTerminalFooters()
	}
}

// checkTerminalFooters applies the 7.3 rule that a terminal screen's Footer
// ends the flow: complete, or with an endpoint also data_exchange.
func (a *analyzer) checkTerminalFooters() {
	for i := range a.actions {
		act := &a.actions[i]
		c := &a.comps[act.comp]
		if c.typ != cFooter || act.key != actClick || !a.screens[c.screen].terminal {
			continue
		}
		switch {
		case act.name == "complete":
		case act.name == "data_exchange":
			// Without data_api_version, reported once as such already.
		case a.dataAPI >= 0:
			a.report(a.member(act.node, "name"), CodeInvalidPropertyValue, "Invalid value found for property 'name'. Expected one of: [data_exchange, complete].")
		default:
			a.report(a.member(act.node, "name"), CodeInvalidPropertyValue, "Invalid value found for property 'name'. Expected 'complete'.")
		}
	}
}

// checkNavigate checks the next screen of a navigate action and its payload
// against that screen's data model; it reports whether the payload's
// references are worth checking.
func (a *analyzer) checkNavigate(act *actionInfo) bool {
	ti, ok := a.navigateTarget(act)
	if ti < 0 {
		return ok
	}
	si, target := a.comps[act.comp].screen, a.screens[ti].id
	data, payload := a.screens[ti].data, act.payload
	if data < 0 {
		if payload >= 0 && !a.t.isEmpty(payload) {
			a.report(payload, CodeInvalidNavigateActionPayload, fmt.Sprintf("No data model is defined in the next screen %s.", quoteValue(target)))
		}
		return true
	}
	if payload >= 0 {
		for k, v := range a.t.members(payload) {
			name := a.t.view(k)
			field := a.member(data, name)
			if name == "required" || field < 0 {
				a.report(k, CodeInvalidNavigateActionPayload, fmt.Sprintf("Following fields are missing in the next screen's data model: [%s].", name))
				continue
			}
			a.checkPayloadType(si, ti, name, v, field, CodeInvalidNavigateActionPayload)
		}
	}
	// Every field of the next screen's data model comes from the payload, in every version: Meta's error
	// catalogue gives the rule no version range (see the package doc).
	// The message lists the first missing fields only: a hostile data
	// model must not make every navigate action cost its size.
	const listed = 10
	var missing []string
	for k := range a.t.members(data) {
		name := a.t.view(k)
		if name != "required" && (payload < 0 || a.member(payload, name) < 0) {
			if len(missing) == listed {
				missing = append(missing, "…")
				break
			}
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		at := payload
		if at < 0 {
			at = act.node
		}
		a.report(at, CodeInvalidNavigateActionPayload,
			fmt.Sprintf("Following fields are expected in the next screen's data model but missing in payload: %s.", listOf(missing...)))
	}
	return true
}

// valueDataType returns the data type of payload value v on screen si: the
// JSON type of a static value, the resolved type of a reference or
// expression ("" when unknown), and whether v is dynamic.
func (a *analyzer) valueDataType(si, v int) (string, bool) {
	switch a.t.kind(v) {
	case kindString:
		s := a.t.view(v)
		if isBinding(s) || isExpression(s, a.ver) {
			return a.exprType(si, s), true
		}
		return "string", false
	case kindNumber:
		if a.t.isInteger(v) {
			return "integer", false
		}
		return "number", false
	}
	return a.t.kind(v).typeName(), false
}

// compatible reports whether a value of type got fits a field of type want.
func compatible(want, got string) bool {
	switch {
	case want == got:
		return true
	case want == "number":
		return got == "integer"
	case want == "integer":
		return false
	}
	return false
}

// checkPayloadType checks that payload value v of field name (screen si)
// fits the field's schema on screen ti.
func (a *analyzer) checkPayloadType(si, ti int, name string, v, field int, code string) {
	want := a.schemaType(field)
	got, dynamic := a.valueDataType(si, v)
	if want == "" || got == "" || compatible(want, got) {
		return
	}
	if got == "integer" {
		got = "number"
	}
	from, to := quoteValue(a.screens[si].id), quoteValue(a.screens[ti].id)
	if dynamic && isBinding(a.t.view(v)) {
		a.report(v, code, fmt.Sprintf("Schema of dynamic data '%s' is not matching schema of data model field '%s' on screen %s. Property is expecting '%s' but got '%s'.",
			a.t.view(v), name, to, want, got))
		return
	}
	a.report(v, code, fmt.Sprintf("Schema of payload data at '%s' on screen %s is not matching with schema of data model field on screen %s. Property is expecting '%s' but got '%s'.",
		name, from, to, want, got))
}

// checkUpdateData checks an update_data action: its keys are fields of the
// screen's data model and its values fit them.
func (a *analyzer) checkUpdateData(act *actionInfo) {
	if act.payload < 0 {
		return
	}
	si := a.comps[act.comp].screen
	data := a.screens[si].data
	for k, v := range a.t.members(act.payload) {
		name := a.t.view(k)
		field := -1
		if data >= 0 && name != "required" {
			field = a.member(data, name)
		}
		if field < 0 {
			a.report(k, CodeInvalidActionPayloadProperty, fmt.Sprintf("The following property '%s' does not exist in the screen data model.", name))
			continue
		}
		if a.t.kind(v) == kindString {
			s := a.t.view(v)
			if sc, store, key, ok := splitBinding(s, false); ok && sc == "" && store == "data" && key == name {
				a.report(v, CodeInvalidUpdateDataActionPayload, "Attempting to update a key with its own value is redundant and not allowed.")
				continue
			}
			if isBinding(s) {
				if _, msg := a.refType(si, s); msg != "" {
					a.report(v, CodeInvalidActionPayloadProperty, msg)
					continue
				}
			} else if isExpression(s, a.ver) {
				if _, msg := a.evalExpression(si, s); msg != "" {
					a.report(v, CodeInvalidActionPayloadProperty, msg)
					continue
				}
			}
		}
		a.checkPayloadType(si, si, name, v, field, CodeInvalidUpdateDataActionPayload)
	}
}

// nativeLimits returns the max uploads and max file size of a media picker.
func (a *analyzer) nativeLimits(ci int) (files, sizeKB int) {
	node := a.comps[ci].node
	maxName := "max-uploaded-photos"
	if a.comps[ci].typ == cDocumentPicker {
		maxName = "max-uploaded-documents"
	}
	files, sizeKB = defaultMaxUploads, defaultMaxFileKB
	if n, _, ok := a.staticNumber(node, maxName); ok {
		files = int(n)
	}
	if n, _, ok := a.staticNumber(node, "max-file-size-kb"); ok {
		sizeKB = int(n)
	}
	return files, sizeKB
}

// payloadRef resolves a reference in an action payload and reports what
// does not exist; it returns the referenced component (-1 when none).
func (a *analyzer) payloadRef(si, v int, s string) int {
	screen, store, key, _ := splitBinding(s, false)
	target := a.refTarget(si, screen)
	if target < 0 {
		a.report(v, CodeInvalidOnClickActionPayload,
			fmt.Sprintf("The screen id '%s' referenced in the dynamic binding expression '%s' does not exist.", screen, s))
		return -1
	}
	cur := a.screens[si].id
	if store == "form" {
		name, _, _ := strings.Cut(key, ".")
		ci, ok := a.screens[target].names[name]
		switch {
		case !ok:
			a.report(v, CodeInvalidOnClickActionPayload, fmt.Sprintf("Missing Form component %s for screen %s.", s, quoteValue(cur)))
			return -1
		case a.comps[ci].typ == cForm:
			a.report(v, CodeInvalidOnClickActionPayload, "Value of 'Form' component cannot be used in form binding.")
			return -1
		}
		return ci
	}
	if look := a.lookupData(target, key); look.schema < 0 {
		a.report(v, CodeInvalidOnClickActionPayload, fmt.Sprintf("Missing dynamic data '%s' in the data model for screen %s.", s, cur))
	}
	return -1
}

// checkPayloadRefs checks the references of a navigate, complete or
// data_exchange payload, and where media picker values may go.
func (a *analyzer) checkPayloadRefs(act *actionInfo) {
	if act.payload < 0 {
		return
	}
	si := a.comps[act.comp].screen
	var natives []int // the media pickers the payload names, each once
	files, sizeKB := 0, 0
	var nativeType compType
	for _, v := range a.t.members(act.payload) {
		switch a.t.kind(v) {
		case kindObject, kindArray:
			a.checkNestedPayload(act, si, v)
		case kindString:
			s := a.t.view(v)
			switch {
			case isBinding(s):
				ci := a.payloadRef(si, v, s)
				if ci < 0 || !a.comps[ci].typ.isNative() {
					continue
				}
				switch act.name {
				case "navigate":
					a.report(v, CodeInvalidOnClickActionPayload,
						fmt.Sprintf("The %s component's value is not allowed in the payload of the navigate action.", a.comps[ci].typ))
				case "complete":
					if slices.Contains(natives, ci) {
						continue
					}
					natives = append(natives, ci)
					nativeType = a.comps[ci].typ
					n, kb := a.nativeLimits(ci)
					files += n
					sizeKB += n * kb
				}
			case isExpression(s, a.ver) && a.ver >= v72 && (act.name == "complete" || act.name == "data_exchange"):
				if _, msg := a.evalExpression(si, s); msg != "" {
					a.report(v, CodeInvalidActionPayloadProperty, msg)
				}
			}
		}
	}
	if len(natives) == 0 {
		return
	}
	// One picker per payload in every version (Meta's error catalogue gives no version range); as a
	// screen holds at most one, two can only come from a global reference to another screen's picker.
	switch {
	case len(natives) > 1:
		a.report(act.payload, CodeInvalidOnClickActionPayload, "Complete action payload can contain either a single PhotoPicker or a single DocumentPicker component.")
	case a.ver < v50 && files > maxResponseFiles40:
		prop := "max-uploaded-photos"
		if nativeType == cDocumentPicker {
			prop = "max-uploaded-documents"
		}
		a.report(act.payload, CodeInvalidOnClickActionPayload,
			fmt.Sprintf("%s can only be used in complete action payload if value of property '%s' doesn't exceed 1. Default value is %d.", nativeType, prop, defaultMaxUploads))
	case a.ver >= v50 && files > maxResponseFiles:
		a.report(act.payload, CodeInvalidOnClickActionPayload,
			fmt.Sprintf("The aggregated maximum uploaded files of the PhotoPicker and DocumentPicker components cannot exceed %d when using in the complete action payload. If 'max-uploaded-photos' or 'max-uploaded-documents' property is not set, the default uploaded files count is %d.",
				maxResponseFiles, defaultMaxUploads))
	case a.ver >= v50 && sizeKB > maxResponseSizeKB:
		a.report(act.payload, CodeInvalidOnClickActionPayload,
			fmt.Sprintf("The aggregated size of maximum uploaded files of the PhotoPicker and DocumentPicker components cannot exceed %d KB when using in the complete action payload. If 'max-file-size-kb' property is not set, the default file size is %d KB.",
				maxResponseSizeKB, defaultMaxFileKB))
	}
}

// checkNestedPayload checks the strings nested in objects and arrays of a
// payload: media picker values may only be top-level strings, and nested
// expressions are checked from 7.2.
func (a *analyzer) checkNestedPayload(act *actionInfo, si, v int) {
	end := int(a.t.nodes[v].next)
	for i := v + 1; i < end; i++ {
		if a.t.kind(i) != kindString {
			continue
		}
		s := a.t.view(i)
		switch {
		case isBinding(s):
			screen, store, key, _ := splitBinding(s, false)
			target := a.refTarget(si, screen)
			if target < 0 || store != "form" {
				continue
			}
			name, _, _ := strings.Cut(key, ".")
			ci, ok := a.screens[target].names[name]
			if !ok || !a.comps[ci].typ.isNative() {
				continue
			}
			if act.name == "navigate" {
				a.report(i, CodeInvalidOnClickActionPayload,
					fmt.Sprintf("The %s component's value is not allowed in the payload of the navigate action.", a.comps[ci].typ))
			} else {
				a.report(i, CodeInvalidOnClickActionPayload,
					fmt.Sprintf("The %s can only be used as the value of a top-level string property in the action payload.", a.comps[ci].typ))
			}
		case isExpression(s, a.ver) && a.ver >= v72 && (act.name == "complete" || act.name == "data_exchange"):
			if _, msg := a.evalExpression(si, s); msg != "" {
				a.report(i, CodeInvalidActionPayloadProperty, msg)
			}
		}
	}
}
