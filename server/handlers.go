package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/gen"
	"github.com/waflows/waflows/spec/flowjson"
)

// Paging limits of the flows edge.
const (
	defaultPageSize = 25
	maxPageSize     = 100
)

// reachableFlow returns a flow the caller's token may use. A flow of another business account is
// reported exactly like a missing one.
func (s *Server) reachableFlow(c echo.Context, id string) (api.Flow, error) {
	f, err := s.store.Flow(c.Request().Context(), id)
	if err != nil {
		return api.Flow{}, err
	}
	if !callerGrant(c).accounts[f.WABAID] {
		return api.Flow{}, api.NotFound(id)
	}
	return f, nil
}

// checkAccount returns ENOTFOUND unless the caller's token reaches the business account.
func (s *Server) checkAccount(c echo.Context, wabaID string) (api.BusinessAccount, error) {
	a, ok := s.accounts[wabaID]
	if !ok || !callerGrant(c).accounts[wabaID] {
		return api.BusinessAccount{}, api.NotFound(wabaID)
	}
	return a, nil
}

// checkFlowAccess confirms, inside a store transaction, that the flow still belongs to a reachable account.
func checkFlowAccess(c echo.Context, f *api.Flow) error {
	if !callerGrant(c).accounts[f.WABAID] {
		return api.NotFound(f.ID)
	}
	return nil
}

var successBody = []byte(`{"success":true}`)

// createRequest is the create body: the spec's fields plus Graph's flow_json and publish, which the
// upstream file omits.
type createRequest struct {
	gen.CreateFlowRequest
	FlowJSON *string `json:"flow_json,omitempty"`
	Publish  *bool   `json:"publish,omitempty"`
}

// decodeBody decodes the checked JSON body into v, naming a mistyped field.
func decodeBody(c echo.Context, v any) error {
	raw, _ := c.Get(bodyKey).([]byte)
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return api.Errorf(api.EINVALID, "(#100) Param %s must be %s", te.Field, jsonKind(te.Type.Kind().String()))
		}
		return api.Errorf(api.EINVALID, "(#100) The request body is not valid JSON: %s", truncate(err.Error(), 200))
	}
	return nil
}

func jsonKind(k string) string {
	switch k {
	case "bool":
		return "a boolean"
	case "string", "ptr":
		return "a string"
	case "slice":
		return "an array"
	}
	return "of another type"
}

// CreateFlow implements POST /{waba-id}/flows.
func (s *Server) CreateFlow(c echo.Context, wabaID gen.WabaId) error {
	if _, err := s.checkAccount(c, wabaID); err != nil {
		return err
	}
	var req createRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	if err := api.CheckName(req.Name); err != nil {
		return err
	}
	names := make([]string, len(req.Categories))
	for i, cat := range req.Categories {
		names[i] = string(cat)
	}
	cats, err := api.ParseCategories(names)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	f := &api.Flow{WABAID: wabaID, Name: req.Name, Status: api.StatusDraft, Categories: cats, CreatedAt: now, UpdatedAt: now}
	if req.EndpointUri != nil {
		if err := api.CheckEndpointURI(*req.EndpointUri); err != nil {
			return err
		}
		f.EndpointURI = *req.EndpointUri
	}
	var src api.Source
	if req.CloneFlowId != nil {
		if req.FlowJSON != nil {
			return api.Errorf(api.EINVALID, "Only one clone source can be set")
		}
		if _, err := s.reachableFlow(c, *req.CloneFlowId); err != nil {
			if api.ErrorCodeOf(err) == api.ENOTFOUND {
				return &api.Error{Code: api.EINVALID, Message: "Flow with specified ID does not exist",
					Detail: "clone_flow_id must name a flow this access token can reach."}
			}
			return err
		}
		src.CloneOf = *req.CloneFlowId
	}
	var verrs []api.ValidationError
	if req.FlowJSON != nil {
		content := []byte(*req.FlowJSON)
		if len(content) > api.MaxAssetSize {
			return api.Errorf(api.EINVALID, "(#100) Param flow_json exceeds the %d byte limit", api.MaxAssetSize)
		}
		asset := analyzeAsset(content)
		verrs = asset.ValidationErrors
		src.Content = content
		if err := f.SetAsset(asset, assetInfo(content, now)); err != nil {
			return err
		}
	}
	publish := req.Publish != nil && *req.Publish
	src.Finish = func(f *api.Flow) error {
		if f.EndpointURI != "" && api.VersionBelow3(f.JSONVersion) {
			return &api.Error{Code: api.EINVALID, Message: "Specify Endpoint Uri in Flow JSON",
				Detail: "The cloned Flow JSON is older than 3.0; its endpoint is set as data_channel_uri in the JSON."}
		}
		if publish {
			return f.Publish(flowjson.IsPublishableVersion, now)
		}
		return nil
	}
	if err := s.store.CreateFlow(c.Request().Context(), f, src); err != nil {
		if api.ErrorCodeOf(err) == api.ENOTFOUND && src.CloneOf != "" {
			return &api.Error{Code: api.EINVALID, Message: "Flow with specified ID does not exist",
				Detail: "clone_flow_id must name a flow this access token can reach."}
		}
		return err
	}
	b := append(make([]byte, 0, 64), `{"id":`...)
	b = appendString(b, f.ID)
	if req.FlowJSON != nil {
		b = append(b, `,"success":true,"validation_errors":`...)
		b = appendValidationErrors(b, verrs)
	}
	b = append(b, '}')
	return c.JSONBlob(http.StatusOK, b)
}

