package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
)

// The request checks are compiled once from the merged spec: for each operation, the query parameters
// whose schema constrains anything beyond "a string", and the request body schema. Operations with
// nothing to check get no middleware at all, so a plain GET pays nothing for validation.

// opCheck is the compiled input check of one operation.
type opCheck struct {
	operationID  string
	query        []queryCheck
	jsonBody     *openapi3.Schema // the application/json body schema, if the operation takes one
	bodyOptional bool
	formBody     *openapi3.Schema // the multipart/form-data body schema, checked by the upload handler
}

type queryCheck struct {
	name   string
	schema *openapi3.Schema
}

// compileChecks builds the checks of every operation in doc, keyed by operationId.
func compileChecks(doc *openapi3.T) (map[string]*opCheck, error) {
	checks := map[string]*opCheck{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				return nil, fmt.Errorf("%s %s has no operationId", method, path)
			}
			chk := &opCheck{operationID: op.OperationID}
			params := append(openapi3.Parameters{}, item.Parameters...)
			params = append(params, op.Parameters...)
			for _, ref := range params {
				p := ref.Value
				if p == nil || p.In != openapi3.ParameterInQuery || p.Schema == nil || !constrains(p.Schema.Value) {
					continue
				}
				chk.query = append(chk.query, queryCheck{name: p.Name, schema: p.Schema.Value})
			}
			if rb := op.RequestBody; rb != nil && rb.Value != nil {
				if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					chk.jsonBody = mt.Schema.Value
					chk.bodyOptional = !rb.Value.Required
				}
				if mt := rb.Value.Content.Get("multipart/form-data"); mt != nil && mt.Schema != nil {
					chk.formBody = mt.Schema.Value
				}
			}
			checks[op.OperationID] = chk
		}
	}
	return checks, nil
}

// constrains reports whether a parameter schema rejects any string.
func constrains(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	return !s.Type.Is(openapi3.TypeString) || len(s.Enum) > 0 || s.Pattern != "" || s.Format != "" ||
		s.MinLength > 0 || s.MaxLength != nil
}

// validationMiddlewares returns the per-operation middleware for RegisterHandlersWithOptions: only
// operations with query constraints get one. Bodies are read and checked by their handlers (body.go).
func (s *Server) validationMiddlewares() map[string][]echo.MiddlewareFunc {
	out := map[string][]echo.MiddlewareFunc{}
	for id, chk := range s.checks {
		if len(chk.query) > 0 {
			out[id] = []echo.MiddlewareFunc{chk.middleware}
		}
	}
	return out
}

func (chk *opCheck) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := chk.checkQuery(c.QueryParams()); err != nil {
			return err
		}
		return next(c)
	}
}

// checkQuery checks each constrained query parameter against its schema.
func (chk *opCheck) checkQuery(q url.Values) error {
	for _, qc := range chk.query {
		vals, ok := q[qc.name]
		if !ok {
			continue
		}
		if len(vals) > 1 {
			return api.Errorf(api.EINVALID, "(#100) Param %s must be given at most once", qc.name)
		}
		var v any = vals[0]
		switch {
		case qc.schema.Type.Is(openapi3.TypeInteger):
			n, err := strconv.ParseInt(strings.TrimSpace(vals[0]), 10, 64)
			if err != nil {
				return api.Errorf(api.EINVALID, "(#100) Param %s must be an integer", qc.name)
			}
			v = float64(n)
		case qc.schema.Type.Is(openapi3.TypeNumber):
			n, err := strconv.ParseFloat(strings.TrimSpace(vals[0]), 64)
			if err != nil {
				return api.Errorf(api.EINVALID, "(#100) Param %s must be a number", qc.name)
			}
			v = n
		case qc.schema.Type.Is(openapi3.TypeBoolean):
			b, err := strconv.ParseBool(vals[0])
			if err != nil {
				return api.Errorf(api.EINVALID, "(#100) Param %s must be a boolean", qc.name)
			}
			v = b
		}
		if err := qc.schema.VisitJSON(v); err != nil {
			return schemaError(err, qc.name)
		}
	}
	return nil
}

// jsonErrorText describes a JSON syntax error with its position.
func jsonErrorText(err error, raw []byte) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := 1, 1
		for _, c := range raw[:min(int(se.Offset), len(raw))] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("%s at line %d, column %d", se.Error(), line, col)
	}
	return truncate(err.Error(), 200)
}

// checkForm checks multipart form fields (as strings) against the operation's form schema; binary fields
// are checked for presence only.
func (chk *opCheck) checkForm(fields map[string]any) error {
	if chk.formBody == nil {
		return nil
	}
	if err := chk.formBody.VisitJSON(fields); err != nil {
		return schemaError(err, "")
	}
	return nil
}

// schemaError turns a kin-openapi schema error into a Graph parameter error naming the parameter.
func schemaError(err error, param string) error {
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return api.Errorf(api.EINVALID, "(#100) Invalid parameter: %s", truncate(err.Error(), 200))
	}
	name := paramPath(param, se.JSONPointer())
	s := se.Schema
	switch se.SchemaField {
	case "required":
		return api.Errorf(api.EINVALID, "(#100) The parameter %s is required", name)
	case "enum":
		opts := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			opts[i] = fmt.Sprint(e)
		}
		return api.Errorf(api.EINVALID, "(#100) Param %s must be one of {%s} - got %s", name, strings.Join(opts, ", "), describe(se.Value))
	case "type":
		return api.Errorf(api.EINVALID, "(#100) Param %s must be %s - got %s", name, typeName(s), describe(se.Value))
	case "format":
		return api.Errorf(api.EINVALID, "(#100) Param %s must be a valid %s", name, s.Format)
	case "minimum":
		return api.Errorf(api.EINVALID, "(#100) Param %s must be at least %v", name, *s.Min)
	case "maximum":
		return api.Errorf(api.EINVALID, "(#100) Param %s must be at most %v", name, *s.Max)
	case "minItems":
		return api.Errorf(api.EINVALID, "(#100) Param %s must have at least %d item(s)", name, s.MinItems)
	}
	return api.Errorf(api.EINVALID, "(#100) Param %s is invalid: %s", name, se.Reason)
}

// paramPath renders a JSON pointer as a Graph parameter name: categories[0], whatsapp.name.
func paramPath(param string, ptr []string) string {
	var b strings.Builder
	b.WriteString(param)
	for _, p := range ptr {
		if _, err := strconv.Atoi(p); err == nil && b.Len() > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(truncate(p, 100))
	}
	if b.Len() == 0 {
		return "body"
	}
	return b.String()
}

func typeName(s *openapi3.Schema) string {
	switch {
	case s.Type.Is(openapi3.TypeString):
		return "a string"
	case s.Type.Is(openapi3.TypeInteger):
		return "an integer"
	case s.Type.Is(openapi3.TypeNumber):
		return "a number"
	case s.Type.Is(openapi3.TypeBoolean):
		return "a boolean"
	case s.Type.Is(openapi3.TypeArray):
		return "an array"
	case s.Type.Is(openapi3.TypeObject):
		return "an object"
	}
	return "of a different type"
}

// describe names a JSON value for an error message without repeating much of it.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(truncate(x, 100))
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value of another type"
}
