// Package flowjson validates WhatsApp Flow JSON documents the way Meta's
// Flows API reports them: as a list of ValidationError objects carrying
// Meta's error code, a message, and the line and column of the fault.
//
// # API
//
// Analyze parses a document and returns a Result: the errors, the "version"
// and "data_api_version" strings, and whether the flow uses a data endpoint.
// Validate returns only the errors. Versions, IsKnownVersion,
// IsPublishableVersion and DataAPIVersions expose what Meta accepts (section
// B.2 of the reference), and MaxSize its 10 MB upload limit, which Analyze
// itself does not enforce.
//
// # How it works
//
// A strict RFC 8259 parser turns the bytes into a flat tree: one slice of
// nodes in document order, each holding the byte offsets of its token (keys
// included) and the index just past its subtree. Strings stay offsets into
// the input and are decoded only when a rule reads them. Rules then walk the
// tree level by level (root, screens, …) and record findings as byte spans;
// only when there are findings are offsets turned into lines and columns and
// paths built, so a valid document costs one parse and one allocation for
// the node slice.
//
// Rules implemented so far: the top level must be an object; "version" is
// required, must be a "MAJOR.MINOR" string and a known version; "screens" is
// a non-empty array of objects; "data_api_version" is one of DataAPIVersions;
// "routing_model" is an object; no other top-level keys, and
// "data_channel_uri" only below version 3.0.
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
// Where the fault has no token of its own the position is chosen as follows:
//   - a missing property: the opening brace of the object that lacks it;
//   - an unexpected end of input: the position just past the last
//     character (line 1, column 1 for empty input; after a final newline,
//     column 1 of the line that newline starts).
//
// Every error carries one pointer, the dotted path of the offending key or
// value ("version", "screens[3]"); faults of the document as a whole (root
// not an object, a missing top-level property, unparseable JSON) carry none.
// Errors are sorted by position.
//
// # Decisions
//
//   - Unparseable input gives exactly one INVALID_FLOW_JSON error whose
//     message is Meta's "Flow JSON is not valid." followed by the reason and
//     position, e.g. "Flow JSON is not valid. Unexpected character '}' at
//     line 3, column 5. Expected a value."
//   - Rejected as not JSON: trailing commas, comments, single quotes, NaN and
//     other bare words, leading zeros, invalid escapes, raw control
//     characters in strings, more than one top-level value, nesting deeper
//     than 512 levels, a byte order mark, and invalid UTF-8 anywhere (RFC
//     8259 requires UTF-8; Go, Python and PHP decoders reject a BOM).
//   - Escaped lone surrogates ("\ud800") are accepted, as RFC 8259's grammar
//     allows, and decode to U+FFFD.
//   - Duplicate keys are accepted (RFC 8259 allows them; Meta's behaviour is
//     unknown); when a rule reads a property the last occurrence wins, as in
//     most decoders. A disallowed key is reported at every occurrence.
//   - Messages follow Meta's documented texts where known ("Flow JSON version
//     is not specified.", "Required property 'screens' is missing.",
//     "Property 'x' cannot be specified at $root.", "Expected property
//     'screens' to be of type array, but found object.", "Property 'screens'
//     should have at least '1' item."), extended with the offending value
//     and what is expected.
//   - At most 1000 errors are reported for one document; a document with
//     more is beyond repair by hand, and a hostile one must not cost memory
//     and time in proportion to its faults.
//   - "data_channel_uri" is judged only when "version" is a known version,
//     since the rule depends on it.
//   - UsesEndpoint is true when "data_api_version" is present and not null,
//     or when any object under a key ending in "-action" (on-click-action,
//     on-select-action, …) has "name":"data_exchange".
package flowjson
