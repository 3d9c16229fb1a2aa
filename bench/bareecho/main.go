// Command bareecho is the floor for bench/http.sh: a bare Echo v4 server that answers the benchmarked
// paths with pre-encoded bytes (the same bytes waflows returned for them), doing no other work.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18181", "address to listen on")
	flowFile := flag.String("flow", "", "file with the bytes of GET /v21.0/{flow-id}")
	listFile := flag.String("list", "", "file with the bytes of GET /v21.0/{waba-id}/flows")
	flag.Parse()
	flow, err := os.ReadFile(*flowFile)
	if err != nil {
		log.Fatal(err)
	}
	list, err := os.ReadFile(*listFile)
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/v21.0/:flow-id", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, flow) })
	e.GET("/v21.0/:waba-id/flows", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, list) })
	log.Fatal(e.Start(*addr))
}
