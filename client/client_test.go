package client_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/waflows/waflows/api/sqlite"
	"github.com/waflows/waflows/client"
	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/gen"
	"github.com/waflows/waflows/internal/contracttest"
	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/server"
)

const (
	waba1, waba2   = "102290129340398", "109876543210987"
	token1, token2 = "token-one", "token-two"
	phone1         = "106540352242922"
)

// startServer runs the real server (SQLite, contract validation on) and returns its API base.
func startServer(t *testing.T) (string, *contracttest.Handler) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	access, err := server.ParseAccess([]byte(fmt.Sprintf(`
business_accounts: [{id: "%s", name: "One", phone_numbers: [{id: "%s"}]}, {id: "%s", name: "Two"}]
tokens:
  - {token: %s, business_accounts: ["%s"]}
  - {token: %s, business_accounts: ["%s"]}
`, waba1, phone1, waba2, token1, waba1, token2, waba2)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	srv, err := server.New(ctx, server.Config{Store: store, Access: access, PublicURL: "http://" + ts.Listener.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ts.Listener.Addr().String() + server.APIPrefix
	contract := contracttest.New(t, base, srv)
	ts.Config.Handler = contract
	ts.Start()
	t.Cleanup(func() { ts.Close(); store.Close() })
	return base, contract
}

func newClient(t *testing.T, base, token string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(append([]client.Option{client.WithBaseURL(base), client.WithToken(token)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewOptions(t *testing.T) {
	if _, err := client.New(); err == nil {
		t.Error("New without a token succeeded")
	}
	for _, opt := range []client.Option{client.WithToken(" "), client.WithBaseURL("graph.facebook.com"), client.WithBaseURL("ftp://x/y"),
		client.WithHTTPClient(nil), client.WithRetry(client.RetryPolicy{})} {
		if _, err := client.New(client.WithToken("t"), opt); err == nil {
			t.Error("a bad option was accepted")
		}
	}
	c, err := client.New(client.WithToken("t"))
	if err != nil || c.BaseURL() != client.DefaultBaseURL {
		t.Fatalf("default base URL: %v %v", c, err)
	}
	// An empty base (an unset variable) is the default, even after another base.
	c, err = client.New(client.WithToken("t"), client.WithBaseURL("http://127.0.0.1:1/v21.0"), client.WithBaseURL(""))
	if err != nil || c.BaseURL() != client.DefaultBaseURL {
		t.Fatalf("WithBaseURL(\"\"): %v %v", c, err)
	}
}

// TestCreateFlowWithJSON: one call creates the flow with its JSON and, asked to, publishes it; invalid JSON
// comes back as validation errors, and publishing an invalid flow creates nothing.
func TestCreateFlowWithJSON(t *testing.T) {
	base, _ := startServer(t)
	ctx := context.Background()
	c := newClient(t, base, token1)

	created, _, err := c.CreateFlowWithJSON(ctx, waba1, client.CreateFlowRequest{Name: "One call", Categories: []client.Category{client.CategorySurvey},
		EndpointURI: client.Ptr("https://example.com/endpoint")}, []byte(testflow.Valid), true)
	if err != nil || created.ID == "" || created.ValidationErrors == nil || len(created.ValidationErrors) != 0 {
		t.Fatalf("create with JSON: %v %+v", err, created)
	}
	f, _, err := c.GetFlow(ctx, created.ID, "status", "json_version", "categories", "endpoint_uri")
	if err != nil || *f.Status != client.StatusPublished || *f.JSONVersion != "7.3" || (*f.Categories)[0] != client.CategorySurvey || *f.EndpointURI != "https://example.com/endpoint" {
		t.Fatalf("the flow: %v %+v", err, f)
	}

	draft, _, err := c.CreateFlowWithJSON(ctx, waba1, client.CreateFlowRequest{Name: "Invalid", Categories: []client.Category{client.CategoryOther}}, []byte(`{"version":"7.3"}`), false)
	if err != nil || len(draft.ValidationErrors) == 0 {
		t.Fatalf("create with invalid JSON: %v %+v", err, draft)
	}
	if f, _, err := c.GetFlow(ctx, draft.ID); err != nil || *f.Status != client.StatusDraft {
		t.Fatalf("the draft with invalid JSON: %v %+v", err, f)
	}

	before, _, err := c.ListFlows(ctx, waba1, &client.ListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.CreateFlowWithJSON(ctx, waba1, client.CreateFlowRequest{Name: "Unpublishable", Categories: []client.Category{client.CategoryOther}}, []byte(`{"version":"7.3"}`), true)
	var apiErr *client.Error
	if !errors.As(err, &apiErr) || apiErr.Code != 139002 {
		t.Fatalf("publishing invalid JSON on create: %v", err)
	}
	after, _, err := c.ListFlows(ctx, waba1, &client.ListOptions{Limit: 100})
	if err != nil || len(after.Flows) != len(before.Flows) {
		t.Fatalf("a refused create left a flow behind: %d flows, were %d (%v)", len(after.Flows), len(before.Flows), err)
	}
}

// TestLifecycle: every method against the real server, with the spec checking each request and response.
func TestLifecycle(t *testing.T) {
	base, contract := startServer(t)
	ctx := context.Background()
	c := newClient(t, base, token1, client.WithUserAgent("client-test"))

	id, resp, err := c.CreateFlow(ctx, waba1, client.CreateFlowRequest{Name: "Survey", Categories: []client.Category{"SURVEY"}})
	if err != nil || resp.StatusCode != 200 || resp.TraceID == "" {
		t.Fatalf("create: %v %+v", err, resp)
	}
	f, _, err := c.GetFlow(ctx, id)
	if err != nil || *f.Name != "Survey" || *f.Status != "DRAFT" || f.JSONVersion != nil {
		t.Fatalf("get: %v %+v", err, f)
	}
	name, uri := "Survey 2", "https://example.com/endpoint"
	if _, err := c.UpdateFlow(ctx, id, client.UpdateFlowRequest{Name: &name, EndpointURI: &uri}); err != nil {
		t.Fatal(err)
	}
	verrs, _, err := c.UploadFlowJSON(ctx, id, []byte(`{"version":"7.3"`))
	if err != nil || len(verrs) != 1 || *verrs[0].Error != "INVALID_FLOW_JSON" {
		t.Fatalf("upload of broken JSON: %v %+v", err, verrs)
	}
	verrs, _, err = c.UploadFlowJSONFrom(ctx, id, strings.NewReader(testflow.Valid))
	if err != nil || len(verrs) != 0 {
		t.Fatalf("upload: %v %+v", err, verrs)
	}
	f, _, err = c.GetFlow(ctx, id, "name", "json_version", "endpoint_uri", "whatsapp_business_account")
	if err != nil || *f.Name != name || *f.JSONVersion != "7.3" || *f.EndpointURI != uri || *f.WhatsappBusinessAccount.ID != waba1 || f.Status != nil {
		t.Fatalf("get with fields: %v %+v", err, f)
	}
	assets, _, err := c.ListAssets(ctx, id)
	if err != nil || len(assets) != 1 || *assets[0].Name != "flow.json" {
		t.Fatalf("assets: %v %+v", err, assets)
	}
	data, _, err := c.DownloadFlowJSON(ctx, id)
	if err != nil || string(data) != testflow.Valid {
		t.Fatalf("download: %v %q", err, data)
	}
	if _, err := c.PublishFlow(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeprecateFlow(ctx, id); err != nil {
		t.Fatal(err)
	}
	draft, _, _ := c.CreateFlow(ctx, waba1, client.CreateFlowRequest{Name: "Draft", Categories: []client.Category{"OTHER"}})
	if _, _, err := c.DownloadFlowJSON(ctx, draft); !errors.Is(err, client.ErrNoFlowJSON) {
		t.Fatalf("download without JSON: %v", err)
	}
	page, _, err := c.ListFlows(ctx, waba1, &client.ListOptions{Limit: 1})
	if err != nil || len(page.Flows) != 1 || !page.HasNext || page.HasPrevious || page.After == "" {
		t.Fatalf("list: %v %+v", err, page)
	}
	page2, _, err := c.ListFlows(ctx, waba1, &client.ListOptions{Limit: 1, After: page.After, Fields: []string{"name"}})
	if err != nil || len(page2.Flows) != 1 || page2.HasNext || !page2.HasPrevious || *page2.Flows[0].Name != name {
		t.Fatalf("list page 2: %v %+v", err, page2)
	}
	if !strings.HasPrefix(page.Next, base+"/"+waba1+"/flows?") || !strings.Contains(page2.Previous, "before="+page2.Before) {
		t.Errorf("paging links: next %q, previous %q", page.Next, page2.Previous)
	}
	if _, err := c.DeleteFlow(ctx, draft); err != nil {
		t.Fatal(err)
	}
	pub := newPublicKeyPEM(t)
	if _, err := c.SetBusinessPublicKey(ctx, phone1, pub); err != nil {
		t.Fatal(err)
	}
	if k, _, err := c.GetBusinessPublicKey(ctx, phone1); err != nil || k == nil || k.BusinessPublicKey != pub {
		t.Fatalf("business public key: %+v, %v", k, err)
	}
	if missing := contract.Uncovered(); len(missing) > 0 {
		t.Fatalf("operations the client never called successfully: %v", missing)
	}
}

// TestErrors: failures come back as *client.Error with Graph's fields, and the predicates sort them.
func TestErrors(t *testing.T) {
	base, _ := startServer(t)
	ctx := context.Background()
	c := newClient(t, base, token1)
	other := newClient(t, base, token2)
	id, _, _ := c.CreateFlow(ctx, waba1, client.CreateFlowRequest{Name: "Mine", Categories: []client.Category{"OTHER"}})

	_, _, err := other.GetFlow(ctx, id)
	var ge *client.Error
	if !errors.As(err, &ge) || ge.HTTPStatus != 400 || ge.Code != 100 || ge.Subcode != 33 || ge.Type != "GraphMethodException" || ge.TraceID == "" || !client.IsNotFound(err) {
		t.Fatalf("foreign flow: %#v", err)
	}
	if !strings.Contains(err.Error(), "code 100, subcode 33, HTTP 400, fbtrace_id ") {
		t.Fatalf("Error() = %q", err)
	}
	_, _, err = c.CreateFlow(ctx, waba1, client.CreateFlowRequest{Name: "Mine", Categories: []client.Category{"OTHER"}})
	if !client.IsInvalidParameter(err) || client.IsNotFound(err) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := c.DeprecateFlow(ctx, id); !client.IsLifecycle(err) || asGraph(err).Code != 139003 || asGraph(err).UserTitle == "" || asGraph(err).UserMessage == "" {
		t.Fatalf("deprecate draft: %#v", err)
	}
	if _, err := c.PublishFlow(ctx, id); !client.IsLifecycle(err) || asGraph(err).Code != 139002 {
		t.Fatalf("publish without JSON: %v", err)
	}
	bad := newClient(t, base, "wrong")
	if _, _, err := bad.ListFlows(ctx, waba1, nil); !client.IsAuth(err) || asGraph(err).HTTPStatus != 401 || asGraph(err).Code != 190 {
		t.Fatalf("bad token: %v", err)
	}
	if _, _, err := c.GetFlow(ctx, id, "colour"); !client.IsInvalidParameter(err) {
		t.Fatalf("unknown field: %v", err)
	}
	if _, _, err := c.UploadFlowJSON(ctx, id, make([]byte, client.MaxFlowJSONSize+1)); err == nil {
		t.Fatal("an 11 MB upload was sent")
	}
	for _, f := range []func(error) bool{client.IsNotFound, client.IsInvalidParameter, client.IsLifecycle, client.IsAuth, client.IsRateLimited} {
		if f(errors.New("plain")) || f(nil) {
			t.Fatal("a predicate matched a non-Graph error")
		}
	}
}

func asGraph(err error) *client.Error {
	var ge *client.Error
	if errors.As(err, &ge) {
		return ge
	}
	return &client.Error{}
}

// TestFlowsIterator walks every page while other flows are being created: every flow that existed when
// the walk began is seen exactly once, newest first, and breaking out stops the walk.
func TestFlowsIterator(t *testing.T) {
	base, _ := startServer(t)
	ctx := context.Background()
	c := newClient(t, base, token1)
	var want []string
	for i := range 23 {
		name := fmt.Sprintf("flow-%02d", i)
		if _, _, err := c.CreateFlow(ctx, waba1, client.CreateFlowRequest{Name: name, Categories: []client.Category{"OTHER"}}); err != nil {
			t.Fatal(err)
		}
		want = append([]string{name}, want...)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 10 {
			c.CreateFlow(ctx, waba1, client.CreateFlowRequest{Name: fmt.Sprintf("new-%02d", i), Categories: []client.Category{"OTHER"}})
		}
	}()
	var got []string
	for f, err := range c.Flows(ctx, waba1, &client.ListOptions{Limit: 4, Fields: []string{"name"}}) {
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(*f.Name, "flow-") {
			got = append(got, *f.Name)
		}
	}
	wg.Wait()
	if !slices.Equal(got, want) {
		t.Fatalf("walk saw %v", got)
	}
	n := 0
	for range c.Flows(ctx, waba1, &client.ListOptions{Limit: 2}) {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatalf("break did not stop the walk: %d", n)
	}
	var errs int
	for _, err := range newClient(t, base, "wrong").Flows(ctx, waba1, nil) {
		if !client.IsAuth(err) {
			t.Fatalf("iterator error: %v", err)
		}
		errs++
	}
	if errs != 1 {
		t.Fatalf("%d errors yielded, want 1", errs)
	}
}

// TestBusinessPublicKey: a key uploaded with SetBusinessPublicKey is what GetBusinessPublicKey returns;
// before any upload there is none; a key that is not 2048-bit RSA is a Graph error with code 100, and
// another account's number is not found.
func TestBusinessPublicKey(t *testing.T) {
	base, _ := startServer(t)
	c := newClient(t, base, token1)
	ctx := context.Background()
	if k, _, err := c.GetBusinessPublicKey(ctx, phone1); err != nil || k != nil {
		t.Fatalf("before any upload: %+v, %v", k, err)
	}
	pub := newPublicKeyPEM(t)
	if _, err := c.SetBusinessPublicKey(ctx, phone1, pub); err != nil {
		t.Fatal(err)
	}
	k, _, err := c.GetBusinessPublicKey(ctx, phone1)
	if err != nil || k == nil || k.BusinessPublicKey != pub || k.BusinessPublicKeySignatureStatus != gen.BusinessPublicKeySignatureStatusVALID {
		t.Fatalf("after upload: %+v, %v", k, err)
	}
	var ge *client.Error
	if _, err := c.SetBusinessPublicKey(ctx, phone1, "not a key"); !errors.As(err, &ge) || ge.Code != 100 {
		t.Fatalf("bad key: %v", err)
	}
	if _, _, err := newClient(t, base, token2).GetBusinessPublicKey(ctx, phone1); !errors.As(err, &ge) || ge.Code != 100 {
		t.Fatalf("another account's number: %v", err)
	}
}

// newPublicKeyPEM is the public half of a fresh 2048-bit RSA key, in PEM.
func newPublicKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := endpoint.MarshalPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pub)
}
