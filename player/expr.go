// The two small languages of Flow JSON, evaluated: If conditions (4.0+) and nested expressions in backticks
// (6.0+), with exactly the operators Meta documents.
package player

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// errUndocumented is an operator the validator lets through (Meta's own validator does) but Meta's
// documentation does not define: the player refuses to guess what the client computes.
var errUndocumented = errors.New("undocumented operator")

type tokenKind uint8

const (
	tEOF tokenKind = iota
	tNumber
	tString
	tBool
	tNull
	tRef
	tOp
	tLParen
	tRParen
)

type exprToken struct {
	kind tokenKind
	text string // the operator, the reference, the decoded string literal
	num  float64
	b    bool
}

// maxExprTokens bounds the work one expression may cost (validated expressions are far smaller).
const maxExprTokens = 1 << 16

// tokenizeExpr splits src (without its backticks) into tokens.
func tokenizeExpr(src string) ([]exprToken, error) {
	var toks []exprToken
	for i := 0; i < len(src); {
		if len(toks) > maxExprTokens {
			return nil, fmt.Errorf("expression too long")
		}
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, exprToken{kind: tLParen})
			i++
		case c == ')':
			toks = append(toks, exprToken{kind: tRParen})
			i++
		case c == '$':
			end := strings.IndexByte(src[i:], '}')
			if !strings.HasPrefix(src[i:], "${") || end < 0 {
				return nil, fmt.Errorf("invalid reference at %q", clip(src[i:]))
			}
			toks = append(toks, exprToken{kind: tRef, text: src[i : i+end+1]})
			i += end + 1
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, fmt.Errorf("missing closing quote")
			}
			toks = append(toks, exprToken{kind: tString, text: b.String()})
			i = j + 1
		case c >= '0' && c <= '9', c == '-' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9' && prefixAllowsNegative(toks):
			j := i + 1
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			f, err := strconv.ParseFloat(src[i:j], 64)
			if err != nil {
				return nil, fmt.Errorf("invalid number %q", src[i:j])
			}
			toks = append(toks, exprToken{kind: tNumber, num: f})
			i = j
		case c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
			j := i
			for j < len(src) && (src[j] == '_' || src[j]|0x20 >= 'a' && src[j]|0x20 <= 'z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			switch w := src[i:j]; w {
			case "true", "false":
				toks = append(toks, exprToken{kind: tBool, b: w == "true"})
			case "null":
				toks = append(toks, exprToken{kind: tNull})
			default:
				return nil, fmt.Errorf("unknown word %q", w)
			}
			i = j
		default:
			op := ""
			for _, o := range [...]string{"||", "&&", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/", "%"} {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return nil, fmt.Errorf("unexpected character %q", src[i:i+1])
			}
			if op == "*" {
				return nil, fmt.Errorf("%w '*': Meta documents + - / %% on numbers, not multiplication", errUndocumented)
			}
			toks = append(toks, exprToken{kind: tOp, text: op})
			i += len(op)
		}
	}
	return toks, nil
}

// prefixAllowsNegative reports whether a '-' after toks starts a negative number rather than being the
// minus operator: at the start, after an operator or an opening parenthesis.
func prefixAllowsNegative(toks []exprToken) bool {
	if len(toks) == 0 {
		return true
	}
	k := toks[len(toks)-1].kind
	return k == tOp || k == tLParen
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// evaluator evaluates a token list against the references of one screen.
type evaluator struct {
	toks  []exprToken
	i     int
	ref   func(string) any
	depth int
	err   error
}

const maxEvalDepth = 200

func (e *evaluator) peek() exprToken {
	if e.i < len(e.toks) {
		return e.toks[e.i]
	}
	return exprToken{kind: tEOF}
}

func (e *evaluator) fail(err error) any {
	if e.err == nil {
		e.err = err
	}
	return nil
}

// maxCachedExpressions bounds the tokenized expressions a flow keeps: a flow's own are a few hundred, and
// text from an endpoint's data may hold more that are not worth keeping.
const maxCachedExpressions = 4096

type tokenized struct {
	toks []exprToken
	err  error
}

// tokens tokenizes src once per flow: every render evaluates the same expressions again.
func (f *flowDef) tokens(src string) ([]exprToken, error) {
	if t, ok := f.exprs[src]; ok {
		return t.toks, t.err
	}
	toks, err := tokenizeExpr(src)
	if f.exprs == nil {
		f.exprs = map[string]tokenized{}
	}
	if len(f.exprs) < maxCachedExpressions {
		f.exprs[src] = tokenized{toks, err}
	}
	return toks, err
}

// evalExpression evaluates a nested expression (the text between the backticks) of flow f.
func evalExpression(f *flowDef, src string, ref func(string) any) (any, error) {
	toks, err := f.tokens(src)
	if err != nil {
		return nil, err
	}
	e := &evaluator{toks: toks, ref: ref}
	v := e.compound()
	if e.err == nil && e.i < len(e.toks) {
		e.fail(fmt.Errorf("unexpected %s", describe(e.peek())))
	}
	return v, e.err
}

// evalCondition evaluates an If condition; a non-boolean result is false.
func evalCondition(f *flowDef, src string, ref func(string) any) (bool, error) {
	v, err := evalExpression(f, src, ref)
	b, _ := v.(bool)
	return b, err
}

func describe(t exprToken) string {
	switch t.kind {
	case tOp:
		return "'" + t.text + "'"
	case tRParen:
		return "')'"
	}
	return "token"
}

// compound evaluates members separated by spaces; more than one member is their concatenation as text.
func (e *evaluator) compound() any {
	var parts []any
	for e.err == nil {
		t := e.peek()
		if t.kind == tEOF || t.kind == tRParen {
			break
		}
		parts = append(parts, e.binary(1))
	}
	switch len(parts) {
	case 0:
		return e.fail(errors.New("empty expression"))
	case 1:
		return parts[0]
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(textOf(p))
	}
	return b.String()
}

func precedence(op string) int {
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
	case "/", "%":
		return 6
	}
	return 0
}

