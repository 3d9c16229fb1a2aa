// Package server serves the WhatsApp Flows API over an api.FlowStore the way Meta's Graph API does: it
// implements echoserver.ServerInterface, checks bearer tokens, validates requests against the merged spec, and
// renders every failure as a Graph error envelope.
package server

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/gen/echoserver"
	"github.com/waflows/waflows/spec"
)

// APIPrefix is the path under which the API is served, as on graph.facebook.com.
const APIPrefix = "/v21.0"

// Config configures a Server.
type Config struct {
	Store api.FlowStore
	// Access lists business accounts and tokens; they are stored (accounts) and indexed (tokens) at New.
	Access *Access
	// PublicURL is the base of download and paging links, e.g. http://127.0.0.1:8080.
	PublicURL string
	// Logger receives one record per request; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AssetURLLifetime is how long a download_url works; zero means one hour.
	AssetURLLifetime time.Duration
	// MaxLargeBodies is how many requests with a body over 64 KB (or of unknown length) are handled at
	// once; zero means DefaultMaxLargeBodies. LargeBodyWait is how long another waits for one of them to
	// finish before it is refused with code 4; zero means one second.
	MaxLargeBodies int
	LargeBodyWait  time.Duration
	// LargeBodyIdle is the longest a large body may pause (and the time after which it must average
	// 64 KB/s); zero means ten seconds.
	LargeBodyIdle time.Duration
	// EndpointTransport is how the server reaches a flow's data endpoint (endpoint_uri): the interactive
	// preview with a phone_number, and the publishing check; nil means DefaultEndpointTransport(nil), the
	// system's roots.
	EndpointTransport http.RoundTripper
	// CheckEndpointOnPublish makes publishing an endpoint flow run Meta's checks first: a phone number, a
	// business public key uploaded for it, a linked app, and an endpoint that answers the health check.
	CheckEndpointOnPublish bool
}

// Server is the Graph-compatible Flows API over a store.
type Server struct {
	echo     *echo.Echo
	store    api.FlowStore
	grants   grants
	accounts map[string]api.BusinessAccount
	phones   map[string]api.PhoneNumber
	// phoneOrder is the phone numbers in the access file's order.
	phoneOrder []string
	// checkPublish runs the endpoint checks before publishing (Config.CheckEndpointOnPublish).
	checkPublish bool
	apps         map[string]App
	signKey      []byte
	publicURL    string
	log          *slog.Logger
	now          func() time.Time
	urlTTL       time.Duration
	checks       map[string]*opCheck
	bodySlots    chan struct{}
	bodyWait     time.Duration
	bodyIdle     time.Duration
	cursors      *cursorSealer
	preview      *previewer
	// endpointTransport reaches data endpoints for the preview.
	endpointTransport http.RoundTripper
}

var _ echoserver.ServerInterface = (*Server)(nil)

// New stores the configured business accounts, loads or creates the download-URL signing key, compiles
// the request checks from the merged spec and wires the routes.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Access == nil {
		return nil, errors.New("server: Store and Access are required")
	}
	s := &Server{
		store:     cfg.Store,
		grants:    newGrants(cfg.Access),
		accounts:  map[string]api.BusinessAccount{},
		phones:    map[string]api.PhoneNumber{},
		apps:      map[string]App{},
		publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		log:       cfg.Logger,
		now:       cfg.Now,
		urlTTL:    cfg.AssetURLLifetime,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.urlTTL == 0 {
		s.urlTTL = time.Hour
	}
	if cfg.MaxLargeBodies <= 0 {
		cfg.MaxLargeBodies = DefaultMaxLargeBodies
	}
	s.bodySlots = make(chan struct{}, cfg.MaxLargeBodies)
	if s.bodyWait = cfg.LargeBodyWait; s.bodyWait <= 0 {
		s.bodyWait = defaultLargeBodyWait
	}
	if s.bodyIdle = cfg.LargeBodyIdle; s.bodyIdle <= 0 {
		s.bodyIdle = defaultLargeBodyIdle
	}
	for _, a := range cfg.Access.BusinessAccounts {
		if err := s.store.PutBusinessAccount(ctx, a); err != nil {
			return nil, fmt.Errorf("server: store business account %s: %w", a.ID, err)
		}
		s.accounts[a.ID] = a
	}
	for _, p := range cfg.Access.PhoneNumbers {
		s.phones[p.ID] = p
		s.phoneOrder = append(s.phoneOrder, p.ID)
	}
	s.checkPublish = cfg.CheckEndpointOnPublish
	for _, a := range cfg.Access.Apps {
		s.apps[a.ID] = a
	}
	key := cfg.Access.SigningKey
	if key == "" {
		var err error
		if key, err = s.store.InitSetting(ctx, settingSigningKey, randomHex(32)); err != nil {
			return nil, fmt.Errorf("server: signing key: %w", err)
		}
	}
	if b, err := hex.DecodeString(key); err == nil && len(b) >= 16 {
		s.signKey = b
	} else {
		s.signKey = []byte(key)
	}
	s.cursors = newCursorSealer(s.signKey)
	s.preview = newPreviewer(s.now, s.log)
	if s.endpointTransport = cfg.EndpointTransport; s.endpointTransport == nil {
		s.endpointTransport = DefaultEndpointTransport(nil)
	}
	doc, err := spec.Load()
	if err != nil {
		return nil, fmt.Errorf("server: load embedded spec: %w", err)
	}
	if s.checks, err = compileChecks(doc); err != nil {
		return nil, fmt.Errorf("server: compile request checks: %w", err)
	}
	s.routes()
	return s, nil
}

