package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/api"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func publishable(v string) bool { return v == "7.3" }

func flowIn(status api.Status) *api.Flow {
	return &api.Flow{Status: status, Asset: &api.AssetInfo{}, JSONVersion: "7.3"}
}

func wantError(t *testing.T, err error, code api.ErrorCode, msg string) {
	t.Helper()
	e, ok := err.(*api.Error)
	if !ok || e.Code != code || e.Message != msg {
		t.Fatalf("error = %v, want %s %q", err, code, msg)
	}
}

func TestPublish(t *testing.T) {
	cases := []struct {
		name string
		flow *api.Flow
		msg  string
	}{
		{"published", flowIn(api.StatusPublished), "Publishing Flow in invalid state"},
		{"deprecated", flowIn(api.StatusDeprecated), "Publishing Flow in invalid state"},
		{"no JSON", &api.Flow{Status: api.StatusDraft}, "Publishing Flow with validation errors"},
		{"errors", &api.Flow{Status: api.StatusDraft, Asset: &api.AssetInfo{}, JSONVersion: "7.3", ValidationErrors: []api.ValidationError{{Error: "X"}}}, "Publishing Flow with validation errors"},
		{"frozen version", &api.Flow{Status: api.StatusDraft, Asset: &api.AssetInfo{}, JSONVersion: "4.0"}, "Versions in Flow JSON file are not available for publishing"},
		{"endpoint without uri", &api.Flow{Status: api.StatusDraft, Asset: &api.AssetInfo{}, JSONVersion: "7.3", UsesEndpoint: true}, "Publishing without specifying endpoint_uri is forbidden"},
	}
	for _, tc := range cases {
		before := *tc.flow
		wantError(t, tc.flow.Publish(publishable, now), api.EPUBLISH, tc.msg)
		if tc.flow.Status != before.Status || !tc.flow.UpdatedAt.Equal(before.UpdatedAt) {
			t.Fatalf("%s: a refused publish changed the flow", tc.name)
		}
	}
	ok := &api.Flow{Status: api.StatusDraft, Asset: &api.AssetInfo{}, JSONVersion: "7.3", UsesEndpoint: true, EndpointURI: "https://x"}
	if err := ok.Publish(publishable, now); err != nil || ok.Status != api.StatusPublished || !ok.UpdatedAt.Equal(now) {
		t.Fatalf("publish: %v %+v", err, ok)
	}
}

func TestDeprecate(t *testing.T) {
	for _, s := range []api.Status{api.StatusPublished, api.StatusThrottled, api.StatusBlocked} {
		f := flowIn(s)
		if err := f.Deprecate(now); err != nil || f.Status != api.StatusDeprecated {
			t.Fatalf("deprecate from %s: %v", s, err)
		}
	}
	wantError(t, flowIn(api.StatusDraft).Deprecate(now), api.EDEPRECATE, "Can't deprecate unpublished flow")
	wantError(t, flowIn(api.StatusDeprecated).Deprecate(now), api.EDEPRECATE, "Flow is already deprecated")
}

func TestEditAndDelete(t *testing.T) {
	name := "new"
	for _, s := range []api.Status{api.StatusPublished, api.StatusDeprecated, api.StatusBlocked, api.StatusThrottled} {
		f := flowIn(s)
		wantError(t, f.ApplyUpdate(api.FlowUpdate{Name: &name}, now), api.ENOTUPDATABLE, "Flow can't be updated")
		wantError(t, f.SetAsset(&api.Asset{}, api.AssetInfo{}), api.ENOTUPDATABLE, "Flow can't be updated")
		wantError(t, f.CheckDeletable(), api.EDELETE, "Can't delete published Flow")
	}
	f := flowIn(api.StatusDraft)
	uri := "https://example.com"
	if err := f.ApplyUpdate(api.FlowUpdate{Name: &name, Categories: []api.Category{"OTHER"}, EndpointURI: &uri}, now); err != nil || f.Name != "new" || f.EndpointURI != uri {
		t.Fatalf("update: %v %+v", err, f)
	}
	old := &api.Flow{Status: api.StatusDraft, JSONVersion: "2.1"}
	wantError(t, old.ApplyUpdate(api.FlowUpdate{EndpointURI: &uri}, now), api.ENOTUPDATABLE, "Specify Endpoint Uri in Flow JSON")
	if err := flowIn(api.StatusDraft).CheckDeletable(); err != nil {
		t.Fatal(err)
	}
}

func TestInputChecks(t *testing.T) {
	if err := api.CheckName("Flow"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", " \t", strings.Repeat("é", 201), "a\x00b", "a\nb", "bad \xff utf-8"} {
		if api.ErrorCodeOf(api.CheckName(bad)) != api.EINVALID {
			t.Errorf("name %q accepted", bad)
		}
	}
	if api.CheckName(strings.Repeat("é", 200)) != nil {
		t.Error("200 characters refused")
	}
	cats, err := api.ParseCategories([]string{"SURVEY", "OTHER", "SURVEY"})
	if err != nil || len(cats) != 2 {
		t.Fatalf("categories: %v %v", cats, err)
	}
	for _, bad := range [][]string{nil, {}, {"SHOPPING"}, {"survey"}} {
		if _, err := api.ParseCategories(bad); api.ErrorCodeOf(err) != api.EINVALID {
			t.Errorf("categories %v accepted", bad)
		}
	}
	long := "https://example.com/" + strings.Repeat("a", api.MaxEndpointURILength-len("https://example.com/"))
	for _, good := range []string{"https://example.com", "https://example.com:8443/flows?x=1", "https://example.com:1", "https://example.com:65535/", "https://[::1]:443/e", long} {
		if err := api.CheckEndpointURI(good); err != nil {
			t.Errorf("%s refused: %v", good, err)
		}
	}
	for _, bad := range []string{"", "http://example.com", "https://", "example.com", "https://user:pw@example.com", "ftp://x", "https://exa mple.com", "https://example.com/\xff", "https://example.com/\x00",
		long + "a", "https://example.com:0/", "https://example.com:65536", "https://example.com:99999999999/e", "https://example.com:/e", "https://:443/e"} {
		if api.ErrorCodeOf(api.CheckEndpointURI(bad)) != api.EINVALID {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNewFlowID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := api.NewFlowID()
		if len(id) < 15 || len(id) > 16 || id[0] == '0' || strings.Trim(id, "0123456789") != "" || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestVersionBelow3(t *testing.T) {
	for v, want := range map[string]bool{"2.1": true, "1.0": true, "3.0": false, "7.3": false, "": false, "10.0": false, "v2.1": false} {
		if api.VersionBelow3(v) != want {
			t.Errorf("VersionBelow3(%q) != %v", v, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{"7.3": "7.3", "7.3\x00": "7.3\uFFFD", "a\xffb": "a\uFFFDb", "é\n": "é\uFFFD"} {
		if got := api.CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
