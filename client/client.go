// Package client is a Go client for the WhatsApp Flows API, for Meta's Graph API and for waflows serve
// alike. It is a thin layer over the client generated in gen/: the model types are the generated ones,
// every method takes a context first, failures are *Error values decoded from Graph's error envelope, and
// transient or rate-limited calls are retried with backoff where that is safe.
//
//	c, err := client.New(client.WithToken(os.Getenv("WAFLOWS_TOKEN")))
//	id, _, err := c.CreateFlow(ctx, wabaID, client.CreateFlowRequest{Name: "Survey", Categories: []client.Category{"SURVEY"}})
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/waflows/waflows/gen"
)

// DefaultBaseURL is Meta's Graph API, version 21.0.
const DefaultBaseURL = "https://graph.facebook.com/v21.0"

// Model types: the generated ones, under shorter names.
type (
	// Flow is a flow as Graph returns it; fields not asked for are nil.
	Flow = gen.Flow
	// FlowStatus is a flow's lifecycle state.
	FlowStatus = gen.FlowStatus
	// Category is a flow category, as the flow, its create and its update bodies name it.
	Category = gen.FlowCategory
	// CreateFlowRequest is the body of CreateFlow.
	CreateFlowRequest = gen.CreateFlowRequest
	// UpdateFlowRequest is the body of UpdateFlow; nil fields stay as they are.
	UpdateFlowRequest = gen.UpdateFlowRequest
	// ValidationError is one problem Meta's validator found in a Flow JSON.
	ValidationError = gen.FlowValidationError
	// Asset is one asset of a flow (its flow.json).
	Asset = gen.GetFlowAssets200JSONResponseBody_Data
)

// The flow categories Graph knows.
const (
	CategorySignUp             = gen.FlowCategorySIGNUP
	CategorySignIn             = gen.FlowCategorySIGNIN
	CategoryAppointmentBooking = gen.FlowCategoryAPPOINTMENTBOOKING
	CategoryLeadGeneration     = gen.FlowCategoryLEADGENERATION
	CategoryContactUs          = gen.FlowCategoryCONTACTUS
	CategoryCustomerSupport    = gen.FlowCategoryCUSTOMERSUPPORT
	CategorySurvey             = gen.FlowCategorySURVEY
	CategoryOther              = gen.FlowCategoryOTHER
)

// The states of a flow's lifecycle.
const (
	StatusDraft      = gen.FlowStatusDRAFT
	StatusPublished  = gen.FlowStatusPUBLISHED
	StatusDeprecated = gen.FlowStatusDEPRECATED
	StatusBlocked    = gen.FlowStatusBLOCKED
	StatusThrottled  = gen.FlowStatusTHROTTLED
)

// Ptr returns a pointer to v, for the optional fields of the request types:
// client.UpdateFlowRequest{Name: client.Ptr("Survey v2")}.
func Ptr[T any](v T) *T { return &v }

// Client calls the WhatsApp Flows API. It is safe for concurrent use.
type Client struct {
	gen       *gen.ClientWithResponses
	http      *http.Client
	doer      *retryDoer
	baseURL   string
	token     string
	userAgent string
	retry     RetryPolicy
}

// Option configures a Client.
type Option func(*Client) error

// WithToken sets the access token sent as "Authorization: Bearer <token>". It is required.
func WithToken(token string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(token) == "" {
			return errors.New("client: WithToken: the token is empty")
		}
		c.token = token
		return nil
	}
}

// WithBaseURL sets the API base, e.g. http://127.0.0.1:8080/v21.0 for waflows serve. An empty base means
// DefaultBaseURL (so a variable that is unset selects Meta's API).
func WithBaseURL(base string) Option {
	return func(c *Client) error {
		if base == "" {
			c.baseURL = DefaultBaseURL
			return nil
		}
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("client: WithBaseURL: %q is not an absolute http(s) URL", base)
		}
		c.baseURL = strings.TrimRight(base, "/")
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for every request. Default: a client with a 60 s timeout.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) error {
		if h == nil {
			return errors.New("client: WithHTTPClient: nil client")
		}
		c.http = h
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		c.userAgent = ua
		return nil
	}
}

// WithRetry sets the retry policy. Default: DefaultRetryPolicy; NoRetry turns retries off.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxAttempts < 1 {
			return errors.New("client: WithRetry: MaxAttempts must be at least 1")
		}
		c.retry = p
		return nil
	}
}

// New returns a Client. WithToken is required.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		baseURL:   DefaultBaseURL,
		http:      &http.Client{Timeout: defaultTimeout},
		userAgent: "waflows-go-client",
		retry:     DefaultRetryPolicy,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.token == "" {
		return nil, errors.New("client: an access token is required (WithToken)")
	}
	c.doer = &retryDoer{next: c.http, policy: c.retry}
	g, err := gen.NewClientWithResponses(c.baseURL, gen.WithHTTPClient(compatDoer{next: c.doer}), gen.WithRequestEditorFn(c.authorize))
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	c.gen = g
	return c, nil
}

// BaseURL returns the API base the client calls.
func (c *Client) BaseURL() string { return c.baseURL }

func (c *Client) authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+c.token)
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	return nil
}

// Response is the HTTP response behind a call's result.
type Response struct {
	*http.Response
	// TraceID is Graph's x-fb-trace-id, worth quoting when asking Meta about a call.
	TraceID string
}

func newResponse(r *http.Response) *Response {
	if r == nil {
		return nil
	}
	return &Response{Response: r, TraceID: r.Header.Get("X-Fb-Trace-Id")}
}
