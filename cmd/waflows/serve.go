package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/postgres"
	"github.com/waflows/waflows/api/sqlite"
	"github.com/waflows/waflows/server"
)

// serve implements `waflows serve`: the API server on the embedded SQLite store or PostgreSQL, until ctx ends.
func serve(ctx context.Context, args []string, std stdio) error {
	stdout, stderr := std.out, std.err
	fs := newFlagSet("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := fs.String("db", "./waflows-data/waflows.db", "SQLite database file (created on first run; also sqlite:PATH), or a postgres:// URL for several instances on one database")
	config := fs.String("config", "", "access file (YAML) listing business accounts and tokens; without it a development account and token are created")
	publicURL := fs.String("public-url", "", "base URL of download and paging links (default http://ADDR)")
	logFormat := fs.String("log", "text", "request log format: text, json or off")
	readHeaderTimeout := fs.Duration("read-header-timeout", 10*time.Second, "time allowed to read a request's headers (slow clients are cut off)")
	readTimeout := fs.Duration("read-timeout", 2*time.Minute, "time allowed to read a whole request, body included")
	writeTimeout := fs.Duration("write-timeout", 2*time.Minute, "time allowed to write a response")
	endpointCA := fs.String("endpoint-ca", "", "PEM file of CA certificates the preview trusts, besides the system's, when it calls a flow's endpoint_uri (e.g. a local endpoint's self-signed certificate)")
	checkOnPublish := fs.Bool("check-endpoint-on-publish", false, "publishing a flow that uses an endpoint first runs Meta's checks: a phone number with a business public key, a linked app, and a health check of endpoint_uri (139002 Endpoint Not Available)")
	maxLargeBodies := fs.Int("max-large-bodies", server.DefaultMaxLargeBodies, "requests with a body over 64 KB (uploads, creates carrying flow_json) handled at once; others wait up to 1s, then get Graph code 4")
	if _, err := fs.parseArgs(args, std); err != nil {
		return err
	}
	logger, err := newLogger(*logFormat, stderr)
	if err != nil {
		return fs.fail("%v", err)
	}
	if *maxLargeBodies < 1 {
		return fs.fail("--max-large-bodies must be at least 1, got %d", *maxLargeBodies)
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return fs.fail("--addr must be HOST:PORT (such as 127.0.0.1:8080, or :8080 for every interface), got %q", *addr)
	}
	if *publicURL != "" {
		if u, err := url.Parse(*publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fs.fail("--public-url must be an absolute http(s) URL, got %q", *publicURL)
		}
	}
	var endpointTransport http.RoundTripper
	if *endpointCA != "" {
		roots, err := loadRoots(*endpointCA)
		if err != nil {
			return fs.fail("--endpoint-ca: %v", err)
		}
		endpointTransport = server.DefaultEndpointTransport(roots)
	}
	store, err := openStore(ctx, *db)
	var unknown errUnknownDatabase
	if errors.As(err, &unknown) {
		return fs.fail("--db: %v", err)
	}
	if err != nil {
		return err
	}
	defer store.Close()

	dev := *config == ""
	var access *server.Access
	if dev {
		access, err = server.DevAccess(ctx, store)
	} else {
		access, err = server.LoadAccessFile(*config)
	}
	if err != nil {
		return ioError{err} // the access file cannot be read or is not valid
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := *publicURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	srv, err := server.New(ctx, server.Config{Store: store, Access: access, PublicURL: base, Logger: logger, MaxLargeBodies: *maxLargeBodies,
		EndpointTransport: endpointTransport, CheckEndpointOnPublish: *checkOnPublish})
	if err != nil {
		ln.Close()
		return err
	}
	httpServer := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: *readHeaderTimeout,
		ReadTimeout:       *readTimeout, // a 10 MB upload on a slow link
		WriteTimeout:      *writeTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	printBanner(stdout, base, *db, access, dev)

	return serveUntil(ctx, httpServer, ln, func() { fmt.Fprintln(stdout, "waflows: shutting down") })
}

// serveUntil serves ln (behind the framing guard) until ctx ends, then shuts down: requests in flight get
// shutdownGrace to finish; then their connections are closed, which ends their contexts (validation
// stops, and store transactions that have not committed roll back: a 200 is only ever sent after a
// commit, so nothing acknowledged is lost). stopping runs when ctx has ended.
func serveUntil(ctx context.Context, httpServer *http.Server, ln net.Listener, stopping func()) error {
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(server.WrapListener(ln, httpServer)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stopping()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		httpServer.Close()
	}
	return nil
}

// shutdownGrace is how long serve lets requests in flight finish after SIGINT or SIGTERM.
const shutdownGrace = 750 * time.Millisecond

// openStore picks the store from --db: a postgres:// (or postgresql://) URL or a libpq key=value string
// ("host=db dbname=flows …") for PostgreSQL; sqlite:PATH or a plain path for SQLite. Any other URL scheme
// is refused (errUnknownDatabase), rather than taken for a file name. A SQLite file that cannot be opened
// is a local I/O error.
func openStore(ctx context.Context, db string) (api.FlowStore, error) {
	switch {
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"), isKeyValueDSN(db):
		return postgres.Open(ctx, db)
	case strings.HasPrefix(db, "sqlite:"):
		db = strings.TrimPrefix(db, "sqlite:")
	default:
		if scheme, _, ok := strings.Cut(db, "://"); ok && isScheme(scheme) {
			return nil, errUnknownDatabase{db}
		}
	}
	store, err := sqlite.Open(ctx, db)
	if err != nil && ctx.Err() == nil {
		return nil, ioError{err}
	}
	return store, err
}

// errUnknownDatabase is a --db URL of a scheme waflows has no store for.
type errUnknownDatabase struct{ db string }

func (e errUnknownDatabase) Error() string {
	return fmt.Sprintf("unknown database %q: give a SQLite file path, sqlite:PATH, or a postgres:// URL", redactDSN(e.db))
}

// libpqKeys are the connection keywords of libpq (and pgx) that a key=value DSN starts with.
var libpqKeys = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true, "passfile": true,
	"sslmode": true, "sslcert": true, "sslkey": true, "sslrootcert": true, "sslpassword": true, "service": true,
	"application_name": true, "connect_timeout": true, "options": true, "target_session_attrs": true,
}

// isKeyValueDSN reports whether db is a libpq key=value connection string: its first word is keyword=….
func isKeyValueDSN(db string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(db), " ")
	key, _, ok := strings.Cut(first, "=")
	return ok && libpqKeys[strings.TrimSpace(key)]
}

