// waflows preview: the preview page for a Flow JSON file on disk, reloading when the file changes.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/server"
)

const previewHelp = "Open the printed address in a browser: the flow runs there as on a phone (interactive=true), with the\n" +
	"actions panel (debug=true). Edit and save the file: the page reloads and the flow starts again. A file\n" +
	"with validation errors shows them (code, line, message) instead. Endpoint requests are shown for you to\n" +
	"answer: a next screen the routing model allows, with its data prefilled from __example__; with --endpoint,\n" +
	"they go to that endpoint instead, encrypted with --public-key and signed with --app-secret.\n" +
	"Add interactive=false for the static first screen, or flow_action, flow_action_payload and flow_token as\n" +
	"in Meta's preview URL."

// preview implements `waflows preview FILE`: serve the file's preview page until ctx ends.
func preview(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("preview")
	addr := fs.String("addr", "127.0.0.1:8081", "address to listen on")
	endpointURL := fs.String("endpoint", "", "a data endpoint the interactive preview calls, as WhatsApp does, instead of asking you to answer each request (needs --public-key)")
	pubFile := fs.String("public-key", "", "with --endpoint: the business public key in PEM that requests are encrypted with")
	appSecret := fs.String("app-secret", os.Getenv("WAFLOWS_APP_SECRET"), "with --endpoint: the app secret that signs requests (default $WAFLOWS_APP_SECRET; empty sends them unsigned)")
	caFile := fs.String("ca", "", "with --endpoint: PEM file of CA certificates to trust besides the system's")
	files, err := fs.parseArgs(args, std)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fs.fail("preview takes one Flow JSON file, got %d arguments", len(files))
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return fs.fail("--addr must be HOST:PORT (such as 127.0.0.1:8081, or :8081 for every interface), got %q", *addr)
	}
	path := files[0]
	data, err := os.ReadFile(path)
	if err != nil {
		return ioError{err}
	}
	var fileEndpoint *server.FileEndpoint
	if *endpointURL != "" {
		if u, err := url.Parse(*endpointURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fs.fail("--endpoint must be an absolute http(s) URL, got %q", *endpointURL)
		}
		if *pubFile == "" {
			return fs.fail("--endpoint needs --public-key, the business public key requests are encrypted with")
		}
		pemBytes, err := os.ReadFile(*pubFile)
		if err != nil {
			return ioError{err}
		}
		pub, err := endpoint.ParsePublicKey(pemBytes)
		if err != nil {
			return fs.fail("--public-key %s: %v", *pubFile, err)
		}
		ep := server.FileEndpoint{URL: *endpointURL, PublicKey: pub, AppSecret: *appSecret}
		if *caFile != "" {
			if ep.Transport, err = trustingTransport(*caFile); err != nil {
				return fs.fail("--ca: %v", err)
			}
		}
		fileEndpoint = &ep
	} else if *pubFile != "" || *caFile != "" {
		return fs.fail("--public-key and --ca go with --endpoint")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	page := server.NewFilePreview(path, nil)
	if fileEndpoint != nil {
		page.WithEndpoint(*fileEndpoint)
	}
	httpServer := &http.Server{
		Handler:           page,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	address := "http://" + ln.Addr().String() + "/?interactive=true&debug=true"
	fmt.Fprintf(std.out, "waflows: previewing %s at %s\n", path, address)
	if *endpointURL != "" {
		fmt.Fprintf(std.out, "waflows: endpoint requests go to %s\n", *endpointURL)
	}
	if res, err := flowjson.AnalyzeContext(ctx, data); err == nil && len(res.Errors) > 0 {
		fmt.Fprintf(std.out, "waflows: %s has %d validation error(s); the page lists them until they are fixed\n", path, len(res.Errors))
	}
	fmt.Fprintln(std.out, "waflows: edit and save the file and the page reloads; Ctrl-C stops")
	return serveUntil(ctx, httpServer, ln, func() {})
}
