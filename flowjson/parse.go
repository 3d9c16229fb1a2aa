package flowjson

// This file holds the strict RFC 8259 parser that builds the tree, and its syntax errors.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
// Real flows nest well under 20 levels.
const maxDepth = 512

// syntaxError describes why a document is not JSON. Offsets are bytes;
// start == end marks the end of the input.
type syntaxError struct {
	start, end int
	what       string // e.g. "Unexpected character '}'"; the position follows it
	hint       string // optional sentence after the position
	opened     int    // when ≥ 0, the hint names this offset's position in place of its "%s"
}

// parser is a strict RFC 8259 recursive-descent parser that records every
// value and key as a node with its byte span.
type parser struct {
	src   []byte
	pos   int
	nodes []node
	err   *syntaxError
	stop  stopper
}

// parse builds the tree of src, or says why src is not JSON.
func parse(src []byte, stop stopper) (*tree, *syntaxError) {
	if len(src) > math.MaxInt32 {
		return nil, &syntaxError{what: fmt.Sprintf("Document larger than %d bytes", math.MaxInt32), hint: "Meta accepts at most 10 MB.", opened: -1}
	}
	p := parser{src: src, nodes: make([]node, 0, maxNodes(src)), stop: stop}
	if !p.document() {
		return nil, p.err
	}
	return &tree{src: src, nodes: p.nodes, stop: p.stop}, nil
}

// maxNodes bounds the nodes of src from above, so the node slice is allocated
// once: every value or key but the first follows one of , : [ { (or is
// inside a string that holds one), and each node takes at least two bytes
// but the last. Counting those bytes runs at memory speed.
func maxNodes(src []byte) int {
	n := 1 + bytes.Count(src, []byte{','}) + bytes.Count(src, []byte{':'}) +
		bytes.Count(src, []byte{'['}) + bytes.Count(src, []byte{'{'})
	return min(n, len(src)/2+1)
}

func (p *parser) document() bool {
	if len(p.src) >= 3 && p.src[0] == 0xEF && p.src[1] == 0xBB && p.src[2] == 0xBF {
		// RFC 8259 lets parsers reject a BOM; Go, Python and PHP decoders do.
		return p.fail(0, 3, "Unexpected byte order mark (U+FEFF)", "Save the file as UTF-8 without a BOM.")
	}
	p.skipSpace()
	if !p.value(0) {
		return false
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return p.unexpected("Only one top-level value is allowed.")
	}
	return true
}

func (p *parser) skipSpace() {
	src, i := p.src, p.pos
	for i < len(src) {
		// Indentation comes in runs of spaces: eight at a time.
		for i+8 <= len(src) && binary.LittleEndian.Uint64(src[i:]) == spaces8 {
			i += 8
		}
		if i >= len(src) {
			break
		}
		if c := src[i]; c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			break
		}
		i++
	}
	p.pos = i
}

// Bytes repeated over a word, for scanning eight bytes at a time.
const (
	ones8   = 0x0101010101010101
	highs8  = 0x8080808080808080
	spaces8 = ones8 * ' '
)

