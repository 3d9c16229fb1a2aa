package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/waflows/waflows/gen"
	"github.com/waflows/waflows/internal/testflow"
)

// TestContract drives every operation through the generated client against the server wrapped in
// request and response validation, with success and error cases, and fails if an operationId has no
// successful case.
func TestContract(t *testing.T) { eachBackend(t, testContract) }

func testContract(t *testing.T, bk backend) {
	e := MustOpenServer(t, on(bk), withContract())
	ctx := context.Background()
	c := e.Client(tokenA)
	str := func(s string) *string { return &s }

	created, err := c.CreateFlowWithResponse(ctx, waba1, gen.CreateFlowJSONRequestBody{Name: "Contract", Categories: []gen.FlowCategory{"SURVEY"}})
	if err != nil || created.JSON200 == nil || created.JSON200.ID == nil {
		t.Fatalf("create: %v %s", err, created.Body)
	}
	id := *created.JSON200.ID

	got, err := c.GetFlowWithResponse(ctx, id, nil)
	if err != nil || got.JSON200 == nil || *got.JSON200.Name != "Contract" || *got.JSON200.Status != "DRAFT" {
		t.Fatalf("get: %v %s", err, got.Body)
	}
	all := "id,name,status,categories,validation_errors,json_version,data_api_version,endpoint_uri,whatsapp_business_account"
	full, err := c.GetFlowWithResponse(ctx, id, &gen.GetFlowParams{Fields: &all})
	if err != nil || full.JSON200 == nil || full.JSON200.WhatsappBusinessAccount == nil || *full.JSON200.WhatsappBusinessAccount.Name != "Acme Clinic" {
		t.Fatalf("get all fields: %v %s", err, full.Body)
	}

	upd, err := c.UpdateFlowWithResponse(ctx, id, gen.UpdateFlowJSONRequestBody{Name: str("Contract 2"), EndpointURI: str("https://example.com/flows"), ApplicationID: str("1234567890")})
	if err != nil || upd.JSON200 == nil || !*upd.JSON200.Success {
		t.Fatalf("update: %v %s", err, upd.Body)
	}

	ct, body := multipartBody(t, []byte(testflow.Endpoint), map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
	up, err := c.UploadFlowJSONWithBodyWithResponse(ctx, id, ct, body)
	if err != nil || up.JSON200 == nil || !*up.JSON200.Success || up.JSON200.ValidationErrors == nil || len(*up.JSON200.ValidationErrors) != 0 {
		t.Fatalf("upload: %v %s", err, up.Body)
	}

	// The preview link, in the spec's preview schema; the page it names needs no token.
	pf := "preview"
	pv, err := c.GetFlowWithResponse(ctx, id, &gen.GetFlowParams{Fields: &pf})
	if err != nil {
		t.Fatalf("get preview: %v", err)
	}
	if pv.JSON200 == nil || pv.JSON200.Preview == nil || pv.JSON200.Preview.PreviewURL == nil || pv.JSON200.Preview.ExpiresAt == nil {
		t.Fatalf("get preview: %v %s", err, pv.Body)
	}
	if page, err := http.Get(*pv.JSON200.Preview.PreviewURL); err != nil || page.StatusCode != http.StatusOK {
		t.Fatalf("preview page: %v %v", err, page)
	} else {
		page.Body.Close()
	}
	pf = "preview.invalidate(true)"
	if pv2, err := c.GetFlowWithResponse(ctx, id, &gen.GetFlowParams{Fields: &pf}); err != nil || pv2.JSON200 == nil || pv2.JSON200.Preview == nil || *pv2.JSON200.Preview.PreviewURL == *pv.JSON200.Preview.PreviewURL {
		t.Fatalf("get preview.invalidate(true): %v %s", err, pv2.Body)
	}

	assets, err := c.GetFlowAssetsWithResponse(ctx, id)
	if err != nil || assets.JSON200 == nil || len(*assets.JSON200.Data) != 1 {
		t.Fatalf("assets: %v %s", err, assets.Body)
	}
	res, err := http.Get(*(*assets.JSON200.Data)[0].DownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	downloaded, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(downloaded) != testflow.Endpoint {
		t.Fatalf("download returned %q", downloaded)
	}

	for i := range 3 {
		e.createFlow(tokenA, waba1, "Page "+string(rune('A'+i)))
	}
	limit := 2
	page, err := c.ListFlowsWithResponse(ctx, waba1, &gen.ListFlowsParams{Limit: &limit})
	if err != nil || page.JSON200 == nil || len(*page.JSON200.Data) != 2 || page.JSON200.Paging.Next == nil {
		t.Fatalf("list: %v %s", err, page.Body)
	}
	if page.JSON200.Paging.Previous != nil {
		t.Errorf("the first page links a previous page: %s", *page.JSON200.Paging.Previous)
	}
	next, err := c.ListFlowsWithResponse(ctx, waba1, &gen.ListFlowsParams{Limit: &limit, After: page.JSON200.Paging.Cursors.After})
	if err != nil || next.JSON200 == nil || len(*next.JSON200.Data) != 2 || next.JSON200.Paging.Next != nil || next.JSON200.Paging.Previous == nil {
		t.Fatalf("list page 2: %v %s", err, next.Body)
	}

	// Graph's create with flow_json and publish, in the overlay: the answer carries success and the
	// validation errors, and the published flow has the JSON.
	oneCall, err := c.CreateFlowWithResponse(ctx, waba1, gen.CreateFlowJSONRequestBody{Name: "One call", Categories: []gen.FlowCategory{gen.FlowCategoryOTHER},
		FlowJSON: str(testflow.Valid), Publish: func(b bool) *bool { return &b }(true)})
	if err != nil || oneCall.JSON200 == nil || oneCall.JSON200.ID == nil || oneCall.JSON200.Success == nil || !*oneCall.JSON200.Success ||
		oneCall.JSON200.ValidationErrors == nil || len(*oneCall.JSON200.ValidationErrors) != 0 {
		t.Fatalf("create with flow_json and publish: %v %s", err, oneCall.Body)
	}
	if got, err := c.GetFlowWithResponse(ctx, *oneCall.JSON200.ID, nil); err != nil || got.JSON200 == nil || *got.JSON200.Status != gen.FlowStatusPUBLISHED {
		t.Fatalf("the flow created with publish: %v %s", err, got.Body)
	}
	invalid, err := c.CreateFlowWithResponse(ctx, waba1, gen.CreateFlowJSONRequestBody{Name: "Invalid JSON", Categories: []gen.FlowCategory{gen.FlowCategoryOTHER}, FlowJSON: str(`{"version":"7.3"}`)})
	if err != nil || invalid.JSON200 == nil || invalid.JSON200.ValidationErrors == nil || len(*invalid.JSON200.ValidationErrors) == 0 {
		t.Fatalf("create with invalid flow_json: %v %s", err, invalid.Body)
	}
	if ve := (*invalid.JSON200.ValidationErrors)[0]; ve.Error == nil || ve.Message == nil {
		t.Errorf("validation error lacks error or message: %+v", ve)
	}

	// A phone number's business public key: stored by the form upload the spec describes, read back.
	_, keyPEM := publicPEM(t, 2048)
	setKey, err := c.SetBusinessEncryptionWithFormdataBodyWithResponse(ctx, phone1, gen.SetBusinessEncryptionFormdataRequestBody{BusinessPublicKey: keyPEM})
	if err != nil || setKey.JSON200 == nil || !*setKey.JSON200.Success {
		t.Fatalf("set business public key: %v %s", err, setKey.Body)
	}
	getKey, err := c.GetBusinessEncryptionWithResponse(ctx, phone1, nil)
	if err != nil || getKey.JSON200 == nil || len(getKey.JSON200.Data) != 1 || getKey.JSON200.Data[0].BusinessPublicKey != keyPEM ||
		getKey.JSON200.Data[0].BusinessPublicKeySignatureStatus != gen.BusinessPublicKeySignatureStatusVALID {
		t.Fatalf("get business public key: %v %s", err, getKey.Body)
	}

	pub, err := c.PublishFlowWithResponse(ctx, id)
	if err != nil || pub.JSON200 == nil || !*pub.JSON200.Success {
		t.Fatalf("publish: %v %s", err, pub.Body)
	}
	dep, err := c.DeprecateFlowWithResponse(ctx, id)
	if err != nil || dep.JSON200 == nil || !*dep.JSON200.Success {
		t.Fatalf("deprecate: %v %s", err, dep.Body)
	}
	doomed := e.createFlow(tokenA, waba1, "Doomed")
	del, err := c.DeleteFlowWithResponse(ctx, doomed)
	if err != nil || del.JSON200 == nil || !*del.JSON200.Success {
		t.Fatalf("delete: %v %s", err, del.Body)
	}

	// Error cases: each response must be a Graph envelope the spec's default response describes.
	errorCases := []struct {
		name   string
		status int
		code   int
		call   func() (int, *gen.GraphError, error)
	}{
		{"create without name", 400, 100, func() (int, *gen.GraphError, error) {
			r, err := c.CreateFlowWithBodyWithResponse(ctx, waba1, "application/json", strings.NewReader(`{"categories":["OTHER"]}`))
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"create in unreachable account", 400, 100, func() (int, *gen.GraphError, error) {
			r, err := c.CreateFlowWithResponse(ctx, waba2, gen.CreateFlowJSONRequestBody{Name: "x", Categories: []gen.FlowCategory{"OTHER"}})
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"get without token", 401, 190, func() (int, *gen.GraphError, error) {
			r, err := e.Client("").GetFlowWithResponse(ctx, id, nil)
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"get unknown field", 400, 100, func() (int, *gen.GraphError, error) {
			f := "name,colour"
			r, err := c.GetFlowWithResponse(ctx, id, &gen.GetFlowParams{Fields: &f})
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"list bad limit", 400, 100, func() (int, *gen.GraphError, error) {
			zero := 0
			r, err := c.ListFlowsWithResponse(ctx, waba1, &gen.ListFlowsParams{Limit: &zero})
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"update deprecated", 400, 139001, func() (int, *gen.GraphError, error) {
			r, err := c.UpdateFlowWithResponse(ctx, id, gen.UpdateFlowJSONRequestBody{Name: str("again")})
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"upload to deprecated", 400, 139001, func() (int, *gen.GraphError, error) {
			ct, body := multipartBody(t, []byte(testflow.Valid), map[string]string{"name": "flow.json", "asset_type": "FLOW_JSON"})
			r, err := c.UploadFlowJSONWithBodyWithResponse(ctx, id, ct, body)
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"assets of deleted flow", 400, 100, func() (int, *gen.GraphError, error) {
			r, err := c.GetFlowAssetsWithResponse(ctx, doomed)
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"publish deprecated", 400, 139002, func() (int, *gen.GraphError, error) {
			r, err := c.PublishFlowWithResponse(ctx, id)
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"set a 1024-bit business public key", 400, 100, func() (int, *gen.GraphError, error) {
			_, small := publicPEM(t, 1024)
			r, err := c.SetBusinessEncryptionWithResponse(ctx, phone1, gen.SetBusinessEncryptionJSONRequestBody{BusinessPublicKey: small})
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"business public key of another account's number", 400, 100, func() (int, *gen.GraphError, error) {
			r, err := c.GetBusinessEncryptionWithResponse(ctx, phone2, nil)
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"deprecate twice", 400, 139003, func() (int, *gen.GraphError, error) {
			r, err := c.DeprecateFlowWithResponse(ctx, id)
			return r.StatusCode(), r.JSONDefault, err
		}},
		{"delete deprecated", 400, 139004, func() (int, *gen.GraphError, error) {
			r, err := c.DeleteFlowWithResponse(ctx, id)
			return r.StatusCode(), r.JSONDefault, err
		}},
	}
	for _, tc := range errorCases {
		status, ge, err := tc.call()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if status != tc.status || ge == nil || ge.Error.Code != tc.code || ge.Error.FbtraceID == "" {
			t.Errorf("%s: status %d, error %+v; want %d code %d", tc.name, status, ge, tc.status, tc.code)
		}
	}
	if missing := e.contract.Uncovered(); len(missing) > 0 {
		t.Fatalf("operations without a contract case: %v", missing)
	}
}
