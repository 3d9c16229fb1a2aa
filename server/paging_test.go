package server_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

// listPage fetches one list page and returns its flow names and paging object.
func listPage(t *testing.T, e *env, link string) ([]string, map[string]any) {
	t.Helper()
	r := e.get(link, tokenA)
	if r.Status != 200 {
		t.Fatalf("list %s: %d %s", link, r.Status, r.Body)
	}
	v := r.JSON(t)
	var names []string
	for _, f := range v["data"].([]any) {
		names = append(names, f.(map[string]any)["name"].(string))
	}
	paging, _ := v["paging"].(map[string]any)
	return names, paging
}

func TestListPaging(t *testing.T) { eachBackend(t, testListPaging) }

func testListPaging(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	var want []string // newest first
	for i := range 60 {
		name := fmt.Sprintf("flow-%02d", i)
		e.createFlow(tokenA, waba1, name)
		want = append([]string{name}, want...)
	}
	e.createFlow(tokenB, waba2, "not mine")

	names, paging := listPage(t, e, "/"+waba1+"/flows")
	if !slices.Equal(names, want[:25]) {
		t.Fatalf("default page: %v", names)
	}
	cursors := paging["cursors"].(map[string]any)
	if cursors["before"] == "" || cursors["after"] == "" || paging["previous"] != nil {
		t.Fatalf("first page paging: %v", paging)
	}
	// Walk forward through the absolute next links, then back through previous links.
	var seen []string
	link := e.Base + "/" + waba1 + "/flows?limit=7&fields=name"
	var pages []string
	for link != "" {
		if !strings.HasPrefix(link, e.Root+"/v21.0/") {
			t.Fatalf("paging link %q is not absolute under the public URL", link)
		}
		pages = append(pages, link)
		names, paging := listPage(t, e, link)
		seen = append(seen, names...)
		link, _ = paging["next"].(string)
	}
	if !slices.Equal(seen, want) || len(pages) != 9 {
		t.Fatalf("forward walk over %d pages saw %v", len(pages), seen)
	}
	_, last := listPage(t, e, pages[len(pages)-1])
	var back []string
	link, _ = last["previous"].(string)
	for link != "" {
		names, paging := listPage(t, e, link)
		back = append(names, back...)
		link, _ = paging["previous"].(string)
	}
	if !slices.Equal(back, want[:56]) {
		t.Fatalf("backward walk saw %v", back)
	}
	// limit is capped at 100; fields and limit survive into the links.
	names, _ = listPage(t, e, "/"+waba1+"/flows?limit=1000")
	if len(names) != 60 {
		t.Fatalf("limit=1000 returned %d", len(names))
	}
	_, paging = listPage(t, e, "/"+waba1+"/flows?limit=5&fields=name,status")
	next, _ := url.Parse(paging["next"].(string))
	if next.Query().Get("fields") != "name,status" || next.Query().Get("limit") != "5" {
		t.Fatalf("next link lost the parameters: %s", next)
	}
	// An account without flows: an empty page and no paging.
	if r := e.get("/"+waba2+"/flows", tokenAll); !strings.Contains(string(r.Body), `"not mine"`) {
		t.Fatalf("account 2: %s", r.Body)
	}
	bad := map[string]string{
		"after=garbage":              "Param after is not a valid cursor",
		"before=%21%21":              "Param before is not a valid cursor",
		"after=d2YxOi0x":             "not a valid cursor", // "wf1:-1"
		"after=YWJj":                 "not a valid cursor",
		"after=x&before=y":           "cannot be used together",
		"limit=-1":                   "Param limit must be at least 1",
		"limit=1.5":                  "Param limit must be an integer",
		"limit=1&limit=2":            "at most once",
		"limit=99999999999999999999": "Param limit must be an integer",
	}
	for q, msg := range bad {
		wantMessage(t, graphError(t, e.get("/"+waba1+"/flows?"+q, tokenA), 400, 100), msg)
	}
}

// TestPagingUnderConcurrentChanges: while one client walks the pages, others create and delete flows. Every
// flow that existed for the whole walk is seen exactly once and in order.
func TestPagingUnderConcurrentChanges(t *testing.T) { eachBackend(t, testPagingUnderConcurrentChanges) }