// plainRun returns how many bytes from src[i] on need no thought inside a
// string: no quote, backslash, control character or non-ASCII byte. It
// reads eight bytes at a time, finding the first stop with bit tricks.
func plainRun(src []byte, i int) int {
	start := i
	for i+8 <= len(src) {
		v := binary.LittleEndian.Uint64(src[i:])
		quote, backslash := v^(ones8*'"'), v^(ones8*'\\')
		stop := (quote-ones8)&^quote | (backslash-ones8)&^backslash | (v-ones8*0x20)&^v | v
		if stop &= highs8; stop != 0 {
			return i - start + bits.TrailingZeros64(stop)/8
		}
		i += 8
	}
	for i < len(src) {
		if c := src[i]; c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	return i - start
}

// push appends a scalar node spanning [start, end).
func (p *parser) push(k kind, start, end int, escaped bool) {
	n := int32(len(p.nodes))
	p.stop.step()
	p.nodes = append(p.nodes, node{start: int32(start), end: int32(end), next: n + 1, kind: k, escaped: escaped})
}

func (p *parser) value(depth int) bool {
	if p.pos >= len(p.src) {
		return p.failEOF("Expected a value.")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.str(kindString)
	case c == '-' || isDigit(c):
		return p.number()
	case c == 't':
		return p.literal("true", kindTrue)
	case c == 'f':
		return p.literal("false", kindFalse)
	case c == 'n':
		return p.literal("null", kindNull)
	case isWordByte(c):
		return p.badWord()
	}
	return p.unexpected("Expected a value.")
}

// open starts a container node at the current bracket.
func (p *parser) open(k kind, depth int) (int, bool) {
	if depth > maxDepth {
		return 0, p.fail(p.pos, p.pos+1, fmt.Sprintf("Nesting deeper than %d levels", maxDepth), "")
	}
	self := len(p.nodes)
	p.nodes = append(p.nodes, node{start: int32(p.pos), kind: k})
	p.pos++
	return self, true
}

// close ends container self at the current (closing) bracket.
func (p *parser) close(self int) bool {
	p.pos++
	p.nodes[self].end = int32(p.pos)
	p.nodes[self].next = int32(len(p.nodes))
	return true
}

func (p *parser) object(depth int) bool {
	self, ok := p.open(kindObject, depth)
	if !ok {
		return false
	}
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		return p.close(self)
	}
	for {
		if !p.key() {
			return false
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.failEOF("Expected ':'.")
		}
		if p.src[p.pos] != ':' {
			return p.unexpected("Expected ':' after the property name.")
		}
		p.pos++
		p.skipSpace()
		if !p.value(depth) {
			return false
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.failEOF("Expected ',' or '}'.")
		}
		switch p.src[p.pos] {
		case '}':
			return p.close(self)
		case ',':
			comma := p.pos
			p.pos++
			p.skipSpace()
			if p.pos < len(p.src) && p.src[p.pos] == '}' {
				return p.fail(comma, comma+1, "Trailing comma", "Remove the ',' before '}'.")
			}
		default:
			return p.unexpected("Expected ',' or '}'.")
		}
	}
}

func (p *parser) key() bool {
	if p.pos >= len(p.src) {
		return p.failEOF("Expected a property name in double quotes.")
	}
	if p.src[p.pos] != '"' {
		return p.unexpected("Expected a property name in double quotes.")
	}
	return p.str(kindKey)
}

func (p *parser) array(depth int) bool {
	self, ok := p.open(kindArray, depth)
	if !ok {
		return false
	}
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		return p.close(self)
	}
	for {
		if !p.value(depth) {
			return false
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.failEOF("Expected ',' or ']'.")
		}
		switch p.src[p.pos] {
		case ']':
			return p.close(self)
		case ',':
			comma := p.pos
			p.pos++
			p.skipSpace()
			if p.pos < len(p.src) && p.src[p.pos] == ']' {
				return p.fail(comma, comma+1, "Trailing comma", "Remove the ',' before ']'.")
			}
		default:
			return p.unexpected("Expected ',' or ']'.")
		}
	}
}

// str reads a string token at the opening quote and pushes it as kind k.
func (p *parser) str(k kind) bool {
	src := p.src
	start := p.pos
	i := start + 1
	escaped := false
	for {
		i += plainRun(src, i) // plain ASCII needs no further thought
		if i >= len(src) {
			return p.unterminated(start)
		}
		switch c := src[i]; {
		case c == '"':
			p.push(k, start, i+1, escaped)
			p.pos = i + 1
			return true
		case c == '\\':
			n := p.escape(start, i)
			if n == 0 {
				return false
			}
			escaped = true
			i += n
		case c < 0x20:
			return p.fail(i, i+1, fmt.Sprintf("Unescaped control character %U in a string", rune(c)), "Control characters must be escaped, e.g. \\n for a line break.")
		default:
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				return p.invalidUTF8(i)
			}
			i += size
		}
	}
}

// escape checks the escape sequence at backslash i of the string that starts
// at start and returns its length, or 0 after recording an error.
func (p *parser) escape(start, i int) int {
	src := p.src
	if i+1 >= len(src) {
		p.unterminated(start)
		return 0
	}
	switch src[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		for j := i + 2; j < i+6; j++ {
			if j >= len(src) {
				p.unterminated(start)
				return 0
			}
			if !isHex(src[j]) {
				p.badEscape(i, j)
				return 0
			}
		}
		return 6
	}
	p.badEscape(i, i+1)
	return 0
}

// badEscape reports the escape at backslash i whose character at j is wrong.
func (p *parser) badEscape(i, j int) {
	_, size := utf8.DecodeRune(p.src[j:])
	seq := p.src[i : j+size]
	what := "Invalid escape sequence"
	if isPrintableASCII(seq) {
		what += " '" + string(seq) + "'"
	}
	p.fail(i, j+size, what, "Valid escapes are \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\uXXXX.")
}

