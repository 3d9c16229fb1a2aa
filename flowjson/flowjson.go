package flowjson

// This file holds the package's API: the codes, ValidationError and Result, Analyze and Validate, and how
// findings become ValidationErrors.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// MaxSize is Meta's limit on the size of a Flow JSON document, in bytes.
// Analyze does not enforce it; callers that imitate Meta reject larger
// uploads before validating.
const MaxSize = 10 << 20

// Error types: the values of ValidationError.ErrorType.
const (
	// ErrorTypeFlowJSON marks a fault in Flow JSON semantics (versions, routing, actions, references).
	ErrorTypeFlowJSON = "FLOW_JSON_ERROR"
	// ErrorTypeJSONSchema marks a fault in JSON syntax or in the shape of the document.
	ErrorTypeJSONSchema = "JSON_SCHEMA_ERROR"
	// ErrorTypeWarning marks a warning (Result.Warnings): Meta accepts the document as it is.
	ErrorTypeWarning = "WARNING"
)

// Warning codes: not Meta's, since its validator accepts all of these (see the package doc, "Errors and
// warnings").
const (
	// WarnCharacterLimit reports static text over the component's documented character limit: Meta
	// truncates it on the device, by a strategy that depends on the device's resolution.
	WarnCharacterLimit = "CHARACTER_LIMIT_EXCEEDED"
	// WarnImageSize reports a base64 image over its documented size: WhatsApp shows a placeholder.
	WarnImageSize = "IMAGE_SIZE_EXCEEDED"
	// WarnItemsNotRendered reports NavigationList items past the 20th: they are not rendered.
	WarnItemsNotRendered = "ITEMS_NOT_RENDERED"
	// WarnTooManyWarnings ends a list of warnings that was cut at MaxErrors (or MaxErrorsSize).
	WarnTooManyWarnings = "TOO_MANY_WARNINGS"
)

