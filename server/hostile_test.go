package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/waflows/waflows/internal/testflow"
)

// allFields asks for every field a flow has.
const allFields = "id,name,status,categories,validation_errors,json_version,data_api_version,endpoint_uri,whatsapp_business_account"

// snapshot reads back everything a user can about the given flows: every field, and their JSON bytes.
func snapshot(t *testing.T, e *env, ids []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, id := range ids {
		v := string(e.get("/"+id+"?fields="+allFields, tokenAll).Body)
		if a := e.get("/"+id+"/assets", tokenAll).JSON(t)["data"].([]any); len(a) > 0 {
			v += "\n" + string(e.get(a[0].(map[string]any)["download_url"].(string), "").Body)
		}
		out[id] = v
	}
	return out
}

// TestHostileInput sends malformed, oversized and hostile requests at every operation. Each gets a Graph
// error (never a 5xx), and what was stored before is unchanged afterwards.
func TestHostileInput(t *testing.T) { eachBackend(t, testHostileInput) }

func testHostileInput(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk))
	draft := e.createFlow(tokenA, waba1, "Draft")
	e.upload(tokenA, draft, []byte(testflow.Valid))
	published := e.createFlow(tokenA, waba1, "Published")
	e.upload(tokenA, published, []byte(testflow.Valid))
	e.do("POST", "/"+published+"/publish", tokenA, "", nil)
	other := e.createFlow(tokenB, waba2, "Other's")
	ids := []string{draft, published, other}
	before := snapshot(t, e, ids)

	sql := []string{`'; DROP TABLE flows; --`, `" OR 1=1 --`, `1; DELETE FROM assets`, `Robert'); DROP TABLE business_accounts;--`, `\x00`, `%00`, `$1`}
	type req struct {
		name, method, path, ct string
		body                   []byte
	}
	var reqs []req
	add := func(name, method, path, ct string, body []byte) {
		reqs = append(reqs, req{name, method, path, ct, body})
	}
	createPath, draftPath := "/"+waba1+"/flows", "/"+draft
	// Malformed and truncated JSON, wrong types, wrong content types.
	for i, body := range []string{`{`, `{"name":`, `{"name":"x","categories":["OTHER"]`, `[]`, `null`, `"x"`, `{"name":"x","categories":"OTHER"}`,
		`{"name":{"$ne":1},"categories":["OTHER"]}`, `{"name":"x","categories":[1,2]}`, "\xff\xfe{", `{"name":"x","categories":["OTHER"]}{}`, `{"name":"x"` + strings.Repeat(" ", 1<<16)} {
		add(fmt.Sprint("create json ", i), "POST", createPath, "application/json", []byte(body))
		add(fmt.Sprint("update json ", i), "POST", draftPath, "application/json", []byte(body))
	}
	for _, ct := range []string{"text/plain", "application/xml", "multipart/form-data", "multipart/form-data; boundary=", "application/json; charset=utf-16", "image/png"} {
		add("create as "+ct, "POST", createPath, ct, []byte(`<flow name="x"/>`))
		add("upload as "+ct, "POST", draftPath+"/assets", ct, []byte(testflow.Valid))
	}
	// Bodies over every limit.
	add("create body over 11 MB", "POST", createPath, "application/json", append([]byte(`{"name":"`), bytes.Repeat([]byte("x"), 12<<20)...))
	add("upload over 10 MB", "POST", draftPath+"/assets", "", nil) // built below
	add("fields over the limit", "GET", draftPath+"?fields="+strings.Repeat("name,", 2000), "", nil)
	ct, long := multipartBody(t, []byte(testflow.Valid), map[string]string{"name": strings.Repeat("n", 4096), "asset_type": "FLOW_JSON"})
	add("upload form field over the limit", "POST", draftPath+"/assets", ct, long.Bytes())
	// Invalid multipart.
	for i, body := range []string{"--b\r\n", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{}", "garbage", "--b--\r\n", "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{}\r\n--x--\r\n"} {
		add(fmt.Sprint("multipart ", i), "POST", draftPath+"/assets", "multipart/form-data; boundary=b", []byte(body))
	}
	// Hostile path ids.
	for _, id := range []string{"..%2F..%2Fetc%2Fpasswd", "1%2F2", "%2e%2e", "...", "%E2%82%AC", "%F0%9F%98%80", strings.Repeat("9", 10000), "%00", "-1", "0x10", url.PathEscape(sql[0]), url.PathEscape(sql[3])} {
		for _, m := range []struct{ method, suffix string }{{"GET", ""}, {"POST", ""}, {"DELETE", ""}, {"GET", "/assets"}, {"POST", "/publish"}, {"POST", "/deprecate"}, {"GET", "/flows"}} {
			add("path "+id[:min(len(id), 20)]+m.suffix, m.method, "/"+id+m.suffix, "application/json", []byte(`{"name":"x","categories":["OTHER"]}`))
		}
	}
	// SQL-looking strings in every field and parameter.
	for _, s := range sql {
		q := url.QueryEscape(s)
		add("sql name", "POST", createPath, "application/json", []byte(fmt.Sprintf(`{"name":%q,"categories":[%q]}`, s, s)))
		add("sql endpoint", "POST", createPath, "application/json", []byte(fmt.Sprintf(`{"name":"x","categories":["OTHER"],"endpoint_uri":%q}`, s)))
		add("sql clone", "POST", createPath, "application/json", []byte(fmt.Sprintf(`{"name":"x","categories":["OTHER"],"clone_flow_id":%q}`, s)))
		add("sql update", "POST", draftPath, "application/json", []byte(fmt.Sprintf(`{"name":%q,"categories":[%q],"endpoint_uri":%q,"application_id":%q}`, "Published", s, s, s)))
		add("sql fields", "GET", draftPath+"?fields="+q, "", nil)
		add("sql cursor", "GET", createPath+"?after="+q, "", nil)
		add("sql before", "GET", createPath+"?before="+q, "", nil)
		add("sql limit", "GET", createPath+"?limit="+q, "", nil)
		ct, body := multipartBody(t, []byte(testflow.Valid), map[string]string{"name": s, "asset_type": s})
		add("sql upload fields", "POST", draftPath+"/assets", ct, body.Bytes())
	}
	// Real NUL bytes and invalid UTF-8, which PostgreSQL's text type refuses.
	add("nul in name", "POST", createPath, "application/json", []byte(`{"name":"a\u0000b","categories":["OTHER"]}`))
	add("nul in renamed", "POST", draftPath, "application/json", []byte(`{"name":"a\u0000b"}`))
	add("nul in form name", "POST", createPath, "application/x-www-form-urlencoded", []byte("name=a%00b&categories=OTHER"))
	add("bad utf-8 in form name", "POST", createPath, "application/x-www-form-urlencoded", []byte("name=a%FFb&categories=OTHER"))
	add("nul in endpoint", "POST", createPath, "application/x-www-form-urlencoded", []byte("name=n&categories=OTHER&endpoint_uri=https://x.example/%00"))
	// Repeated parameters.
	add("repeated limit", "GET", createPath+"?limit=1&limit=2", "", nil)
	add("repeated fields", "GET", draftPath+"?fields=name&fields=status", "", nil)
	ct, dup := multipartBody(t, []byte(testflow.Valid), map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
	dupBody := bytes.Replace(dup.Bytes(), []byte("--"+strings.TrimPrefix(ct, "multipart/form-data; boundary=")+"--"),
		[]byte("--"+strings.TrimPrefix(ct, "multipart/form-data; boundary=")+"\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nflow.json\r\n--"+strings.TrimPrefix(ct, "multipart/form-data; boundary=")+"--"), 1)
	add("repeated upload field", "POST", draftPath+"/assets", ct, dupBody)
	// Writes against the published flow with otherwise good input.
	add("update published", "POST", "/"+published, "application/json", []byte(`{"name":"changed"}`))
	add("upload to published", "POST", "/"+published+"/assets", ct, dup.Bytes())
	add("delete published", "DELETE", "/"+published, "", nil)

	for _, r := range reqs {
		var res response
		if r.name == "upload over 10 MB" {
			ct, big := multipartBody(t, bytes.Repeat([]byte(" "), 10<<20+1), map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
			res = e.do("POST", r.path, tokenA, ct, big)
		} else {
			res = e.do(r.method, r.path, tokenA, r.ct, bytes.NewReader(r.body))
		}
		if res.Status >= 500 {
			t.Errorf("%s: %d %s", r.name, res.Status, truncateBody(res.Body))
			continue
		}
		if res.Status == 200 {
			continue // an odd but acceptable request (a flow named like SQL, say): it may add, never alter
		}
		graphError(t, res, res.Status, int(res.JSON(t)["error"].(map[string]any)["code"].(float64)))
	}
	// A Flow JSON whose version strings hold NUL is stored like any invalid JSON.
	nulDraft := e.createFlow(tokenA, waba1, "NUL versions")
	for _, doc := range []string{`{"version":"7.3\u0000","screens":[]}`, `{"version":"7.3","data_api_version":"3.0\u0000","screens":[]}`, "{\"version\":\"7.3\xff\",\"screens\":[]}"} {
		r := e.upload(tokenA, nulDraft, []byte(doc))
		if r.Status != 200 || !strings.Contains(string(r.Body), `"validation_errors":[{`) {
			t.Errorf("upload %q: %d %s", doc, r.Status, r.Body)
		}
		if got := download(t, e, nulDraft); string(got) != doc {
			t.Errorf("stored %q, want %q", got, doc)
		}
	}
	after := snapshot(t, e, ids)
	for _, id := range ids {
		if before[id] != after[id] {
			t.Errorf("flow %s changed:\nbefore %s\nafter  %s", id, truncateBody([]byte(before[id])), truncateBody([]byte(after[id])))
		}
	}
}

func truncateBody(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// TestRawRequests speaks HTTP by hand for what a normal client cannot send: a path that is not a valid
// URL, a lying Content-Length, a body cut off mid-way. The server answers or closes; it never hangs.
func TestRawRequests(t *testing.T) {
	e := MustOpenServer(t)
	host := strings.TrimPrefix(e.Root, "http://")
	raw := func(req string) string {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(conn, req)
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
		b, _ := io.ReadAll(conn)
		return string(b)
	}
	for name, req := range map[string]string{
		"encoded slash": "GET /v21.0/1%2F2 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokenA + "\r\nConnection: close\r\n\r\n",
		"short body":    "POST /v21.0/" + waba1 + "/flows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokenA + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":",
		"chunked junk":  "POST /v21.0/" + waba1 + "/flows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokenA + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"dot segments":  "GET /v21.0/../../etc/passwd HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokenA + "\r\nConnection: close\r\n\r\n",
	} {
		out := raw(req)
		if strings.Contains(out, " 500 ") || strings.Contains(out, "panic") {
			t.Errorf("%s: %s", name, out)
		}
		if strings.HasPrefix(out, "HTTP/1.1 4") && !strings.Contains(out, `"error":{`) && !strings.Contains(out, "400 Bad Request") {
			t.Errorf("%s: a 4xx without a Graph envelope: %s", name, out)
		}
	}
	// The server still serves.
	if r := e.get("/"+waba1+"/flows", tokenA); r.Status != 200 {
		t.Fatalf("after raw requests: %d", r.Status)
	}
}
