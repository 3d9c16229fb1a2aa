package server_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/internal/testflow"
)

func TestCreateFlow(t *testing.T) { eachBackend(t, testCreateFlow) }

func testCreateFlow(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	path := "/" + waba1 + "/flows"
	idPattern := regexp.MustCompile(`^[1-9][0-9]{14,15}$`)
	var ids []int64
	for i := range 5 {
		id := e.createFlow(tokenA, waba1, "Flow "+strconv.Itoa(i))
		if !idPattern.MatchString(id) {
			t.Fatalf("id %q is not a 15-16 digit number", id)
		}
		ids = append(ids, must(strconv.ParseInt(id, 10, 64)))
	}
	sequential := true
	for i := 1; i < len(ids); i++ {
		if d := ids[i] - ids[i-1]; d < -1000 || d > 1000 {
			sequential = false
		}
	}
	if sequential {
		t.Fatalf("ids look sequential: %v", ids)
	}
	got := e.get("/"+strconv.FormatInt(ids[0], 10), tokenA).JSON(t)
	if got["status"] != "DRAFT" || got["name"] != "Flow 0" {
		t.Fatalf("new flow: %v", got)
	}

	cases := []struct {
		name, body, msg string
	}{
		{"missing name", `{"categories":["OTHER"]}`, "The parameter name is required"},
		{"missing categories", `{"name":"x"}`, "The parameter categories is required"},
		{"empty categories", `{"name":"x","categories":[]}`, "categories must be a non-empty array"},
		{"unknown category", `{"name":"x","categories":["OTHER","SHOPPING"]}`, "categories[1] must be one of"},
		{"blank name", `{"name":"   ","categories":["OTHER"]}`, "name must be a non-empty string"},
		{"long name", `{"name":"` + strings.Repeat("n", 201) + `","categories":["OTHER"]}`, "at most 200 characters"},
		{"name not a string", `{"name":["x"],"categories":["OTHER"]}`, "Param name must be a string"},
		{"http endpoint", `{"name":"x","categories":["OTHER"],"endpoint_uri":"http://example.com"}`, "Invalid Endpoint URI"},
		{"relative endpoint", `{"name":"x","categories":["OTHER"],"endpoint_uri":"/flows"}`, "Invalid Endpoint URI"},
		{"endpoint port 0", `{"name":"x","categories":["OTHER"],"endpoint_uri":"https://example.com:0/flows"}`, "Invalid Endpoint URI"},
		{"endpoint port too large", `{"name":"x","categories":["OTHER"],"endpoint_uri":"https://example.com:99999999999/flows"}`, "Invalid Endpoint URI"},
		{"endpoint too long", `{"name":"x","categories":["OTHER"],"endpoint_uri":"https://example.com/` + strings.Repeat("a", 2100) + `"}`, "Invalid Endpoint URI"},
		{"duplicate name", `{"name":"Flow 1","categories":["OTHER"]}`, "Flow name is not unique"},
		{"malformed JSON", `{"name":"x",`, "not valid JSON"},
		{"not an object", `["x"]`, "must be a JSON object"},
		{"empty body", ``, "request body is required"},
		{"publish not a boolean", `{"name":"x","categories":["OTHER"],"publish":"yes"}`, "Param publish must be a boolean"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantMessage(t, graphError(t, e.postJSON(path, tokenA, tc.body), 400, 100), tc.msg)
		})
	}
	if r := e.do("POST", path, tokenA, "text/plain", strings.NewReader("name=x")); r.Status != 400 {
		t.Fatalf("text/plain body: %d", r.Status)
	}
	// The same name in another account is fine, and names are exact (case matters).
	e.createFlow(tokenB, waba2, "Flow 1")
	e.createFlow(tokenA, waba1, "flow 1")
	list, _ := e.Store.ListFlows(context.Background(), waba1, api.Page{Limit: 100})
	if len(list.Flows) != 6 {
		t.Fatalf("%d flows in account 1 after refused creates, want 6", len(list.Flows))
	}
	// An endpoint and duplicate categories.
	r := e.postJSON(path, tokenA, `{"name":"With endpoint","categories":["SURVEY","SURVEY","OTHER"],"endpoint_uri":"https://example.com/e"}`)
	id := r.JSON(t)["id"].(string)
	f := e.get("/"+id+"?fields=categories,endpoint_uri", tokenA).JSON(t)
	if f["endpoint_uri"] != "https://example.com/e" || len(f["categories"].([]any)) != 2 {
		t.Fatalf("stored %v", f)
	}
}

