package flowjson

// This file holds the two small languages of Flow JSON, If conditions (4.0+, without backticks) and nested
// expressions (6.0+, in backticks): parsed by hand into types, without building a tree (section B.5).

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokNumber
	tokString
	tokBool
	tokNull
	tokRef
	tokIdent
	tokOp
	tokLParen
	tokRParen
)

// token is one token of an expression; its text is src[off:off+n]. Tokens
// stay small because a hostile expression can hold millions of them.
type token struct {
	kind tokKind
	n    int32
	col  int // character index of the token in the source, from 0
	off  int // byte offset of the token in the source
}

// str returns the text of t in src.
func (t token) str(src string) string { return src[t.off : t.off+int(t.n)] }

// lexError is a tokenizer fault: a message and the column it applies to.
type lexError struct {
	msg string
	col int
}

// tokenize splits src into tokens. cond selects the condition dialect, which
// Meta reads more strictly (no arithmetic, negative numbers as literals).
func tokenize(src string, cond bool) ([]token, *lexError) {
	// Most expressions are short; a long one grows the slice from a guess of
	// one token per four bytes instead of from nothing.
	toks := make([]token, 0, min(len(src)/4+1, 1<<20))
	col, open, run, seen := 0, 0, 0, 0
	for i := 0; i < len(src); {
		c := src[i]
		startCol := col
		// Refuse deep nesting before it costs tokens: open parentheses, and
		// runs of operators (unary ones nest).
		if n := len(toks); n > seen {
			seen = n
			switch toks[n-1].kind {
			case tokLParen:
				open++
			case tokRParen:
				open--
			}
			if toks[n-1].kind == tokOp || toks[n-1].kind == tokLParen {
				run++
			} else {
				run = 0
			}
			if open > maxExprDepth || run > maxExprDepth {
				return nil, &lexError{msgTooDeep, -1}
			}
		}
		adv := func(n int) {
			col += utf8.RuneCountInString(src[i : i+n])
			i += n
		}
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			adv(1)
			continue
		case c == '(':
			toks = append(toks, token{tokLParen, 1, startCol, i})
			adv(1)
		case c == ')':
			toks = append(toks, token{tokRParen, 1, startCol, i})
			adv(1)
		case c == '$':
			end := strings.IndexByte(src[i:], '}')
			if !strings.HasPrefix(src[i:], "${") || end < 0 {
				return nil, &lexError{fmt.Sprintf("Invalid operand format '%s'", clip(src[i:])), startCol}
			}
			ref := src[i : i+end+1]
			if !isBinding(ref) {
				return nil, &lexError{fmt.Sprintf("Invalid operand format '%s'", clip(ref)), startCol}
			}
			toks = append(toks, token{tokRef, int32(len(ref)), startCol, i})
			adv(end + 1)
		case c == '\'' || (c == '"' && !cond):
			j := i + 1
			for j < len(src) && (src[j] != c || src[j-1] == '\\') {
				j++
			}
			if j >= len(src) {
				return nil, &lexError{"Missing closing quote for string", startCol}
			}
			toks = append(toks, token{tokString, int32(len(src[i : j+1])), startCol, i})
			adv(j + 1 - i)
		case c >= '0' && c <= '9', cond && c == '-':
			j := i
			if c == '-' {
				j++
				if j >= len(src) || src[j] < '0' || src[j] > '9' {
					return nil, &lexError{"A numerical value is expected to follow the negative sign", startCol}
				}
			}
			if cond && (strings.HasPrefix(src[i:], "-0") || (c == '0' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9')) {
				return nil, &lexError{"Number cannot not have leading zeroes", startCol}
			}
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || (!cond && src[j] == '.')) {
				j++
			}
			toks = append(toks, token{tokNumber, int32(len(src[i:j])), startCol, i})
			adv(j - i)
		case c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
			j := i
			for j < len(src) && isKeyByte(src[j]) && src[j] != '-' {
				j++
			}
			word := src[i:j]
			switch word {
			case "true", "false":
				toks = append(toks, token{tokBool, int32(len(word)), startCol, i})
			case "null":
				toks = append(toks, token{tokNull, int32(len(word)), startCol, i})
			default:
				if cond {
					return nil, &lexError{fmt.Sprintf("Invalid literal '%s'", word), startCol}
				}
				toks = append(toks, token{tokIdent, int32(len(word)), startCol, i})
			}
			adv(j - i)
		default:
			op := ""
			for _, o := range [...]string{"||", "&&", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/", "%"} {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			if cond {
				switch op {
				case "+", "-", "*", "/", "%":
					op = ""
				}
				if op == "" {
					switch c {
					case '=', '&', '|':
						return nil, &lexError{fmt.Sprintf("Invalid operator '%c'", c), startCol}
					}
				}
			}
			if op == "" {
				r, _ := utf8.DecodeRuneInString(src[i:])
				return nil, &lexError{fmt.Sprintf("Unexpected character '%c'", r), startCol}
			}
			if !cond && (op == "==" || op == "!=") && strings.HasPrefix(src[i+2:], "=") {
				return nil, &lexError{fmt.Sprintf("Unexpected character '%c'", '='), col + 2}
			}
			toks = append(toks, token{tokOp, int32(len(op)), startCol, i})
			adv(len(op))
		}
	}
	return toks, nil
}

