package server

import (
	"strings"

	"github.com/waflows/waflows/api"
)

// field is one selectable field of a flow.
type field uint8

const (
	fID field = iota
	fName
	fStatus
	fCategories
	fValidationErrors
	fJSONVersion
	fDataAPIVersion
	fEndpointURI
	fWABA
	fPreview
)

var fieldNames = map[string]field{
	"id":                        fID,
	"name":                      fName,
	"status":                    fStatus,
	"categories":                fCategories,
	"validation_errors":         fValidationErrors,
	"json_version":              fJSONVersion,
	"data_api_version":          fDataAPIVersion,
	"endpoint_uri":              fEndpointURI,
	"whatsapp_business_account": fWABA,
	"preview":                   fPreview,
}

// wabaField is a selectable field of the whatsapp_business_account object.
type wabaField uint8

const (
	wID wabaField = iota
	wName
)

// selection is a parsed fields parameter: the flow fields in output order, and the sub-fields of
// whatsapp_business_account.
type selection struct {
	fields []field
	waba   []wabaField
	// invalidate is preview.invalidate(true): replace the flow's preview link.
	invalidate bool
}

// flowNodeType is the node type Graph names in "nonexisting field" errors. Meta's name for a flow node is
// not documented; this one follows the pattern of WhatsAppBusinessAccount.
const flowNodeType = "WhatsAppFlow"

// defaultSelection is what Graph returns for a flow when no fields are asked for.
var defaultSelection = selection{fields: []field{fID, fName, fStatus, fCategories, fValidationErrors}}

// maxFieldsLength bounds the fields parameter; real selections are a few hundred bytes.
const maxFieldsLength = 4096

// parseFields parses Graph's fields syntax: a comma list of names, each optionally followed by
// {sub,fields}. The one modifier is preview.invalidate(true|false). id is always returned:
// when not asked for it comes last, as Graph does.
func parseFields(s string) (selection, error) {
	if strings.TrimSpace(s) == "" {
		return defaultSelection, nil
	}
	if len(s) > maxFieldsLength {
		return selection{}, api.Errorf(api.EINVALID, "(#100) Param fields is too long: the limit is %d characters", maxFieldsLength)
	}
	p := fieldParser{s: s}
	sel, err := p.parseFlowFields()
	if err != nil {
		return selection{}, err
	}
	return sel, nil
}

type fieldParser struct {
	s   string
	pos int
}

func (p *fieldParser) skipSpace() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
}

func (p *fieldParser) name() string {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *fieldParser) syntaxError() error {
	at := p.pos
	if at >= len(p.s) {
		return api.Errorf(api.EINVALID, "(#100) Syntax error in param fields: unexpected end at character %d", at+1)
	}
	return api.Errorf(api.EINVALID, "(#100) Syntax error in param fields: unexpected %q at character %d", truncate(p.s[at:], 1), at+1)
}

func (p *fieldParser) parseFlowFields() (selection, error) {
	var sel selection
	seen := map[field]bool{}
	for {
		n := p.name()
		p.skipSpace()
		if n == "" {
			// Graph ignores empty entries such as "name,,status".
			if p.pos < len(p.s) && p.s[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos >= len(p.s) {
				break
			}
			return selection{}, p.syntaxError()
		}
		f, ok := fieldNames[n]
		if !ok {
			return selection{}, api.Errorf(api.EINVALID, "(#100) Tried accessing nonexisting field (%s) on node type (%s)", truncate(n, 100), flowNodeType)
		}
		if p.pos < len(p.s) && p.s[p.pos] == '.' {
			p.pos++
			mod := p.name()
			if f != fPreview || mod != "invalidate" {
				return selection{}, api.Errorf(api.EINVALID, "(#100) Field (%s) on node type (%s) takes no modifier (%s)", n, flowNodeType, truncate(mod, 100))
			}
			on, err := p.boolArgument(mod)
			if err != nil {
				return selection{}, err
			}
			sel.invalidate = sel.invalidate || on
			p.skipSpace()
		}
		if p.pos < len(p.s) && p.s[p.pos] == '{' {
			if f != fWABA {
				return selection{}, api.Errorf(api.EINVALID, "(#100) Field (%s) on node type (%s) has no sub-fields", n, flowNodeType)
			}
			p.pos++
			sub, err := p.parseWABAFields()
			if err != nil {
				return selection{}, err
			}
			if !seen[fWABA] {
				sel.waba = sub
			}
		} else if f == fWABA && !seen[fWABA] {
			sel.waba = []wabaField{wID, wName}
		}
		if !seen[f] {
			seen[f] = true
			sel.fields = append(sel.fields, f)
		}
		p.skipSpace()
		if p.pos >= len(p.s) {
			break
		}
		if p.s[p.pos] != ',' {
			return selection{}, p.syntaxError()
		}
		p.pos++
	}
	if !seen[fID] {
		sel.fields = append(sel.fields, fID)
	}
	return sel, nil
}

// boolArgument parses the (true) or (false) after a modifier's name.
func (p *fieldParser) boolArgument(mod string) (bool, error) {
	p.skipSpace()
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return false, api.Errorf(api.EINVALID, "(#100) Modifier %s takes an argument: %s(true) or %s(false)", mod, mod, mod)
	}
	p.pos++
	arg := p.name()
	p.skipSpace()
	if p.pos >= len(p.s) || p.s[p.pos] != ')' {
		return false, p.syntaxError()
	}
	p.pos++
	switch arg {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, api.Errorf(api.EINVALID, "(#100) Modifier %s takes true or false, not (%s)", mod, truncate(arg, 100))
}

// parseWABAFields parses the inside of whatsapp_business_account{…}, up to and including the brace.
func (p *fieldParser) parseWABAFields() ([]wabaField, error) {
	var out []wabaField
	seen := map[wabaField]bool{}
	for {
		n := p.name()
		p.skipSpace()
		var w wabaField
		switch n {
		case "id":
			w = wID
		case "name":
			w = wName
		case "":
			if p.pos < len(p.s) && p.s[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos < len(p.s) && p.s[p.pos] == '}' {
				p.pos++
				return withID(out, seen), nil
			}
			return nil, p.syntaxError()
		default:
			return nil, api.Errorf(api.EINVALID, "(#100) Tried accessing nonexisting field (%s) on node type (WhatsAppBusinessAccount)", truncate(n, 100))
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
		if p.pos >= len(p.s) {
			return nil, p.syntaxError()
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return withID(out, seen), nil
		default:
			return nil, p.syntaxError()
		}
	}
}

func withID(out []wabaField, seen map[wabaField]bool) []wabaField {
	if !seen[wID] {
		out = append(out, wID)
	}
	return out
}
