package flowjson_test

// Structure-aware mutations of valid flows: Analyze must stay consistent on near-valid documents.

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/waflows/waflows/flowjson"
)

// TestMutatedFlows complements FuzzAnalyze: byte mutations rarely keep a
// flow well-formed enough to reach the semantic rules, so this test mutates
// valid flows as JSON values (swapping strings, dropping or repeating array
// items and members, changing types) and checks that Analyze neither panics
// nor reports a position outside the input.
func TestMutatedFlows(t *testing.T) {
	rounds := 100
	if testing.Short() {
		rounds = 10
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, path := range jsonFiles(t, "testdata/valid") {
		data := mustRead(t, path)
		if len(data) > 32<<10 {
			continue // the large cases add time, not coverage
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var strs []string
		collectStrings(doc, &strs)
		for range rounds {
			m := mutate(rng, clone(doc), strs, 3)
			data, err := json.MarshalIndent(m, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			res := flowjson.Analyze(data)
			checkPositions(t, data, res.Errors)
			if len(res.Errors) > 0 && res.Errors[0].Error == flowjson.CodeInvalidFlowJSON {
				t.Fatalf("%s: a mutation encoding/json wrote is not JSON? %s", path, data)
			}
		}
	}
}

func collectStrings(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		*out = append(*out, v)
	case map[string]any:
		for k, x := range v {
			*out = append(*out, k)
			collectStrings(x, out)
		}
	case []any:
		for _, x := range v {
			collectStrings(x, out)
		}
	}
}

func clone(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// mutate applies n random changes somewhere in v and returns the result.
func mutate(rng *rand.Rand, v any, strs []string, n int) any {
	for range n {
		v = mutateOnce(rng, v, strs, 0)
	}
	return v
}

func mutateOnce(rng *rand.Rand, v any, strs []string, depth int) any {
	descend := rng.IntN(4) != 0 && depth < 12
	switch x := v.(type) {
	case map[string]any:
		if len(x) > 0 && descend {
			k := pickKey(rng, x)
			x[k] = mutateOnce(rng, x[k], strs, depth+1)
			return x
		}
		switch rng.IntN(3) {
		case 0:
			if len(x) > 0 {
				delete(x, pickKey(rng, x))
			}
		case 1:
			x[strs[rng.IntN(len(strs))]] = pickValue(rng, strs)
		default:
			if len(x) > 0 {
				k := pickKey(rng, x)
				x[strs[rng.IntN(len(strs))]] = x[k]
			}
		}
		return x
	case []any:
		if len(x) > 0 && descend {
			i := rng.IntN(len(x))
			x[i] = mutateOnce(rng, x[i], strs, depth+1)
			return x
		}
		switch rng.IntN(3) {
		case 0:
			if len(x) > 0 {
				i := rng.IntN(len(x))
				return append(x[:i], x[i+1:]...)
			}
		case 1:
			if len(x) > 0 {
				return append(x, clone(x[rng.IntN(len(x))]))
			}
		}
		return append(x, pickValue(rng, strs))
	}
	return pickValue(rng, strs)
}

func pickKey(rng *rand.Rand, m map[string]any) string {
	i := rng.IntN(len(m))
	for k := range m {
		if i == 0 {
			return k
		}
		i--
	}
	return ""
}

func pickValue(rng *rand.Rand, strs []string) any {
	switch rng.IntN(8) {
	case 0:
		return nil
	case 1:
		return rng.IntN(2) == 0
	case 2:
		return float64(rng.IntN(100) - 10)
	case 3:
		return map[string]any{}
	case 4:
		return []any{}
	case 5:
		return "${data." + strs[rng.IntN(len(strs))] + "}"
	}
	return strs[rng.IntN(len(strs))]
}
