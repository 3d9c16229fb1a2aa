package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/internal/testflow"
)

// fuzzEnv is one in-process server for a fuzz target, with a published flow that nothing may change and a
// draft that inputs may change.
type fuzzEnv struct {
	e         *env
	published api.Flow
	draft     string
}

func newFuzzEnv(f *testing.F) *fuzzEnv {
	e := MustOpenServer(f)
	pub := e.createFlow(tokenA, waba1, "Sentinel")
	e.upload(tokenA, pub, []byte(testflow.Valid))
	e.do("POST", "/"+pub+"/publish", tokenA, "", nil)
	p, err := e.Store.Flow(context.Background(), pub)
	if err != nil {
		f.Fatal(err)
	}
	return &fuzzEnv{e: e, published: p, draft: e.createFlow(tokenA, waba1, "Draft")}
}

// serve sends one request in process and checks the invariants every response keeps: never a 5xx, always
// JSON, and an error is a Graph envelope with a trace id.
func (fe *fuzzEnv) serve(t *testing.T, method, target, contentType string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://waflows.test"+target, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tokenA)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	fe.e.Server.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s -> %d %s", method, target, rec.Code, rec.Body)
	}
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s %s -> non-JSON body %q", method, target, rec.Body)
	}
	if rec.Code != 200 {
		e, ok := v["error"].(map[string]any)
		if !ok || e["code"] == nil || e["fbtrace_id"] == "" || e["message"] == "" {
			t.Fatalf("%s %s -> %d without a Graph envelope: %s", method, target, rec.Code, rec.Body)
		}
	}
	return rec
}

// checkSentinel: the published flow is exactly as it was.
func (fe *fuzzEnv) checkSentinel(t *testing.T) {
	got, err := fe.e.Store.Flow(context.Background(), fe.published.ID)
	if err != nil || got.Name != fe.published.Name || got.Status != api.StatusPublished || !got.UpdatedAt.Equal(fe.published.UpdatedAt) {
		t.Fatalf("the published flow changed: %+v, %v", got, err)
	}
}

func FuzzCreateFlowBody(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Add([]byte(`{"name":"a","categories":["OTHER"]}`), "application/json")
	f.Add([]byte(`{"name":"a","categories":["OTHER"],"endpoint_uri":"https://x.example/e","clone_flow_id":"123"}`), "application/json")
	f.Add([]byte(`{"name":"b","categories":["OTHER"],"flow_json":"{\"version\":\"7.3\"}","publish":true}`), "application/json")
	f.Add([]byte(`name=c&categories=%5B%22SURVEY%22%5D`), "application/x-www-form-urlencoded")
	f.Add([]byte("--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nd\r\n--x--\r\n"), "multipart/form-data; boundary=x")
	f.Add([]byte(`{"name":null,"categories":{}}`), "application/json")
	f.Add([]byte(`[1,2`), "application/json")
	f.Add([]byte("\xff\xfe"), "text/plain")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		fe.serve(t, "POST", "/v21.0/"+waba1+"/flows", contentType, body)
		fe.checkSentinel(t)
	})
}

func FuzzUpdateFlowBody(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Add([]byte(`{"name":"renamed"}`))
	f.Add([]byte(`{"categories":["SIGN_UP"],"endpoint_uri":"https://x.example","application_id":"1"}`))
	f.Add([]byte(`{"categories":"x"}`))
	f.Add([]byte(`{"name":"` + strings.Repeat("x", 300) + `"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fe.serve(t, "POST", "/v21.0/"+fe.draft, "application/json", body)
		if rec := fe.serve(t, "POST", "/v21.0/"+fe.published.ID, "application/json", body); rec.Code == 200 {
			t.Fatalf("update of a published flow succeeded: %q", body)
		}
		fe.checkSentinel(t)
	})
}

func FuzzUploadMultipart(f *testing.F) {
	fe := newFuzzEnv(f)
	ct, body := multipartBody(f, []byte(testflow.Valid), map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
	_, boundary, _ := strings.Cut(ct, "boundary=")
	f.Add(body.Bytes(), boundary)
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{}\r\n--b--\r\n"), "b")
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{}"), "b")
	f.Add([]byte("garbage"), "")
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		ct := "multipart/form-data; boundary=" + boundary
		rec := fe.serve(t, "POST", "/v21.0/"+fe.draft+"/assets", ct, body)
		if rec.Code == 200 && !strings.Contains(rec.Body.String(), `"validation_errors":[`) {
			t.Fatalf("upload answered 200 without validation_errors: %s", rec.Body)
		}
		if rec := fe.serve(t, "POST", "/v21.0/"+fe.published.ID+"/assets", ct, body); rec.Code == 200 {
			t.Fatal("upload to a published flow succeeded")
		}
		fe.checkSentinel(t)
	})
}

func FuzzFields(f *testing.F) {
	fe := newFuzzEnv(f)
	for _, s := range []string{"", "name", "id,name,status", "whatsapp_business_account{id,name}", "json_version , endpoint_uri",
		"preview.invalidate(false)", "name{", "}", ",,,", "whatsapp_business_account{", "a.b(c)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, fields string) {
		q := url.Values{"fields": {fields}}.Encode()
		rec := fe.serve(t, "GET", "/v21.0/"+fe.published.ID+"?"+q, "", nil)
		if rec.Code == 200 && !strings.Contains(rec.Body.String(), `"id":"`+fe.published.ID+`"`) {
			t.Fatalf("fields=%q: id missing from %s", fields, rec.Body)
		}
		fe.serve(t, "GET", "/v21.0/"+waba1+"/flows?"+q, "", nil)
	})
}

func FuzzListCursors(f *testing.F) {
	fe := newFuzzEnv(f)
	for i := range 5 {
		fe.e.createFlow(tokenA, waba1, "page"+string(rune('a'+i)))
	}
	f.Add("d2YxOjI", "", "2")
	f.Add("", "d2YxOjI", "1")
	f.Add("d2YxOjk5OTk5OTk5OTk5OTk5OTk5OTk5", "", "")
	f.Add("%%%", "===", "-1")
	f.Fuzz(func(t *testing.T, after, before, limit string) {
		q := url.Values{}
		if after != "" {
			q.Set("after", after)
		}
		if before != "" {
			q.Set("before", before)
		}
		if limit != "" {
			q.Set("limit", limit)
		}
		rec := fe.serve(t, "GET", "/v21.0/"+waba1+"/flows?"+q.Encode(), "", nil)
		if rec.Code == 200 {
			var page struct{ Data []json.RawMessage }
			json.Unmarshal(rec.Body.Bytes(), &page)
			if len(page.Data) > 100 {
				t.Fatalf("page of %d flows", len(page.Data))
			}
		}
	})
}
