package server_test

import (
	"bytes"
	"testing"

	"github.com/waflows/waflows/internal/testflow"
)

// TestRestartKeepsEverything: every 200 that stored something is there after the server restarts on the
// same database file.
func TestRestartKeepsEverything(t *testing.T) { eachBackend(t, testRestartKeepsEverything) }

func testRestartKeepsEverything(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	draft := e.createFlow(tokenA, waba1, "Draft")
	e.upload(tokenA, draft, []byte(testflow.Endpoint))
	e.postJSON("/"+draft, tokenA, `{"endpoint_uri":"https://example.com/e"}`)
	pub := e.createFlow(tokenA, waba1, "Published")
	e.upload(tokenA, pub, []byte(testflow.Valid))
	e.do("POST", "/"+pub+"/publish", tokenA, "", nil)
	gone := e.createFlow(tokenA, waba1, "Gone")
	e.do("DELETE", "/"+gone, tokenA, "", nil)
	before := e.get("/"+waba1+"/flows?fields=id,name,status,categories,validation_errors,json_version,data_api_version,endpoint_uri", tokenA).Body
	e2 := e.restart()
	after := e2.get("/"+waba1+"/flows?fields=id,name,status,categories,validation_errors,json_version,data_api_version,endpoint_uri", tokenA).Body
	if !bytes.Equal(before, after) {
		t.Fatalf("after restart:\n%s\nbefore:\n%s", after, before)
	}
	if got := download(t, e2, draft); string(got) != testflow.Endpoint {
		t.Fatalf("flow JSON after restart: %q", got)
	}
	graphError(t, e2.get("/"+gone, tokenA), 400, 100)
}
