package server_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/sqlite"
	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/server"
)

func TestAuthentication(t *testing.T) { eachBackend(t, testAuthentication) }

func testAuthentication(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	path := "/" + waba1 + "/flows"
	graphError(t, e.get(path, ""), 401, 190)
	ge := graphError(t, e.get(path, "wrong-token"), 401, 190)
	wantMessage(t, ge, "Invalid OAuth access token")
	if ge["type"] != "OAuthException" {
		t.Fatalf("type = %v", ge["type"])
	}
	// Authorization schemes other than Bearer are refused.
	res := e.do("GET", path, "", "", nil)
	req, _ := http.NewRequest("GET", e.Base+path, nil)
	req.Header.Set("Authorization", "Basic "+tokenA)
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if res.Status != 401 || r2.StatusCode != 401 {
		t.Fatalf("no token: %d, basic auth: %d", res.Status, r2.StatusCode)
	}
	// Graph also takes the token as access_token.
	if r := e.get(path+"?access_token="+tokenA, ""); r.Status != 200 {
		t.Fatalf("access_token query: %d %s", r.Status, r.Body)
	}
	// The scheme is case-insensitive.
	req, _ = http.NewRequest("GET", e.Base+path, nil)
	req.Header.Set("Authorization", "bearer "+tokenA)
	r3, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r3.Body.Close()
	if r3.StatusCode != 200 {
		t.Fatalf("lower-case bearer: %d", r3.StatusCode)
	}
	// Unknown paths need a token too.
	graphError(t, e.get("/1/nothing/here", ""), 401, 190)
	if r := e.get(e.Root+"/healthz", ""); r.Status != 200 {
		t.Fatalf("healthz: %d", r.Status)
	}
}

// TestIsolation: for each of the nine operations, a flow or account that another token owns is
// indistinguishable from one that does not exist, and the refused request changes nothing.
func TestIsolation(t *testing.T) { eachBackend(t, testIsolation) }

func testIsolation(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	id := e.createFlow(tokenA, waba1, "Acme's")
	if r := e.upload(tokenA, id, []byte(testflow.Valid)); r.Status != 200 {
		t.Fatal(string(r.Body))
	}
	missing := "123456789012345"
	ct, body := func() (string, string) {
		c, b := multipartBody(t, []byte(testflow.Valid), map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
		return c, b.String()
	}()
	ops := []struct {
		name   string
		method string
		path   func(id string) string
		ct     string
		body   string
	}{
		{"listFlows", "GET", func(string) string { return "/" + waba1 + "/flows" }, "", ""},
		{"createFlow", "POST", func(string) string { return "/" + waba1 + "/flows" }, "application/json", `{"name":"x","categories":["OTHER"]}`},
		{"getFlow", "GET", func(id string) string { return "/" + id }, "", ""},
		{"updateFlow", "POST", func(id string) string { return "/" + id }, "application/json", `{"name":"stolen"}`},
		{"deleteFlow", "DELETE", func(id string) string { return "/" + id }, "", ""},
		{"getFlowAssets", "GET", func(id string) string { return "/" + id + "/assets" }, "", ""},
		{"uploadFlowJson", "POST", func(id string) string { return "/" + id + "/assets" }, ct, body},
		{"publishFlow", "POST", func(id string) string { return "/" + id + "/publish" }, "", ""},
		{"deprecateFlow", "POST", func(id string) string { return "/" + id + "/deprecate" }, "", ""},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			foreign := e.do(op.method, op.path(id), tokenB, op.ct, strings.NewReader(op.body))
			fe := graphError(t, foreign, 400, 100)
			objectPath := op.path(id)
			if strings.HasSuffix(objectPath, "/flows") {
				// The account is the object: compare with an account that does not exist.
				missingPath := "/" + missing + "/flows"
				me := graphError(t, e.do(op.method, missingPath, tokenB, op.ct, strings.NewReader(op.body)), 400, 100)
				assertSameShape(t, fe, me, waba1, missing)
			} else {
				me := graphError(t, e.do(op.method, op.path(missing), tokenB, op.ct, strings.NewReader(op.body)), 400, 100)
				assertSameShape(t, fe, me, id, missing)
			}
			if fe["error_subcode"] != float64(33) || fe["type"] != "GraphMethodException" {
				t.Fatalf("not a 100/33 GraphMethodException: %v", fe)
			}
		})
	}
	// Nothing changed: the flow is still Acme's draft with its name and JSON.
	f, err := e.Store.Flow(context.Background(), id)
	if err != nil || f.Name != "Acme's" || f.Status != api.StatusDraft || f.Asset == nil {
		t.Fatalf("flow after refused requests: %+v, %v", f, err)
	}
	list, _ := e.Store.ListFlows(context.Background(), waba1, api.Page{Limit: 10})
	if len(list.Flows) != 1 {
		t.Fatalf("refused create stored a flow: %d flows", len(list.Flows))
	}
}

