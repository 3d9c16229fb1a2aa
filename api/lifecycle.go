package api

import (
	"fmt"
	"time"
)

// The Graph titles of lifecycle refusals; Meta's clients match on these strings.
const (
	msgCannotUpdate         = "Flow can't be updated"
	msgEndpointInJSON       = "Specify Endpoint Uri in Flow JSON"
	msgPublishState         = "Publishing Flow in invalid state"
	msgPublishInvalid       = "Publishing Flow with validation errors"
	msgPublishVersion       = "Versions in Flow JSON file are not available for publishing"
	msgPublishNoEndpoint    = "Publishing without specifying endpoint_uri is forbidden"
	msgDeprecateUnpublished = "Can't deprecate unpublished flow"
	msgAlreadyDeprecated    = "Flow is already deprecated"
	msgCannotDelete         = "Can't delete published Flow"
)

// FlowUpdate holds the metadata an update changes; nil fields stay as they are.
type FlowUpdate struct {
	Name          *string
	Categories    []Category // nil: unchanged
	EndpointURI   *string
	ApplicationID *string
}

// CheckEditable returns ENOTUPDATABLE unless the flow is a draft: published flows are immutable.
func (f *Flow) CheckEditable() error {
	if f.Status != StatusDraft {
		return &Error{Code: ENOTUPDATABLE, Message: msgCannotUpdate,
			Detail: fmt.Sprintf("The flow is %s; only DRAFT flows can be changed. Clone it to make a new draft.", f.Status)}
	}
	return nil
}

// ApplyUpdate changes the flow's metadata. It returns ENOTUPDATABLE when the flow is not a draft, or when
// endpoint_uri is given for a flow whose JSON is older than 3.0 (those keep it in the JSON).
func (f *Flow) ApplyUpdate(u FlowUpdate, now time.Time) error {
	if err := f.CheckEditable(); err != nil {
		return err
	}
	if u.EndpointURI != nil && VersionBelow3(f.JSONVersion) {
		return &Error{Code: ENOTUPDATABLE, Message: msgEndpointInJSON,
			Detail: "Flow JSON versions below 3.0 set the endpoint as data_channel_uri in the JSON, not with endpoint_uri."}
	}
	if u.Name != nil {
		f.Name = *u.Name
	}
	if u.Categories != nil {
		f.Categories = u.Categories
	}
	if u.EndpointURI != nil {
		f.EndpointURI = *u.EndpointURI
	}
	if u.ApplicationID != nil {
		f.ApplicationID = *u.ApplicationID
	}
	f.UpdatedAt = now
	return nil
}

// SetAsset replaces the flow JSON of a draft and records what the validator found in it.
func (f *Flow) SetAsset(a *Asset, info AssetInfo) error {
	if err := f.CheckEditable(); err != nil {
		return err
	}
	f.ValidationErrors = a.ValidationErrors
	f.JSONVersion = a.JSONVersion
	f.DataAPIVersion = a.DataAPIVersion
	f.UsesEndpoint = a.UsesEndpoint
	f.Asset = &info
	f.UpdatedAt = info.UploadedAt
	return nil
}

// Publish moves a draft to PUBLISHED after Meta's publishing checks: an uploaded JSON without validation
// errors, a version Meta still publishes (publishable reports that), and an endpoint_uri when the JSON
// uses an endpoint. It returns EPUBLISH naming the first check that failed.
func (f *Flow) Publish(publishable func(version string) bool, now time.Time) error {
	refuse := func(msg, detail string) error { return &Error{Code: EPUBLISH, Message: msg, Detail: detail} }
	switch {
	case f.Status != StatusDraft:
		return refuse(msgPublishState, fmt.Sprintf("The flow is %s; only DRAFT flows can be published.", f.Status))
	case f.Asset == nil:
		return refuse(msgPublishInvalid, "No Flow JSON has been uploaded for this flow.")
	case len(f.ValidationErrors) > 0:
		return refuse(msgPublishInvalid, fmt.Sprintf("The Flow JSON has %d validation error(s); fix them and upload it again.", len(f.ValidationErrors)))
	case !publishable(f.JSONVersion):
		return refuse(msgPublishVersion, fmt.Sprintf("Flow JSON version %q can no longer be published; upgrade the JSON to a newer version.", f.JSONVersion))
	case f.UsesEndpoint && f.EndpointURI == "":
		return refuse(msgPublishNoEndpoint, "The Flow JSON uses a data endpoint; set endpoint_uri on the flow before publishing.")
	}
	f.Status = StatusPublished
	f.UpdatedAt = now
	return nil
}

// Deprecate moves a published, throttled or blocked flow to DEPRECATED, for good.
func (f *Flow) Deprecate(now time.Time) error {
	switch f.Status {
	case StatusPublished, StatusThrottled, StatusBlocked:
		f.Status = StatusDeprecated
		f.UpdatedAt = now
		return nil
	case StatusDeprecated:
		return &Error{Code: EDEPRECATE, Message: msgAlreadyDeprecated, Detail: "A deprecated flow cannot be deprecated again."}
	default:
		return &Error{Code: EDEPRECATE, Message: msgDeprecateUnpublished, Detail: "Only published flows can be deprecated; delete a draft instead."}
	}
}

// CheckDeletable returns EDELETE unless the flow is a draft.
func (f *Flow) CheckDeletable() error {
	switch f.Status {
	case StatusDraft:
		return nil
	case StatusDeprecated:
		return &Error{Code: EDELETE, Message: msgCannotDelete, Detail: "The flow is DEPRECATED; only DRAFT flows can be deleted."}
	default:
		return &Error{Code: EDELETE, Message: msgCannotDelete,
			Detail: fmt.Sprintf("The flow is %s; only DRAFT flows can be deleted. Deprecate it instead.", f.Status)}
	}
}

// VersionBelow3 reports whether a Flow JSON version such as "2.1" is older than 3.0. An empty or
// malformed version is not.
func VersionBelow3(v string) bool {
	return len(v) >= 2 && v[0] >= '0' && v[0] <= '2' && v[1] == '.'
}