// GetFlow implements GET /{flow-id}.
func (s *Server) GetFlow(c echo.Context, flowID gen.FlowId, params gen.GetFlowParams) error {
	sel := &defaultSelection
	if params.Fields != nil {
		parsed, err := parseFields(*params.Fields)
		if err != nil {
			return err
		}
		sel = &parsed
	}
	f, err := s.reachableFlow(c, flowID)
	if err != nil {
		return err
	}
	waba := s.accounts[f.WABAID]
	return writeJSON(c, func(b []byte) []byte { return appendFlow(b, &f, sel, waba) })
}

// ListFlows implements GET /{waba-id}/flows.
func (s *Server) ListFlows(c echo.Context, wabaID gen.WabaId, params gen.ListFlowsParams) error {
	waba, err := s.checkAccount(c, wabaID)
	if err != nil {
		return err
	}
	sel := &defaultSelection
	if params.Fields != nil {
		parsed, err := parseFields(*params.Fields)
		if err != nil {
			return err
		}
		sel = &parsed
	}
	page := api.Page{Limit: defaultPageSize}
	if params.Limit != nil {
		page.Limit = min(*params.Limit, maxPageSize)
	}
	if params.After != nil && params.Before != nil {
		return api.Errorf(api.EINVALID, "(#100) Params after and before cannot be used together")
	}
	if params.After != nil {
		if page.After, err = decodeCursor(*params.After, "after"); err != nil {
			return err
		}
	}
	if params.Before != nil {
		if page.Before, err = decodeCursor(*params.Before, "before"); err != nil {
			return err
		}
	}
	res, err := s.store.ListFlows(c.Request().Context(), wabaID, page)
	if err != nil {
		return err
	}
	return writeJSON(c, func(b []byte) []byte {
		b = append(b, `{"data":[`...)
		for i := range res.Flows {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFlow(b, &res.Flows[i], sel, waba)
		}
		b = append(b, ']')
		if n := len(res.Flows); n > 0 {
			before, after := res.Flows[0].Seq, res.Flows[n-1].Seq
			b = append(b, `,"paging":{"cursors":{"before":"`...)
			b = appendCursor(b, before)
			b = append(b, `","after":"`...)
			b = appendCursor(b, after)
			b = append(b, `"}`...)
			if res.HasNext {
				b = append(b, `,"next":`...)
				b = s.appendPageURL(b, wabaID, params.Fields, page.Limit, "after", after)
			}
			if res.HasPrevious {
				b = append(b, `,"previous":`...)
				b = s.appendPageURL(b, wabaID, params.Fields, page.Limit, "before", before)
			}
			b = append(b, '}')
		}
		return append(b, '}')
	})
}