// Error codes: the values of ValidationError.Error, named as Meta names them.
// The first group is the catalogue of Meta's error-codes page (section B.9
// of the reference); the second holds codes that only Meta's own Flow JSON
// validator (the one its web builder runs) uses, for faults the catalogue has
// no code for.
const (
	// CodeInvalidFlowJSON reports a document that is not valid JSON.
	CodeInvalidFlowJSON = "INVALID_FLOW_JSON"
	// CodeMissingFlowJSONVersion reports a root object without "version".
	CodeMissingFlowJSONVersion = "MISSING_FLOW_JSON_VERSION"
	// CodeInvalidFlowJSONVersion reports a "version" that is not one Meta knows.
	CodeInvalidFlowJSONVersion = "INVALID_FLOW_JSON_VERSION"
	// CodeUnsupportedFlowJSONVersion reports a version that existed once and has expired.
	CodeUnsupportedFlowJSONVersion = "UNSUPPORTED_FLOW_JSON_VERSION"
	// CodeUnavailableFlowJSONVersion reports a beta version that is not enabled for the account.
	CodeUnavailableFlowJSONVersion = "UNAVAILABLE_FLOW_JSON_VERSION"
	// CodeNoSupportedDataAPIVersion reports a "data_api_version" the Flow JSON version does not support.
	CodeNoSupportedDataAPIVersion = "NO_SUPPORTED_DATA_API_VERSION"
	// CodeMissingRequiredProperty reports a required property that is absent.
	CodeMissingRequiredProperty = "MISSING_REQUIRED_PROPERTY"
	// CodeMissingRequiredTypeProperty reports a component without "type".
	CodeMissingRequiredTypeProperty = "MISSING_REQUIRED_TYPE_PROPERTY"
	// CodeInvalidPropertyType reports a value of the wrong JSON type.
	CodeInvalidPropertyType = "INVALID_PROPERTY_TYPE"
	// CodeInvalidPropertyKey reports a property that is not allowed where it appears.
	CodeInvalidPropertyKey = "INVALID_PROPERTY_KEY"
	// CodeInvalidPropertyValue reports a value that is not allowed (an unknown component type, a broken condition…).
	CodeInvalidPropertyValue = "INVALID_PROPERTY_VALUE"
	// CodeInvalidPropertyValueFormat reports a string in the wrong format (a URI, a date).
	CodeInvalidPropertyValueFormat = "INVALID_PROPERTY_VALUE_FORMAT"
	// CodeMinItemsRequired reports an array with too few items.
	CodeMinItemsRequired = "MIN_ITEMS_REQUIRED"
	// CodeMinCharsRequired reports a string that is too short.
	CodeMinCharsRequired = "MIN_CHARS_REQUIRED"
	// CodePatternMismatch reports a string that does not match the required pattern.
	CodePatternMismatch = "PATTERN_MISMATCH"
	// CodeInvalidEnumValue reports a value outside a fixed list (action names, enums).
	CodeInvalidEnumValue = "INVALID_ENUM_VALUE"
	// CodeInvalidDependencies reports a property whose companion property is missing.
	CodeInvalidDependencies = "INVALID_DEPENDENCIES"
	// CodeNotKeywordSchemaValidationFailed reports properties that may not be used together.
	CodeNotKeywordSchemaValidationFailed = "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED"
	// CodeKeywordOneOf reports an input component outside a Form before version 4.0.
	CodeKeywordOneOf = "KEYWORD_ONE_OF"
	// CodeInvalidRoutingModel reports a fault of the routing model (given or derived from navigate actions).
	CodeInvalidRoutingModel = "INVALID_ROUTING_MODEL"
	// CodeInvalidCompleteAction reports a complete action on a screen that is not terminal.
	CodeInvalidCompleteAction = "INVALID_COMPLETE_ACTION"
	// CodeInvalidNavigateActionPayload reports a navigate payload that does not match the next screen's data model.
	CodeInvalidNavigateActionPayload = "INVALID_NAVIGATE_ACTION_PAYLOAD"
	// CodeInvalidNavigateActionNextScreenName reports a navigate action to an unknown screen or to its own screen.
	CodeInvalidNavigateActionNextScreenName = "INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME"
	// CodeInvalidOnClickActionPayload reports an action payload that refers to missing data or form fields.
	CodeInvalidOnClickActionPayload = "INVALID_ON_CLICK_ACTION_PAYLOAD"
	// CodeInvalidActionPayloadProperty reports an update_data payload property missing from the screen data model.
	CodeInvalidActionPayloadProperty = "INVALID_ACTION_PAYLOAD_PROPERTY"
	// CodeInvalidScreenData reports a fault in a screen's data model.
	CodeInvalidScreenData = "INVALID_SCREEN_DATA"
	// CodeInvalidScreenDynamicData reports a dynamic reference that the data model or the forms do not resolve.
	CodeInvalidScreenDynamicData = "INVALID_SCREEN_DYNAMIC_DATA"
	// CodeMaxScreensNumber reports a flow with more than 100 screens.
	CodeMaxScreensNumber = "MAX_SCREENS_NUMBER"
	// CodeMaxEmbeddedLinkPerScreen reports more than 2 EmbeddedLinks on a screen.
	CodeMaxEmbeddedLinkPerScreen = "MAX_EMBEDDED_LINK_PER_SCREEN"
	// CodeMaxFooterPerScreen reports more than 1 Footer on a screen.
	CodeMaxFooterPerScreen = "MAX_FOOTER_PER_SCREEN"
	// CodeMaxImagePerScreen reports more than 3 Images on a screen.
	CodeMaxImagePerScreen = "MAX_IMAGE_PER_SCREEN"
	// CodeMaxOptInPerScreen reports more than 5 OptIns on a screen.
	CodeMaxOptInPerScreen = "MAX_OPT_IN_PER_SCREEN"
	// CodeMinValueGreaterThanMax reports a minimum property greater than its maximum.
	CodeMinValueGreaterThanMax = "MIN_VALUE_GREATER_THAN_MAX"
	// CodeMinimumValueRequired reports a number below its allowed range.
	CodeMinimumValueRequired = "MINIMUM_VALUE_REQUIRED"
	// CodeMaximumValueRequired reports a number above its allowed range.
	CodeMaximumValueRequired = "MAXIMUM_VALUE_REQUIRED"
	// CodeDuplicateFormComponentNames reports two input components of a screen with the same name.
	CodeDuplicateFormComponentNames = "DUPLICATE_FORM_COMPONENT_NAMES"
	// CodeDuplicateScreenIDs reports two screens with the same id.
	CodeDuplicateScreenIDs = "DUPLICATE_SCREEN_IDS"
	// CodeScreenIDIsReservedKeyword reports a screen named SUCCESS.
	CodeScreenIDIsReservedKeyword = "SCREEN_ID_IS_RESERVED_KEYWORD"
	// CodeMissingFooterOnTerminalScreen reports a terminal screen without a Footer.
	CodeMissingFooterOnTerminalScreen = "MISSING_FOOTER_ON_TERMINAL_SCREEN"
	// CodeMissingTerminalScreen reports a flow without a terminal screen.
	CodeMissingTerminalScreen = "MISSING_TERMINAL_SCREEN"
	// CodeComponentsOutsideForm reports an input outside the Form of its screen (4.0+).
	CodeComponentsOutsideForm = "COMPONENTS_OUTSIDE_FORM"
	// CodeMissingFooterInIfElseBranches reports a Footer in only one branch of an If.
	CodeMissingFooterInIfElseBranches = "MISSING_FOOTER_IN_IF_ELSE_BRANCHES"
	// CodeMissingFooterInSwitchBranches reports a Footer in only some cases of a Switch.
	CodeMissingFooterInSwitchBranches = "MISSING_FOOTER_IN_SWITCH_BRANCHES"
	// CodeMoreThanOneFooter reports more than one Footer on a screen, counting If and Switch branches.
	CodeMoreThanOneFooter = "MORE_THAN_ONE_FOOTER"
	// CodeNativeComponentInFormInitValues reports a PhotoPicker or DocumentPicker in a Form's init-values.
	CodeNativeComponentInFormInitValues = "NATIVE_COMPONENT_IN_FORM_INIT_VALUES"

	// CodeMaxItemsRequired reports an array with too many items.
	CodeMaxItemsRequired = "MAX_ITEMS_REQUIRED"
	// CodeComponentTypeMaxNumberPerScreen reports too many components of a type without a catalogue code
	// (PhotoPicker, DocumentPicker, NavigationList, ImageCarousel, Form).
	CodeComponentTypeMaxNumberPerScreen = "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"
	// CodeMaxAllowedComponentsPerScreen reports a screen with more than 50 components.
	CodeMaxAllowedComponentsPerScreen = "MAX_ALLOWED_COMPONENTS_PER_SCREEN"
	// CodeInvalidComponentPlacement reports RichText or NavigationList sharing a screen with other components (6.0+).
	CodeInvalidComponentPlacement = "INVALID_COMPONENT_PLACEMENT"
	// CodeInvalidRichTextPlacement reports RichText sharing a screen with other components in version 5.1.
	CodeInvalidRichTextPlacement = "INVALID_RICHTEXT_PLACEMENT"
	// CodeInvalidTextDynamicData reports a dynamic reference inside the array form of a text property.
	CodeInvalidTextDynamicData = "INVALID_TEXT_DYNAMIC_DATA"
	// CodeInvalidUpdateDataActionPayload reports a faulty update_data action.
	CodeInvalidUpdateDataActionPayload = "INVALID_UPDATE_DATA_ACTION_PAYLOAD"
	// CodeDataSourceItemsHaveBothImageAndColor reports a data-source mixing images and colors.
	CodeDataSourceItemsHaveBothImageAndColor = "DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR"
	// CodeMaximumIfNesting reports If components nested more than 3 levels deep.
	CodeMaximumIfNesting = "MAXIMUM_IF_NESTING"
	// CodeInvalidSensitiveField reports a sensitive field that names no component of its screen.
	CodeInvalidSensitiveField = "INVALID_SENSITIVE_FIELD"
	// CodeInvalidPropertyNameForCondition reports a property that the component's mode does not allow.
	CodeInvalidPropertyNameForCondition = "INVALID_PROPERTY_NAME_FOR_CONDITION"
	// CodeInvalidPropertyValueForCondition reports a value that another property of the component rules out.
	CodeInvalidPropertyValueForCondition = "INVALID_PROPERTY_VALUE_FOR_CONDITION"
	// CodeDuplicatePropertyForCondition reports a property given at two levels where only one is allowed
	// (Meta's spelling: DUPLICATE_PROPETY_FOR_CONDITION).
	CodeDuplicatePropertyForCondition = "DUPLICATE_PROPETY_FOR_CONDITION"

	// CodeTooManyErrors is not Meta's: it ends a list of errors that was cut at
	// MaxErrors (or MaxErrorsSize), at the position of the first error left out.
	CodeTooManyErrors = "TOO_MANY_ERRORS"
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
	// Errors is what Meta's validator rejects: the upload's validation_errors, which block publishing. It
	// is sorted by position, and is empty but never nil when the document is valid.
	Errors []ValidationError
	// Warnings is what Meta accepts but a careful author wants to know (text it truncates, items it does
	// not render, images it replaces): same positions and paths, their own codes (Warn*), error_type
	// WARNING. Sorted by position; empty but never nil.
	Warnings []ValidationError
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
// INVALID_FLOW_JSON error. Its time and memory are linear in len(data).
func Analyze(data []byte) Result {
	res, _ := AnalyzeContext(context.Background(), data)
	return res
}

// AnalyzeContext is Analyze that stops soon after ctx is done, returning the
// context's error (and an empty Result) instead of finishing the work.
func AnalyzeContext(ctx context.Context, data []byte) (res Result, err error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	stop := stopper{ctx: ctx}
	if ctx.Done() == nil {
		stop.ctx = nil // a context that is never done needs no looking at
	}
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(canceled)
			if !ok {
				panic(r)
			}
			res, err = Result{}, c.err
		}
	}()
	t, serr := parse(data, stop)
	if serr != nil {
		pos := newPositioner(data)
		return Result{Errors: []ValidationError{pos.syntaxError(serr)}, Warnings: []ValidationError{}}, nil
	}
	a := analyzer{t: t}
	a.run()
	a.res.UsesEndpoint = a.res.UsesEndpoint || t.hasDataExchangeAction()
	var pos *positioner
	var paths *paths
	if len(a.errs.list)+len(a.warns.list) > 0 {
		pos, paths = newPositioner(a.t.src), newPaths(a.t)
	}
	a.res.Errors = a.render(&a.errs, pos, paths, CodeTooManyErrors, "errors")
	a.res.Warnings = a.render(&a.warns, pos, paths, WarnTooManyWarnings, "warnings")
	return a.res, nil
}