// exprParser evaluates the type of a nested expression.
type exprParser struct {
	a     *analyzer
	si    int
	src   string
	toks  []token
	i     int
	depth int
	err   string
}

func (p *exprParser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{kind: tokEOF}
}

func (p *exprParser) fail(msg string) string {
	if p.err == "" {
		p.err = msg
	}
	return ""
}

// binaryPrec is the precedence of a binary operator, 0 for none.
func binaryPrec(op string) int {
	switch op {
	case "||":
		return 1
	case "&&":
		return 2
	case "==", "!=":
		return 3
	case "<", "<=", ">", ">=":
		return 4
	case "+", "-":
		return 5
	case "*", "/", "%":
		return 6
	}
	return 0
}

// compound parses whitespace-separated expressions (string concatenation).
func (p *exprParser) compound() string {
	var typ string
	n := 0
	for p.err == "" {
		t := p.peek()
		if t.kind == tokEOF || t.kind == tokRParen {
			break
		}
		typ = p.binary(1)
		n++
	}
	if n == 0 {
		return p.fail("Expected an expression.")
	}
	if n > 1 {
		return "string"
	}
	return typ
}

func (p *exprParser) binary(minPrec int) string {
	left := p.unary()
	for p.err == "" {
		t := p.peek()
		prec := 0
		if t.kind == tokOp {
			prec = binaryPrec(t.str(p.src))
		}
		if prec == 0 || prec < minPrec {
			return left
		}
		p.i++
		right := p.binary(prec + 1)
		if p.err != "" {
			return ""
		}
		left = p.combine(t.str(p.src), left, right)
	}
	return left
}

func isNum(t string) bool { return t == "number" || t == "integer" }

func (p *exprParser) combine(op, left, right string) string {
	switch op {
	case "+", "-", "*", "/", "%":
		if !isNum(left) || !isNum(right) {
			return p.fail(fmt.Sprintf("Operation '%s' can only be used with numbers.", op))
		}
		return "number"
	case "<", "<=", ">", ">=":
		if !isNum(left) || !isNum(right) {
			return p.fail(fmt.Sprintf("Operation '%s' can only be used with numbers.", op))
		}
		return "boolean"
	case "==", "!=":
		if left != right && !(isNum(left) && isNum(right)) {
			return p.fail(fmt.Sprintf("Operation '%s' can only be used to compare values with same type.", op))
		}
		return "boolean"
	}
	if left != "boolean" || right != "boolean" {
		return p.fail(fmt.Sprintf("Operation '%s' can only be used with booleans.", op))
	}
	return "boolean"
}