// isScheme reports whether s can be a URL scheme (RFC 3986: a letter, then letters, digits, + - .).
func isScheme(s string) bool {
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	case "off":
		return slog.New(slog.DiscardHandler), nil
	}
	return nil, fmt.Errorf("--log must be text, json or off, got %q", format)
}

func printBanner(w io.Writer, base, db string, access *server.Access, dev bool) {
	fmt.Fprintf(w, "waflows: serving the WhatsApp Flows API at %s%s (database %s)\n", base, server.APIPrefix, redactDSN(db))
	if !dev {
		fmt.Fprintf(w, "waflows: %d business account(s), %d phone number(s), %d app(s) and %d token(s) from the access file\n",
			len(access.BusinessAccounts), len(access.PhoneNumbers), len(access.Apps), len(access.Tokens))
		return
	}
	waba, token := access.BusinessAccounts[0].ID, access.Tokens[0].Token
	phone, app := access.PhoneNumbers[0].ID, access.Apps[0]
	fmt.Fprintf(w, `waflows: development credentials (kept in the database; pass --config to use your own)
  business account: %s
  token:            %s
  phone number:     %s
  app:              %s (secret %s; flows you create are linked to it)
try:
  curl -s -H 'Authorization: Bearer %s' %s%s/%s/flows
`, waba, token, phone, app.ID, app.Secret, token, base, server.APIPrefix, waba)
}

// redactDSN hides the passwords in a database URL (user:password@, ?password=) or key=value string
// (password=…, quoted or not) before it is printed.
func redactDSN(db string) string {
	if u, err := url.Parse(db); err == nil && u.Scheme != "" && strings.Contains(db, "://") {
		if u.User != nil {
			if _, has := u.User.Password(); has {
				u.User = url.UserPassword(u.User.Username(), "xxxxx")
			}
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return keyValuePassword.ReplaceAllString(db, "${1}xxxxx")
}

// keyValuePassword matches password=VALUE in a key=value string, VALUE bare or single-quoted with \' escapes.
var keyValuePassword = regexp.MustCompile(`((?:^|\s)password\s*=\s*)(?:'(?:[^'\\]|\\.)*'?|\S*)`)

// loadRoots returns the system's certificate pool with the PEM certificates of path added.
func loadRoots(path string) (*x509.CertPool, error) {
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if !roots.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("%s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path)
	}
	return roots, nil
}
