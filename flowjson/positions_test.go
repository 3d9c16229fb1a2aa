package flowjson_test

// Helpers that check every reported position lies inside its document.

import (
	"testing"
	"unicode/utf8"

	"github.com/waflows/waflows/flowjson"
)

// lines splits data the way editors do (after "\n", "\r\n" or a lone "\r")
// and returns the character count of each line, terminator excluded.
func lineLengths(data []byte) []int {
	var lengths []int
	start := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\n':
			lengths = append(lengths, utf8.RuneCount(data[start:i]))
			start = i + 1
		case '\r':
			lengths = append(lengths, utf8.RuneCount(data[start:i]))
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(lengths, utf8.RuneCount(data[start:]))
}

// checkPositions asserts that every error points inside data: lines exist,
// columns lie on their line, and start comes before end. A line has one
// column past its last character: its terminator, or on the last line the
// end of input.
func checkPositions(t testing.TB, data []byte, errs []flowjson.ValidationError) {
	t.Helper()
	lengths := lineLengths(data)
	last := len(lengths)
	inside := func(line, col int) bool {
		if line < 1 || line > last || col < 1 {
			return false
		}
		return col <= lengths[line-1]+1
	}
	for _, e := range errs {
		if !inside(e.LineStart, e.ColumnStart) || !inside(e.LineEnd, e.ColumnEnd) {
			t.Errorf("position %d:%d-%d:%d outside the input (%d lines): %+v", e.LineStart, e.ColumnStart, e.LineEnd, e.ColumnEnd, last, e)
		}
		if e.LineStart > e.LineEnd || (e.LineStart == e.LineEnd && e.ColumnStart > e.ColumnEnd) {
			t.Errorf("start after end: %+v", e)
		}
		if e.Error == "" || e.ErrorType == "" || e.Message == "" {
			t.Errorf("incomplete error: %+v", e)
		}
	}
}
