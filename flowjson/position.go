package flowjson

// This file holds the positions of findings: byte offsets turned into 1-based lines and character columns.

import (
	"fmt"
	"sort"
	"strings"
)

// charBlock is the spacing of the character-count checkpoints: any column
// costs at most one block of counting, however long its line.
const charBlock = 1024

// positioner turns byte offsets into 1-based lines and columns. Columns count
// Unicode code points (a tab is one column). A line ends after "\n", after
// "\r\n", or after a lone "\r", as editors show it. It is built only once a
// document has errors, so valid documents never pay for it.
type positioner struct {
	src        []byte
	lineStarts []int // offset of the first byte of each line
	blockChars []int // blockChars[k]: characters in src[:k*charBlock]
}

func newPositioner(src []byte) *positioner {
	p := &positioner{src: src, lineStarts: []int{0}, blockChars: make([]int, 0, len(src)/charBlock+1)}
	chars := 0
	for i, c := range src {
		if i%charBlock == 0 {
			p.blockChars = append(p.blockChars, chars)
		}
		if isCharStart(c) {
			chars++
		}
		if c == '\n' || (c == '\r' && (i+1 == len(src) || src[i+1] != '\n')) {
			p.lineStarts = append(p.lineStarts, i+1)
		}
	}
	if len(src)%charBlock == 0 {
		p.blockChars = append(p.blockChars, chars)
	}
	return p
}

// isCharStart reports whether c begins a code point. The parser stops at the
// first invalid UTF-8 byte, so positions are only asked for in valid text.
func isCharStart(c byte) bool { return c&0xC0 != 0x80 }

// charsBefore counts the characters in src[:off].
func (p *positioner) charsBefore(off int) int {
	k := off / charBlock
	n := p.blockChars[k]
	for _, c := range p.src[k*charBlock : off] {
		if isCharStart(c) {
			n++
		}
	}
	return n
}

// at returns the line and column of offset off (0 ≤ off ≤ len(src)).
func (p *positioner) at(off int) (line, col int) {
	l := sort.SearchInts(p.lineStarts, off+1) - 1
	return l + 1, p.charsBefore(off) - p.charsBefore(p.lineStarts[l]) + 1
}

// span returns the positions of the first and the last character of the
// bytes [start, end); an empty span (end of input) gives the same position twice.
func (p *positioner) span(start, end int) (lineStart, colStart, lineEnd, colEnd int) {
	lineStart, colStart = p.at(start)
	if end <= start {
		return lineStart, colStart, lineStart, colStart
	}
	last := end - 1
	for last > start && !isCharStart(p.src[last]) {
		last--
	}
	lineEnd, colEnd = p.at(last)
	return lineStart, colStart, lineEnd, colEnd
}

// syntaxError renders e as the single INVALID_FLOW_JSON error of a document.
func (p *positioner) syntaxError(e *syntaxError) ValidationError {
	v := ValidationError{Error: CodeInvalidFlowJSON, ErrorType: ErrorTypeJSONSchema}
	v.LineStart, v.ColumnStart, v.LineEnd, v.ColumnEnd = p.span(e.start, e.end)
	var b strings.Builder
	fmt.Fprintf(&b, "Flow JSON is not valid. %s at line %d, column %d.", e.what, v.LineStart, v.ColumnStart)
	if e.hint != "" {
		hint := e.hint
		if e.opened >= 0 {
			line, col := p.at(e.opened)
			hint = fmt.Sprintf(hint, fmt.Sprintf("line %d, column %d", line, col))
		}
		b.WriteString(" ")
		b.WriteString(hint)
	}
	v.Message = b.String()
	return v
}