// assertSameShape: two error envelopes have the same keys and the same message once the ids are swapped.
func assertSameShape(t *testing.T, a, b map[string]any, idA, idB string) {
	t.Helper()
	keys := func(m map[string]any) []string {
		var k []string
		for key := range m {
			if key != "fbtrace_id" {
				k = append(k, key)
			}
		}
		return k
	}
	ka, kb := keys(a), keys(b)
	if len(ka) != len(kb) {
		t.Fatalf("shapes differ: %v vs %v", a, b)
	}
	ma := strings.ReplaceAll(a["message"].(string), idA, "ID")
	mb := strings.ReplaceAll(b["message"].(string), idB, "ID")
	if ma != mb || a["code"] != b["code"] || a["error_subcode"] != b["error_subcode"] || a["type"] != b["type"] {
		t.Fatalf("foreign and missing objects are distinguishable:\n%v\n%v", a, b)
	}
	if !strings.Contains(ma, "Object with ID 'ID' does not exist") {
		t.Fatalf("message = %q", ma)
	}
}

func TestParseAccess(t *testing.T) {
	good, err := server.ParseAccess([]byte(accessYAML))
	if err != nil {
		t.Fatal(err)
	}
	if len(good.BusinessAccounts) != 2 || good.BusinessAccounts[0].Name != "Acme Clinic" || len(good.Tokens) != 3 {
		t.Fatalf("parsed %+v", good)
	}
	wantPhones := []api.PhoneNumber{{ID: phone1, WABAID: waba1, DisplayPhoneNumber: "+1 555-0100"}, {ID: phone2, WABAID: waba2}}
	if !reflect.DeepEqual(good.PhoneNumbers, wantPhones) {
		t.Fatalf("phone numbers %+v, want %+v", good.PhoneNumbers, wantPhones)
	}
	if len(good.Apps) != 1 || good.Apps[0].ID != app1 || good.Apps[0].Secret != secret1 || good.Tokens[0].App != app1 {
		t.Fatalf("apps %+v, tokens %+v", good.Apps, good.Tokens)
	}
	const acct = "business_accounts: [{id: \"1\", phone_numbers: [{id: \"5\"}]}]\n"
	const tok = "tokens: [{token: t, business_accounts: [\"1\"]}]\n"
	bad := map[string]string{
		"non-numeric phone":       "business_accounts: [{id: \"1\", phone_numbers: [{id: \"+1555\"}]}]\n" + tok,
		"phone reuses an id":      "business_accounts: [{id: \"1\", phone_numbers: [{id: \"1\"}]}]\n" + tok,
		"phone listed twice":      "business_accounts: [{id: \"1\", phone_numbers: [{id: \"5\"}, {id: \"5\"}]}]\n" + tok,
		"app without secret":      acct + "apps: [{id: \"7\"}]\n" + tok,
		"app reuses a phone id":   acct + "apps: [{id: \"5\", secret: s}]\n" + tok,
		"non-numeric app":         acct + "apps: [{id: \"my-app\", secret: s}]\n" + tok,
		"token of undeclared app": acct + "tokens: [{token: t, business_accounts: [\"1\"], app: \"7\"}]\n",
		"unknown phone key":       "business_accounts: [{id: \"1\", phone_numbers: [{id: \"5\", key: x}]}]\n" + tok,
		"unknown key":             "business_accounts: [{id: \"1\"}]\ntokens: [{token: t, business_accounts: [\"1\"]}]\nextra: 1\n",
		"non-numeric id":          "business_accounts: [{id: \"abc\"}]\ntokens: [{token: t, business_accounts: [abc]}]\n",
		"duplicate account":       "business_accounts: [{id: \"1\"}, {id: \"1\"}]\ntokens: [{token: t, business_accounts: [\"1\"]}]\n",
		"undeclared account":      "business_accounts: [{id: \"1\"}]\ntokens: [{token: t, business_accounts: [\"2\"]}]\n",
		"duplicate token":         "business_accounts: [{id: \"1\"}]\ntokens: [{token: t, business_accounts: [\"1\"]}, {token: t}]\n",
		"empty token":             "business_accounts: [{id: \"1\"}]\ntokens: [{token: \"\", business_accounts: [\"1\"]}]\n",
		"no tokens":               "business_accounts: [{id: \"1\"}]\n",
		"no accounts":             "tokens: [{token: t}]\n",
		"short signing key":       "business_accounts: [{id: \"1\"}]\ntokens: [{token: t, business_accounts: [\"1\"]}]\nsigning_key: short\n",
		"not yaml":                "{{{",
	}
	for name, doc := range bad {
		if _, err := server.ParseAccess([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestDevAccessPersists: the development account and token are made once and kept in the database.
func TestDevAccessPersists(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/dev.db"
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := server.DevAccess(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	second, err := server.DevAccess(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) || len(first.Tokens[0].Token) < 32 || len(first.BusinessAccounts[0].ID) != 15 {
		t.Fatalf("dev credentials changed or are weak: %+v vs %+v", first, second)
	}
}
