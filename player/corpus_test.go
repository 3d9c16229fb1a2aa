// The shared corpus of real flows, played: every flow the validator accepts opens and every screen it can
// reach renders; the others are refused with their validation errors.
package player_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/waflows/waflows/internal/testflow"

	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/player"
)

// corpusFiles are real flows from public repositories, read in place (internal/testflow.CorpusFiles).
func corpusFiles(t testing.TB, sub string) []string { t.Helper(); return testflow.CorpusFiles(t, sub) }

// rawFlow is what the walk reads of a flow for its endpoint: the routing model and the examples.
type rawFlow struct {
	DataAPIVersion string              `json:"data_api_version"`
	RoutingModel   map[string][]string `json:"routing_model"`
	Screens        []struct {
		ID       string                                `json:"id"`
		Terminal bool                                  `json:"terminal"`
		Data     map[string]map[string]json.RawMessage `json:"data"`
	} `json:"screens"`
}

// corpusRefused lists the flows the validator accepts that the player refuses, and why.
var corpusRefused = map[string]string{
	// pywa's example multiplies in a nested expression; Meta documents + - / % and no multiplication, and
	// the player does not guess what the client computes.
	"david-lev__pywa__tests_data_flows_6_0_examples__math_operators.json": "undocumented operator '*'",
}

func TestCorpusPlays(t *testing.T) {
	played, refused := 0, 0
	for _, file := range corpusFiles(t, "valid") {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			res := flowjson.Analyze(data)
			var raw rawFlow
			if err := json.Unmarshal(data, &raw); err != nil {
				t.Fatal(err)
			}
			ep := &routingEndpoint{t: t, routing: raw.RoutingModel, example: examples(raw)}
			_, err := player.Start(context.Background(), data, player.WithDataExchange(ep.answer))
			if reason, ok := corpusRefused[name]; ok {
				if err == nil || !strings.Contains(err.Error(), reason) {
					t.Fatalf("want the flow refused for %q, got %v", reason, err)
				}
				refused++
				return
			}
			if len(res.Errors) > 0 {
				var inv *player.InvalidFlowError
				if !errors.As(err, &inv) || len(inv.Errors) != len(res.Errors) {
					t.Fatalf("a flow with %d validation errors was not refused with them: %v", len(res.Errors), err)
				}
				refused++
				return
			}
			if err != nil {
				t.Fatalf("start: %v", err)
			}
			played++
			if raw.DataAPIVersion != "" {
				walkEndpointFlow(t, data, raw)
			} else {
				walkNavigateFlow(t, data)
			}
		})
	}
	t.Logf("%d corpus flows played, %d refused for their validation errors", played, refused)
	if played < 30 {
		t.Errorf("only %d corpus flows played", played)
	}
}

func examples(raw rawFlow) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, s := range raw.Screens {
		out[s.ID] = map[string]any{}
		for field, schema := range s.Data {
			var v any
			if ex, ok := schema["__example__"]; ok && json.Unmarshal(ex, &v) == nil {
				out[s.ID][field] = v
			}
		}
	}
	return out
}

// walkEndpointFlow opens the flow on every screen of its routing model (the endpoint chooses the first
// screen in its answer to INIT), renders it, fills its inputs and presses each of its buttons once.
func walkEndpointFlow(t *testing.T, data []byte, raw rawFlow) {
	ex := examples(raw)
	var screens []string
	for _, s := range raw.Screens {
		screens = append(screens, s.ID)
	}
	for _, id := range screens {
		ep := &routingEndpoint{t: t, routing: raw.RoutingModel, example: ex, entry: id}
		open := func() *player.Session {
			s, err := player.Start(context.Background(), data, player.WithFlowAction(player.FlowActionDataExchange), player.WithDataExchange(ep.answer))
			if err != nil {
				t.Fatalf("open on %s: %v", id, err)
			}
			return s
		}
		s := open()
		if got := s.Screen(); got.ID != id || got.Title == "" && got.Text() == "" {
			t.Fatalf("opened on %s, shows %s", id, describeScreen(s))
		}
		for _, label := range pressables(s) {
			s := open()
			ep.filling = true
			err := fillAll(s)
			ep.filling = false
			if err != nil {
				t.Fatalf("screen %s: %v\n%s", id, err, describeScreen(s))
			}
			if _, done := s.Completed(); done || !slices.Contains(pressables(s), label) {
				continue
			}
			if err := s.Press(label); err != nil && !errors.Is(err, player.ErrNoEndpoint) {
				t.Errorf("screen %s, press %q: %v\n%s", id, label, err, describeScreen(s))
			}
			_ = s.Screen().Text()
		}
	}
}

// walkNavigateFlow reaches every screen it can from the entry screen, breadth first, by filling the inputs
// and pressing each button; every screen it reaches renders without error.
func walkNavigateFlow(t *testing.T, data []byte) {
	type path []string
	replay := func(p path) (*player.Session, error) {
		s, err := player.Start(context.Background(), data)
		if err != nil {
			return nil, err
		}
		for _, label := range p {
			if err := fillAll(s); err != nil {
				return s, err
			}
			if err := s.Press(label); err != nil {
				return s, err
			}
		}
		return s, nil
	}
	seen := map[string]bool{}
	tried := map[string]bool{}
	queue := []path{{}}
	completed := false
	for len(queue) > 0 && len(tried) < 200 {
		p := queue[0]
		queue = queue[1:]
		s, err := replay(p)
		if err != nil {
			t.Fatalf("after %q: %v", strings.Join(p, " → "), err)
		}
		if _, done := s.Completed(); done {
			completed = true
			continue
		}
		sc := s.Screen()
		seen[sc.ID] = true
		_ = sc.Text()
		for _, label := range pressables(s) {
			if key := sc.ID + "\x00" + label; !tried[key] {
				tried[key] = true
				queue = append(queue, append(slices.Clone(p), label))
			}
		}
	}
	if !completed && len(tried) < 200 {
		t.Errorf("no path reached completion (screens seen: %v)", seen)
	}
}
