package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/waflows/waflows/gen"
)

// MaxFlowJSONSize is Meta's limit on a Flow JSON file.
const MaxFlowJSONSize = 10 << 20

// result checks a generated response: a non-2xx status becomes an *Error, a 2xx without the expected
// body an error naming the operation.
func result(op string, res *http.Response, body []byte, ok bool) (*Response, error) {
	resp := newResponse(res)
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return resp, decodeError(res, body)
	}
	if !ok {
		return resp, fmt.Errorf("client: %s: unexpected response (HTTP %d, %s): %.200s", op, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	return resp, nil
}

// CreateFlow creates a draft flow in a WhatsApp Business Account and returns its id. With req.FlowJSON
// set it stores that JSON too (use CreateFlowWithJSON to see what the validator found), and with
// req.Publish true it publishes the flow at once.
func (c *Client) CreateFlow(ctx context.Context, wabaID string, req CreateFlowRequest) (string, *Response, error) {
	created, resp, err := c.createFlow(ctx, wabaID, req)
	if err != nil {
		return "", resp, err
	}
	return created.ID, resp, nil
}

// CreatedFlow is what CreateFlowWithJSON returns: the new flow's id and the validation errors of its JSON
// (empty when it is valid).
type CreatedFlow struct {
	ID               string
	ValidationErrors []ValidationError
}

// CreateFlowWithJSON creates a flow with its Flow JSON in one call (Graph's flow_json), published at once
// when publish is true: then nothing is created unless the flow can be published, and the refusal is a
// lifecycle error (code 139002) saying why.
func (c *Client) CreateFlowWithJSON(ctx context.Context, wabaID string, req CreateFlowRequest, flowJSON []byte, publish bool) (*CreatedFlow, *Response, error) {
	req.FlowJSON = Ptr(string(flowJSON))
	if publish {
		req.Publish = Ptr(true)
	}
	return c.createFlow(ctx, wabaID, req)
}

func (c *Client) createFlow(ctx context.Context, wabaID string, req CreateFlowRequest) (*CreatedFlow, *Response, error) {
	res, err := c.gen.CreateFlowWithResponse(withClass(ctx, classCreate), wabaID, req)
	if err != nil {
		return nil, nil, err
	}
	resp, err := result("CreateFlow", res.HTTPResponse, res.Body, res.JSON200 != nil && res.JSON200.ID != nil)
	if err != nil {
		return nil, resp, err
	}
	created := &CreatedFlow{ID: *res.JSON200.ID, ValidationErrors: deref(res.JSON200.ValidationErrors)}
	if created.ValidationErrors == nil {
		created.ValidationErrors = []ValidationError{}
	}
	return created, resp, nil
}

// GetFlow returns a flow. With no fields Graph returns id, name, status, categories and
// validation_errors; otherwise the named fields (and id).
func (c *Client) GetFlow(ctx context.Context, flowID string, fields ...string) (*Flow, *Response, error) {
	var params gen.GetFlowParams
	if len(fields) > 0 {
		f := strings.Join(fields, ",")
		params.Fields = &f
	}
	res, err := c.gen.GetFlowWithResponse(withClass(ctx, classRead), flowID, &params)
	if err != nil {
		return nil, nil, err
	}
	resp, err := result("GetFlow", res.HTTPResponse, res.Body, res.JSON200 != nil)
	if err != nil {
		return nil, resp, err
	}
	return res.JSON200, resp, nil
}

// ListOptions selects a page of flows.
type ListOptions struct {
	// Limit is the page size; zero leaves it to the server (Graph: 25, at most 100).
	Limit int
	// After and Before are cursors from a previous FlowPage; at most one may be set.
	After, Before string
	// Fields selects the fields of each flow, as in GetFlow.
	Fields []string
}

// FlowPage is one page of flows with Graph's paging cursors.
type FlowPage struct {
	Flows []Flow
	// Before and After are the cursors of the first and last flow of the page.
	Before, After string
	// HasNext and HasPrevious say whether Graph linked a next or previous page.
	HasNext, HasPrevious bool
	// Next and Previous are those links, absolute URLs as Graph gave them; empty when there is no such page.
	Next, Previous string
}

// ListFlows returns one page of an account's flows, newest first.
func (c *Client) ListFlows(ctx context.Context, wabaID string, opts *ListOptions) (*FlowPage, *Response, error) {
	var params gen.ListFlowsParams
	if opts != nil {
		if opts.Limit > 0 {
			params.Limit = &opts.Limit
		}
		if opts.After != "" {
			params.After = &opts.After
		}
		if opts.Before != "" {
			params.Before = &opts.Before
		}
		if len(opts.Fields) > 0 {
			f := strings.Join(opts.Fields, ",")
			params.Fields = &f
		}
	}
	res, err := c.gen.ListFlowsWithResponse(withClass(ctx, classRead), wabaID, &params)
	if err != nil {
		return nil, nil, err
	}
	resp, err := result("ListFlows", res.HTTPResponse, res.Body, res.JSON200 != nil)
	if err != nil {
		return nil, resp, err
	}
	page := &FlowPage{}
	if res.JSON200.Data != nil {
		page.Flows = *res.JSON200.Data
	}
	if p := res.JSON200.Paging; p != nil {
		if p.Cursors != nil {
			page.Before, page.After = deref(p.Cursors.Before), deref(p.Cursors.After)
		}
		page.Next, page.Previous = deref(p.Next), deref(p.Previous)
		page.HasNext, page.HasPrevious = page.Next != "", page.Previous != ""
	}
	return page, resp, nil
}

// UpdateFlow changes a draft flow's metadata.
func (c *Client) UpdateFlow(ctx context.Context, flowID string, req UpdateFlowRequest) (*Response, error) {
	res, err := c.gen.UpdateFlowWithResponse(withClass(ctx, classWrite), flowID, req)
	if err != nil {
		return nil, err
	}
	return result("UpdateFlow", res.HTTPResponse, res.Body, res.JSON200 != nil)
}

// DeleteFlow deletes a draft flow.
func (c *Client) DeleteFlow(ctx context.Context, flowID string) (*Response, error) {
	res, err := c.gen.DeleteFlowWithResponse(withClass(ctx, classWrite), flowID)
	if err != nil {
		return nil, err
	}
	return result("DeleteFlow", res.HTTPResponse, res.Body, res.JSON200 != nil)
}

// PublishFlow publishes a draft flow.
func (c *Client) PublishFlow(ctx context.Context, flowID string) (*Response, error) {
	res, err := c.gen.PublishFlowWithResponse(withClass(ctx, classWrite), flowID)
	if err != nil {
		return nil, err
	}
	return result("PublishFlow", res.HTTPResponse, res.Body, res.JSON200 != nil)
}

// DeprecateFlow deprecates a published flow.
func (c *Client) DeprecateFlow(ctx context.Context, flowID string) (*Response, error) {
	res, err := c.gen.DeprecateFlowWithResponse(withClass(ctx, classWrite), flowID)
	if err != nil {
		return nil, err
	}
	return result("DeprecateFlow", res.HTTPResponse, res.Body, res.JSON200 != nil)
}

// UploadFlowJSON uploads a flow's JSON (as flow.json) and returns the validation errors Graph found in
// it. Graph stores the JSON even when it has errors; an empty slice means it is valid.
func (c *Client) UploadFlowJSON(ctx context.Context, flowID string, flowJSON []byte) ([]ValidationError, *Response, error) {
	if len(flowJSON) > MaxFlowJSONSize {
		return nil, nil, fmt.Errorf("client: UploadFlowJSON: %d bytes; Graph accepts at most %d", len(flowJSON), MaxFlowJSONSize)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("name", "flow.json")
	w.WriteField("asset_type", "FLOW_JSON")
	part, err := w.CreateFormFile("file", "flow.json")
	if err != nil {
		return nil, nil, err
	}
	part.Write(flowJSON)
	if err := w.Close(); err != nil {
		return nil, nil, err
	}
	res, err := c.gen.UploadFlowJSONWithBodyWithResponse(withClass(ctx, classWrite), flowID, w.FormDataContentType(), bytes.NewReader(body.Bytes()))
	if err != nil {
		return nil, nil, err
	}
	resp, err := result("UploadFlowJSON", res.HTTPResponse, res.Body, res.JSON200 != nil)
	if err != nil {
		return nil, resp, err
	}
	verrs := []ValidationError{}
	if res.JSON200.ValidationErrors != nil {
		verrs = *res.JSON200.ValidationErrors
	}
	return verrs, resp, nil
}

// UploadFlowJSONFrom uploads a flow's JSON read from r (at most 10 MB); see UploadFlowJSON.
func (c *Client) UploadFlowJSONFrom(ctx context.Context, flowID string, r io.Reader) ([]ValidationError, *Response, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFlowJSONSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("client: UploadFlowJSONFrom: %w", err)
	}
	return c.UploadFlowJSON(ctx, flowID, data)
}

// ListAssets returns a flow's assets: its flow.json with a download_url, once one is uploaded.
func (c *Client) ListAssets(ctx context.Context, flowID string) ([]Asset, *Response, error) {
	res, err := c.gen.GetFlowAssetsWithResponse(withClass(ctx, classRead), flowID)
	if err != nil {
		return nil, nil, err
	}
	resp, err := result("ListAssets", res.HTTPResponse, res.Body, res.JSON200 != nil)
	if err != nil {
		return nil, resp, err
	}
	assets := []Asset{}
	if res.JSON200.Data != nil {
		assets = *res.JSON200.Data
	}
	return assets, resp, nil
}

// ErrNoFlowJSON is returned by DownloadFlowJSON for a flow without an uploaded JSON.
var ErrNoFlowJSON = errors.New("client: the flow has no flow.json asset")

// DownloadFlowJSON returns the bytes of a flow's JSON, fetched from the download_url that ListAssets
// gives. The access token is not sent to that URL: it is signed on its own, and may be a CDN's.
func (c *Client) DownloadFlowJSON(ctx context.Context, flowID string) ([]byte, *Response, error) {
	assets, resp, err := c.ListAssets(ctx, flowID)
	if err != nil {
		return nil, resp, err
	}
	link := ""
	for _, a := range assets {
		if deref(a.AssetType) == "FLOW_JSON" || deref(a.Name) == "flow.json" {
			link = deref(a.DownloadURL)
		}
	}
	if link == "" {
		return nil, resp, ErrNoFlowJSON
	}
	req, err := http.NewRequestWithContext(withClass(ctx, classRead), http.MethodGet, link, nil)
	if err != nil {
		return nil, resp, fmt.Errorf("client: DownloadFlowJSON: bad download_url: %w", err)
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	res, err := c.doer.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, MaxFlowJSONSize+1))
	if err != nil {
		return nil, newResponse(res), err
	}
	if res.StatusCode != http.StatusOK {
		return nil, newResponse(res), decodeError(res, data)
	}
	return data, newResponse(res), nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
