// Package waflowstest runs a real waflows server inside a Go test, so code that manages WhatsApp Flows can
// be tested without Meta: one call starts it on temporary SQLite storage, and the test's cleanup stops it.
//
//	func TestPublishSurvey(t *testing.T) {
//		srv := waflowstest.Start(t)
//		c := srv.Client(t)
//		id, _, err := c.CreateFlow(ctx, srv.BusinessAccountID, client.CreateFlowRequest{…})
//		…
//	}
package waflowstest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/sqlite"
	"github.com/waflows/waflows/client"
	"github.com/waflows/waflows/server"
)

// The default business account, its phone number, its token and the app the token belongs to (flows
// created with the token are linked to it; its secret signs data endpoint requests).
const (
	DefaultBusinessAccountID = "102290129340398"
	DefaultPhoneNumberID     = "106540352242922"
	DefaultToken             = "waflowstest-token"
	DefaultAppID             = "1234567890123456"
	DefaultAppSecret         = "waflowstest-app-secret"
)

// Server is a running waflows server.
type Server struct {
	// URL is the API base to give a client, e.g. http://127.0.0.1:41234/v21.0.
	URL string
	// Token reaches BusinessAccountID.
	Token string
	// BusinessAccountID is the default WhatsApp Business Account.
	BusinessAccountID string
	// PhoneNumberID is the default account's phone number (for whatsapp_business_encryption).
	PhoneNumberID string
	// AppID and AppSecret are the Meta app of Token.
	AppID, AppSecret string

	tokens map[string]string
	http   *httptest.Server
	store  *sqlite.Store
	dir    string
}

type account struct{ id, name string }

type config struct{ extra []account }

// Option configures a Server.
type Option func(*config)

// WithBusinessAccount adds a business account with its own token (see TokenFor), e.g. to test that one
// account cannot see another's flows.
func WithBusinessAccount(id, name string) Option {
	return func(c *config) { c.extra = append(c.extra, account{id, name}) }
}

// Start starts a server for the test and stops it, removing its storage, when the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := New(opts...)
	if err != nil {
		tb.Fatalf("waflowstest: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// New starts a server outside a test (in an example, say); call Close when done.
func New(opts ...Option) (*Server, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	access := &server.Access{
		BusinessAccounts: []api.BusinessAccount{{ID: DefaultBusinessAccountID, Name: "Test business account"}},
		PhoneNumbers:     []api.PhoneNumber{{ID: DefaultPhoneNumberID, WABAID: DefaultBusinessAccountID, DisplayPhoneNumber: "+1 555-0100"}},
		Apps:             []server.App{{ID: DefaultAppID, Name: "Test app", Secret: DefaultAppSecret}},
		Tokens:           []server.Token{{Token: DefaultToken, BusinessAccounts: []string{DefaultBusinessAccountID}, App: DefaultAppID}},
	}
	s := &Server{Token: DefaultToken, BusinessAccountID: DefaultBusinessAccountID, PhoneNumberID: DefaultPhoneNumberID,
		AppID: DefaultAppID, AppSecret: DefaultAppSecret,
		tokens: map[string]string{DefaultBusinessAccountID: DefaultToken}}
	for i, a := range cfg.extra {
		if _, dup := s.tokens[a.id]; dup {
			return nil, fmt.Errorf("business account %s is added twice", a.id)
		}
		if a.id == DefaultPhoneNumberID || a.id == DefaultAppID {
			return nil, fmt.Errorf("business account id %s is the default phone number's or app's id; choose another", a.id)
		}
		token := fmt.Sprintf("waflowstest-token-%d", i+2)
		access.BusinessAccounts = append(access.BusinessAccounts, api.BusinessAccount{ID: a.id, Name: a.name})
		access.Tokens = append(access.Tokens, server.Token{Token: token, BusinessAccounts: []string{a.id}})
		s.tokens[a.id] = token
	}
	if err := checkAccess(access); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "waflowstest-")
	if err != nil {
		return nil, err
	}
	s.dir = dir
	ctx := context.Background()
	if s.store, err = sqlite.Open(ctx, filepath.Join(dir, "waflows.db")); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.http = httptest.NewUnstartedServer(nil) // listens already; serves once started
	s.http.Config.ReadHeaderTimeout = 10 * time.Second
	s.http.Listener = server.WrapListener(s.http.Listener, s.http.Config)
	srv, err := server.New(ctx, server.Config{Store: s.store, Access: access, PublicURL: "http://" + s.http.Listener.Addr().String()})
	if err != nil {
		s.Close()
		return nil, err
	}
	s.http.Config.Handler = srv
	s.http.Start()
	s.URL = s.http.URL + server.APIPrefix
	return s, nil
}

// checkAccess applies the access file's rules (numeric ids and so on) to the options.
func checkAccess(a *server.Access) error {
	for _, ba := range a.BusinessAccounts {
		for _, c := range ba.ID {
			if c < '0' || c > '9' {
				return fmt.Errorf("business account id %q must be numeric", ba.ID)
			}
		}
		if ba.ID == "" {
			return fmt.Errorf("business account id is empty")
		}
	}
	return nil
}

// TokenFor returns the token of a business account added with WithBusinessAccount (or the default one).
func (s *Server) TokenFor(businessAccountID string) string { return s.tokens[businessAccountID] }

// Client returns a client for the default account's token (and any further options). It fails the test
// on error.
func (s *Server) Client(tb testing.TB, opts ...client.Option) *client.Client {
	tb.Helper()
	c, err := client.New(append([]client.Option{client.WithBaseURL(s.URL), client.WithToken(s.Token)}, opts...)...)
	if err != nil {
		tb.Fatalf("waflowstest: %v", err)
	}
	return c
}

// Close stops the server and removes its storage.
func (s *Server) Close() {
	if s.http != nil {
		s.http.Close()
	}
	if s.store != nil {
		s.store.Close()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}
