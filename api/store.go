package api

import "context"

// FlowStore keeps business accounts, flows and their flow JSON. Implementations are named after their
// dependency (sqlite, postgres) and pass the suite in api/storetest. Every method that returns nil has
// made its change durable.
type FlowStore interface {
	// PutBusinessAccount creates or renames a business account.
	PutBusinessAccount(ctx context.Context, a BusinessAccount) error
	// BusinessAccount returns one account; ENOTFOUND when it does not exist.
	BusinessAccount(ctx context.Context, id string) (BusinessAccount, error)

	// Setting returns a stored server setting, or "" when unset.
	Setting(ctx context.Context, key string) (string, error)
	// InitSetting stores value under key unless a value is already there, and returns the stored value.
	InitSetting(ctx context.Context, key, value string) (string, error)

	// PutBusinessPublicKey stores the public key of a phone number, replacing the one before.
	PutBusinessPublicKey(ctx context.Context, k BusinessPublicKey) error
	// BusinessPublicKey returns a phone number's public key; ENOTFOUND when none was uploaded.
	BusinessPublicKey(ctx context.Context, phoneNumberID string) (BusinessPublicKey, error)

	// CreateFlow stores a new flow and assigns its ID (when empty) and Seq, taking its flow JSON from src.
	// Returns ECONFLICT when the name is already used in the business account, ENOTFOUND when the flow
	// to clone is gone, and any error of src.Finish.
	CreateFlow(ctx context.Context, f *Flow, src Source) error
	// Flow returns one flow; ENOTFOUND when it does not exist. The slices of flows returned by Flow and
	// ListFlows may be shared with the store: callers read them and never modify them.
	Flow(ctx context.Context, id string) (Flow, error)
	// ListFlows returns one page of a business account's flows, newest first.
	ListFlows(ctx context.Context, wabaID string, p Page) (FlowPage, error)
	// UpdateFlow reads a flow, lets change modify it and writes it back, all in one transaction, so
	// concurrent changes to one flow serialize. An error from change aborts and is returned as is.
	// Returns ENOTFOUND when the flow does not exist and ECONFLICT when a new name is already used.
	UpdateFlow(ctx context.Context, id string, change func(*Flow) error) (Flow, error)
	// PutAsset replaces a flow's JSON in one transaction with change, which updates the flow's metadata
	// (and may refuse, aborting the upload).
	PutAsset(ctx context.Context, id string, content []byte, change func(*Flow) error) (Flow, error)
	// Asset returns the bytes of a flow's JSON; ENOTFOUND when the flow or its JSON does not exist.
	Asset(ctx context.Context, id string) ([]byte, error)
	// DeleteFlow removes a flow and its JSON after check approves it, in one transaction.
	DeleteFlow(ctx context.Context, id string, check func(*Flow) error) error
	// Health reports whether the store can serve reads and writes; EUNAVAILABLE (or another error) when not.
	Health(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Source says where a new flow's JSON comes from.
type Source struct {
	// CloneOf copies that flow's JSON and validation state, read in the creating transaction.
	CloneOf string
	// Content, when CloneOf is empty and f.Asset is set, is stored as the flow's JSON.
	Content []byte
	// Finish, if set, runs in the creating transaction on the assembled flow just before it is written;
	// it may change the flow (e.g. publish it) or refuse, which stores nothing.
	Finish func(*Flow) error
}

// Page selects a page of a keyset listing. At most one of After and Before is set.
type Page struct {
	Limit int
	// After returns flows older than the flow with this Seq; Before returns flows newer than it.
	After, Before int64
}

// FlowPage is one page of flows, newest first, and whether more exist on either side.
type FlowPage struct {
	Flows       []Flow
	HasNext     bool // older flows exist after the last one
	HasPrevious bool // newer flows exist before the first one
}
