package flowjson

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// maxErrors bounds the errors of one document. Past it the document is
// beyond repair by hand, and a hostile one (a 10 MB array of thousands of
// bad screens) would otherwise cost memory and time in proportion.
const maxErrors = 1000

// finding is one rule violation, kept as byte offsets until Analyze turns it
// into a ValidationError.
type finding struct {
	code, errorType, message string
	start, end               int // offending bytes [start, end)
	at                       int // node whose path is the pointer; the root's empty path gives none
}

// analyzer walks a parsed tree and collects findings. Each check* method
// owns one level of the document and hands the levels below it to further
// check* methods; new rules hang off the level they concern.
type analyzer struct {
	t     *tree
	found []finding
	res   Result
}

// add records f unless the document already has maxErrors findings.
func (a *analyzer) add(f finding) {
	if len(a.found) < maxErrors {
		a.found = append(a.found, f)
	}
}

// full reports whether further findings would be dropped, so that loops over
// large arrays can stop early.
func (a *analyzer) full() bool { return len(a.found) >= maxErrors }

// report records a finding spanning node i, pointed at by node i's path.
func (a *analyzer) report(i int, code, errorType, message string) {
	n := a.t.nodes[i]
	a.add(finding{code: code, errorType: errorType, message: message, start: int(n.start), end: int(n.end), at: i})
}

// reportMissing records that object obj lacks a property. It points at the
// object's opening brace: the property has no position of its own, and the
// brace is where it would be added.
func (a *analyzer) reportMissing(obj int, code, errorType, message string) {
	start := int(a.t.nodes[obj].start)
	a.add(finding{code: code, errorType: errorType, message: message, start: start, end: start + 1, at: obj})
}

// reportType records that node i is not of the JSON type want.
func (a *analyzer) reportType(i int, name, want string) {
	a.report(i, CodeInvalidPropertyType, ErrorTypeJSONSchema,
		fmt.Sprintf("Expected property '%s' to be of type %s, but found %s.", name, want, a.t.kind(i).typeName()))
}

// checkRoot applies the top-level rules (section B.1 of the reference).
func (a *analyzer) checkRoot() {
	if a.t.kind(root) != kindObject {
		a.reportType(root, "$root", "object")
		return
	}
	a.checkVersion()
	a.checkScreens()
	a.checkDataAPIVersion()
	a.checkRoutingModel()
	a.checkRootKeys()
}

func (a *analyzer) checkVersion() {
	_, v, ok := a.t.member(root, "version")
	if !ok {
		a.reportMissing(root, CodeMissingFlowJSONVersion, ErrorTypeFlowJSON,
			"Flow JSON version is not specified. The property 'version' is required.")
		return
	}
	if a.t.kind(v) != kindString {
		a.report(v, CodeInvalidFlowJSONVersion, ErrorTypeFlowJSON,
			fmt.Sprintf("Invalid Flow JSON version. Expected a string of the form 'MAJOR.MINOR', e.g. '7.3', but found %s.", a.t.kind(v).typeName()))
		return
	}
	version := a.t.text(v)
	a.res.Version = version
	switch {
	case !isVersionFormat(version):
		a.report(v, CodeInvalidFlowJSONVersion, ErrorTypeFlowJSON,
			fmt.Sprintf("Invalid Flow JSON version %s. Expected a string of the form 'MAJOR.MINOR', e.g. '7.3'.", quoteValue(version)))
	case !IsKnownVersion(version):
		a.report(v, CodeUnsupportedFlowJSONVersion, ErrorTypeFlowJSON,
			fmt.Sprintf("Unsupported Flow JSON version %s. Supported versions are: %s.", quoteValue(version), strings.Join(Versions(), ", ")))
	}
}

func (a *analyzer) checkScreens() {
	_, screens, ok := a.t.member(root, "screens")
	switch {
	case !ok:
		a.reportMissing(root, CodeMissingRequiredProperty, ErrorTypeJSONSchema, "Required property 'screens' is missing.")
	case a.t.kind(screens) != kindArray:
		a.reportType(screens, "screens", "array")
	case a.t.isEmpty(screens):
		a.report(screens, CodeMinItemsRequired, ErrorTypeJSONSchema, "Property 'screens' should have at least '1' item.")
	default:
		for idx, screen := range a.t.elements(screens) {
			if a.full() {
				return
			}
			a.checkScreen(idx, screen)
		}
	}
}

// checkScreen applies the rules of one screen (section B.3).
func (a *analyzer) checkScreen(idx, screen int) {
	if a.t.kind(screen) != kindObject {
		a.reportType(screen, "screens["+strconv.Itoa(idx)+"]", "object")
	}
}

func (a *analyzer) checkDataAPIVersion() {
	_, v, ok := a.t.member(root, "data_api_version")
	if !ok {
		return
	}
	a.res.UsesEndpoint = a.t.kind(v) != kindNull
	if a.t.kind(v) == kindString {
		a.res.DataAPIVersion = a.t.text(v)
		if isDataAPIVersion(a.res.DataAPIVersion) {
			return
		}
	}
	found := a.t.kind(v).typeName()
	if a.t.kind(v) == kindString {
		found = quoteValue(a.res.DataAPIVersion)
	}
	a.report(v, CodeNoSupportedDataAPIVersion, ErrorTypeFlowJSON,
		fmt.Sprintf("No supported Data API version found for given Flow JSON version. Expected one of: [%s], but found %s.", strings.Join(DataAPIVersions(), ", "), found))
}

func (a *analyzer) checkRoutingModel() {
	if _, v, ok := a.t.member(root, "routing_model"); ok && a.t.kind(v) != kindObject {
		a.reportType(v, "routing_model", "object")
	}
}

// checkRootKeys rejects top-level properties the schema does not define.
// Every occurrence of a bad key is reported, duplicates included.
func (a *analyzer) checkRootKeys() {
	for k := range a.t.members(root) {
		if a.full() {
			return
		}
		name := a.t.text(k)
		switch name {
		case "version", "screens", "routing_model", "data_api_version":
		case "data_channel_uri":
			// Only decidable once the version is known; an unknown version is reported already.
			if IsKnownVersion(a.res.Version) && !versionBefore(a.res.Version, "3.0") {
				a.report(k, CodeInvalidPropertyKey, ErrorTypeJSONSchema,
					"Property 'data_channel_uri' is no longer supported in Flow JSON as of version '3.0'. Please configure your endpoint URI using Flows API or Builder. Refer Flows documentation at https://developers.facebook.com/docs/whatsapp/flows for more information.")
			}
		default:
			a.report(k, CodeInvalidPropertyKey, ErrorTypeJSONSchema,
				fmt.Sprintf("Property %s cannot be specified at $root.", quoteValue(name)))
		}
	}
}

// quoteValue shows a value taken from the document in single quotes, with
// control characters escaped and long values cut, so that a message stays
// one short line whatever the document holds.
func quoteValue(s string) string {
	const limit = 60
	var b strings.Builder
	b.WriteByte('\'')
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		n++
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
