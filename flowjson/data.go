package flowjson

// This file holds the schema phase of a screen's data model: field types, items, __example__ values
// (section B.7).

import (
	"fmt"
	"strconv"
)

// dataTypes are the types a data model field may declare.
var dataTypes = []string{"string", "number", "integer", "boolean", "object", "array"}

// checkData checks a screen's data model (section B.7) and reports whether
// it is sound enough for references to be resolved against it.
func (a *analyzer) checkData(v int) bool {
	sound := true
	for k, field := range a.t.members(v) {
		if a.past(k) {
			return false
		}
		name := a.t.view(k)
		if name == "required" {
			// Meta's schema lets a data model list its required fields.
			if a.t.kind(field) != kindArray {
				a.reportType(field, "required", "array")
				sound = false
			}
			continue
		}
		if a.t.kind(field) != kindObject {
			a.reportType(field, name, "object")
			sound = false
			continue
		}
		if !a.checkDataSchema(field, true) {
			sound = false
			continue
		}
		example := -1
		for fk, fv := range a.t.members(field) {
			if a.t.view(fk) == "__example__" {
				example = fv
			} else if !a.noNestedExample(fv) {
				sound = false
			}
		}
		if example < 0 {
			a.reportMissing(field, CodeMissingRequiredProperty, "Required property '__example__' is missing.")
			sound = false
			continue
		}
		if path, want, got, ok := a.exampleMatches(field, example, "__example__"); !ok {
			a.report(example, CodeInvalidScreenData,
				fmt.Sprintf("Invalid data model schema. Expected property '%s' to be of type '%s', but found '%s'.", path, want, got))
			sound = false
		}
	}
	return sound
}

// checkDataSchema checks the type and items of one schema of the data model
// (a top-level field, or the items of an array, recursively).
func (a *analyzer) checkDataSchema(schema int, top bool) bool {
	_, typ, ok := a.lookup(schema, "type")
	if !ok {
		a.reportMissing(schema, CodeInvalidScreenData, "Missing the definition of property 'type'.")
		return false
	}
	if a.t.kind(typ) != kindString {
		a.report(typ, CodeInvalidScreenData, "Expected the property 'type' to be of type string.")
		return false
	}
	t := a.t.view(typ)
	known := false
	for _, d := range dataTypes {
		known = known || d == t
	}
	if !known {
		a.report(typ, CodeInvalidScreenData,
			fmt.Sprintf("Invalid data model schema. Expected property 'type' to be one of: %s, but found %s.", listOf(dataTypes...), quoteValue(t)))
		return false
	}
	switch t {
	case "array":
		_, items, ok := a.lookup(schema, "items")
		switch {
		case !ok:
			a.reportMissing(schema, CodeInvalidScreenData, "Missing the schema for property 'items' in array.")
			return false
		case a.t.kind(items) == kindObject:
			return a.checkDataSchema(items, false)
		case a.t.kind(items) != kindTrue && a.t.kind(items) != kindFalse:
			a.report(items, CodeInvalidScreenData, "Expected the property 'items' to be of type boolean or object.")
			return false
		}
	case "object":
		if _, props, ok := a.lookup(schema, "properties"); ok {
			if a.t.kind(props) != kindObject {
				a.report(props, CodeInvalidScreenData, "Expected the property 'properties' to be of type object.")
				return false
			}
			for pk, ps := range a.t.members(props) {
				if a.t.view(pk) == "__example__" {
					continue // reported by noNestedExample
				}
				if a.t.kind(ps) != kindObject {
					a.report(ps, CodeInvalidScreenData, fmt.Sprintf("Expected the schema of property %s to be of type object.", quoteValue(a.t.view(pk))))
					return false
				}
				if _, _, has := a.lookup(ps, "type"); has && !a.checkDataSchema(ps, false) {
					return false
				}
			}
		}
	}
	return true
}

// noNestedExample reports an __example__ key anywhere below a top-level field
// (other than the field's own example), and whether there was none.
func (a *analyzer) noNestedExample(v int) bool {
	end := int(a.t.nodes[v].next)
	for i := v; i < end; i++ {
		if a.t.kind(i) == kindKey && a.t.textEquals(i, "__example__") {
			a.reportP(i, CodeInvalidScreenData,
				"Property '__example__' is allowed only as a top level property of data model. Invalid entry: '"+pathMark+"'.", i)
			return false
		}
	}
	return true
}

// exampleMatches checks that example conforms to schema (type, array items
// and declared object properties) and, when not, says where and how.
func (a *analyzer) exampleMatches(schema, example int, path string) (at, want, got string, ok bool) {
	_, typ, has := a.lookup(schema, "type")
	if !has || a.t.kind(typ) != kindString {
		return "", "", "", true
	}
	want = a.t.view(typ)
	got = a.t.kind(example).typeName()
	if !a.hasDataType(example, want) {
		return path, want, got, false
	}
	switch want {
	case "array":
		_, items, has := a.lookup(schema, "items")
		if !has || a.t.kind(items) != kindObject {
			return "", "", "", true
		}
		for idx, e := range a.t.elements(example) {
			if p, w, g, ok := a.exampleMatches(items, e, path+"["+strconv.Itoa(idx)+"]"); !ok {
				return p, w, g, false
			}
		}
	case "object":
		_, props, has := a.lookup(schema, "properties")
		if !has || a.t.kind(props) != kindObject {
			return "", "", "", true
		}
		for ek, ev := range a.t.members(example) {
			if _, ps, has := a.lookup(props, a.t.view(ek)); has && a.t.kind(ps) == kindObject {
				if p, w, g, ok := a.exampleMatches(ps, ev, path+"."+a.t.view(ek)); !ok {
					return p, w, g, false
				}
			}
		}
	}
	return "", "", "", true
}

// hasDataType reports whether node v is a value of the data model type typ.
func (a *analyzer) hasDataType(v int, typ string) bool {
	switch k := a.t.kind(v); typ {
	case "string":
		return k == kindString
	case "number":
		return k == kindNumber
	case "integer":
		return k == kindNumber && a.t.isInteger(v)
	case "boolean":
		return k == kindTrue || k == kindFalse
	case "object":
		return k == kindObject
	case "array":
		return k == kindArray
	}
	return true
}