func (p *parser) unterminated(start int) bool {
	p.failEOF("Expected '\"' to close the string that starts at %s.")
	p.err.opened = start
	return false
}

// number reads an RFC 8259 number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number() bool {
	src := p.src
	start := p.pos
	i := start
	if src[i] == '-' {
		i++
	}
	switch {
	case i >= len(src):
		return p.failEOF("Expected a digit.")
	case src[i] == '0':
		i++
		if i < len(src) && isDigit(src[i]) {
			return p.badNumber(start, "Numbers cannot have leading zeros.")
		}
	case isDigit(src[i]):
		i = skipDigits(src, i)
	default:
		return p.badNumber(start, "")
	}
	if i < len(src) && src[i] == '.' {
		if i = skipDigits(src, i+1); !isDigit(src[i-1]) {
			return p.numberEnd(start, i, "Expected a digit after the decimal point.")
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		j := skipDigits(src, i)
		if j == i {
			return p.numberEnd(start, i, "Expected a digit in the exponent.")
		}
		i = j
	}
	if i < len(src) && (isWordByte(src[i]) || src[i] == '.') {
		return p.badNumber(start, "")
	}
	p.push(kindNumber, start, i, false)
	p.pos = i
	return true
}

// numberEnd reports a number cut short at i: the end of input, or a bad character.
func (p *parser) numberEnd(start, i int, hint string) bool {
	if i >= len(p.src) {
		return p.failEOF(hint)
	}
	return p.badNumber(start, hint)
}

// badNumber reports the number-like token at start.
func (p *parser) badNumber(start int, hint string) bool {
	end := start + 1
	for end < len(p.src) && (isWordByte(p.src[end]) || p.src[end] == '.' || p.src[end] == '+' || p.src[end] == '-') {
		end++
	}
	return p.fail(start, end, "Invalid number "+quoteToken(p.src[start:end]), hint)
}

// literal reads true, false or null.
func (p *parser) literal(word string, k kind) bool {
	rest := p.src[p.pos:]
	if len(rest) < len(word) && string(rest) == word[:len(rest)] {
		return p.failEOF("Expected '" + word + "'.")
	}
	if len(rest) >= len(word) && string(rest[:len(word)]) == word && (len(rest) == len(word) || !isWordByte(rest[len(word)])) {
		p.push(k, p.pos, p.pos+len(word), false)
		p.pos += len(word)
		return true
	}
	return p.badWord()
}

// badWord reports a bare word where a value belongs (NaN, Infinity, True, undefined…).
func (p *parser) badWord() bool {
	end := p.pos
	for end < len(p.src) && isWordByte(p.src[end]) {
		end++
	}
	return p.fail(p.pos, end, "Invalid literal "+quoteToken(p.src[p.pos:end]), "Expected a string, number, object, array, true, false or null.")
}

// unexpected reports the character at p.pos, which the grammar does not allow there.
func (p *parser) unexpected(hint string) bool {
	r, size := utf8.DecodeRune(p.src[p.pos:])
	if r == utf8.RuneError && size == 1 {
		return p.invalidUTF8(p.pos)
	}
	switch r {
	case '/':
		hint = "JSON does not allow comments."
	case '\'':
		hint = "Strings and property names must be enclosed in double quotes."
	}
	return p.fail(p.pos, p.pos+size, "Unexpected character "+quoteRune(r), hint)
}

func (p *parser) invalidUTF8(i int) bool {
	return p.fail(i, i+1, fmt.Sprintf("Invalid UTF-8 byte 0x%02X", p.src[i]), "The document must be encoded in UTF-8.")
}

func (p *parser) failEOF(hint string) bool {
	return p.fail(len(p.src), len(p.src), "Unexpected end of input", hint)
}

func (p *parser) fail(start, end int, what, hint string) bool {
	p.err = &syntaxError{start: start, end: end, what: what, hint: hint, opened: -1}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

func isWordByte(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c == '_' }

func skipDigits(src []byte, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	return i
}

func isPrintableASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7F {
			return false
		}
	}
	return true
}

// quoteToken shows a short ASCII token in quotes, cut at 40 bytes.
func quoteToken(b []byte) string {
	const limit = 40
	if len(b) > limit {
		return "'" + string(b[:limit]) + "…'"
	}
	return "'" + string(b) + "'"
}

// quoteRune shows r as 'r', or as U+XXXX when it would not print.
func quoteRune(r rune) string {
	if unicode.IsPrint(r) {
		return "'" + string(r) + "'"
	}
	return fmt.Sprintf("%U", r)
}
