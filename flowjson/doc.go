// Package flowjson validates WhatsApp Flow JSON documents the way Meta's
// Flows API reports them: as a list of ValidationError objects carrying
// Meta's error code, its error type, a message, the line and column span of
// the fault and the dotted path of the offending key or value.
//
// # API
//
// Analyze parses a document and returns a Result: the errors, the "version"
// and "data_api_version" strings, and whether the flow uses a data endpoint.
// Validate returns only the errors. Versions, IsKnownVersion,
// IsPublishableVersion and DataAPIVersions expose what Meta accepts (section
// B.2 of the reference), and MaxSize its 10 MB upload limit, which Analyze
// itself does not enforce. The Code* constants name every code Analyze
// reports, the ErrorType* constants the two error types.
//
// # How it works
//
// A strict RFC 8259 parser turns the bytes into a flat tree: one slice of
// nodes in document order, each holding the byte offsets of its token (keys
// included) and the index just past its subtree. Strings stay offsets into
// the input and are decoded only when a rule reads them. Findings are kept
// as byte spans; only when there are findings are offsets turned into lines
// and columns and paths built, so a valid document costs little more than
// its parse.
//
// The rules run in two phases, as in Meta's own validator:
//
//  1. The schema phase walks the document once: the shape of every object
//     (required and allowed keys, types, enums, patterns, the versions that
//     introduced components and properties) and records what the second
//     phase needs (screens, components, actions, references).
//  2. The semantic phase (screens and their ids, limits, placement, forms,
//     If and Switch, actions and payloads, references and expressions,
//     routing) runs only when the schema phase found nothing and the version
//     is known. A few semantic findings met during the walk (character
//     limits, date formats, item counts, image data) are deferred to it.
//
// So one fault gives one error, not a cascade: an unknown component type is
// reported once and its properties are not checked; a wrong action name
// hides the other keys of the action; a navigate action to a missing screen
// or to its own screen stops the routing rules derived from navigate
// actions; a duplicate screen id is left out of the routing rules; a terminal
// screen holding a NavigationList is not also reported for lacking a Footer;
// a data_exchange without data_api_version is not also reported by the 7.3
// terminal Footer rule.
//
// error_type is JSON_SCHEMA_ERROR for the schema codes of Meta's catalogue
// (INVALID_FLOW_JSON, INVALID_PROPERTY_KEY, INVALID_PROPERTY_TYPE,
// INVALID_PROPERTY_VALUE_FORMAT, MIN_ITEMS_REQUIRED, MAX_ITEMS_REQUIRED,
// MIN_CHARS_REQUIRED, MISSING_REQUIRED_TYPE_PROPERTY,
// MISSING_REQUIRED_PROPERTY, PATTERN_MISMATCH, INVALID_ENUM_VALUE,
// INVALID_DEPENDENCIES, NOT_KEYWORD_SCHEMA_VALIDATION_FAILED, KEYWORD_ONE_OF,
// MINIMUM_VALUE_REQUIRED, MAXIMUM_VALUE_REQUIRED) and FLOW_JSON_ERROR for
// every other code, INVALID_PROPERTY_VALUE included (Meta's documented
// sample). The two flow-level rules that reuse MISSING_REQUIRED_PROPERTY
// (routing_model required by data_api_version, data_api_version required by
// data_exchange) are FLOW_JSON_ERROR.
//
// # Rules
//
// Versions (B.2): "version" is required (MISSING_FLOW_JSON_VERSION) and a
// string. Versions 2.1 to 7.3 are accepted; a version that existed and
// expired (1.0, 1.1, 1.10, 1.20, 2.0, 2.2, 2.99, 3.2, 4.1) is
// UNSUPPORTED_FLOW_JSON_VERSION; the beta versions 5.2 and 7.4 are
// UNAVAILABLE_FLOW_JSON_VERSION; anything else, well-formed or not, is
// INVALID_FLOW_JSON_VERSION; with a version that is not accepted only the
// top level is checked, since every other rule depends on the version.
// Components and properties are refused before the version that introduced
// them (component type: INVALID_PROPERTY_VALUE; property:
// INVALID_PROPERTY_KEY), e.g. CalendarPicker before 6.1, ChipsSelector
// before 6.3, label-variant before 7.0. Breaking changes:
// CheckboxGroup and RadioButtonsGroup need a label from 4.0; names may not
// be blank from 4.0; dates are millisecond timestamps before 5.0 and
// "YYYY-MM-DD" from 5.0; no blank strings from 6.0; RichText alone on its
// screen up to 6.2, beside a Footer from 6.3; ChipsSelector in If and
// Switch from 7.1; Form init-values and error-messages typed from 7.0;
// payload expressions checked from 7.2; the 7.3 routing and terminal rules
// below.
//
// Top level: only version, data_api_version, routing_model, screens, and
// data_channel_uri below 3.0 (an http(s) URI); data_api_version is "3.0", or
// "4.0" with Flow JSON 7.3 (NO_SUPPORTED_DATA_API_VERSION); data_api_version
// requires routing_model; screens is a non-empty array of objects, at most
// 100 (MAX_SCREENS_NUMBER).
//
// Screens (B.3): id required, letters and underscores, unique
// (DUPLICATE_SCREEN_IDS), not "SUCCESS" (SCREEN_ID_IS_RESERVED_KEYWORD);
// layout required, {"type":"SingleColumnLayout","children":[…]}; title a
// string (not blank from 5.0); terminal, success (3.1+, terminal screens
// only, at least one terminal screen with success true), refresh_on_back
// (true only with data_api_version) booleans; sensitive (5.1+) names
// components of the screen (INVALID_SENSITIVE_FIELD). At least one terminal
// screen (MISSING_TERMINAL_SCREEN), each with a Footer
// (MISSING_FOOTER_ON_TERMINAL_SCREEN).
//
// Data model (B.7): each top-level field is a schema with a type among
// string, number, integer, boolean, object, array; arrays declare items;
// each top-level field has an __example__ (MISSING_REQUIRED_PROPERTY when
// absent) matching its schema, and __example__ appears nowhere else
// (INVALID_SCREEN_DATA).
//
// Components (B.8): all 24 components with their required and allowed
// properties, types, enums, ranges (MINIMUM_VALUE_REQUIRED,
// MAXIMUM_VALUE_REQUIRED), minimum and maximum pairs
// (MIN_VALUE_GREATER_THAN_MAX), character limits, item counts
// (MIN_ITEMS_REQUIRED, MAX_ITEMS_REQUIRED), Footer captions
// (INVALID_DEPENDENCIES, NOT_KEYWORD_SCHEMA_VALIDATION_FAILED), TextInput
// pattern (only with text, number, password and passcode inputs; needs
// helper-text), data-source items (id and title; image, alt-text and color
// from 5.0; not images and colors together; images of list items at most 300
// KB before 6.0 and 100 KB from 6.0), CalendarPicker single and range modes
// (INVALID_PROPERTY_NAME_FOR_CONDITION), NavigationList (not on a terminal
// screen, alone on its screen, one badge, end not with media-size large,
// on-click-action on the component or on every item but not both), base64
// images. Per screen: Footer 1, EmbeddedLink 2, Image 3, OptIn 5, one
// PhotoPicker or DocumentPicker, NavigationList 2, ImageCarousel 2 (and 3
// per flow), Form 1 (from 7.0), 50 components. Counts follow Meta: an If
// counts as its larger branch, a Switch as its largest case, a Form as its
// children.
//
// Forms: before 4.0 inputs sit in a Form (KEYWORD_ONE_OF); from 4.0, when a
// screen has a Form, no input sits outside it (COMPONENTS_OUTSIDE_FORM);
// inside a Form, inputs take no init-value or error-message of their own;
// component names are unique on a screen, across If and Switch branches too
// (DUPLICATE_FORM_COMPONENT_NAMES); media pickers are not initialised
// (NATIVE_COMPONENT_IN_FORM_INIT_VALUES); DatePicker init values use the
// version's date format; from 7.0 init-values and error-messages name fields
// of the Form and have their types.
//
// If and Switch: allowed children; If nested at most 3 levels
// (MAXIMUM_IF_NESTING); a Footer only in a first-level If, in both branches
// (MISSING_FOOTER_IN_IF_ELSE_BRANCHES) or in every case of a Switch
// (MISSING_FOOTER_IN_SWITCH_BRANCHES), and never also outside them
// (MORE_THAN_ONE_FOOTER); then and cases not empty; a Switch value is
// dynamic.
//
// Actions (B.6): the names each component and property allow per version
// (INVALID_ENUM_VALUE): complete on Footers only, and only on terminal
// screens (INVALID_COMPLETE_ACTION); navigate needs next, to an existing
// screen other than its own (INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME), and
// its payload fits the next screen's data model both ways
// (INVALID_NAVIGATE_ACTION_PAYLOAD); data_exchange needs data_api_version;
// update_data (6.0+) only in on-select-action and on-unselect-action (which
// takes nothing else), with keys of the screen's data model
// (INVALID_ACTION_PAYLOAD_PROPERTY) and fitting values; open_url (6.0+) only
// on EmbeddedLink and OptIn, with an http(s) url; an action on an item or on
// its component, not both (INVALID_UPDATE_DATA_ACTION_PAYLOAD); payload
// references exist (INVALID_ON_CLICK_ACTION_PAYLOAD); media picker values
// only as top-level strings of complete and data_exchange payloads, at most
// one file before 5.0, at most 10 files and 100 MB from 5.0. From 7.3 a
// terminal screen's Footer completes the flow (or, with an endpoint,
// exchanges data).
//
// References and expressions (B.5): ${data.x} resolves against the screen's
// data model, ${form.x} against its components, ${screen.ID.data|form.x}
// (4.0+) against another screen, forward references included; a global
// reference to the current screen or to a missing screen, and an unresolved
// one, is INVALID_SCREEN_DYNAMIC_DATA, as is a type that does not fit the
// property. Array text items are static (INVALID_TEXT_DYNAMIC_DATA). Nested
// expressions (6.0+, in backticks) and If conditions (4.0+) are parsed and
// type-checked with Meta's messages (INVALID_PROPERTY_VALUE).
//
// Routing (B.4): with data_api_version, the routing_model names existing
// screens, every non-terminal screen, at most 10 branches per screen, no
// self route, no backward route, no loop, an entry screen, all screens
// connected, and a direct route (either way) for every navigate action. Without
// an endpoint, Meta derives the model from navigate actions and the same
// rules apply to it in their "navigate screen action" wording (branches,
// entry screen, connectivity).
//
// # Positions
//
// Lines and columns are 1-based. Columns count Unicode code points, not
// bytes, and a tab is one column. A line ends after "\n", "\r\n" or a lone
// "\r". line_start/column_start give the first character of the offending
// token and line_end/column_end its last character (inclusive, so a
// one-character token has column_end == column_start). Strings and keys
// include their quotes; objects and arrays span their brackets.
//
// A fault of a value points at the value; a key that is not allowed at the
// key; a missing property at the opening brace of the object that lacks it
// (the property has no position of its own; the brace is where it would be
// added); a component-level fault (an unknown or misplaced component, a
// per-screen cap) at the component's "type" value; a fault of a whole array
// (too many items, no terminal screen) at the array. An unexpected end of
// input points just past the last character (line 1, column 1 for empty
// input; after a final newline, column 1 of the line that newline starts).
//
// Every error carries one pointer, the dotted path of what it points at
// ("screens[0].layout.children[2].label"); faults of the document as a whole
// (root not an object, a missing top-level property, unparseable JSON)
// carry none. Errors are sorted by position, and at most the 1000 first
// are reported.
//
// # Decisions
//
// Where the reference is silent or says UNCONFIRMED, or the sources
// disagree, this package decides as follows. Meta's own validator means the
// Flow JSON validator bundled in Meta's web builder (facts read from it:
// codes, limits, order of checks; no code taken). Each decision has a test
// case in testdata or a Go test.
//
//   - Unparseable input gives exactly one INVALID_FLOW_JSON error whose
//     message is Meta's "Flow JSON is not valid." followed by the reason and
//     position. Trailing commas, comments, single quotes, NaN and other bare
//     words, leading zeros, invalid escapes, raw control characters in
//     strings, more than one top-level value, nesting deeper than 512
//     levels, a byte order mark and invalid UTF-8 are not JSON. Escaped lone
//     surrogates are accepted and decode to U+FFFD.
//   - Duplicate keys are accepted; when a rule reads a property the last
//     occurrence wins. A disallowed key is reported at every occurrence.
//   - Versions: a well-formed unknown version ("9.9", "2024.0") is
//     INVALID_FLOW_JSON_VERSION, as Meta's error-code page shows for
//     "2024.0", not UNSUPPORTED (kept for the expired versions Meta's own
//     validator lists). 5.2 and 7.4, beta versions there, are UNAVAILABLE.
//     Data API "4.0" needs Flow JSON 7.3, as in Meta's own validator.
//   - The top-level "meta" object ({"lead_gen_ai": boolean}) that Meta's
//     schema allows from 5.1 is refused (INVALID_PROPERTY_KEY): Meta accepts
//     it only on flows its lead-generation assistant creates.
//   - Character limits (B.8) are enforced, although Meta's own validator does
//     not check them (pywa's and other published flows exceed some):
//     INVALID_PROPERTY_VALUE "Property 'x' should have at most 'N'
//     character(s), but found M.", deferred to the semantic phase. Dynamic
//     values are not counted; the items of an array text count together;
//     EmbeddedLink text is 25 and OptIn label 120 (the reference, not pywa).
//     The content of NavigationList items is not limited: Meta truncates it.
//   - Strings mixing text and a reference ("Hi ${data.name}!") are static
//     text, shown as written: Meta's validators resolve only a value that is
//     one reference or one backtick expression. RichText (6.0+) refuses them.
//   - The reserved screen id is matched without case ("success" too); the
//     screen title is optional (as in Meta's samples); a data model key
//     "required" is JSON Schema's list of required fields, not a field.
//   - If may hold PhotoPicker, DocumentPicker and CalendarPicker besides the
//     reference's list (Meta's own validator allows them); not Form, RichText,
//     NavigationList or ImageCarousel. Switch holds the same minus If and
//     Switch. COMPONENTS_OUTSIDE_FORM also covers the inputs added after
//     Meta's list (CalendarPicker, ChipsSelector, PhotoPicker,
//     DocumentPicker). A Form's children may not be empty.
//   - Numbers from Meta's own validator where the reference is silent:
//     CheckboxGroup min-selected-items at least 0 and max-selected-items at
//     least 2; ChipsSelector max-selected-items at least 1; PhotoPicker and
//     DocumentPicker ranges as in B.8. 50 components per screen (the
//     reference; Meta's validator says 100).
//   - Codes the catalogue lacks come from Meta's own validator: PhotoPicker
//     and DocumentPicker, NavigationList, ImageCarousel and Form caps are
//     COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN; the 50 components cap
//     MAX_ALLOWED_COMPONENTS_PER_SCREEN; RichText or NavigationList sharing a
//     screen INVALID_COMPONENT_PLACEMENT (INVALID_RICHTEXT_PLACEMENT in 5.1);
//     more items than allowed MAX_ITEMS_REQUIRED. Each over-cap component is
//     reported once, at the first one past the cap.
//   - Routing: terminal screens may be left out of a routing model; a loop of
//     three or more screens is reported once; the missing entry screen is
//     not reported when a loop or backward route explains it; from 7.3 a
//     navigate destination does not count as an entry screen; a navigate
//     route is satisfied by a route either way; screens with a NavigationList
//     (6.2+) need no route per item. The model derived from navigate actions
//     (no endpoint) links every screen of a NavigationList to all others and
//     is not checked for loops (a "change answers" link back is common).
//   - Navigate payloads: every key must be a field of the next screen's data
//     model; every field must be in the payload before 6.0 and from 7.3
//     (6.0 to 7.2 let fields come from global references, as Meta's own
//     validator does).
//   - From 6.0 a dynamic Form init-values or error-messages is not resolved
//     against the data model (the endpoint fills it), as in Meta's own
//     validator; before 6.0 it is.
//   - A boolean, number or array property given a reference also accepts a
//     string field (its schema allows the dynamic string form).
//   - If conditions: columns in messages count from 0, as in Meta's
//     examples; "Missing operator between 'a' and 'b'." has no column.
//   - Conditions and expressions nested more than 100 levels (parentheses,
//     or unary operators in a row) are refused: INVALID_PROPERTY_VALUE "The
//     expression is nested too deeply." (Meta states no limit; the parsers
//     recurse and the stack must stay bounded).
//   - TextInput pattern is not compiled: Meta's regex dialect is JavaScript's.
//     TextInput takes "enabled" (pywa and Meta's own validator accept it,
//     though Meta's table omits it).
//   - A message listing missing payload fields names the first 10 and ends
//     with "…"; versions, ids and names quoted in messages are cut after 60
//     characters.
//   - UsesEndpoint is true when "data_api_version" is present and not null,
//     or when any object under a key ending in "-action" has
//     "name":"data_exchange", whether or not the flow is otherwise valid.
//   - At most 1000 errors are reported, the first by position; a hostile
//     document must not cost memory and time in proportion to its faults.
//
// # Corpus
//
// The shared corpus (read in place by corpus_test.go) holds flows their
// authors believe valid. Those that break a documented rule are tested for
// the exact codes expected: pywa sign_in (EmbeddedLink text over 25) and
// navigation_list (a navigate to a missing FOURTH_SCREEN, a boolean for a
// string field), sipsyai price-update (complete on an EmbeddedLink; a label
// over 20), low-stock, stock-management and price-update (ERROR_SCREEN
// connected to nothing), the five sipsyai demo chatbots (an empty routing
// model with data_api_version, DatePicker dates not YYYY-MM-DD, labels and
// titles over their limits), sipsyai berber-randevu ('+' between strings),
// spookyuser grocery-order (label over 20) and all-components (a
// CheckboxGroup init-value inside a Form). Disputed flows: anilhemnani (two
// labels over 20; mixed text accepted), devlooped FullKitchenSink
// (data_channel_uri in 6.3, a field without __example__, update_data on a
// Footer: schema errors, so the three Footers are not reached), sipsyai
// salon-appointment (success on non-terminal screens, 3.1 inputs outside a
// Form, a string "enabled"), salon-dynamic and salon-simple (a label over 20,
// the reserved id SUCCESS), dynamic-calendar example (SUCCESS), treble-ai
// (valid: its dynamic init-values is not resolved in 7.0).
package flowjson
