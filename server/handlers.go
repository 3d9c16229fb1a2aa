package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/gen"
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

// CreateFlow implements POST /{waba-id}/flows.
func (s *Server) CreateFlow(c echo.Context, wabaID gen.WabaID) error {
	if _, err := s.checkAccount(c, wabaID); err != nil {
		return err
	}
	var req createBody
	if err := s.checks["createFlow"].readBody(c.Request(), &req); err != nil {
		return err
	}
	// The schema check has made sure that name and categories are present.
	if err := api.CheckName(*req.Name); err != nil {
		return err
	}
	cats, err := api.ParseCategories(*req.Categories)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	// Graph links a flow created through the API to the app of the token that created it.
	f := &api.Flow{WABAID: wabaID, Name: *req.Name, Status: api.StatusDraft, Categories: cats, CreatedAt: now, UpdatedAt: now,
		ApplicationID: callerGrant(c).app}
	if req.EndpointURI != nil {
		if err := api.CheckEndpointURI(*req.EndpointURI); err != nil {
			return err
		}
		f.EndpointURI = *req.EndpointURI
	}
	var src api.Source
	if req.CloneFlowID != nil {
		if req.FlowJSON != nil {
			return api.Errorf(api.EINVALID, "Only one clone source can be set")
		}
		if _, err := s.reachableFlow(c, *req.CloneFlowID); err != nil {
			if api.ErrorCodeOf(err) == api.ENOTFOUND {
				return &api.Error{Code: api.EINVALID, Message: "Flow with specified ID does not exist",
					Detail: "clone_flow_id must name a flow this access token can reach."}
			}
			return err
		}
		src.CloneOf = *req.CloneFlowID
	}
	var verrs []api.ValidationError
	if req.FlowJSON != nil {
		content := []byte(*req.FlowJSON) // a conversion between byte slice types: no copy
		if len(content) > api.MaxAssetSize {
			return api.Errorf(api.EINVALID, "(#100) Param flow_json exceeds the %d byte limit", api.MaxAssetSize)
		}
		asset, err := analyzeAsset(c.Request().Context(), content)
		if err != nil {
			return err
		}
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
	if publish && s.checkPublish && src.CloneOf == "" {
		// The create's own checks first (on a copy), then Meta's endpoint checks, before anything is stored.
		probe := *f
		if err := src.Finish(&probe); err != nil {
			return err
		}
		if err := s.checkEndpointForPublish(c.Request().Context(), probe); err != nil {
			return err
		}
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
func (s *Server) GetFlow(c echo.Context, flowID gen.FlowID, params gen.GetFlowParams) error {
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
	if slices.Contains(sel.fields, fPreview) {
		if f, err = s.previewLink(c, f, sel.invalidate); err != nil {
			return err
		}
	}
	waba := s.accounts[f.WABAID]
	return writeJSON(c, func(b []byte) []byte { return appendFlow(b, &f, sel, waba, s.publicURL) })
}

// previewLink gives f a working preview link: the one it has until it expires, or a new one when there
// is none, it has expired, or invalidate asks for it (Meta: "The link is public, lasts 30 days";
// invalidate(true) replaces it). The old link stops working at once.
func (s *Server) previewLink(c echo.Context, f api.Flow, invalidate bool) (api.Flow, error) {
	now := s.now()
	if !invalidate && f.Preview.Valid(now) {
		return f, nil
	}
	return s.store.UpdateFlow(c.Request().Context(), f.ID, func(g *api.Flow) error {
		if err := checkFlowAccess(c, g); err != nil {
			return err
		}
		if !invalidate && g.Preview.Valid(now) {
			return nil // another request made one first
		}
		g.Preview = api.Preview{Token: newPreviewToken(), ExpiresAt: now.Add(api.PreviewLifetime).Truncate(time.Second)}
		return nil
	})
}

// ListFlows implements GET /{waba-id}/flows.
func (s *Server) ListFlows(c echo.Context, wabaID gen.WabaID, params gen.ListFlowsParams) error {
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
	if slices.Contains(sel.fields, fPreview) {
		// UNCONFIRMED whether Graph gives previews on the list edge; a link is made per flow, so ask each flow.
		return api.Errorf(api.EINVALID, "(#100) Field preview is read on one flow at a time: GET /{flow-id}?fields=preview")
	}
	page := api.Page{Limit: defaultPageSize}
	if params.Limit != nil {
		page.Limit = min(*params.Limit, maxPageSize)
	}
	if params.After != nil && params.Before != nil {
		return api.Errorf(api.EINVALID, "(#100) Params after and before cannot be used together")
	}
	if params.After != nil {
		if page.After, err = s.cursors.decode(*params.After, wabaID, "after"); err != nil {
			return err
		}
	}
	if params.Before != nil {
		if page.Before, err = s.cursors.decode(*params.Before, wabaID, "before"); err != nil {
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
			b = appendFlow(b, &res.Flows[i], sel, waba, s.publicURL)
		}
		b = append(b, ']')
		if n := len(res.Flows); n > 0 {
			before := s.cursors.encode(wabaID, res.Flows[0].Seq)
			after := s.cursors.encode(wabaID, res.Flows[n-1].Seq)
			b = append(b, `,"paging":{"cursors":{"before":"`...)
			b = append(b, before...)
			b = append(b, `","after":"`...)
			b = append(b, after...)
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
func (s *Server) appendPageURL(b []byte, wabaID string, fields *string, limit int, dir, cursor string) []byte {
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
	u = append(u, cursor...) // base64url: safe in a query
	return appendString(b, string(u))
}

// UpdateFlow implements POST /{flow-id}.
func (s *Server) UpdateFlow(c echo.Context, flowID gen.FlowID) error {
	if _, err := s.reachableFlow(c, flowID); err != nil {
		return err
	}
	var req updateBody
	if err := s.checks["updateFlow"].readBody(c.Request(), &req); err != nil {
		return err
	}
	u := api.FlowUpdate{Name: req.Name, EndpointURI: req.EndpointURI, ApplicationID: req.ApplicationID}
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
	if req.EndpointURI != nil {
		if err := api.CheckEndpointURI(*req.EndpointURI); err != nil {
			return err
		}
	}
	if req.ApplicationID != nil && !isNumericID(*req.ApplicationID) {
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
func (s *Server) DeleteFlow(c echo.Context, flowID gen.FlowID) error {
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
func (s *Server) PublishFlow(c echo.Context, flowID gen.FlowID) error {
	f, err := s.reachableFlow(c, flowID)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	if s.checkPublish {
		probe := f // the other publishing checks first, on a copy, so their refusal wins
		if err := probe.Publish(flowjson.IsPublishableVersion, now); err != nil {
			return err
		}
		if err := s.checkEndpointForPublish(c.Request().Context(), probe); err != nil {
			return err
		}
	}
	_, err = s.store.UpdateFlow(c.Request().Context(), flowID, func(f *api.Flow) error {
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
func (s *Server) DeprecateFlow(c echo.Context, flowID gen.FlowID) error {
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
