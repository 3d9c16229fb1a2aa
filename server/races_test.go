package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/waflows/waflows/api"
)

// TestRaces: conflicting requests on one flow over HTTP; exactly one of each pair wins, and the final
// state matches the responses.
func TestRaces(t *testing.T) { eachBackend(t, testRaces) }

func testRaces(t *testing.T) {
	e := MustOpenServer(t)
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
		if r := e.upload(tokenA, id, []byte(validFlow)); r.Status != 200 {
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