// TestCreateWithForms: Graph takes form fields too, as Meta's Postman collection sends them.
func TestCreateWithForms(t *testing.T) { eachBackend(t, testCreateWithForms) }

func testCreateWithForms(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	path := "/" + waba1 + "/flows"
	form := url.Values{"name": {"Form flow"}, "categories": {`["SURVEY","OTHER"]`}}
	r := e.do("POST", path, tokenA, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if r.Status != 200 {
		t.Fatalf("urlencoded: %d %s", r.Status, r.Body)
	}
	ct, body := multipartBody(t, nil, map[string]string{"name": "Multipart flow", "categories": "LEAD_GENERATION"})
	r = e.do("POST", path, tokenA, ct, body)
	if r.Status != 200 {
		t.Fatalf("multipart: %d %s", r.Status, r.Body)
	}
	got := e.get("/"+r.JSON(t)["id"].(string), tokenA).JSON(t)
	if got["name"] != "Multipart flow" || got["categories"].([]any)[0] != "LEAD_GENERATION" {
		t.Fatalf("multipart flow: %v", got)
	}
	bad := url.Values{"name": {"x"}, "categories": {`["OTHER"`}}
	wantMessage(t, graphError(t, e.do("POST", path, tokenA, "application/x-www-form-urlencoded", strings.NewReader(bad.Encode())), 400, 100), "categories")
}

// TestCreateWithFlowJSON: Graph's flow_json and publish create fields (absent from the upstream spec).
func TestCreateWithFlowJSON(t *testing.T) { eachBackend(t, testCreateWithFlowJSON) }

func testCreateWithFlowJSON(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	path := "/" + waba1 + "/flows"
	r := e.postJSON(path, tokenA, map[string]any{"name": "Inline", "categories": []string{"OTHER"}, "flow_json": testflow.Valid})
	v := r.JSON(t)
	if r.Status != 200 || v["success"] != true || len(v["validation_errors"].([]any)) != 0 {
		t.Fatalf("create with flow_json: %d %s", r.Status, r.Body)
	}
	id := v["id"].(string)
	if got := e.get("/"+id+"?fields=json_version,status", tokenA).JSON(t); got["json_version"] != "7.3" || got["status"] != "DRAFT" {
		t.Fatalf("flow: %v", got)
	}
	r = e.postJSON(path, tokenA, map[string]any{"name": "Published", "categories": []string{"OTHER"}, "flow_json": testflow.Valid, "publish": true})
	if r.Status != 200 {
		t.Fatalf("create+publish: %d %s", r.Status, r.Body)
	}
	if got := e.get("/"+r.JSON(t)["id"].(string), tokenA).JSON(t); got["status"] != "PUBLISHED" {
		t.Fatalf("create with publish:true left %v", got["status"])
	}
	// Invalid JSON with publish: nothing is created, and the publishing error explains why.
	r = e.postJSON(path, tokenA, map[string]any{"name": "Broken", "categories": []string{"OTHER"}, "flow_json": `{"version":"7.3"`, "publish": true})
	wantMessage(t, graphError(t, r, 400, 139002), "Publishing Flow with validation errors")
	if list, _ := e.Store.ListFlows(context.Background(), waba1, api.Page{Limit: 10}); len(list.Flows) != 2 {
		t.Fatalf("a refused create+publish stored a flow: %d flows", len(list.Flows))
	}
	// Invalid JSON without publish is stored with its errors, like an upload.
	r = e.postJSON(path, tokenA, map[string]any{"name": "Broken", "categories": []string{"OTHER"}, "flow_json": `{"version":"7.3"`})
	if v := r.JSON(t); r.Status != 200 || len(v["validation_errors"].([]any)) != 1 {
		t.Fatalf("invalid flow_json: %d %s", r.Status, r.Body)
	}
	wantMessage(t, graphError(t, e.postJSON(path, tokenA, map[string]any{"name": "Both", "categories": []string{"OTHER"}, "flow_json": testflow.Valid, "clone_flow_id": id}), 400, 100), "Only one clone source")
}

func TestCloneFlow(t *testing.T) { eachBackend(t, testCloneFlow) }

func testCloneFlow(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	src := e.createFlow(tokenA, waba1, "Source")
	broken := `{"version":"7.3","screens":`
	if r := e.upload(tokenA, src, []byte(broken)); r.Status != 200 {
		t.Fatal(string(r.Body))
	}
	r := e.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": "Copy", "categories": []string{"OTHER"}, "clone_flow_id": src})
	if r.Status != 200 {
		t.Fatalf("clone: %d %s", r.Status, r.Body)
	}
	copyID := r.JSON(t)["id"].(string)
	orig := e.get("/"+src+"?fields=validation_errors,json_version", tokenA).JSON(t)
	cp := e.get("/"+copyID+"?fields=validation_errors,json_version,status", tokenA).JSON(t)
	if cp["status"] != "DRAFT" || len(cp["validation_errors"].([]any)) != 1 || len(orig["validation_errors"].([]any)) != 1 {
		t.Fatalf("clone did not copy the validation state: %v", cp)
	}
	assets := e.get("/"+copyID+"/assets", tokenA).JSON(t)
	dl := e.get(assets["data"].([]any)[0].(map[string]any)["download_url"].(string), "")
	if string(dl.Body) != broken {
		t.Fatalf("clone's JSON = %q", dl.Body)
	}
	// A flow the token cannot reach cannot be cloned, and looks like one that does not exist.
	other := e.createFlow(tokenB, waba2, "Other's")
	for _, id := range []string{other, "123456789012345"} {
		wantMessage(t, graphError(t, e.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": "Stolen " + id, "categories": []string{"OTHER"}, "clone_flow_id": id}), 400, 100), "Flow with specified ID does not exist")
	}
	// A token that reaches both accounts may clone across them.
	if r := e.postJSON("/"+waba1+"/flows", tokenAll, map[string]any{"name": "Cross", "categories": []string{"OTHER"}, "clone_flow_id": other}); r.Status != 200 {
		t.Fatalf("cross-account clone: %d %s", r.Status, r.Body)
	}
	// endpoint_uri cannot be given when cloning a flow whose JSON is older than 3.0.
	old := e.createFlow(tokenA, waba1, "Old")
	e.upload(tokenA, old, []byte(`{"version":"2.1","screens":[]}`))
	wantMessage(t, graphError(t, e.postJSON("/"+waba1+"/flows", tokenA, map[string]any{"name": "Old copy", "categories": []string{"OTHER"}, "clone_flow_id": old, "endpoint_uri": "https://example.com"}), 400, 100), "Specify Endpoint Uri in Flow JSON")
}

func TestGetFlowFields(t *testing.T) { eachBackend(t, testGetFlowFields) }

func testGetFlowFields(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	id := e.createFlow(tokenA, waba1, "Fields")
	def := e.get("/"+id, tokenA)
	if string(def.Body) != `{"id":"`+id+`","name":"Fields","status":"DRAFT","categories":["OTHER"],"validation_errors":[]}` {
		t.Fatalf("default fields: %s", def.Body)
	}
	// Asked-for fields come in the order asked; id is always there, last when not asked for; unset
	// optional fields are left out.
	r := e.get("/"+id+"?fields=status,name,json_version", tokenA)
	if string(r.Body) != `{"status":"DRAFT","name":"Fields","id":"`+id+`"}` {
		t.Fatalf("selected fields: %s", r.Body)
	}
	e.upload(tokenA, id, []byte(testflow.Endpoint))
	e.postJSON("/"+id, tokenA, `{"endpoint_uri":"https://example.com/e"}`)
	r = e.get("/"+id+"?fields="+url.QueryEscape("json_version, data_api_version,endpoint_uri,,whatsapp_business_account{name}"), tokenA)
	want := `{"json_version":"7.3","data_api_version":"3.0","endpoint_uri":"https://example.com/e","whatsapp_business_account":{"name":"Acme Clinic","id":"` + waba1 + `"},"id":"` + id + `"}`
	if string(r.Body) != want {
		t.Fatalf("fields:\n got %s\nwant %s", r.Body, want)
	}
	if r := e.get("/"+id+"?fields=whatsapp_business_account", tokenA).JSON(t); r["whatsapp_business_account"].(map[string]any)["name"] != "Acme Clinic" {
		t.Fatalf("waba: %v", r)
	}
	bad := map[string]string{
		"colour":                           "Tried accessing nonexisting field (colour) on node type (WhatsAppFlow)",
		"name,colour":                      "nonexisting field (colour)",
		"preview.invalidate":               "takes an argument",
		"preview.invalidate(maybe)":        "takes true or false",
		"preview.invalidate(true":          "Syntax error",
		"preview.limit(2)":                 "takes no modifier",
		"name.limit(2)":                    "takes no modifier",
		"name{id}":                         "has no sub-fields",
		"whatsapp_business_account{phone}": "nonexisting field (phone) on node type (WhatsAppBusinessAccount)",
		"whatsapp_business_account{name":   "Syntax error",
		"name;status":                      "Syntax error",
		strings.Repeat("name,", 1000):      "too long",
	}
	for fields, msg := range bad {
		wantMessage(t, graphError(t, e.get("/"+id+"?fields="+url.QueryEscape(fields), tokenA), 400, 100), msg)
	}
	// A missing flow with bad fields: the field error comes first, as on Graph.
	graphError(t, e.get("/123456789012345?fields=colour", tokenA), 400, 100)
}

func TestUpdateFlow(t *testing.T) { eachBackend(t, testUpdateFlow) }

func testUpdateFlow(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	id := e.createFlow(tokenA, waba1, "Original")
	e.createFlow(tokenA, waba1, "Taken")
	r := e.postJSON("/"+id, tokenA, `{"name":"Renamed","categories":["SIGN_UP","SIGN_IN"],"endpoint_uri":"https://example.com/x","application_id":"987654321"}`)
	if r.Status != 200 || string(r.Body) != `{"success":true}` {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	got := e.get("/"+id+"?fields=name,categories,endpoint_uri", tokenA).JSON(t)
	if got["name"] != "Renamed" || len(got["categories"].([]any)) != 2 || got["endpoint_uri"] != "https://example.com/x" {
		t.Fatalf("after update: %v", got)
	}
	// An empty update changes nothing and succeeds.
	if r := e.postJSON("/"+id, tokenA, `{}`); r.Status != 200 {
		t.Fatalf("empty update: %d %s", r.Status, r.Body)
	}
	cases := map[string]string{
		`{"name":"Taken"}`:                     "Flow name is not unique",
		`{"name":""}`:                          "non-empty",
		`{"categories":[]}`:                    "non-empty array",
		`{"categories":["NOPE"]}`:              "categories[0] must be one of",
		`{"categories":"OTHER"}`:               "Param categories must be an array",
		`{"endpoint_uri":"ftp://example.com"}`: "Invalid Endpoint URI",
		`{"application_id":"my app"}`:          "application_id",
		`{"name":`:                             "not valid JSON",
	}
	for body, msg := range cases {
		wantMessage(t, graphError(t, e.postJSON("/"+id, tokenA, body), 400, 100), msg)
	}
	if got := e.get("/"+id, tokenA).JSON(t); got["name"] != "Renamed" {
		t.Fatalf("a refused update changed the flow: %v", got)
	}
	// Flow JSON below 3.0 keeps its endpoint in the JSON.
	old := e.createFlow(tokenA, waba1, "Old")
	e.upload(tokenA, old, []byte(`{"version":"3.0","screens":[]}`))
	if r := e.postJSON("/"+old, tokenA, `{"endpoint_uri":"https://example.com"}`); r.Status != 200 {
		t.Fatalf("3.0 flow endpoint: %s", r.Body)
	}
	e.upload(tokenA, old, []byte(`{"version":"2.1","screens":[]}`))
	wantMessage(t, graphError(t, e.postJSON("/"+old, tokenA, `{"endpoint_uri":"https://example.com"}`), 400, 139001), "Specify Endpoint Uri in Flow JSON")
}
