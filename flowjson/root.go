package flowjson

// This file holds the schema phase of the top level: version, data_api_version, routing_model, screens and
// the keys allowed beside them (sections B.1 and B.2).

import (
	"fmt"
	"strconv"
	"strings"
)

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
