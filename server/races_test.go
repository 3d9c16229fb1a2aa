package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/internal/testflow"
)

// TestRaces: conflicting requests on one flow over HTTP; exactly one of each pair wins, and the final
// state matches the responses.
func TestRaces(t *testing.T) { eachBackend(t, testRaces) }

func testRaces(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	race := func(a, b func() response) (response, response) {
		var ra, rb response
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Add(2)
		go func() { defer wg.Done(); <-start; ra = a() }()
		go func() { defer wg.Done(); <-start; rb = b() }()
		close(start)
		wg.Wait()
		return ra, rb
	}
	ready := func(name string) string {
		id := e.createFlow(tokenA, waba1, name)
		if r := e.upload(tokenA, id, []byte(testflow.Valid)); r.Status != 200 {
			t.Fatal(string(r.Body))
		}
		return id
	}
	publish := func(id string) func() response {
		return func() response { return e.do("POST", "/"+id+"/publish", tokenA, "", nil) }
	}
	for i := range 15 {
		// publish against delete
		id := ready(fmt.Sprintf("pd-%d", i))
		p, d := race(publish(id), func() response { return e.do("DELETE", "/"+id, tokenA, "", nil) })
		f, err := e.Store.Flow(context.Background(), id)
		switch {
		case p.Status == 200 && d.Status == 400:
			if err != nil || f.Status != api.StatusPublished || !strings.Contains(string(d.Body), "139004") {
				t.Fatalf("publish won, delete said %s, flow %+v %v", d.Body, f, err)
			}
		case d.Status == 200 && p.Status == 400:
			if api.ErrorCodeOf(err) != api.ENOTFOUND || !strings.Contains(string(p.Body), `"error_subcode":33`) {
				t.Fatalf("delete won, publish said %s, flow %+v %v", p.Body, f, err)
			}
		default:
			t.Fatalf("publish %d %s, delete %d %s: exactly one must win", p.Status, p.Body, d.Status, d.Body)
		}
		// two publishes
		id = ready(fmt.Sprintf("pp-%d", i))
		a, b := race(publish(id), publish(id))
		if (a.Status == 200) == (b.Status == 200) {
			t.Fatalf("two publishes: %d and %d", a.Status, b.Status)
		}
		loser := a
		if a.Status == 200 {
			loser = b
		}
		if !strings.Contains(string(loser.Body), "Publishing Flow in invalid state") {
			t.Fatalf("losing publish: %s", loser.Body)
		}
		// upload against publish: if the upload won first, the flow published with the new JSON or
		// refused; never a published flow whose stored JSON differs from what publish checked.
		id = ready(fmt.Sprintf("up-%d", i))
		up, pub := race(func() response { return e.upload(tokenA, id, []byte(`{"version":"7.3"}`)) }, publish(id))
		f, _ = e.Store.Flow(context.Background(), id)
		if pub.Status == 200 && f.Status != api.StatusPublished {
			t.Fatalf("publish said 200 but the flow is %s", f.Status)
		}
		if pub.Status == 200 && up.Status == 200 {
			// the upload came first, so publish must have seen its validation errors
			t.Fatalf("both the invalid upload and the publish succeeded: %+v", f)
		}
		if up.Status == 200 && len(f.ValidationErrors) == 0 {
			t.Fatalf("upload succeeded but the flow has no validation errors")
		}
		// two creates with one name
		a, b = race(func() response {
			return e.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": fmt.Sprintf("dup-%d", i), "categories": []string{"OTHER"}})
		}, func() response {
			return e.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": fmt.Sprintf("dup-%d", i), "categories": []string{"OTHER"}})
		})
		if (a.Status == 200) == (b.Status == 200) {
			t.Fatalf("two creates of one name: %d %s and %d %s", a.Status, a.Body, b.Status, b.Body)
		}
	}
}

// TestConflictStorm fires many concurrent publishes, deletes, updates and uploads at one flow (split over
// both instances in the two-instance backend). Whatever the interleaving: no 5xx, exactly one of the
// publishes and deletes wins, and the final state agrees with the responses.
func TestConflictStorm(t *testing.T) { eachBackend(t, testConflictStorm) }

func testConflictStorm(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	for round := range 5 {
		id := e.createFlow(tokenA, waba1, fmt.Sprintf("storm-%d", round))
		e.upload(tokenA, id, []byte(testflow.Valid))
		type result struct {
			op     string
			arg    string
			status int
			body   string
		}
		ops := []func(i int) result{
			func(int) result {
				r := e.do("POST", "/"+id+"/publish", tokenA, "", nil)
				return result{"publish", "", r.Status, string(r.Body)}
			},
			func(int) result {
				r := e.do("DELETE", "/"+id, tokenA, "", nil)
				return result{"delete", "", r.Status, string(r.Body)}
			},
			func(i int) result {
				name := fmt.Sprintf("storm-%d-renamed-%d", round, i)
				r := e.postJSON("/"+id, tokenA, map[string]any{"name": name})
				return result{"update", name, r.Status, string(r.Body)}
			},
			func(i int) result {
				content := fmt.Sprintf(`{"version":"7.3","screens":[],"x":%d}`, i) // invalid on purpose
				if i%2 == 0 {
					content = testflow.Valid
				}
				r := e.upload(tokenA, id, []byte(content))
				return result{"upload", content, r.Status, string(r.Body)}
			},
		}
		results := make(chan result, 64)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results <- ops[i%len(ops)](i)
			}()
		}
		close(start)
		wg.Wait()
		close(results)
		won := map[string]int{}
		names := map[string]bool{fmt.Sprintf("storm-%d", round): true}
		for r := range results {
			if r.status >= 500 || (r.status != 200 && !strings.Contains(r.body, `"error"`)) {
				t.Fatalf("%s: %d %s", r.op, r.status, r.body)
			}
			if r.status == 200 {
				won[r.op]++
				if r.op == "update" {
					names[r.arg] = true
				}
			}
		}
		if won["publish"] > 1 || won["delete"] > 1 || won["publish"]+won["delete"] > 1 {
			t.Fatalf("round %d: %d publishes and %d deletes succeeded", round, won["publish"], won["delete"])
		}
		f, err := e.Store.Flow(context.Background(), id)
		switch {
		case won["delete"] == 1:
			if api.ErrorCodeOf(err) != api.ENOTFOUND {
				t.Fatalf("delete won but the flow is there: %+v %v", f, err)
			}
			continue
		case won["publish"] == 1:
			if err != nil || f.Status != api.StatusPublished || len(f.ValidationErrors) != 0 {
				t.Fatalf("publish won but the flow is %+v %v", f, err)
			}
		default:
			if err != nil || f.Status != api.StatusDraft {
				t.Fatalf("nothing won but the flow is %+v %v", f, err)
			}
		}
		if !names[f.Name] {
			t.Fatalf("final name %q was never set by a successful update", f.Name)
		}
		// The stored JSON and its recorded validation state belong together.
		content, err := e.Store.Asset(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(flowjson.Validate(content)); got != len(f.ValidationErrors) {
			t.Fatalf("stored JSON has %d errors, the flow records %d", got, len(f.ValidationErrors))
		}
	}
}
