package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api/sqlite"
)

// TestPanicBecomesGraphError: a panic in a handler is answered with a Graph envelope (code 1, HTTP 500,
// a trace id) instead of a dropped connection, and the server keeps serving.
func TestPanicBecomesGraphError(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	access, err := DevAccess(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, Config{Store: store, Access: access, PublicURL: "http://x"})
	if err != nil {
		t.Fatal(err)
	}
	s.echo.GET("/boom", func(echo.Context) error { panic("boom") })
	for range 2 {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
		var v struct {
			Error struct {
				Code        int    `json:"code"`
				Message     string `json:"message"`
				IsTransient bool   `json:"is_transient"`
				Trace       string `json:"fbtrace_id"`
			} `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || rec.Code != http.StatusInternalServerError ||
			v.Error.Code != 1 || v.Error.Message != "An unknown error occurred" || !v.Error.IsTransient || v.Error.Trace == "" {
			t.Fatalf("panic answered %d %s", rec.Code, rec.Body)
		}
	}
}
