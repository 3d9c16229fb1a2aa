// Package api is the waflows domain: flows, their lifecycle rules, the errors operations return, and the
// FlowStore interface that storage adapters implement. It depends on the standard library only.
package api

import (
	"crypto/rand"
	"math/big"
	"time"
)

// Status is a flow's lifecycle state.
type Status string

// The flow states Graph reports.
const (
	StatusDraft      Status = "DRAFT"
	StatusPublished  Status = "PUBLISHED"
	StatusDeprecated Status = "DEPRECATED"
	StatusBlocked    Status = "BLOCKED"
	StatusThrottled  Status = "THROTTLED"
)

// Category is one of the flow categories Meta accepts.
type Category string

// Categories lists every category Meta accepts, in the order Meta documents them.
var categories = []Category{
	"SIGN_UP", "SIGN_IN", "APPOINTMENT_BOOKING", "LEAD_GENERATION",
	"CONTACT_US", "CUSTOMER_SUPPORT", "SURVEY", "OTHER",
}

// Categories returns every category Meta accepts.
func Categories() []Category { return append([]Category(nil), categories...) }

// Valid reports whether c is a category Meta accepts.
func (c Category) Valid() bool {
	for _, k := range categories {
		if c == k {
			return true
		}
	}
	return false
}

// AssetName and AssetType are the only asset name and type a flow has.
const (
	AssetName = "flow.json"
	AssetType = "FLOW_JSON"
	// MaxAssetSize is Meta's limit for a Flow JSON file.
	MaxAssetSize = 10 << 20
)

// ValidationError is one problem the Flow JSON validator found, as Graph reports it.
type ValidationError struct {
	Error       string   `json:"error"`
	ErrorType   string   `json:"error_type"`
	Message     string   `json:"message"`
	LineStart   int      `json:"line_start"`
	LineEnd     int      `json:"line_end"`
	ColumnStart int      `json:"column_start"`
	ColumnEnd   int      `json:"column_end"`
	Pointers    []string `json:"pointers,omitempty"`
}

// BusinessAccount is a WhatsApp Business Account (WABA) that owns flows.
type BusinessAccount struct {
	ID   string
	Name string
}

// Flow is a WhatsApp Flow as the server stores it.
type Flow struct {
	ID         string
	WABAID     string
	Name       string
	Status     Status
	Categories []Category
	// ValidationErrors are those of the current flow JSON; empty when there is none or it is valid.
	ValidationErrors []ValidationError
	// JSONVersion and DataAPIVersion come from the uploaded flow JSON.
	JSONVersion    string
	DataAPIVersion string
	// UsesEndpoint tells whether the flow JSON needs a data endpoint (data_api_version or data_exchange).
	UsesEndpoint  bool
	EndpointURI   string
	ApplicationID string
	// Asset describes the uploaded flow JSON; nil until one is uploaded.
	Asset     *AssetInfo
	CreatedAt time.Time
	UpdatedAt time.Time
	// Seq orders flows by creation: a later flow has a larger Seq. The store assigns it.
	Seq int64
	// Preview is the flow's web preview link, when one was asked for (GET ?fields=preview).
	Preview Preview
}

// Preview is a flow's web preview link: the secret in its URL and when it stops working. The zero value
// means no link has been made.
type Preview struct {
	Token     string
	ExpiresAt time.Time
}

// PreviewLifetime is how long a preview link works: Meta's preview URL "lasts 30 days".
const PreviewLifetime = 30 * 24 * time.Hour

// Valid reports whether the link exists and has not expired at now.
func (p Preview) Valid(now time.Time) bool { return p.Token != "" && now.Before(p.ExpiresAt) }

// AssetInfo describes a stored flow JSON without its bytes.
type AssetInfo struct {
	SHA256     string // hex
	Size       int64
	UploadedAt time.Time
}

// Asset is a flow JSON file with the facts the validator derived from it.
type Asset struct {
	Content          []byte
	ValidationErrors []ValidationError
	JSONVersion      string
	DataAPIVersion   string
	UsesEndpoint     bool
}

// NewFlowID returns a random numeric flow id of 15 or 16 digits, like Graph's.
func NewFlowID() string {
	// [10^14, 10^16): 15 or 16 digits, never sequential.
	lo := new(big.Int).Exp(big.NewInt(10), big.NewInt(14), nil)
	span := new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(16), nil), lo)
	n, err := rand.Int(rand.Reader, span)
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return n.Add(n, lo).String()
}
