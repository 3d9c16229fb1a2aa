package testflow_test

import (
	"testing"

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/testflow"
)

// TestLongIsValid: the generated flow passes Meta's rules, at any length the benchmarks use.
func TestLongIsValid(t *testing.T) {
	for _, n := range []int{2, 20} {
		res, err := flowjson.AnalyzeContext(t.Context(), testflow.Long(n))
		if err != nil || len(res.Errors) > 0 {
			t.Fatalf("Long(%d): %v %+v", n, err, res.Errors)
		}
	}
}
