package flowjson_test

// Throughput benchmarks: the largest corpus flow, a generated 5 MB flow, a document of nothing but errors.

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/flowgen"
)

// BenchmarkAnalyzeCorpusLargest runs the largest flow of the shared corpus
// (Meta's MIT-licensed survey sample, about 14 KB, also kept as
// testdata/valid/whatsapp_flows_tools_survey.json), and the largest valid
// test file (100 screens, about 45 KB).
func BenchmarkAnalyzeCorpusLargest(b *testing.B) {
	largest := mustRead(b, "testdata/valid/whatsapp_flows_tools_survey.json")
	if st, err := os.Stat(corpusDir + "/valid"); err == nil && st.IsDir() {
		others, _ := filepath.Glob(corpusDir + "/valid/*.json")
		for _, p := range others {
			if data := mustRead(b, p); len(data) > len(largest) {
				largest = data
			}
		}
	}
	b.Run("corpus", func(b *testing.B) { benchmarkAnalyze(b, largest) })
	var test []byte
	paths, _ := filepath.Glob("testdata/valid/*.json")
	for _, p := range paths {
		if data := mustRead(b, p); len(data) > len(test) {
			test = data
		}
	}
	b.Run("testdata", func(b *testing.B) { benchmarkAnalyze(b, test) })
}

// BenchmarkAnalyzeGenerated5MB runs a generated, valid flow of about 5 MB.
func BenchmarkAnalyzeGenerated5MB(b *testing.B) {
	benchmarkAnalyze(b, flowgen.Generate(100, 44))
}

func benchmarkAnalyze(b *testing.B, data []byte) {
	if errs := flowjson.Validate(data); len(errs) != 0 {
		b.Fatalf("benchmark input is invalid: %+v", errs[0])
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		flowjson.Analyze(data)
	}
}

// BenchmarkAnalyzeManyErrors runs a hostile 5 MB one-line flow whose every
// screen is wrong: error reporting must stay linear on long lines.
func BenchmarkAnalyzeManyErrors(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"version":"7.3","screens":[`)
	for buf.Len() < 5<<20 {
		buf.WriteString(`"é",`)
	}
	buf.WriteString(`1]}`)
	data := buf.Bytes()
	if n := len(flowjson.Validate(data)); n != flowjson.MaxErrors+1 {
		b.Fatalf("got %d errors, want the cap of %d and the closing entry", n, flowjson.MaxErrors)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		flowjson.Analyze(data)
	}
}
