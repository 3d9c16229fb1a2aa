package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/flowjson"
	"github.com/waflows/waflows/gen"
)

// assetPath serves flow JSON downloads outside the API, like Meta's CDN links: no token, a signature
// and an expiry time in the query instead.
const assetPath = "/assets/:flow-id/flow.json"

// Upload limits: the file itself, and the whole multipart body (the file plus a little for other fields).
const (
	maxUploadBody     = api.MaxAssetSize + 64<<10
	maxUploadFieldLen = 1 << 10
)

// analyzeAsset runs the Flow JSON validator and keeps what the flow needs from it. It stops, with the
// context's error, when the request ends (the client hung up).
func analyzeAsset(ctx context.Context, content []byte) (*api.Asset, error) {
	res, err := flowjson.AnalyzeContext(ctx, content)
	if err != nil {
		return nil, err
	}
	verrs := make([]api.ValidationError, len(res.Errors))
	for i, e := range res.Errors {
		verrs[i] = api.ValidationError(e)
	}
	return &api.Asset{Content: content, ValidationErrors: verrs, JSONVersion: api.CleanText(res.Version),
		DataAPIVersion: api.CleanText(res.DataAPIVersion), UsesEndpoint: res.UsesEndpoint}, nil
}

func assetInfo(content []byte, now time.Time) api.AssetInfo {
	sum := sha256.Sum256(content)
	return api.AssetInfo{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)), UploadedAt: now}
}

// UploadFlowJSON implements POST /{flow-id}/assets.
func (s *Server) UploadFlowJSON(c echo.Context, flowID gen.FlowID) error {
	f, err := s.reachableFlow(c, flowID)
	if err != nil {
		return err
	}
	// Refuse a frozen flow before reading a possibly large body; the store checks again atomically.
	if err := f.CheckEditable(); err != nil {
		return err
	}
	fields, content, err := readUpload(c.Request())
	if err != nil {
		return err
	}
	if err := s.checks["uploadFlowJson"].checkForm(fields); err != nil {
		return err
	}
	asset, err := analyzeAsset(c.Request().Context(), content)
	if err != nil {
		return err
	}
	info := assetInfo(content, s.now().UTC())
	if _, err := s.store.PutAsset(c.Request().Context(), flowID, content, func(f *api.Flow) error {
		if err := checkFlowAccess(c, f); err != nil {
			return err
		}
		return f.SetAsset(asset, info)
	}); err != nil {
		return err
	}
	b := append(make([]byte, 0, 64), `{"success":true,"validation_errors":`...)
	b = appendValidationErrors(b, asset.ValidationErrors)
	b = append(b, '}')
	return c.JSONBlob(http.StatusOK, b)
}

// readUpload streams the multipart body: the file part is read up to the 10 MB limit and no further, the
// other fields up to a small limit. It returns the form fields as the schema sees them.
func readUpload(r *http.Request) (map[string]any, []byte, error) {
	tooLarge := api.Errorf(api.EINVALID, "(#100) Param file exceeds the maximum size of %d bytes (10 MB)", api.MaxAssetSize)
	if r.ContentLength > maxUploadBody {
		return nil, nil, tooLarge
	}
	mediaType, params, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, nil, api.Errorf(api.EINVALID, "(#100) The request must be multipart/form-data with the fields file, name and asset_type")
	}
	mr := multipart.NewReader(http.MaxBytesReader(nil, r.Body, maxUploadBody), params["boundary"])
	fields := map[string]any{}
	var content []byte
	for {
		part, err := nextPart(mr)
		if err == io.EOF {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, tooLarge
		}
		if err != nil {
			return nil, nil, err
		}
		name := part.FormName()
		if _, dup := fields[name]; dup && name != "" {
			return nil, nil, api.Errorf(api.EINVALID, "(#100) Param %s must be given at most once", truncate(name, 100))
		}
		limit := int64(maxUploadFieldLen)
		if name == "file" {
			limit = api.MaxAssetSize
		}
		// The buffer grows with the bytes that actually arrive, never with what the client declares: a
		// Content-Length is a promise, and stalled clients promising 10 MB each must not cost 10 MB each.
		var buf bytes.Buffer
		n, err := io.Copy(&buf, io.LimitReader(part, limit+1))
		if err != nil {
			var mbe *http.MaxBytesError
			var ae *api.Error
			switch {
			case errors.As(err, &mbe):
				return nil, nil, tooLarge
			case errors.As(err, &ae):
				return nil, nil, ae
			}
			return nil, nil, api.Errorf(api.EINVALID, "(#100) The multipart body is malformed: %s", truncate(err.Error(), 200))
		}
		if n > limit {
			if name == "file" {
				return nil, nil, tooLarge
			}
			return nil, nil, api.Errorf(api.EINVALID, "(#100) Param %s is too long", truncate(name, 100))
		}
		switch name {
		case "file":
			content = buf.Bytes()
			if content == nil {
				content = []byte{}
			}
			fields[name] = "(binary)"
		case "":
			// A part without a form name carries nothing Graph reads.
		default:
			fields[name] = buf.String()
		}
	}
	return fields, content, nil
}