func (p *exprParser) unary() string {
	t := p.peek()
	if t.kind == tokOp && (t.str(p.src) == "!" || t.str(p.src) == "-" || t.str(p.src) == "+") {
		if p.depth++; p.depth > maxExprDepth {
			return p.fail(msgTooDeep)
		}
		p.i++
		x := p.unary()
		p.depth--
		if p.err != "" {
			return ""
		}
		if t.str(p.src) == "!" {
			if x != "boolean" {
				return p.fail("Operation '!' can only be used before booleans.")
			}
			return "boolean"
		}
		if !isNum(x) {
			return p.fail(fmt.Sprintf("Operation '%s' can only be used before numbers.", t.str(p.src)))
		}
		return "number"
	}
	return p.primary()
}

func (p *exprParser) primary() string {
	t := p.peek()
	p.i++
	switch t.kind {
	case tokNumber:
		return "number"
	case tokString:
		return "string"
	case tokBool:
		return "boolean"
	case tokNull:
		return p.fail("The keyword 'null' is reserved, please use another expression instead.")
	case tokIdent:
		return p.fail(fmt.Sprintf("The following property '%s' does not exist in the screen data model.", t.str(p.src)))
	case tokRef:
		typ, msg := p.a.refType(p.si, t.str(p.src))
		if msg != "" {
			return p.fail(msg)
		}
		if typ == "" {
			return p.fail(fmt.Sprintf("The reference '%s' holds no value.", t.str(p.src)))
		}
		return typ
	case tokLParen:
		if p.depth++; p.depth > maxExprDepth {
			return p.fail(msgTooDeep)
		}
		typ := p.compound()
		p.depth--
		if p.err != "" {
			return ""
		}
		if p.peek().kind != tokRParen {
			return p.fail("Unclosed ( in the expression.")
		}
		p.i++
		return typ
	case tokEOF:
		return p.fail("Expected an expression.")
	}
	return p.fail(fmt.Sprintf("Unexpected '%s' at character %d.", t.str(p.src), t.col))
}

// evalExpression returns the type of nested expression s (with its
// backticks) on screen si, or a message saying why it is invalid.
func (a *analyzer) evalExpression(si int, s string) (string, string) {
	body := strings.ReplaceAll(s[1:len(s)-1], "\\`", "`")
	toks, lerr := tokenize(body, false)
	if lerr != nil {
		if lerr.col < 0 {
			return "", lerr.msg
		}
		return "", fmt.Sprintf("%s at character %d.", lerr.msg, lerr.col)
	}
	p := exprParser{a: a, si: si, src: body, toks: toks}
	typ := p.compound()
	if p.err == "" && p.i < len(toks) {
		p.fail(fmt.Sprintf("Unexpected '%s' at character %d.", toks[p.i].str(p.src), toks[p.i].col))
	}
	if p.err != "" {
		return "", p.err
	}
	return typ, ""
}

// checkExpression checks a nested expression given as a property value.
func (a *analyzer) checkExpression(r *refInfo, want uint8) {
	s := a.t.view(r.node)
	typ, msg := a.evalExpression(r.screen, s)
	if msg == "" && typeBit(typ)&want == 0 {
		msg = fmt.Sprintf("The expression return type is '%s' which does not match the schema for the property.", typ)
	}
	if msg != "" {
		a.report(r.node, CodeInvalidPropertyValue, fmt.Sprintf("Error while parsing dynamic expression %q. %s", clip(s), msg))
	}
}

// operand is a value met in an If condition. Its text, for messages, is
// the span [start, end) of the condition it was read from: building texts
// by concatenation would cost the square of a long condition.
type operand struct {
	typ        string // "boolean", "number", "string"
	literal    bool
	quoted     bool // a string literal: its text drops the quotes
	start, end int
	col        int
	ops        bool // built with operators
}

// maxExprDepth bounds the nesting of parentheses and unary operators in
// conditions and expressions: the parsers recurse, and a hostile document
// must not exhaust the stack.
const maxExprDepth = 100

const msgTooDeep = "The expression is nested too deeply."

// condParser checks an If condition the way Meta's validator reads it.
type condParser struct {
	a      *analyzer
	si     int
	src    string
	toks   []token
	i      int
	depth  int
	msg    string
	col    int
	hasRef bool
}

// text is the source text of operand x, for messages (clipped when long).
func (p *condParser) text(x operand) string {
	if x.quoted {
		return clip(p.src[x.start+1 : x.end-1])
	}
	return clip(p.src[x.start:x.end])
}

