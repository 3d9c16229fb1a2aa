package server_test

import (
	"strings"
	"testing"

	"github.com/waflows/waflows/internal/testflow"
)

func TestPublish(t *testing.T) { eachBackend(t, testPublish) }

func testPublish(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	publish := func(id string) response { return e.do("POST", "/"+id+"/publish", tokenA, "", nil) }

	noJSON := e.createFlow(tokenA, waba1, "No JSON")
	ge := graphError(t, publish(noJSON), 400, 139002)
	wantMessage(t, ge, "Publishing Flow with validation errors")
	if ge["error_user_title"] != "Flow publishing failed" || !strings.Contains(ge["error_user_msg"].(string), "No Flow JSON") {
		t.Fatalf("user title/msg: %v", ge)
	}

	invalid := e.createFlow(tokenA, waba1, "Invalid")
	e.upload(tokenA, invalid, []byte(`{"version":"7.3"}`))
	wantMessage(t, graphError(t, publish(invalid), 400, 139002), "Publishing Flow with validation errors")

	frozen := e.createFlow(tokenA, waba1, "Frozen")
	e.upload(tokenA, frozen, []byte(strings.Replace(testflow.Valid, `"7.3"`, `"4.0"`, 1)))
	if v := e.get("/"+frozen+"?fields=validation_errors,json_version", tokenA).JSON(t); len(v["validation_errors"].([]any)) != 0 || v["json_version"] != "4.0" {
		t.Fatalf("a valid 4.0 flow: %v", v)
	}
	wantMessage(t, graphError(t, publish(frozen), 400, 139002), "Versions in Flow JSON file are not available for publishing")

	endpoint := e.createFlow(tokenA, waba1, "Endpoint")
	e.upload(tokenA, endpoint, []byte(testflow.Endpoint))
	wantMessage(t, graphError(t, publish(endpoint), 400, 139002), "Publishing without specifying endpoint_uri is forbidden")
	e.postJSON("/"+endpoint, tokenA, `{"endpoint_uri":"https://example.com/endpoint"}`)
	if r := publish(endpoint); r.Status != 200 || string(r.Body) != `{"success":true}` {
		t.Fatalf("publish with endpoint: %d %s", r.Status, r.Body)
	}

	ok := e.createFlow(tokenA, waba1, "OK")
	e.upload(tokenA, ok, []byte(testflow.Valid))
	if r := publish(ok); r.Status != 200 {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	if v := e.get("/"+ok, tokenA).JSON(t); v["status"] != "PUBLISHED" {
		t.Fatalf("status after publish: %v", v["status"])
	}
	wantMessage(t, graphError(t, publish(ok), 400, 139002), "Publishing Flow in invalid state")
	// Published flows are immutable.
	wantMessage(t, graphError(t, e.postJSON("/"+ok, tokenA, `{"name":"Changed"}`), 400, 139001), "Flow can't be updated")
	wantMessage(t, graphError(t, e.upload(tokenA, ok, []byte(testflow.Valid)), 400, 139001), "Flow can't be updated")
	wantMessage(t, graphError(t, e.do("DELETE", "/"+ok, tokenA, "", nil), 400, 139004), "Can't delete published Flow")
	if v := e.get("/"+ok, tokenA).JSON(t); v["name"] != "OK" || v["status"] != "PUBLISHED" {
		t.Fatalf("refused changes changed the flow: %v", v)
	}
}

func TestDeprecateAndDelete(t *testing.T) { eachBackend(t, testDeprecateAndDelete) }

func testDeprecateAndDelete(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	deprecate := func(id string) response { return e.do("POST", "/"+id+"/deprecate", tokenA, "", nil) }
	draft := e.createFlow(tokenA, waba1, "Draft")
	wantMessage(t, graphError(t, deprecate(draft), 400, 139003), "Can't deprecate unpublished flow")

	pub := e.createFlow(tokenA, waba1, "Published")
	e.upload(tokenA, pub, []byte(testflow.Valid))
	e.do("POST", "/"+pub+"/publish", tokenA, "", nil)
	if r := deprecate(pub); r.Status != 200 {
		t.Fatalf("deprecate: %d %s", r.Status, r.Body)
	}
	if v := e.get("/"+pub, tokenA).JSON(t); v["status"] != "DEPRECATED" {
		t.Fatalf("status: %v", v["status"])
	}
	wantMessage(t, graphError(t, deprecate(pub), 400, 139003), "Flow is already deprecated")
	wantMessage(t, graphError(t, e.do("POST", "/"+pub+"/publish", tokenA, "", nil), 400, 139002), "Publishing Flow in invalid state")
	wantMessage(t, graphError(t, e.do("DELETE", "/"+pub, tokenA, "", nil), 400, 139004), "Can't delete published Flow")
	wantMessage(t, graphError(t, e.postJSON("/"+pub, tokenA, `{"name":"x"}`), 400, 139001), "Flow can't be updated")

	// Deleting a draft removes it for good: every operation then says it does not exist.
	e.upload(tokenA, draft, []byte(testflow.Valid))
	if r := e.do("DELETE", "/"+draft, tokenA, "", nil); r.Status != 200 || string(r.Body) != `{"success":true}` {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	checks := []response{
		e.get("/"+draft, tokenA),
		e.postJSON("/"+draft, tokenA, `{"name":"x"}`),
		e.do("DELETE", "/"+draft, tokenA, "", nil),
		e.get("/"+draft+"/assets", tokenA),
		e.upload(tokenA, draft, []byte(testflow.Valid)),
		e.do("POST", "/"+draft+"/publish", tokenA, "", nil),
		deprecate(draft),
	}
	for i, r := range checks {
		ge := graphError(t, r, 400, 100)
		if ge["error_subcode"] != float64(33) {
			t.Fatalf("check %d: %v", i, ge)
		}
	}
	wantMessage(t, graphError(t, e.do("DELETE", "/"+draft, tokenA, "", nil), 400, 100), "Unsupported delete request. Object with ID '"+draft+"'")
	// Its name is free again.
	e.createFlow(tokenA, waba1, "Draft")
}

// TestUnknownPathsAndMethods: methods and paths the API does not have get Graph's errors.
func TestUnknownPathsAndMethods(t *testing.T) { eachBackend(t, testUnknownPathsAndMethods) }

func testUnknownPathsAndMethods(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	id := e.createFlow(tokenA, waba1, "x")
	wantMessage(t, graphError(t, e.do("PUT", "/"+id, tokenA, "application/json", strings.NewReader("{}")), 400, 100), "Unsupported put request. Object with ID '"+id+"'")
	wantMessage(t, graphError(t, e.do("PATCH", "/"+id+"/assets", tokenA, "", nil), 400, 100), "Unsupported patch request")
	wantMessage(t, graphError(t, e.do("DELETE", "/"+id+"/publish", tokenA, "", nil), 400, 100), "Unsupported delete request")
	wantMessage(t, graphError(t, e.get("/"+id+"/metrics/x", tokenA), 400, 2500), "Unknown path components")
	wantMessage(t, graphError(t, e.get(e.Root+"/v19.0/"+id, tokenA), 400, 2500), "Unknown path components")
}