// Validate returns the errors Analyze finds in data.
func Validate(data []byte) []ValidationError {
	return Analyze(data).Errors
}

// ValidateContext returns the errors AnalyzeContext finds in data.
func ValidateContext(ctx context.Context, data []byte) ([]ValidationError, error) {
	res, err := AnalyzeContext(ctx, data)
	return res.Errors, err
}

// stopper lets every pass over the document stop when the context is done:
// each step of a walk counts, and every stopEvery steps the context is asked.
type stopper struct {
	ctx   context.Context // nil when it can never be done
	steps int
}

// stopEvery is how many steps pass between looks at the context: a few
// microseconds of work, so a canceled analysis stops within milliseconds.
const stopEvery = 1 << 12

// canceled carries the context's error out of a stopped walk to AnalyzeContext.
type canceled struct{ err error }

// step counts one unit of work and stops the analysis if the context is done.
// Its common path (no context to watch) is small enough to be inlined.
func (s *stopper) step() {
	if s.ctx != nil {
		s.tick()
	}
}

func (s *stopper) tick() {
	if s.steps++; s.steps%stopEvery == 0 {
		if err := s.ctx.Err(); err != nil {
			panic(canceled{err})
		}
	}
}

// sortFindings orders findings by position: offsets order like (line,
// column), and stability keeps rule order for ties.
func sortFindings(fs []finding) {
	slices.SortStableFunc(fs, func(x, y finding) int { return x.start - y.start })
}