// ServeHTTP serves the API, the download links and /healthz.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

func (s *Server) routes() {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	e.Use(s.requestLog, s.recoverMiddleware)
	e.GET("/healthz", s.healthz)
	e.GET(assetPath, s.downloadAsset)
	e.GET(refusedPath, s.refusedRequest)
	e.GET(previewPath, s.previewPage)
	e.POST(previewPath, s.previewPage)
	e.GET(previewAssetPrefix+"*", s.previewAsset)
	g := e.Group(APIPrefix, s.authenticate, s.limitLargeBodies)
	echoserver.RegisterHandlersWithOptions(g, s, echoserver.RegisterHandlersOptions{OperationMiddlewares: s.validationMiddlewares()})
	s.echo = e
}

// healthz serves GET /healthz: 200 {"status":"ok"} while the store can serve, else 503 with a reason that
// names no path (the caller needs no token); the log has the detail.
func (s *Server) healthz(c echo.Context) error {
	err := s.store.Health(c.Request().Context())
	if err == nil {
		return c.JSONBlob(http.StatusOK, []byte(`{"status":"ok"}`))
	}
	reason := "the store does not answer"
	if api.ErrorCodeOf(err) == api.EUNAVAILABLE {
		reason = "the store cannot take writes (its database file was deleted or replaced, or the database is unreachable)"
	}
	s.log.Warn("health check failed", "err", err)
	b := []byte(`{"status":"unavailable","reason":`)
	b = appendString(b, reason)
	return c.JSONBlob(http.StatusServiceUnavailable, append(b, '}'))
}

// requestLog gives each request its fbtrace_id and logs one record when it ends.
func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		id := newTraceID()
		c.Set(traceIDKey, id)
		c.Response().Header().Set("X-FB-Trace-Id", id)
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		if s.log.Enabled(c.Request().Context(), slog.LevelInfo) {
			r := c.Request()
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("path", truncate(r.URL.Path, 256)),
				slog.Int("status", c.Response().Status),
				slog.Int64("bytes", c.Response().Size),
				slog.Duration("duration", time.Since(start)),
				slog.String("fbtrace_id", id))
		}
		return nil
	}
}

// grantKey is where the caller's grant waits in the Echo context.
const grantKey = "grant"

// authenticate requires a known bearer token (or Graph's access_token query parameter).
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearerToken(c.Request())
		if !ok {
			return &api.Error{Code: api.EUNAUTHORIZED, Message: "An access token is required to request this resource.",
				Detail: "Send the header Authorization: Bearer <token>."}
		}
		g := s.grants.lookup(token)
		if g == nil {
			return &api.Error{Code: api.EUNAUTHORIZED, Message: "Invalid OAuth access token - Cannot parse access token"}
		}
		c.Set(grantKey, g)
		return next(c)
	}
}

func bearerToken(r *http.Request) (string, bool) {
	if h := r.Header.Get(echo.HeaderAuthorization); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return "", false
		}
		token = strings.TrimSpace(token)
		return token, token != ""
	}
	if t := r.URL.Query().Get("access_token"); t != "" {
		return t, true
	}
	return "", false
}

func callerGrant(c echo.Context) *grant {
	g, _ := c.Get(grantKey).(*grant)
	if g == nil {
		return &grant{}
	}
	return g
}

func stack() string { return string(debug.Stack()) }
