package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/waflows/waflows/api/sqlite"
	"github.com/waflows/waflows/internal/flowgen"
	"github.com/waflows/waflows/internal/pgtest"
	"github.com/waflows/waflows/internal/testflow"
)

// The benchmarks call the server in process (no network) to show each handler's own cost; bench/http.sh
// measures throughput over loopback HTTP.

func benchRequest(b *testing.B, e *env, method, target, contentType, body string) {
	req := httptest.NewRequest(method, "http://waflows.test"+target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tokenA)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	e.Server.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
	}
}

func BenchmarkGetFlow(b *testing.B) {
	e := MustOpenServer(b)
	id := e.createFlow(tokenA, waba1, "Bench")
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, "GET", "/v21.0/"+id, "", "")
	}
}

func BenchmarkGetFlowFields(b *testing.B) {
	e := MustOpenServer(b)
	id := e.createFlow(tokenA, waba1, "Bench")
	target := "/v21.0/" + id + "?fields=" + url.QueryEscape("name,status,json_version,endpoint_uri,whatsapp_business_account{id,name}")
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, "GET", target, "", "")
	}
}

func BenchmarkCreateFlow(b *testing.B) {
	e := MustOpenServer(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		benchRequest(b, e, "POST", "/v21.0/"+waba1+"/flows", "application/json", `{"name":"flow `+strconv.Itoa(i)+`","categories":["OTHER"]}`)
	}
}

func BenchmarkUpdateFlow(b *testing.B) {
	e := MustOpenServer(b)
	id := e.createFlow(tokenA, waba1, "Bench")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		benchRequest(b, e, "POST", "/v21.0/"+id, "application/json", `{"name":"renamed `+strconv.Itoa(i)+`"}`)
	}
}

func BenchmarkGetFlowAssets(b *testing.B) {
	e := MustOpenServer(b)
	id := e.createFlow(tokenA, waba1, "Bench")
	e.upload(tokenA, id, []byte(testflow.Valid))
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, "GET", "/v21.0/"+id+"/assets", "", "")
	}
}

// BenchmarkLifecycle measures publish, deprecate and delete; each iteration first makes a fresh flow
// with the timer stopped.
func BenchmarkLifecycle(b *testing.B) {
	for _, op := range []string{"publish", "deprecate", "delete"} {
		b.Run(op, func(b *testing.B) {
			e := MustOpenServer(b)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				id := e.createFlow(tokenA, waba1, "flow "+strconv.Itoa(i))
				if op != "delete" {
					e.upload(tokenA, id, []byte(testflow.Valid))
				}
				if op == "deprecate" {
					e.do("POST", "/"+id+"/publish", tokenA, "", nil)
				}
				b.StartTimer()
				switch op {
				case "delete":
					benchRequest(b, e, "DELETE", "/v21.0/"+id, "", "")
				default:
					benchRequest(b, e, "POST", "/v21.0/"+id+"/"+op, "", "")
				}
			}
		})
	}
}

// BenchmarkUploadFlowJSON uploads and validates a small flow and a generated 5 MB one (100 screens).
func BenchmarkUploadFlowJSON(b *testing.B) {
	for _, tc := range []struct {
		name string
		flow []byte
	}{{"small", []byte(testflow.Valid)}, {"5MB", flowgen.Generate(100, 44)}} {
		b.Run(tc.name, func(b *testing.B) {
			e := MustOpenServer(b)
			id := e.createFlow(tokenA, waba1, "Bench")
			ct, body := multipartBody(b, tc.flow, map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
			payload := body.String()
			b.SetBytes(int64(len(tc.flow)))
			b.ReportAllocs()
			for b.Loop() {
				benchRequest(b, e, "POST", "/v21.0/"+id+"/assets", ct, payload)
			}
		})
	}
}

// BenchmarkListFlows lists a page of 25 from an account with 100,000 flows, at page 1 and at page 4000
// (reached through real cursors): keyset paging costs the same anywhere.
func BenchmarkListFlows(b *testing.B) {
	const total = 100_000
	path := filepath.Join(b.TempDir(), "waflows.db")
	seedFlows(b, path, waba1, total)
	e := MustOpenServer(b, withDB(path))
	cursors := map[int]string{1: ""}
	after := ""
	for page := 1; page < 4000; page++ {
		res := e.get("/"+waba1+"/flows?limit=25"+after, tokenA)
		v := res.JSON(b)
		after = "&after=" + v["paging"].(map[string]any)["cursors"].(map[string]any)["after"].(string)
		cursors[page+1] = after
	}
	for _, page := range []int{1, 4000} {
		b.Run(fmt.Sprintf("page=%d", page), func(b *testing.B) {
			target := "/v21.0/" + waba1 + "/flows?limit=25" + cursors[page]
			b.ReportAllocs()
			for b.Loop() {
				benchRequest(b, e, "GET", target, "", "")
			}
		})
	}
}

// seedFlows makes a database holding n draft flows, inserted in one transaction before the server
// opens it: creating them through the API would cost one synchronous commit each.
func seedFlows(b *testing.B, dbPath, waba string, n int) {
	b.Helper()
	store, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		b.Fatal(err)
	}
	store.Close()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_, err = db.ExecContext(context.Background(), `
		WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
		INSERT INTO flows (id, seq, waba_id, name, status, categories, created_at, updated_at)
		SELECT 100000000000000 + n * 7919, 1000000 + n, ?, 'seeded flow ' || n, 'DRAFT', 'SURVEY,OTHER',
		       1700000000000000000 + n, 1700000000000000000 + n
		FROM seq`, n, waba)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), `UPDATE counters SET value = (SELECT max(seq) FROM flows) WHERE name = 'flow_seq'`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDownloadAsset serves a signed download link of a small flow JSON (no token).
