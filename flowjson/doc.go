// Package flowjson validates WhatsApp Flow JSON documents the way Meta's validator does. Errors are what
// Meta rejects: each carries Meta's error code, its error type, a message, the line and column span of
// the fault and the dotted path of the offending key or value, exactly as the Flows API returns them in
// validation_errors. Warnings are what Meta accepts but truncates, leaves out or replaces at run time. It
// depends on the standard library only; the waflows server validates every upload with it, and
// `waflows validate` runs it from the command line.
//
// # Use
//
// Validate returns the errors of a document; Analyze returns a Result with the errors, the warnings,
// the "version" and "data_api_version" strings, and whether the flow uses a data endpoint.
// AnalyzeContext stops when its context ends (a request whose client hung up). Versions,
// IsKnownVersion, IsPublishableVersion and DataAPIVersions say what Meta accepts ([FJ][CL]); MaxSize is
// Meta's 10 MB upload limit, which Analyze itself does not enforce. The Code* constants name every error
// code, the Warn* constants the warning codes, the ErrorType* constants the error types. Time and memory
// are linear in the size of the document: any document up to MaxSize validates in well under a second on
// one core.
//
// # Errors and warnings
//
// An error is a fault Meta's validator reports: the upload's validation_errors, which block publishing.
// A warning is something Meta accepts as written but a careful author wants to know; warnings have
// their own codes and error_type WARNING, with the same positions and paths. The verdict for each class
// of rule, and what it rests on (sources below):
//
//   - JSON syntax (INVALID_FLOW_JSON), versions (MISSING_, INVALID_, UNSUPPORTED_, UNAVAILABLE_FLOW_JSON_VERSION,
//     NO_SUPPORTED_DATA_API_VERSION), top-level keys, and the shape of screens, components, actions and
//     data models (required and allowed keys, types, enums, patterns, the version that introduced each
//     component and property): errors. [ERR] lists every one of these codes.
//   - Minimum lengths and counts (MIN_CHARS_REQUIRED, MIN_ITEMS_REQUIRED): errors [ERR].
//   - Character limits of text: warnings (CHARACTER_LIMIT_EXCEEDED). Meta's catalogue has a minimum-length
//     code but no maximum-length one [ERR][VAL]; its changelog calls length handling a truncation
//     strategy "based on device resolution" [CL, 2024-06-11]; NavigationList content "will truncate"
//     [COMP]; and Meta's own "Sign in" template (pywa's 2.1 sign_in example) has a 30-character
//     EmbeddedLink text where the limit is 25.
//   - Maximum item counts: errors (MAX_ITEMS_REQUIRED, a code of Meta's validator [VAL]) for data-source
//     options (Dropdown 200, or 100 with images; CheckboxGroup, RadioButtonsGroup, ChipsSelector 20),
//     ImageCarousel images (3), NavigationList tags (3) and badges (1); but NavigationList items past the
//     20th are a warning (ITEMS_NOT_RENDERED): "Content over the limit specified will not be rendered"
//     [COMP].
//   - Image sizes: warnings (IMAGE_SIZE_EXCEEDED). NavigationList images over 100 KB "will be replaced by a
//     placeholder" [COMP]; the data-source limits (300 KB before 6.0, 100 KB from 6.0) appear only in the
//     limits tables, with no error code [ERR]. A source that is not base64 is an error [VAL].
//   - Numeric ranges and minimum-maximum pairs (MINIMUM_VALUE_REQUIRED, MAXIMUM_VALUE_REQUIRED,
//     MIN_VALUE_GREATER_THAN_MAX): errors [ERR].
//   - Per-screen caps (Footer 1, EmbeddedLink 2, Image 3, OptIn 5, one PhotoPicker or DocumentPicker,
//     NavigationList 2, ImageCarousel 2 and 3 per flow, Form 1 from 7.0, 50 components): errors [ERR][MEDIA]
//     [COMP][VAL].
//   - Screens (DUPLICATE_SCREEN_IDS, SCREEN_ID_IS_RESERVED_KEYWORD, MISSING_TERMINAL_SCREEN,
//     MISSING_FOOTER_ON_TERMINAL_SCREEN, MAX_SCREENS_NUMBER), forms (COMPONENTS_OUTSIDE_FORM,
//     DUPLICATE_FORM_COMPONENT_NAMES, NATIVE_COMPONENT_IN_FORM_INIT_VALUES), If and Switch
//     (MAXIMUM_IF_NESTING, MISSING_FOOTER_IN_IF_ELSE_BRANCHES, MISSING_FOOTER_IN_SWITCH_BRANCHES,
//     MORE_THAN_ONE_FOOTER, and the components each may hold), actions (INVALID_ENUM_VALUE,
//     INVALID_COMPLETE_ACTION, INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME, INVALID_NAVIGATE_ACTION_PAYLOAD,
//     INVALID_ON_CLICK_ACTION_PAYLOAD, INVALID_ACTION_PAYLOAD_PROPERTY, INVALID_UPDATE_DATA_ACTION_PAYLOAD),
//     references and expressions (INVALID_SCREEN_DYNAMIC_DATA, INVALID_TEXT_DYNAMIC_DATA,
//     INVALID_PROPERTY_VALUE), the data model (INVALID_SCREEN_DATA): errors [ERR][VAL].
//   - Routing (INVALID_ROUTING_MODEL): errors for every rule [ERR] gives a message for (missing and
//     invalid screens, more than 10 branches, self and backward routes, loops, no entry screen, screens
//     not connected, a navigate action without a route). The reference's routing rule 6, "All routes must
//     end at the terminal screen" [FJ], is not checked: Meta's validator has no message for it, and Meta's
//     own templates break it — "Collect Purchase Interest" [PI] and "Book an appointment" route to a
//     terms screen that is a non-terminal leaf, reached from an OptIn's "Read more" and left with the back
//     button, and Meta publishes them.
//
// # How it works
//
// A strict RFC 8259 parser turns the bytes into a flat tree: one slice of nodes in document order, each
// holding the byte offsets of its token (keys included) and the index just past its subtree. Strings
// stay offsets into the input and are decoded only when a rule reads them. Findings are kept as byte
// spans; only when there are findings are offsets turned into lines and columns and paths built, so a
// valid document costs little more than its parse.
//
// The rules run in two phases, as in Meta's own validator:
//
//  1. The schema phase walks the document once: the shape of every object (required and allowed keys,
//     types, enums, patterns, the versions that introduced components and properties) and records what
//     the second phase needs (screens, components, actions, references). Warnings are noted on the way.
//  2. The semantic phase (screens and their ids, limits, placement, forms, If and Switch, actions and
//     payloads, references and expressions, routing) runs when the schema phase found nothing and the
//     version is known. A few semantic findings met during the walk (date formats, item counts, image
//     data) are deferred to it.
//
// When the schema phase did find errors, the cross-screen rules whose inputs are all sound still run,
// so that one round of fixes is enough: the screen id rules (MISSING_TERMINAL_SCREEN among them) when
// every screen has a well-formed id and terminal; then navigate targets, and the rules of a routing_model
// with no error in it; and the routing derived from navigate actions when no screen's layout has an error
// (a component left unread could hold the action that connects a screen).
//
// So one fault gives one error, not a cascade: an unknown component type is reported once and its
// properties are not checked; a wrong action name hides the other keys of the action; a navigate action
// to a missing screen or to its own screen stops the routing rules; a duplicate screen id is left out of
// the routing rules; a malformed screen id or terminal stops the cross-screen rules; a terminal screen
// holding a NavigationList is not also reported for lacking a Footer; a data_exchange without
// data_api_version is not also reported by the 7.3 terminal Footer rule.
//
// error_type is JSON_SCHEMA_ERROR for the schema codes of Meta's catalogue (INVALID_FLOW_JSON,
// INVALID_PROPERTY_KEY, INVALID_PROPERTY_TYPE, INVALID_PROPERTY_VALUE_FORMAT, MIN_ITEMS_REQUIRED,
// MAX_ITEMS_REQUIRED, MIN_CHARS_REQUIRED, MISSING_REQUIRED_TYPE_PROPERTY, MISSING_REQUIRED_PROPERTY,
// PATTERN_MISMATCH, INVALID_ENUM_VALUE, INVALID_DEPENDENCIES, NOT_KEYWORD_SCHEMA_VALIDATION_FAILED,
// KEYWORD_ONE_OF, MINIMUM_VALUE_REQUIRED, MAXIMUM_VALUE_REQUIRED), WARNING for warnings, and
// FLOW_JSON_ERROR for every other code, INVALID_PROPERTY_VALUE included (Meta's documented sample). The
// two flow-level rules that reuse MISSING_REQUIRED_PROPERTY (routing_model required by data_api_version,
// data_api_version required by data_exchange) are FLOW_JSON_ERROR.
//
// # Rules
//
// Versions [FJ][CL]: "version" is required and a string. Versions 2.1 to 7.3 are accepted; a version that
// existed and expired (1.0, 1.1, 1.10, 1.20, 2.0, 2.2, 2.99, 3.2, 4.1) is UNSUPPORTED_FLOW_JSON_VERSION;
// the beta versions 5.2 and 7.4 are UNAVAILABLE_FLOW_JSON_VERSION; anything else, well-formed or not, is
// INVALID_FLOW_JSON_VERSION; with a version that is not accepted only the top level is checked, since
// every other rule depends on the version. Components and properties are refused before the version that
// introduced them (component type: INVALID_PROPERTY_VALUE; property: INVALID_PROPERTY_KEY), e.g.
// CalendarPicker before 6.1, ChipsSelector before 6.3, label-variant before 7.0. Breaking changes:
// CheckboxGroup and RadioButtonsGroup need a label from 4.0; names may not be blank from 4.0; dates are
// millisecond timestamps before 5.0 and "YYYY-MM-DD" from 5.0; no blank strings from 6.0; RichText alone
// on its screen up to 6.2, beside a Footer from 6.3; ChipsSelector in If and Switch from 7.1; Form
// init-values and error-messages typed from 7.0; payload expressions checked from 7.2; the 7.3 routing
// and terminal rules below.
//
// Top level: only version, data_api_version, routing_model, screens, and data_channel_uri below 3.0 (an
// http(s) URI); data_api_version is "3.0", or "4.0" with Flow JSON 7.3 (NO_SUPPORTED_DATA_API_VERSION);
// data_api_version requires routing_model; screens is a non-empty array of objects, at most 100
// (MAX_SCREENS_NUMBER).
//
// Screens [FJ]: id required, letters and underscores, unique, not "SUCCESS"; layout required,
// {"type":"SingleColumnLayout","children":[…]}; title a string (not blank from 5.0); terminal, success
// (3.1+, terminal screens only, at least one terminal screen with success true), refresh_on_back (true
// only with data_api_version) booleans; sensitive (5.1+) names components of the screen
// (INVALID_SENSITIVE_FIELD). At least one terminal screen, each with a Footer.
//
// Data model [FJ]: each top-level field is a schema with a type among string, number, integer, boolean,
// object, array; arrays declare items; each top-level field has an __example__ (MISSING_REQUIRED_PROPERTY
// when absent) matching its schema, and __example__ appears nowhere else (INVALID_SCREEN_DATA).
//
// Components [COMP]: all 24 components with their required and allowed properties, types, enums, ranges,
// minimum and maximum pairs, character limits (warnings), item counts, Footer captions
// (INVALID_DEPENDENCIES, NOT_KEYWORD_SCHEMA_VALIDATION_FAILED), TextInput pattern (only with text, number,
// password and passcode inputs; needs helper-text), data-source items (id and title; image, alt-text and
// color from 5.0; not images and colors together), CalendarPicker single and range modes
// (INVALID_PROPERTY_NAME_FOR_CONDITION), NavigationList (not on a terminal screen, alone on its screen,
// one badge, end not with media-size large, on-click-action on the component or on every item but not
// both), base64 images. Counts follow Meta: an If counts as its larger branch, a Switch as its largest
// case, a Form as its children.
//
// Forms: before 4.0 inputs sit in a Form (KEYWORD_ONE_OF); from 4.0, when a screen has a Form, no input
// sits outside it; inside a Form, inputs take no init-value or error-message of their own; component
// names are unique on a screen, across If and Switch branches too; media pickers are not initialised;
// DatePicker init values use the version's date format; from 7.0 init-values and error-messages name
// fields of the Form and have their types.
//
// If and Switch: the components the reference lists [COMP] (TextHeading, TextSubheading, TextBody,
// TextCaption, CheckboxGroup, DatePicker, Dropdown, EmbeddedLink, Footer, Image, OptIn,
// RadioButtonsGroup, TextArea, TextInput, and ChipsSelector from 7.1; If and Switch in If); If nested at
// most 3 levels; a Footer only in a first-level If, in both branches or in every case of a Switch, and
// never also outside them; then and cases not empty; a Switch value is dynamic.
//
// Actions [FJ][COMP]: the names each component and property allow per version: complete on Footers only, and
// only on terminal screens; navigate needs next, to an existing screen other than its own, and its
// payload fits the next screen's data model both ways, in every version; data_exchange needs
// data_api_version; update_data (6.0+) only in on-select-action and on-unselect-action (which takes
// nothing else), with keys of the screen's data model and fitting values; open_url (6.0+) only on
// EmbeddedLink and OptIn, with an http(s) url; an action on an item or on its component, not both;
// payload references exist; media picker values only as top-level strings of complete and data_exchange
// payloads; a complete payload names one PhotoPicker or one DocumentPicker (a global reference to
// another screen's picker included), at most one file before 5.0, at most 10 files and 100 MB from 5.0.
// From 7.3 a terminal screen's Footer completes the flow (or, with an endpoint, exchanges data).
//
// References and expressions [FJ]: ${data.x} resolves against the screen's data model, ${form.x}
// against its components, ${screen.ID.data|form.x} (4.0+) against another screen, forward references
// included; a global reference to the current screen or to a missing screen, and an unresolved one, is
// INVALID_SCREEN_DYNAMIC_DATA, as is a field whose declared type is not the property's: "Expected
// 'screens[0].data.x' to be of type 'boolean'." (or "… of one of these types: [string, object]." where the
// property takes several). Array text items are static (INVALID_TEXT_DYNAMIC_DATA). Nested expressions
// (6.0+, in backticks) and If conditions (4.0+) are parsed and type-checked with Meta's messages
// (INVALID_PROPERTY_VALUE).
//
// Routing [FJ]: with data_api_version, the routing_model names existing screens, every non-terminal
// screen, at most 10 branches per screen, no self route, no backward route, no loop, an entry screen, all
// screens connected, and a direct route (either way) for every navigate action. Without an endpoint, Meta
// derives the model from navigate actions and the same rules apply to it in their "navigate screen
// action" wording (branches, entry screen, connectivity).
//
// # Positions
//
// Lines and columns are 1-based. Columns count Unicode code points, not bytes, and a tab is one column. A
// line ends after "\n", "\r\n" or a lone "\r". line_start/column_start give the first character of the
// offending token and line_end/column_end its last character (inclusive, so a one-character token has
// column_end == column_start). Strings and keys include their quotes; objects and arrays span their
// brackets.
//
// A fault of a value points at the value; a key that is not allowed at the key; a missing property at the
// opening brace of the object that lacks it (the property has no position of its own; the brace is where
// it would be added); a component-level fault (an unknown or misplaced component, a per-screen cap) at the
// component's "type" value; a fault of a whole array (too many items, no terminal screen) at the array. An
// unexpected end of input points just past the last character (line 1, column 1 for empty input; after a
// final newline, column 1 of the line that newline starts).
//
// Every error carries one pointer, the dotted path of what it points at
// ("screens[0].layout.children[2].label"); faults of the document as a whole (root not an object, a
// missing top-level property, unparseable JSON) carry none. Errors are sorted by position.
//
// # Limits
//
// At most MaxErrors (100) errors are listed, the first by position, within MaxErrorsSize (32 KiB) of
// JSON; a message is cut at MaxMessageLength (500) characters and a path at MaxPointerLength (300), the
// keys in it at 60; when more were found, a last entry with code TOO_MANY_ERRORS (not Meta's), at the
// first error left out, says how many at least. Warnings have the same limits (TOO_MANY_WARNINGS). A
// hostile document must not cost memory, time or storage in proportion to its faults.
//
// # Decisions
//
// Where Meta's documentation is silent, or says something its validator does not do, this package
// decides as follows; each decision has a test case in testdata or a Go test.
//
//   - Unparseable input gives exactly one INVALID_FLOW_JSON error whose message is Meta's "Flow JSON is not
//     valid." followed by the reason and position. Trailing commas, comments, single quotes, NaN and other
//     bare words, leading zeros, invalid escapes, raw control characters in strings, more than one
//     top-level value, nesting deeper than 512 levels, a byte order mark and invalid UTF-8 are not JSON.
//     Escaped lone surrogates are accepted and decode to U+FFFD.
//   - Duplicate keys are accepted; when a rule reads a property the last occurrence wins. A disallowed key
//     is reported at every occurrence.
//   - Versions: a well-formed unknown version ("9.9", "2024.0") is INVALID_FLOW_JSON_VERSION, as [ERR]
//     shows for "2024.0", not UNSUPPORTED (kept for the expired versions Meta's validator lists). Data
//     API "4.0" needs Flow JSON 7.3 [VAL].
//   - The top-level "meta" object ({"lead_gen_ai": boolean}) that Meta's schema allows from 5.1 is refused
//     (INVALID_PROPERTY_KEY): Meta accepts it only on flows its lead-generation assistant creates.
//   - Character limits are warnings (see above): static values only, the items of an array text counted
//     together; EmbeddedLink text is 25 and OptIn label 120 (the reference). NavigationList content has
//     no limit of its own: Meta truncates it.
//   - Text mixing a literal and a reference ("Hi ${data.name}!") is accepted, except in RichText: Meta's
//     validator has an error for it there only ("String interpolation is not supported by RichText
//     component…" [VAL]), which implies the other text components take it. Whether the device fills the
//     reference in or shows it as written is UNCONFIRMED; the validator resolves only a value that is one
//     reference or one backtick expression.
//   - A property bound to a data field of another type is an error for every property kind: a string
//     field binds no boolean (visible, enabled, required…), number or array (data-source…) property.
//     Meta's catalogue states the rule without exceptions [ERR], and Meta refused a real flow for a string
//     in a visible binding (a published QA log).
//   - From 6.0 a dynamic Form init-values or error-messages is not resolved against the data model (the
//     endpoint fills it): Meta's own Form reference uses "init-values": "${data.init_values}" without
//     declaring the field [FJ]. Before 6.0 it is resolved.
//   - Every field of the next screen's data model must come in a navigate payload, in every version:
//     [ERR] states the rule with no version range, and nothing public shows Meta skipping it.
//   - If and Switch hold only the components the reference lists [COMP]: not PhotoPicker,
//     DocumentPicker or CalendarPicker, nor Form, RichText, NavigationList or ImageCarousel.
//     COMPONENTS_OUTSIDE_FORM also covers the inputs added after Meta's list (CalendarPicker,
//     ChipsSelector, PhotoPicker, DocumentPicker). A Form's children may not be empty.
//   - A complete payload names at most one PhotoPicker or DocumentPicker in every version ("Complete action
//     payload can contain either a single PhotoPicker or a single DocumentPicker component." [ERR], with no
//     version range); the same picker named twice counts once.
//   - The reserved screen id is matched without case ("success" too); the screen title is optional (as in
//     Meta's samples); a data model key "required" is JSON Schema's list of required fields, not a field.
//   - Numbers from Meta's validator where the reference is silent: CheckboxGroup min-selected-items at
//     least 0 and max-selected-items at least 2; ChipsSelector max-selected-items at least 1; PhotoPicker
//     and DocumentPicker ranges as in [COMP]. 50 components per screen (the reference; Meta's validator says
//     100).
//   - Codes the catalogue lacks come from Meta's validator: PhotoPicker and DocumentPicker, NavigationList,
//     ImageCarousel and Form caps are COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN; the 50 components cap
//     MAX_ALLOWED_COMPONENTS_PER_SCREEN; RichText or NavigationList sharing a screen
//     INVALID_COMPONENT_PLACEMENT (INVALID_RICHTEXT_PLACEMENT in 5.1); more items than allowed
//     MAX_ITEMS_REQUIRED. Each over-cap component is reported once, at the first one past the cap.
//   - Routing: terminal screens may be left out of a routing model; a non-terminal leaf is fine (rule 6,
//     above); a loop of three or more screens is reported once; the missing entry screen is not reported
//     when a loop or backward route explains it; from 7.3 a navigate destination does not count as an
//     entry screen; a navigate route is satisfied by a route either way; screens with a NavigationList
//     (6.2+) need no route per item. The model derived from navigate actions (no endpoint) links every
//     screen of a NavigationList to all others and is not checked for loops (a "change answers" link back
//     is common).
//   - If conditions: columns in messages count from 0, as in Meta's examples; "Missing operator between
//     'a' and 'b'." has no column.
//   - Conditions and expressions nested more than 100 levels (parentheses, or unary operators in a row) are
//     refused: INVALID_PROPERTY_VALUE "The expression is nested too deeply." (Meta states no limit; the
//     parsers recurse and the stack must stay bounded).
//   - TextInput pattern is not compiled: Meta's regex dialect is JavaScript's. TextInput takes "enabled"
//     (pywa and Meta's validator accept it, though Meta's table omits it).
//   - A message listing missing payload fields names the first 10 and ends with "…"; versions, ids and
//     names quoted in messages are cut after 60 characters, expressions after 200.
//   - UsesEndpoint is true when "data_api_version" is present and not null, or when any object under a key
//     ending in "-action" has "name":"data_exchange", whether or not the flow is otherwise valid.
//
// # Sources
//
//   - [ERR] Meta, Flows error codes: https://developers.facebook.com/docs/whatsapp/flows/reference/error-codes
//   - [COMP] Meta, Flows components: https://developers.facebook.com/docs/whatsapp/flows/reference/components
//   - [FJ] Meta, Flow JSON: https://developers.facebook.com/docs/whatsapp/flows/reference/flowjson
//   - [MEDIA] Meta, media upload: https://developers.facebook.com/docs/whatsapp/flows/reference/media_upload
//   - [CL] Meta, Flows changelog: https://developers.facebook.com/docs/whatsapp/flows/changelogs
//   - [PI] Meta, "Collect Purchase Interest" use-case guide and its FLOWS_PURCHASE_INTENT template:
//     https://developers.facebook.com/docs/whatsapp/flows/gettingstarted/purchase-intent/
//   - [VAL] the Flow JSON validator bundled in Meta's web Flow Builder: facts read from it (codes,
//     messages, limits, the order of checks), no code taken.
package flowjson