// span returns an operand for token t.
func span(t token, typ string, literal bool) operand {
	return operand{typ: typ, literal: literal, start: t.off, end: t.off + int(t.n), col: t.col}
}

func (p *condParser) fail(msg string, col int) operand {
	if p.msg == "" {
		p.msg, p.col = msg, col
	}
	return operand{}
}

func (p *condParser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{kind: tokEOF}
}

func condPrec(op string) int {
	switch op {
	case "||":
		return 1
	case "&&":
		return 2
	case "==", "!=", "<", "<=", ">", ">=":
		return 3
	}
	return 0
}

func (p *condParser) binary(minPrec int) operand {
	left := p.unary()
	for p.msg == "" {
		t := p.peek()
		switch t.kind {
		case tokEOF, tokRParen:
			return left
		case tokOp:
		default:
			return p.fail(fmt.Sprintf("Missing operator between '%s' and '%s'", p.text(left), t.str(p.src)), -1)
		}
		prec := condPrec(t.str(p.src))
		if prec == 0 {
			return p.fail(fmt.Sprintf("Wrong positioning of operator '%s'. It cannot be used after '%s'", t.str(p.src), p.text(left)), t.col)
		}
		if prec < minPrec {
			return left
		}
		p.i++
		if !p.accepts(t.str(p.src), left.typ) {
			return p.fail(fmt.Sprintf("Wrong positioning of operator '%s'. It cannot be used after '%s'", t.str(p.src), p.text(left)), t.col)
		}
		right := p.binary(prec + 1)
		if p.msg != "" {
			return operand{}
		}
		if left.literal && right.literal {
			return p.fail("An operator cannot not have literals on both sides. Found invalid syntax", right.col)
		}
		switch t.str(p.src) {
		case "==", "!=":
			if left.typ != right.typ {
				return p.fail(fmt.Sprintf("Type mismatch in an equality operation between '%s' and '%s'", p.text(left), p.text(right)), right.col)
			}
		default:
			if !p.accepts(t.str(p.src), right.typ) {
				return p.fail(fmt.Sprintf("Wrong positioning of operand '%s'. It cannot be used after '%s'", p.text(right), t.str(p.src)), right.col)
			}
		}
		left = operand{typ: "boolean", start: left.start, end: right.end, col: left.col, ops: true}
	}
	return left
}

// accepts reports whether an operand of type typ may sit beside op.
func (p *condParser) accepts(op, typ string) bool {
	switch op {
	case "&&", "||":
		return typ == "boolean"
	case "<", "<=", ">", ">=":
		return typ == "number"
	}
	return typ == "boolean" || typ == "number" || typ == "string"
}

func (p *condParser) unary() operand {
	t := p.peek()
	if t.kind == tokOp && t.str(p.src) == "!" {
		if p.depth++; p.depth > maxExprDepth {
			return p.fail(msgTooDeep, -1)
		}
		p.i++
		x := p.unary()
		p.depth--
		if p.msg != "" {
			return operand{}
		}
		if x.typ != "boolean" {
			return p.fail(fmt.Sprintf("Wrong positioning of operand '%s'. It cannot be used after '!'", p.text(x)), x.col)
		}
		return operand{typ: "boolean", literal: x.literal, start: t.off, end: x.end, col: t.col, ops: true}
	}
	return p.primary()
}

func (p *condParser) primary() operand {
	t := p.peek()
	p.i++
	switch t.kind {
	case tokNumber:
		return span(t, "number", true)
	case tokString:
		x := span(t, "string", true)
		x.quoted = true
		return x
	case tokBool:
		return span(t, "boolean", true)
	case tokRef:
		p.hasRef = true
		return p.ref(t)
	case tokLParen:
		if p.depth++; p.depth > maxExprDepth {
			return p.fail(msgTooDeep, -1)
		}
		x := p.binary(1)
		p.depth--
		if p.msg != "" {
			return operand{}
		}
		if p.i >= len(p.toks) || p.toks[p.i].kind != tokRParen {
			return p.fail("Missing closing parenthesis.", -1)
		}
		x.start, x.end, x.col = t.off, p.toks[p.i].off+1, t.col
		p.i++
		return x
	case tokOp:
		return p.fail(fmt.Sprintf("Wrong positioning of operator '%s'", t.str(p.src)), t.col)
	}
	return p.fail(fmt.Sprintf("Invalid literal '%s'", t.str(p.src)), t.col)
}