func BenchmarkDownloadAsset(b *testing.B) {
	e := MustOpenServer(b)
	id := e.createFlow(tokenA, waba1, "Bench")
	e.upload(tokenA, id, []byte(testflow.Valid))
	v := e.get("/"+id+"/assets", tokenA).JSON(b)
	link, _ := url.Parse(v["data"].([]any)[0].(map[string]any)["download_url"].(string))
	target := link.RequestURI()
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, "GET", target, "", "")
	}
}

// BenchmarkIsolation compares, for each of the nine operations, a request on another account's flow (or
// account) with the same request on one that does not exist: both must be refused the same way and at a
// comparable cost, so that timing does not tell them apart.
func BenchmarkIsolation(b *testing.B) {
	backends := []backend{backendSQLite}
	if pgtest.Available() {
		backends = append(backends, backendPostgres)
	}
	for _, bk := range backends {
		b.Run(string(bk), func(b *testing.B) { benchmarkIsolation(b, bk) })
	}
}

func benchmarkIsolation(b *testing.B, bk backend) {
	e := MustOpenServer(b, on(bk))
	foreign := e.createFlow(tokenB, waba2, "Other's")
	e.upload(tokenB, foreign, []byte(testflow.Valid))
	const missing = "123456789012345"
	ct, body := multipartBody(b, []byte(testflow.Valid), map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
	upload := body.String()
	ops := []struct {
		name, method, suffix, ct, body string
		account                        bool
	}{
		{"listFlows", "GET", "/flows", "", "", true},
		{"createFlow", "POST", "/flows", "application/json", `{"name":"x","categories":["OTHER"]}`, true},
		{"getFlow", "GET", "", "", "", false},
		{"updateFlow", "POST", "", "application/json", `{"name":"x"}`, false},
		{"deleteFlow", "DELETE", "", "", "", false},
		{"getFlowAssets", "GET", "/assets", "", "", false},
		{"uploadFlowJson", "POST", "/assets", ct, upload, false},
		{"publishFlow", "POST", "/publish", "", "", false},
		{"deprecateFlow", "POST", "/deprecate", "", "", false},
	}
	for _, op := range ops {
		for _, target := range []string{"foreign", "missing"} {
			id := missing
			if target == "foreign" {
				id = foreign
				if op.account {
					id = waba2
				}
			}
			b.Run(op.name+"/"+target, func(b *testing.B) {
				path := "/v21.0/" + id + op.suffix
				b.ReportAllocs()
				for b.Loop() {
					req := httptest.NewRequest(op.method, "http://waflows.test"+path, strings.NewReader(op.body))
					req.Header.Set("Authorization", "Bearer "+tokenA)
					if op.ct != "" {
						req.Header.Set("Content-Type", op.ct)
					}
					rec := httptest.NewRecorder()
					e.Server.ServeHTTP(rec, req)
					if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"error_subcode":33`) {
						b.Fatalf("%s %s: %d %s", op.method, path, rec.Code, rec.Body)
					}
				}
			})
		}
	}
}