func testPagingUnderConcurrentChanges(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	var stable []string
	for i := range 80 {
		name := fmt.Sprintf("stable-%02d", i)
		e.createFlow(tokenA, waba1, name)
		stable = append([]string{name}, stable...)
	}
	transient := make([]string, 0, 20)
	for i := range 20 {
		transient = append(transient, e.createFlow(tokenA, waba1, fmt.Sprintf("transient-%02d", i)))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // inserts
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e.createFlow(tokenA, waba1, fmt.Sprintf("new-%03d", i))
		}
	}()
	go func() { // deletes
		defer wg.Done()
		for _, id := range transient {
			select {
			case <-stop:
				return
			default:
			}
			e.do("DELETE", "/"+id, tokenA, "", nil)
		}
	}()
	var seen []string
	link := "/" + waba1 + "/flows?limit=9&fields=name"
	for link != "" {
		names, paging := listPage(t, e, link)
		seen = append(seen, names...)
		link, _ = paging["next"].(string)
	}
	close(stop)
	wg.Wait()
	var gotStable []string
	counts := map[string]int{}
	for _, n := range seen {
		counts[n]++
		if counts[n] > 1 {
			t.Fatalf("%s seen twice", n)
		}
		if strings.HasPrefix(n, "stable-") {
			gotStable = append(gotStable, n)
		}
	}
	if !slices.Equal(gotStable, stable) {
		t.Fatalf("stable flows seen: %v", gotStable)
	}
}

// TestCursorsAreSealed: a cursor says nothing about how many flows exist (consecutive positions give
// unrelated cursors), works only for the account it was made for, and any change to it, or a cursor of
// the old readable form, is refused exactly like garbage.
func TestCursorsAreSealed(t *testing.T) { eachBackend(t, testCursorsAreSealed) }

func testCursorsAreSealed(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	for i := range 3 {
		e.createFlow(tokenA, waba1, fmt.Sprintf("mine %d", i))
		e.createFlow(tokenB, waba2, fmt.Sprintf("theirs %d", i))
	}
	page := e.get("/"+waba1+"/flows?limit=1", tokenAll).JSON(t)
	cursors := page["paging"].(map[string]any)["cursors"].(map[string]any)
	after := cursors["after"].(string)
	next := e.get("/"+waba1+"/flows?limit=1&after="+after, tokenAll).JSON(t)
	after2 := next["paging"].(map[string]any)["cursors"].(map[string]any)["after"].(string)
	shared := 0
	for i := range min(len(after), len(after2)) {
		if after[i] == after2[i] {
			shared++
		}
	}
	if shared > len(after)/2 {
		t.Errorf("cursors of neighbouring flows look alike: %s %s", after, after2)
	}
	if ns, _ := listPage(t, e, "/"+waba1+"/flows?limit=1&after="+after); len(ns) != 1 {
		t.Fatalf("the cursor does not page its own account: %v", ns)
	}
	refused := func(q string) {
		t.Helper()
		wantMessage(t, graphError(t, e.get("/"+waba2+"/flows?"+q, tokenAll), 400, 100), "is not a valid cursor")
	}
	refused("after=" + after) // made for account 1, used on account 2
	raw, err := base64.RawURLEncoding.DecodeString(after)
	if err != nil || len(raw) != 16 {
		t.Fatalf("cursor %q is not 16 bytes of base64url", after)
	}
	for _, i := range []int{0, 7, 8, 15} { // the position and the tag, one bit each
		tampered := append([]byte(nil), raw...)
		tampered[i] ^= 1
		e2 := e.get("/"+waba1+"/flows?after="+base64.RawURLEncoding.EncodeToString(tampered), tokenAll)
		wantMessage(t, graphError(t, e2, 400, 100), "Param after is not a valid cursor")
	}
	for _, old := range []string{"d2YxOjI", "d2YxOjE", base64.RawURLEncoding.EncodeToString([]byte("wf1:3"))} {
		refused("before=" + old) // the readable form of earlier versions
	}
}