// ref resolves a reference operand of a condition.
func (p *condParser) ref(t token) operand {
	screen, store, key, _ := splitBinding(t.str(p.src), false)
	target := p.a.refTarget(p.si, screen)
	cur := p.a.screens[p.si].id
	missing := func() operand {
		if screen != "" {
			return p.fail(fmt.Sprintf("Global dynamic data '%s' does not exist on screen '%s' but is used on screen '%s'.", key, screen, cur), -1)
		}
		if store == "form" {
			return p.fail(fmt.Sprintf("Missing Form component %s for screen '%s'.", t.str(p.src), cur), -1)
		}
		return p.fail(fmt.Sprintf("Missing dynamic data '%s' in the data model for screen %s.", key, cur), -1)
	}
	if target < 0 {
		return missing()
	}
	typ := ""
	if store == "form" {
		name, _, _ := strings.Cut(key, ".")
		ci, ok := p.a.screens[target].names[name]
		if !ok {
			return missing()
		}
		typ = p.a.valueType(ci)
	} else {
		look := p.a.lookupData(target, key)
		if look.schema < 0 {
			return missing()
		}
		typ = p.a.schemaType(look.schema)
	}
	if typ == "integer" {
		typ = "number"
	}
	if typ != "boolean" && typ != "number" && typ != "string" {
		return p.fail(fmt.Sprintf("Operand '%s' with type '%s' is not supported.", t.str(p.src), typ), -1)
	}
	return span(t, typ, false)
}

// checkCondition checks the condition of an If (without backticks).
func (a *analyzer) checkCondition(r *refInfo) {
	s := a.t.view(r.node)
	msg, col := a.conditionError(r.screen, s)
	if msg == "" {
		return
	}
	if col >= 0 {
		// Meta's wording: "Invalid operator '…' found at column N.", but
		// "Found invalid empty parentheses at column N.".
		if strings.HasPrefix(msg, "Invalid operator") || strings.HasPrefix(msg, "Invalid operand format") || strings.HasPrefix(msg, "Unexpected character") {
			msg += " found"
		}
		msg += fmt.Sprintf(" at column %d.", col)
	} else if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	a.report(r.node, CodeInvalidPropertyValue, msg)
}

// conditionError returns what is wrong with condition s on screen si, and
// the column (from 0) it concerns, -1 for none.
func (a *analyzer) conditionError(si int, s string) (string, int) {
	toks, lerr := tokenize(s, true)
	if lerr != nil {
		return lerr.msg, lerr.col
	}
	if len(toks) == 0 {
		return "Expected property 'condition' to contain at least one operand.", -1
	}
	depth := 0
	for i, t := range toks {
		switch t.kind {
		case tokLParen:
			depth++
		case tokRParen:
			if depth == 0 {
				return "Missing opening parenthesis for the closing parenthesis", t.col
			}
			if toks[i-1].kind == tokLParen {
				return "Found invalid empty parentheses", t.col
			}
			depth--
		}
	}
	if depth > 0 {
		return "Missing closing parenthesis.", -1
	}
	if last := toks[len(toks)-1]; last.kind == tokOp {
		return fmt.Sprintf("Missing operand after last operator '%s'.", last.str(s)), -1
	}
	p := condParser{a: a, si: si, src: s, toks: toks}
	x := p.binary(1)
	if p.msg == "" && p.i < len(toks) {
		t := toks[p.i]
		p.fail(fmt.Sprintf("Missing operator between '%s' and '%s'", p.text(x), t.str(p.src)), -1)
	}
	if p.msg != "" {
		return p.msg, p.col
	}
	switch {
	case !p.hasRef:
		return "The only operand is a literal value. Expected single operand to be a boolean.", -1
	case x.typ != "boolean":
		return "Expected single operand to be a boolean.", -1
	}
	return "", -1
}
