package flowjson

import "slices"

// MaxSize is Meta's limit on the size of a Flow JSON document, in bytes.
// Analyze does not enforce it; callers that imitate Meta reject larger
// uploads before validating.
const MaxSize = 10 << 20

// Error types: the values of ValidationError.ErrorType.
const (
	// ErrorTypeFlowJSON marks a fault in Flow JSON semantics (versions, routing, actions).
	ErrorTypeFlowJSON = "FLOW_JSON_ERROR"
	// ErrorTypeJSONSchema marks a fault in JSON syntax or in the shape of the document.
	ErrorTypeJSONSchema = "JSON_SCHEMA_ERROR"
)

// Error codes: the values of ValidationError.Error, named as Meta names them.
const (
	// CodeInvalidFlowJSON reports a document that is not valid JSON.
	CodeInvalidFlowJSON = "INVALID_FLOW_JSON"
	// CodeMissingFlowJSONVersion reports a root object without "version".
	CodeMissingFlowJSONVersion = "MISSING_FLOW_JSON_VERSION"
	// CodeInvalidFlowJSONVersion reports a "version" that is not a "MAJOR.MINOR" string.
	CodeInvalidFlowJSONVersion = "INVALID_FLOW_JSON_VERSION"
	// CodeUnsupportedFlowJSONVersion reports a well-formed "version" that is not in Versions.
	CodeUnsupportedFlowJSONVersion = "UNSUPPORTED_FLOW_JSON_VERSION"
	// CodeNoSupportedDataAPIVersion reports a "data_api_version" that is not in DataAPIVersions.
	CodeNoSupportedDataAPIVersion = "NO_SUPPORTED_DATA_API_VERSION"
	// CodeMissingRequiredProperty reports a required property that is absent.
	CodeMissingRequiredProperty = "MISSING_REQUIRED_PROPERTY"
	// CodeInvalidPropertyType reports a value of the wrong JSON type.
	CodeInvalidPropertyType = "INVALID_PROPERTY_TYPE"
	// CodeInvalidPropertyKey reports a property that is not allowed where it appears.
	CodeInvalidPropertyKey = "INVALID_PROPERTY_KEY"
	// CodeMinItemsRequired reports an array with too few items.
	CodeMinItemsRequired = "MIN_ITEMS_REQUIRED"
)

// ValidationError mirrors the spec's FlowValidationError object.
type ValidationError struct {
	Error       string   `json:"error"`      // Meta's code, e.g. INVALID_FLOW_JSON
	ErrorType   string   `json:"error_type"` // FLOW_JSON_ERROR or JSON_SCHEMA_ERROR
	Message     string   `json:"message"`
	LineStart   int      `json:"line_start"` // 1-based
	LineEnd     int      `json:"line_end"`
	ColumnStart int      `json:"column_start"` // 1-based
	ColumnEnd   int      `json:"column_end"`
	Pointers    []string `json:"pointers,omitempty"` // paths like "screens[0].layout.children[2].label"
}

// Result is what Analyze learns from one Flow JSON document.
type Result struct {
	// Errors is sorted by position, and is empty but never nil when the document is valid.
	Errors []ValidationError
	// Version is the "version" string as written, "" when absent or not a string.
	Version string
	// DataAPIVersion is the "data_api_version" string, "" when absent or not a string.
	DataAPIVersion string
	// UsesEndpoint is true when "data_api_version" is present (and not null) or
	// any action object anywhere has "name":"data_exchange".
	UsesEndpoint bool
}

// Analyze parses data as Flow JSON, checks it and reports what it found.
// It never panics; a document that is not JSON gives exactly one
// INVALID_FLOW_JSON error.
func Analyze(data []byte) Result {
	t, serr := parse(data)
	if serr != nil {
		pos := newPositioner(data)
		return Result{Errors: []ValidationError{pos.syntaxError(serr)}}
	}
	a := analyzer{t: t}
	a.checkRoot()
	a.res.UsesEndpoint = a.res.UsesEndpoint || t.hasDataExchangeAction()
	a.res.Errors = a.validationErrors()
	return a.res
}

// Validate returns the errors Analyze finds in data.
func Validate(data []byte) []ValidationError {
	return Analyze(data).Errors
}

// validationErrors turns the findings into ValidationErrors, in document order.
func (a *analyzer) validationErrors() []ValidationError {
	errs := make([]ValidationError, 0, len(a.found))
	if len(a.found) == 0 {
		return errs
	}
	// Offsets order like (line, column); stability keeps rule order for ties.
	slices.SortStableFunc(a.found, func(x, y finding) int { return x.start - y.start })
	pos, paths := newPositioner(a.t.src), newPaths(a.t)
	for _, f := range a.found {
		e := ValidationError{Error: f.code, ErrorType: f.errorType, Message: f.message}
		e.LineStart, e.ColumnStart, e.LineEnd, e.ColumnEnd = pos.span(f.start, f.end)
		if p := paths.of(f.at); p != "" {
			e.Pointers = []string{p}
		}
		errs = append(errs, e)
	}
	return errs
}
