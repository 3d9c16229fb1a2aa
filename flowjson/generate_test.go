package flowjson_test

// A test that the generated benchmark flow is valid.

import (
	"testing"

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/flowgen"
)

func TestGeneratedFlow(t *testing.T) {
	data := flowgen.Generate(100, 44)
	t.Logf("generated flow: %d bytes", len(data))
	if n := len(data); n < 4<<20 || n > 6<<20 {
		t.Errorf("generated flow is %d bytes, want about 5 MB", n)
	}
	res := flowjson.Analyze(data)
	if len(res.Errors) != 0 || !res.UsesEndpoint || res.Version != "7.3" {
		t.Errorf("Analyze(generated) = %+v", res)
	}
}