// GetFlowAssets implements GET /{flow-id}/assets.
func (s *Server) GetFlowAssets(c echo.Context, flowID gen.FlowID) error {
	f, err := s.reachableFlow(c, flowID)
	if err != nil {
		return err
	}
	if f.Asset == nil {
		return c.JSONBlob(http.StatusOK, []byte(`{"data":[]}`))
	}
	b := append(make([]byte, 0, 384), `{"data":[{"name":"flow.json","asset_type":"FLOW_JSON","download_url":`...)
	b = appendString(b, s.downloadURL(f.ID, f.Asset.SHA256, s.now().Add(s.urlTTL)))
	cursor := s.cursors.encode(f.WABAID, 1) // one asset: the page has no neighbours
	b = append(b, `}],"paging":{"cursors":{"before":`...)
	b = appendString(b, cursor)
	b = append(b, `,"after":`...)
	b = appendString(b, cursor)
	b = append(b, `}}}`...)
	return c.JSONBlob(http.StatusOK, b)
}

// downloadURL is a link to the flow JSON with the given digest, valid until expires.
func (s *Server) downloadURL(flowID, sha string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	q := url.Values{}
	q.Set("asset", sha)
	q.Set("expires", exp)
	q.Set("signature", s.sign(flowID, sha, exp))
	return s.publicURL + "/assets/" + url.PathEscape(flowID) + "/flow.json?" + q.Encode()
}

func (s *Server) sign(flowID, sha, expires string) string {
	m := hmac.New(sha256.New, s.signKey)
	m.Write([]byte("waflows-asset-v1\n" + flowID + "\n" + sha + "\n" + expires))
	return hex.EncodeToString(m.Sum(nil))
}

// downloadAsset serves GET /assets/{flow-id}/flow.json: the exact bytes uploaded, for a signed, unexpired
// link naming the current upload.
func (s *Server) downloadAsset(c echo.Context) error {
	flowID := c.Param("flow-id")
	q := c.QueryParams()
	sha, exp, sig := q.Get("asset"), q.Get("expires"), q.Get("signature")
	forbidden := &api.Error{Code: eForbidden, Message: "(#10) The download URL is invalid or has expired",
		Detail: "Request a fresh download_url with GET /{flow-id}/assets."}
	want := s.sign(flowID, sha, exp)
	if len(sig) != len(want) || !hmac.Equal([]byte(sig), []byte(want)) {
		return forbidden
	}
	expires, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || s.now().Unix() >= expires {
		return forbidden
	}
	content, err := s.store.Asset(c.Request().Context(), flowID)
	if api.ErrorCodeOf(err) == api.ENOTFOUND {
		return &api.Error{Code: eGone, Message: "The flow JSON this URL points to no longer exists"}
	}
	if err != nil {
		return err
	}
	sum := sha256.Sum256(content)
	if hex.EncodeToString(sum[:]) != sha {
		return &api.Error{Code: eGone, Message: "The flow JSON this URL points to has been replaced",
			Detail: "Request a fresh download_url with GET /{flow-id}/assets."}
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="flow.json"`)
	h.Set("Cache-Control", "private, max-age=0")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, "application/json", content)
}
