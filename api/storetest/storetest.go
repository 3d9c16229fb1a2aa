// Package storetest is the conformance suite every api.FlowStore must pass. A store's own tests call Run
// with a function that opens a fresh, empty store.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/waflows/waflows/api"
)

// Opener returns a new, empty store; the suite closes it.
type Opener func(tb testing.TB) api.FlowStore

// Run runs every conformance test against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, api.FlowStore)
	}{
		{"Health", testHealth},
		{"BusinessAccounts", testBusinessAccounts},
		{"Settings", testSettings},
		{"BusinessPublicKeys", testBusinessPublicKeys},
		{"CreateAndGet", testCreateAndGet},
		{"NameUniquePerAccount", testNameUnique},
		{"Clone", testClone},
		{"CreateWithContentAndFinish", testCreateWithContent},
		{"UpdateFlow", testUpdateFlow},
		{"PutAsset", testPutAsset},
		{"PreviewLink", testPreviewLink},
		{"DeleteFlow", testDeleteFlow},
		{"ListPaging", testListPaging},
		{"ListStableUnderChanges", testListStable},
		{"SeqNeverRepeats", testSeqNeverRepeats},
		{"ConcurrentUpdatesSerialize", testConcurrentUpdates},
		{"PublishDeleteRace", testPublishDeleteRace},
		{"UnknownIDs", testUnknownIDs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

// now is a fixed, microsecond-truncated clock so stores that keep less precision still compare equal.
var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

const waba1, waba2 = "102290129340398", "109876543210987"

// testHealth: a working store reports itself healthy.
func testHealth(t *testing.T, s api.FlowStore) {
	if err := s.Health(ctx); err != nil {
		t.Fatalf("Health of a fresh store: %v", err)
	}
}

func seedAccounts(t *testing.T, s api.FlowStore) {
	t.Helper()
	for _, a := range []api.BusinessAccount{{ID: waba1, Name: "Acme Clinic"}, {ID: waba2, Name: "Other Co"}} {
		if err := s.PutBusinessAccount(ctx, a); err != nil {
			t.Fatalf("PutBusinessAccount: %v", err)
		}
	}
}

func newFlow(waba, name string) *api.Flow {
	return &api.Flow{WABAID: waba, Name: name, Status: api.StatusDraft,
		Categories: []api.Category{"SURVEY", "OTHER"}, CreatedAt: now, UpdatedAt: now}
}

func mustCreate(t *testing.T, s api.FlowStore, waba, name string) api.Flow {
	t.Helper()
	f := newFlow(waba, name)
	if err := s.CreateFlow(ctx, f, api.Source{}); err != nil {
		t.Fatalf("CreateFlow(%q): %v", name, err)
	}
	return *f
}

func wantCode(t *testing.T, err error, code api.ErrorCode) {
	t.Helper()
	if got := api.ErrorCodeOf(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

func testBusinessAccounts(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	a, err := s.BusinessAccount(ctx, waba1)
	if err != nil || a.Name != "Acme Clinic" {
		t.Fatalf("BusinessAccount = %+v, %v", a, err)
	}
	if err := s.PutBusinessAccount(ctx, api.BusinessAccount{ID: waba1, Name: "Acme Renamed"}); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.BusinessAccount(ctx, waba1); a.Name != "Acme Renamed" {
		t.Fatalf("after rename: %+v", a)
	}
	_, err = s.BusinessAccount(ctx, "999")
	wantCode(t, err, api.ENOTFOUND)
}

func testSettings(t *testing.T, s api.FlowStore) {
	if v, err := s.Setting(ctx, "k"); err != nil || v != "" {
		t.Fatalf("unset setting = %q, %v", v, err)
	}
	if v, err := s.InitSetting(ctx, "k", "first"); err != nil || v != "first" {
		t.Fatalf("InitSetting = %q, %v", v, err)
	}
	if v, err := s.InitSetting(ctx, "k", "second"); err != nil || v != "first" {
		t.Fatalf("second InitSetting = %q, %v; the first value must stay", v, err)
	}
	if v, _ := s.Setting(ctx, "k"); v != "first" {
		t.Fatalf("Setting = %q", v)
	}
}

// testBusinessPublicKeys: a phone number has no key until one is put; a second put replaces it; keys of
// other numbers are apart.
func testBusinessPublicKeys(t *testing.T, s api.FlowStore) {
	const phone1, phone2 = "106540352242922", "106540352242923"
	if _, err := s.BusinessPublicKey(ctx, phone1); api.ErrorCodeOf(err) != api.ENOTFOUND {
		t.Fatalf("key before any upload: %v, want ENOTFOUND", err)
	}
	first := api.BusinessPublicKey{PhoneNumberID: phone1, PEM: "-----BEGIN PUBLIC KEY-----\nfirst\n-----END PUBLIC KEY-----\n", UpdatedAt: now}
	if err := s.PutBusinessPublicKey(ctx, first); err != nil {
		t.Fatal(err)
	}
	if got, err := s.BusinessPublicKey(ctx, phone1); err != nil || got != first {
		t.Fatalf("BusinessPublicKey = %+v, %v; want %+v", got, err, first)
	}
	second := api.BusinessPublicKey{PhoneNumberID: phone1, PEM: "second", UpdatedAt: now.Add(time.Minute)}
	if err := s.PutBusinessPublicKey(ctx, second); err != nil {
		t.Fatal(err)
	}
	if got, err := s.BusinessPublicKey(ctx, phone1); err != nil || got != second {
		t.Fatalf("after replacing: %+v, %v; want %+v", got, err, second)
	}
	if _, err := s.BusinessPublicKey(ctx, phone2); api.ErrorCodeOf(err) != api.ENOTFOUND {
		t.Fatalf("another number's key: %v, want ENOTFOUND", err)
	}
}

func testCreateAndGet(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	f := newFlow(waba1, "Survey")
	f.EndpointURI = "https://example.com/endpoint"
	if err := s.CreateFlow(ctx, f, api.Source{}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.ID); n < 15 || n > 16 {
		t.Fatalf("id %q has %d digits, want 15-16", f.ID, n)
	}
	if _, err := strconv.ParseUint(f.ID, 10, 64); err != nil {
		t.Fatalf("id %q is not numeric", f.ID)
	}
	got, err := s.Flow(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	assertFlow(t, got, *f)
	g := mustCreate(t, s, waba1, "Second")
	if g.Seq <= f.Seq {
		t.Fatalf("seq of later flow %d <= %d", g.Seq, f.Seq)
	}
	if g.ID == f.ID {
		t.Fatal("two flows share an id")
	}
}

func assertFlow(t *testing.T, got, want api.Flow) {
	t.Helper()
	if got.ID != want.ID || got.WABAID != want.WABAID || got.Name != want.Name || got.Status != want.Status ||
		!slices.Equal(got.Categories, want.Categories) || got.EndpointURI != want.EndpointURI ||
		got.ApplicationID != want.ApplicationID || got.JSONVersion != want.JSONVersion ||
		got.DataAPIVersion != want.DataAPIVersion || got.UsesEndpoint != want.UsesEndpoint ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) || got.Seq != want.Seq ||
		len(got.ValidationErrors) != len(want.ValidationErrors) || (got.Asset == nil) != (want.Asset == nil) {
		t.Fatalf("flow mismatch:\n got %+v\nwant %+v", got, want)
	}
	for i := range got.ValidationErrors {
		g, w := got.ValidationErrors[i], want.ValidationErrors[i]
		if g.Error != w.Error || g.Message != w.Message || g.LineStart != w.LineStart || !slices.Equal(g.Pointers, w.Pointers) {
			t.Fatalf("validation error %d: got %+v want %+v", i, g, w)
		}
	}
	if got.Asset != nil && (got.Asset.SHA256 != want.Asset.SHA256 || got.Asset.Size != want.Asset.Size) {
		t.Fatalf("asset: got %+v want %+v", got.Asset, want.Asset)
	}
}

func testNameUnique(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	mustCreate(t, s, waba1, "Same")
	err := s.CreateFlow(ctx, newFlow(waba1, "Same"), api.Source{})
	wantCode(t, err, api.ECONFLICT)
	mustCreate(t, s, waba2, "Same") // another account may use the name
	b := mustCreate(t, s, waba1, "Other")
	_, err = s.UpdateFlow(ctx, b.ID, func(f *api.Flow) error { f.Name = "Same"; return nil })
	wantCode(t, err, api.ECONFLICT)
	if got, _ := s.Flow(ctx, b.ID); got.Name != "Other" {
		t.Fatalf("refused rename changed the name to %q", got.Name)
	}
}

var sampleErrors = []api.ValidationError{{Error: "INVALID_FLOW_JSON", ErrorType: "JSON_SCHEMA_ERROR",
	Message: "Flow JSON is not valid.", LineStart: 3, LineEnd: 3, ColumnStart: 5, ColumnEnd: 5, Pointers: []string{"screens[0]"}}}

func upload(t *testing.T, s api.FlowStore, id string, content []byte, verrs []api.ValidationError) api.Flow {
	t.Helper()
	f, err := s.PutAsset(ctx, id, content, func(f *api.Flow) error {
		return f.SetAsset(&api.Asset{Content: content, ValidationErrors: verrs, JSONVersion: "7.3", DataAPIVersion: "3.0", UsesEndpoint: true},
			api.AssetInfo{SHA256: fmt.Sprintf("%x", len(content)), Size: int64(len(content)), UploadedAt: now.Add(time.Minute)})
	})
	if err != nil {
		t.Fatalf("PutAsset: %v", err)
	}
	return f
}

func testClone(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	src := mustCreate(t, s, waba1, "Source")
	content := []byte(`{"version":"7.3","screens":[]}`)
	upload(t, s, src.ID, content, sampleErrors)
	c := newFlow(waba1, "Copy")
	if err := s.CreateFlow(ctx, c, api.Source{CloneOf: src.ID}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Flow(ctx, c.ID)
	if got.JSONVersion != "7.3" || got.DataAPIVersion != "3.0" || !got.UsesEndpoint || len(got.ValidationErrors) != 1 || got.Asset == nil || got.Status != api.StatusDraft {
		t.Fatalf("clone did not copy the JSON state: %+v", got)
	}
	b, err := s.Asset(ctx, c.ID)
	if err != nil || !bytes.Equal(b, content) {
		t.Fatalf("clone asset = %q, %v", b, err)
	}
	err = s.CreateFlow(ctx, newFlow(waba1, "Ghost copy"), api.Source{CloneOf: "123456789012345"})
	wantCode(t, err, api.ENOTFOUND)
	if _, err := s.ListFlows(ctx, waba1, api.Page{}); err != nil {
		t.Fatal(err)
	}
	// A clone of a flow without JSON has none either.
	empty := mustCreate(t, s, waba1, "Empty")
	c2 := newFlow(waba1, "Empty copy")
	if err := s.CreateFlow(ctx, c2, api.Source{CloneOf: empty.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Asset(ctx, c2.ID); api.ErrorCodeOf(err) != api.ENOTFOUND {
		t.Fatalf("clone of a flow without JSON has an asset: %v", err)
	}
}

// testCreateWithContent: a flow created with its JSON stores both at once; Finish runs in the creating
// transaction and may change the flow or refuse, which stores nothing.
func testCreateWithContent(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	content := []byte(`{"version":"7.3"}`)
	f := newFlow(waba1, "With JSON")
	if err := f.SetAsset(&api.Asset{Content: content, JSONVersion: "7.3"}, api.AssetInfo{SHA256: "abc", Size: int64(len(content)), UploadedAt: now}); err != nil {
		t.Fatal(err)
	}
	var sawID bool
	err := s.CreateFlow(ctx, f, api.Source{Content: content, Finish: func(f *api.Flow) error {
		sawID = f.Asset != nil
		f.Status = api.StatusPublished
		return nil
	}})
	if err != nil || !sawID {
		t.Fatalf("create: %v (finish saw the asset: %v)", err, sawID)
	}
	got, _ := s.Flow(ctx, f.ID)
	if got.Status != api.StatusPublished || got.JSONVersion != "7.3" || got.Asset == nil {
		t.Fatalf("stored %+v", got)
	}
	if b, err := s.Asset(ctx, f.ID); err != nil || !bytes.Equal(b, content) {
		t.Fatalf("asset = %q, %v", b, err)
	}
	refused := newFlow(waba1, "Refused")
	err = s.CreateFlow(ctx, refused, api.Source{Finish: func(*api.Flow) error { return api.Errorf(api.EPUBLISH, "no") }})
	wantCode(t, err, api.EPUBLISH)
	page, _ := s.ListFlows(ctx, waba1, api.Page{Limit: 10})
	if len(page.Flows) != 1 {
		t.Fatalf("a refused create stored a flow: %v", ids(page.Flows))
	}
	mustCreate(t, s, waba1, "Refused") // the name was never taken
}

func testUpdateFlow(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	f := mustCreate(t, s, waba1, "Before")
	later := now.Add(time.Hour)
	got, err := s.UpdateFlow(ctx, f.ID, func(f *api.Flow) error {
		f.Name, f.EndpointURI, f.ApplicationID, f.UpdatedAt = "After", "https://x.example/e", "42", later
		f.Categories = []api.Category{"SIGN_UP"}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Flow(ctx, f.ID)
	assertFlow(t, stored, got)
	if stored.Name != "After" || stored.EndpointURI != "https://x.example/e" || !stored.UpdatedAt.Equal(later) {
		t.Fatalf("update not stored: %+v", stored)
	}
	refusal := api.Errorf(api.ENOTUPDATABLE, "no")
	_, err = s.UpdateFlow(ctx, f.ID, func(f *api.Flow) error { f.Name = "Changed"; return refusal })
	if !errors.Is(err, refusal) {
		t.Fatalf("refusal not returned as is: %v", err)
	}
	if again, _ := s.Flow(ctx, f.ID); again.Name != "After" {
		t.Fatalf("refused change was stored: %q", again.Name)
	}
	_, err = s.UpdateFlow(ctx, "123456789012345", func(*api.Flow) error { return nil })
	wantCode(t, err, api.ENOTFOUND)
}

// testPreviewLink: a flow has no preview link until one is stored; the link survives other changes and
// an upload, and replacing it forgets the old token.
func testPreviewLink(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	f := mustCreate(t, s, waba1, "Preview")
	if f.Preview != (api.Preview{}) {
		t.Fatalf("a new flow has a preview link: %+v", f.Preview)
	}
	link := api.Preview{Token: "tok-1", ExpiresAt: now.Add(api.PreviewLifetime)}
	if _, err := s.UpdateFlow(ctx, f.ID, func(f *api.Flow) error { f.Preview = link; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateFlow(ctx, f.ID, func(f *api.Flow) error { f.Name = "Renamed"; return nil }); err != nil {
		t.Fatal(err)
	}
	upload(t, s, f.ID, []byte(`{"version":"7.3","screens":[]}`), nil)
	got, err := s.Flow(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Preview.Token != link.Token || !got.Preview.ExpiresAt.Equal(link.ExpiresAt) {
		t.Fatalf("preview link after a rename and an upload = %+v, want %+v", got.Preview, link)
	}
	if !got.Preview.Valid(now) || got.Preview.Valid(link.ExpiresAt) {
		t.Fatalf("Valid: want true before the expiry and false at it")
	}
	next := api.Preview{Token: "tok-2", ExpiresAt: now.Add(2 * api.PreviewLifetime)}
	if _, err := s.UpdateFlow(ctx, f.ID, func(f *api.Flow) error { f.Preview = next; return nil }); err != nil {
		t.Fatal(err)
	}
	page, err := s.ListFlows(ctx, waba1, api.Page{Limit: 10})
	if err != nil || len(page.Flows) != 1 {
		t.Fatalf("ListFlows: %v %v", page, err)
	}
	if p := page.Flows[0].Preview; p.Token != "tok-2" || !p.ExpiresAt.Equal(next.ExpiresAt) {
		t.Fatalf("listed preview link = %+v, want %+v", p, next)
	}
}

func testPutAsset(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	f := mustCreate(t, s, waba1, "Upload")
	if _, err := s.Asset(ctx, f.ID); api.ErrorCodeOf(err) != api.ENOTFOUND {
		t.Fatalf("asset before upload: %v", err)
	}
	first := []byte("{\"version\": \"7.3\",\n \"screens\": [] }\x00\xff")
	got := upload(t, s, f.ID, first, sampleErrors)
	stored, _ := s.Flow(ctx, f.ID)
	assertFlow(t, stored, got)
	if b, err := s.Asset(ctx, f.ID); err != nil || !bytes.Equal(b, first) {
		t.Fatalf("Asset = %q, %v", b, err)
	}
	second := bytes.Repeat([]byte("x"), 1<<20)
	upload(t, s, f.ID, second, nil)
	if b, _ := s.Asset(ctx, f.ID); !bytes.Equal(b, second) {
		t.Fatal("second upload did not replace the bytes")
	}
	if again, _ := s.Flow(ctx, f.ID); len(again.ValidationErrors) != 0 {
		t.Fatalf("validation errors of the old JSON remain: %+v", again.ValidationErrors)
	}
	_, err := s.PutAsset(ctx, f.ID, []byte("third"), func(*api.Flow) error { return api.Errorf(api.ENOTUPDATABLE, "no") })
	wantCode(t, err, api.ENOTUPDATABLE)
	if b, _ := s.Asset(ctx, f.ID); !bytes.Equal(b, second) {
		t.Fatal("a refused upload replaced the bytes")
	}
	empty := mustCreate(t, s, waba1, "Empty file")
	upload(t, s, empty.ID, []byte{}, nil)
	if b, err := s.Asset(ctx, empty.ID); err != nil || len(b) != 0 {
		t.Fatalf("empty asset = %q, %v", b, err)
	}
}

func testDeleteFlow(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	f := mustCreate(t, s, waba1, "Doomed")
	upload(t, s, f.ID, []byte("{}"), nil)
	err := s.DeleteFlow(ctx, f.ID, func(*api.Flow) error { return api.Errorf(api.EDELETE, "no") })
	wantCode(t, err, api.EDELETE)
	if _, err := s.Flow(ctx, f.ID); err != nil {
		t.Fatalf("refused delete removed the flow: %v", err)
	}
	if err := s.DeleteFlow(ctx, f.ID, func(*api.Flow) error { return nil }); err != nil {
		t.Fatal(err)
	}
	_, err = s.Flow(ctx, f.ID)
	wantCode(t, err, api.ENOTFOUND)
	_, err = s.Asset(ctx, f.ID)
	wantCode(t, err, api.ENOTFOUND)
	err = s.DeleteFlow(ctx, f.ID, func(*api.Flow) error { return nil })
	wantCode(t, err, api.ENOTFOUND)
	mustCreate(t, s, waba1, "Doomed") // the name is free again
}

func ids(fs []api.Flow) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func testListPaging(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	var names []string // newest first
	for i := range 7 {
		name := fmt.Sprintf("f%d", i)
		mustCreate(t, s, waba1, name)
		names = append([]string{name}, names...)
	}
	mustCreate(t, s, waba2, "elsewhere")

	all, err := s.ListFlows(ctx, waba1, api.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(all.Flows), names) || all.HasNext || all.HasPrevious {
		t.Fatalf("full list = %v next=%v prev=%v, want %v", ids(all.Flows), all.HasNext, all.HasPrevious, names)
	}
	p1, _ := s.ListFlows(ctx, waba1, api.Page{Limit: 3})
	if !slices.Equal(ids(p1.Flows), names[:3]) || !p1.HasNext || p1.HasPrevious {
		t.Fatalf("page 1 = %v next=%v prev=%v", ids(p1.Flows), p1.HasNext, p1.HasPrevious)
	}
	p2, _ := s.ListFlows(ctx, waba1, api.Page{Limit: 3, After: p1.Flows[2].Seq})
	if !slices.Equal(ids(p2.Flows), names[3:6]) || !p2.HasNext || !p2.HasPrevious {
		t.Fatalf("page 2 = %v next=%v prev=%v", ids(p2.Flows), p2.HasNext, p2.HasPrevious)
	}
	p3, _ := s.ListFlows(ctx, waba1, api.Page{Limit: 3, After: p2.Flows[2].Seq})
	if !slices.Equal(ids(p3.Flows), names[6:]) || p3.HasNext || !p3.HasPrevious {
		t.Fatalf("page 3 = %v next=%v prev=%v", ids(p3.Flows), p3.HasNext, p3.HasPrevious)
	}
	back, _ := s.ListFlows(ctx, waba1, api.Page{Limit: 3, Before: p3.Flows[0].Seq})
	if !slices.Equal(ids(back.Flows), names[3:6]) || !back.HasNext || !back.HasPrevious {
		t.Fatalf("back from page 3 = %v next=%v prev=%v", ids(back.Flows), back.HasNext, back.HasPrevious)
	}
	first, _ := s.ListFlows(ctx, waba1, api.Page{Limit: 3, Before: back.Flows[0].Seq})
	if !slices.Equal(ids(first.Flows), names[:3]) || !first.HasNext || first.HasPrevious {
		t.Fatalf("back to page 1 = %v next=%v prev=%v", ids(first.Flows), first.HasNext, first.HasPrevious)
	}
	empty, _ := s.ListFlows(ctx, "555555555555555", api.Page{Limit: 3})
	if len(empty.Flows) != 0 || empty.HasNext || empty.HasPrevious {
		t.Fatalf("unknown account lists %v", ids(empty.Flows))
	}
}

// testSeqNeverRepeats: a flow created after the newest one was deleted gets a new position, so an old
// cursor never names it.
func testSeqNeverRepeats(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	mustCreate(t, s, waba1, "old")
	newest := mustCreate(t, s, waba1, "newest")
	if err := s.DeleteFlow(ctx, newest.ID, func(*api.Flow) error { return nil }); err != nil {
		t.Fatal(err)
	}
	next := mustCreate(t, s, waba1, "next")
	if next.Seq <= newest.Seq {
		t.Fatalf("seq %d reused after deleting %d", next.Seq, newest.Seq)
	}
	page, _ := s.ListFlows(ctx, waba1, api.Page{Limit: 10, Before: newest.Seq})
	if len(page.Flows) != 1 || page.Flows[0].Name != "next" {
		t.Fatalf("flows newer than the deleted one: %v", ids(page.Flows))
	}
}

// testListStable walks pages while flows are created and deleted between requests: every flow that existed
// for the whole walk is seen exactly once, in order.
func testListStable(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	var stable []api.Flow
	for i := range 20 {
		stable = append(stable, mustCreate(t, s, waba1, fmt.Sprintf("s%02d", i)))
	}
	victims := map[int]bool{}
	var seen []string
	p := api.Page{Limit: 4}
	for page := 0; ; page++ {
		got, err := s.ListFlows(ctx, waba1, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range got.Flows {
			seen = append(seen, f.Name)
		}
		// Between pages: a newer flow arrives, and an unseen older flow is deleted.
		mustCreate(t, s, waba1, fmt.Sprintf("new%02d", page))
		victim := -1
		if n := len(got.Flows); n > 0 {
			last, _ := strconv.Atoi(got.Flows[n-1].Name[1:])
			victim = last - 2 // not yet seen: pages run from s19 down
		}
		if victim >= 0 && got.HasNext {
			if err := s.DeleteFlow(ctx, stable[victim].ID, func(*api.Flow) error { return nil }); err != nil {
				t.Fatal(err)
			}
			victims[victim] = true
		}
		if !got.HasNext {
			break
		}
		p.After = got.Flows[len(got.Flows)-1].Seq
	}
	var want []string
	for i := len(stable) - 1; i >= 0; i-- {
		if !victims[i] {
			want = append(want, stable[i].Name)
		}
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("walk saw %v\nwant %v", seen, want)
	}
}

// testConcurrentUpdates: read-modify-write through UpdateFlow loses no update.
func testConcurrentUpdates(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	f := mustCreate(t, s, waba1, "Counter")
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateFlow(ctx, f.ID, func(f *api.Flow) error {
				c, _ := strconv.Atoi(f.ApplicationID)
				f.ApplicationID = strconv.Itoa(c + 1)
				return nil
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Flow(ctx, f.ID)
	if got.ApplicationID != strconv.Itoa(n) {
		t.Fatalf("counter = %s after %d concurrent increments", got.ApplicationID, n)
	}
}

// testPublishDeleteRace: a publish and a delete on one draft race; exactly one wins.
func testPublishDeleteRace(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	for i := range 10 {
		f := mustCreate(t, s, waba1, fmt.Sprintf("race%d", i))
		var wg sync.WaitGroup
		var pubErr, delErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, pubErr = s.UpdateFlow(ctx, f.ID, func(f *api.Flow) error {
				if f.Status != api.StatusDraft {
					return api.Errorf(api.EPUBLISH, "state")
				}
				f.Status = api.StatusPublished
				return nil
			})
		}()
		go func() {
			defer wg.Done()
			delErr = s.DeleteFlow(ctx, f.ID, func(f *api.Flow) error { return f.CheckDeletable() })
		}()
		wg.Wait()
		got, getErr := s.Flow(ctx, f.ID)
		switch {
		case pubErr == nil && delErr != nil:
			if api.ErrorCodeOf(delErr) != api.EDELETE || getErr != nil || got.Status != api.StatusPublished {
				t.Fatalf("publish won but delete = %v, flow = %+v, %v", delErr, got, getErr)
			}
		case delErr == nil && pubErr != nil:
			if api.ErrorCodeOf(pubErr) != api.ENOTFOUND || api.ErrorCodeOf(getErr) != api.ENOTFOUND {
				t.Fatalf("delete won but publish = %v, get = %v", pubErr, getErr)
			}
		default:
			t.Fatalf("publish = %v, delete = %v: exactly one must win", pubErr, delErr)
		}
	}
}

func testUnknownIDs(t *testing.T, s api.FlowStore) {
	seedAccounts(t, s)
	for _, id := range []string{"", "abc", "0", "00123", "1.5", "-5", "99999999999999999999999", "1; DROP TABLE flows", "١٢٣"} {
		if _, err := s.Flow(ctx, id); api.ErrorCodeOf(err) != api.ENOTFOUND {
			t.Errorf("Flow(%q) = %v, want ENOTFOUND", id, err)
		}
		if _, err := s.Asset(ctx, id); api.ErrorCodeOf(err) != api.ENOTFOUND {
			t.Errorf("Asset(%q) = %v, want ENOTFOUND", id, err)
		}
	}
	mustCreate(t, s, waba1, "still here")
}