func (e *evaluator) binary(minPrec int) any {
	left := e.unary()
	for e.err == nil {
		t := e.peek()
		if t.kind != tOp {
			return left
		}
		prec := precedence(t.text)
		if prec == 0 || prec < minPrec {
			return left
		}
		e.i++
		right := e.binary(prec + 1)
		if e.err != nil {
			return nil
		}
		left = apply(t.text, left, right)
	}
	return left
}

func (e *evaluator) unary() any {
	t := e.peek()
	if t.kind == tOp && (t.text == "!" || t.text == "-" || t.text == "+") {
		if e.depth++; e.depth > maxEvalDepth {
			return e.fail(errors.New("expression nested too deeply"))
		}
		e.i++
		x := e.unary()
		e.depth--
		switch t.text {
		case "!":
			b, _ := x.(bool)
			return !b
		case "-":
			return -number(x)
		}
		return number(x)
	}
	return e.primary()
}

func (e *evaluator) primary() any {
	t := e.peek()
	e.i++
	switch t.kind {
	case tNumber:
		return t.num
	case tString:
		return t.text
	case tBool:
		return t.b
	case tNull:
		return nil
	case tRef:
		return normalize(e.ref(t.text))
	case tLParen:
		if e.depth++; e.depth > maxEvalDepth {
			return e.fail(errors.New("expression nested too deeply"))
		}
		v := e.compound()
		e.depth--
		if e.err == nil && e.peek().kind != tRParen {
			return e.fail(errors.New("unclosed ("))
		}
		e.i++
		return v
	}
	return e.fail(fmt.Errorf("unexpected %s", describe(t)))
}

// apply computes a binary operation as Meta documents it: == and != compare values of one type (values of
// two types are unequal); < <= > >= compare numbers; && || combine booleans; + - / % are arithmetic on
// numbers, and division or modulo by zero or null gives 0.
func apply(op string, l, r any) any {
	switch op {
	case "&&":
		a, _ := l.(bool)
		b, _ := r.(bool)
		return a && b
	case "||":
		a, _ := l.(bool)
		b, _ := r.(bool)
		return a || b
	case "==":
		return equal(l, r)
	case "!=":
		return !equal(l, r)
	}
	a, b := number(l), number(r)
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	case "+":
		return a + b
	case "-":
		return a - b
	case "/":
		if b == 0 {
			return 0.0
		}
		return a / b
	case "%":
		if b == 0 {
			return 0.0
		}
		return math.Mod(a, b)
	}
	return nil
}

// equal compares two values of one type; values of different types are unequal.
func equal(l, r any) bool {
	switch a := l.(type) {
	case nil:
		return r == nil
	case bool:
		b, ok := r.(bool)
		return ok && a == b
	case float64:
		switch b := r.(type) {
		case float64:
			return a == b
		case string:
			// A number input's value is the text typed; it compares as the number it spells.
			f, err := strconv.ParseFloat(strings.TrimSpace(b), 64)
			return err == nil && f == a
		}
		return false
	case string:
		switch b := r.(type) {
		case string:
			return a == b
		case float64:
			return equal(b, a)
		}
		return false
	}
	return textOf(l) == textOf(r)
}

// number is a value as a number: numbers as they are, null (and anything else) 0, numeric strings parsed.
func number(v any) float64 {
	switch x := normalize(v).(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0
		}
		return x
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	}
	return 0
}