// appendPageURL appends, as a JSON string, an absolute link to a neighbouring page that keeps the
// caller's fields and limit.
func (s *Server) appendPageURL(b []byte, wabaID string, fields *string, limit int, dir string, seq int64) []byte {
	u := make([]byte, 0, 160)
	u = append(u, s.publicURL...)
	u = append(u, APIPrefix+"/"...)
	u = append(u, url.PathEscape(wabaID)...)
	u = append(u, "/flows?"...)
	if fields != nil && *fields != "" {
		u = append(u, "fields="...)
		u = append(u, url.QueryEscape(*fields)...)
		u = append(u, '&')
	}
	u = append(u, "limit="...)
	u = strconv.AppendInt(u, int64(limit), 10)
	u = append(u, '&')
	u = append(u, dir...)
	u = append(u, '=')
	u = appendCursor(u, seq) // base64url: safe in a query
	return appendString(b, string(u))
}

// UpdateFlow implements POST /{flow-id}.
func (s *Server) UpdateFlow(c echo.Context, flowID gen.FlowId) error {
	if _, err := s.reachableFlow(c, flowID); err != nil {
		return err
	}
	var req gen.UpdateFlowRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	u := api.FlowUpdate{Name: req.Name, EndpointURI: req.EndpointUri, ApplicationID: req.ApplicationId}
	if req.Name != nil {
		if err := api.CheckName(*req.Name); err != nil {
			return err
		}
	}
	if req.Categories != nil {
		cats, err := api.ParseCategories(*req.Categories)
		if err != nil {
			return err
		}
		u.Categories = cats
	}
	if req.EndpointUri != nil {
		if err := api.CheckEndpointURI(*req.EndpointUri); err != nil {
			return err
		}
	}
	if req.ApplicationId != nil && !isNumericID(*req.ApplicationId) {
		return api.Errorf(api.EINVALID, "(#100) Param application_id must be the numeric id of a Meta app")
	}
	now := s.now().UTC()
	_, err := s.store.UpdateFlow(c.Request().Context(), flowID, func(f *api.Flow) error {
		if err := checkFlowAccess(c, f); err != nil {
			return err
		}
		return f.ApplyUpdate(u, now)
	})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, successBody)
}

// DeleteFlow implements DELETE /{flow-id}.
func (s *Server) DeleteFlow(c echo.Context, flowID gen.FlowId) error {
	if _, err := s.reachableFlow(c, flowID); err != nil {
		return err
	}
	err := s.store.DeleteFlow(c.Request().Context(), flowID, func(f *api.Flow) error {
		if err := checkFlowAccess(c, f); err != nil {
			return err
		}
		return f.CheckDeletable()
	})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, successBody)
}

// PublishFlow implements POST /{flow-id}/publish.
func (s *Server) PublishFlow(c echo.Context, flowID gen.FlowId) error {
	if _, err := s.reachableFlow(c, flowID); err != nil {
		return err
	}
	now := s.now().UTC()
	_, err := s.store.UpdateFlow(c.Request().Context(), flowID, func(f *api.Flow) error {
		if err := checkFlowAccess(c, f); err != nil {
			return err
		}
		return f.Publish(flowjson.IsPublishableVersion, now)
	})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, successBody)
}

// DeprecateFlow implements POST /{flow-id}/deprecate.
func (s *Server) DeprecateFlow(c echo.Context, flowID gen.FlowId) error {
	if _, err := s.reachableFlow(c, flowID); err != nil {
		return err
	}
	now := s.now().UTC()
	_, err := s.store.UpdateFlow(c.Request().Context(), flowID, func(f *api.Flow) error {
		if err := checkFlowAccess(c, f); err != nil {
			return err
		}
		return f.Deprecate(now)
	})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, successBody)
}