// render turns findings into ValidationErrors, in document order, within MaxErrors and MaxErrorsSize; when
// some were left out, a last entry with code closing says so. what names them in its message.
func (a *analyzer) render(fs *findings, pos *positioner, paths *paths, closing, what string) []ValidationError {
	out := make([]ValidationError, 0, min(len(fs.list), MaxErrors)+1)
	if len(fs.list) == 0 && fs.omitted == 0 {
		return out
	}
	sortFindings(fs.list)
	for _, f := range fs.list[min(len(fs.list), maxErrors):] {
		fs.omit(f)
	}
	fs.list = fs.list[:min(len(fs.list), maxErrors)]
	size := 2 // the brackets
	for i, f := range fs.list {
		e := a.validationError(f, pos, paths)
		// Room is kept for the closing entry that says the list was cut.
		if n := encodedSize(e) + 1; size+n > MaxErrorsSize-512 {
			for _, g := range fs.list[i:] {
				fs.omit(g)
			}
			break
		} else {
			size += n
		}
		out = append(out, e)
	}
	if fs.omitted > 0 {
		e := ValidationError{Error: closing, ErrorType: ErrorTypeFlowJSON}
		if fs.firstOmitted.code != "" {
			e = a.validationError(fs.firstOmitted, pos, paths)
			e.Error, e.Pointers = closing, nil
		}
		e.Message = fmt.Sprintf("Only the first %d %s are listed; at least %d more were found from here on. Fix these and validate again.", len(out), what, fs.omitted)
		out = append(out, e)
	}
	return out
}

// validationError renders one finding, its message and path cut to their limits.
func (a *analyzer) validationError(f finding, pos *positioner, paths *paths) ValidationError {
	msg := f.message
	if f.pathArg >= 0 {
		msg = strings.ReplaceAll(msg, pathMark, paths.of(f.pathArg))
	}
	e := ValidationError{Error: f.code, ErrorType: f.errorType, Message: clipTo(msg, MaxMessageLength)}
	e.LineStart, e.ColumnStart, e.LineEnd, e.ColumnEnd = pos.span(f.start, f.end)
	if p := paths.of(f.at); p != "" {
		e.Pointers = []string{clipTo(p, MaxPointerLength)}
	}
	return e
}

// encodedSize is how many bytes e takes in JSON (at most: encoding/json
// escapes <, > and & where the server does not).
func encodedSize(e ValidationError) int {
	b, _ := json.Marshal(e)
	return len(b)
}
