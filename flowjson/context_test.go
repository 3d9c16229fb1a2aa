package flowjson_test

// Tests that a validation stops when its context is done.

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waflows/waflows/flowjson"
)

// doneAfter is a context that reports itself canceled from the n-th time it is asked on.
type doneAfter struct {
	context.Context
	n, asked atomic.Int64
}

func (c *doneAfter) Done() <-chan struct{} { return make(chan struct{}) }

func (c *doneAfter) Err() error {
	if c.asked.Add(1) >= c.n.Load() {
		return context.Canceled
	}
	return nil
}

func TestAnalyzeContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := flowjson.AnalyzeContext(ctx, []byte(`{}`)); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled before the start: err = %v", err)
	}
	// A context that ends in the middle of each phase: the analysis returns at the next look.
	stopped := 0
	for _, s := range worstShapes {
		doc := s.build(300 << 10)
		for _, n := range []int64{2, 5} {
			c := &doneAfter{Context: context.Background()}
			c.n.Store(n)
			res, err := flowjson.AnalyzeContext(c, doc)
			if c.asked.Load() < n {
				continue // finished before the context ended: nothing to stop
			}
			if !errors.Is(err, context.Canceled) || len(res.Errors) != 0 {
				t.Fatalf("%s, canceled at look %d: err = %v with %d errors", s.name, n, err, len(res.Errors))
			}
			if c.asked.Load() != n {
				t.Fatalf("%s: went on after the context ended (asked %d times, ended at %d)", s.name, c.asked.Load(), n)
			}
			stopped++
		}
	}
	if stopped < len(worstShapes) {
		t.Fatalf("only %d analyses were stopped; every shape should be at least once", stopped)
	}
	// A context that never ends changes nothing.
	doc := worstShapes[0].build(100 << 10)
	ctx, cancel = context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	got, err := flowjson.AnalyzeContext(ctx, doc)
	if err != nil || len(got.Errors) != len(flowjson.Analyze(doc).Errors) {
		t.Fatalf("with a live context: err = %v, %d errors", err, len(got.Errors))
	}
}
