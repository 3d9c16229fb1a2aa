package spec_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/waflows/waflows/gen/echoserver"
	"github.com/waflows/waflows/spec"
)

// TestUpstreamUnchanged: the vendored document is the one SOURCE.md names, byte for byte.
func TestUpstreamUnchanged(t *testing.T) {
	source, err := os.ReadFile("SOURCE.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("sha256: `([0-9a-f]{64})`").FindSubmatch(source)
	if m == nil {
		t.Fatal("SOURCE.md names no sha256")
	}
	sum := sha256.Sum256(spec.Upstream)
	if got := hex.EncodeToString(sum[:]); got != string(m[1]) {
		t.Fatalf("sha256 of the vendored spec = %s, SOURCE.md says %s", got, m[1])
	}
	shared, err := os.ReadFile("../../shared/spec/whatsapp-flows-api-openapi.yml")
	if os.IsNotExist(err) {
		t.Skip("../../shared is absent; the sha256 check above still ran")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, spec.Upstream) {
		t.Fatal("spec/whatsapp-flows-api-openapi.yml differs from ../shared/spec/whatsapp-flows-api-openapi.yml")
	}
}

// TestOverlayAdditions: what the overlay records of Graph is in the merged document — the error envelope on
// every operation, listFlows's paging parameters and previous link, one category schema, create's
// flow_json/publish with the answer's success/validation_errors, and a phone number's
// whatsapp_business_encryption.
func TestOverlayAdditions(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			n++
			def := op.Responses.Default()
			if def == nil || def.Value == nil || def.Value.Content.Get("application/json") == nil {
				t.Errorf("%s %s has no default Graph error response", method, path)
				continue
			}
			if s := def.Value.Content.Get("application/json").Schema.Value; s.Properties["error"] == nil {
				t.Errorf("%s %s default response is not the Graph envelope", method, path)
			}
		}
	}
	if n != 11 {
		t.Fatalf("%d operations, want 11 (the file's 9 and whatsapp_business_encryption's GET and POST)", n)
	}
	enc := doc.Paths.Value("/{phone-number-id}/whatsapp_business_encryption")
	if enc == nil || enc.Get == nil || enc.Post == nil || enc.Get.OperationID != "getBusinessEncryption" || enc.Post.OperationID != "setBusinessEncryption" {
		t.Fatalf("whatsapp_business_encryption is not in the merged document: %+v", enc)
	}
	if rb := enc.Post.RequestBody.Value; rb.Content.Get("multipart/form-data") == nil || rb.Content.Get("application/json") == nil {
		t.Errorf("setBusinessEncryption does not take a form and JSON")
	}
	list := doc.Paths.Value("/{waba-id}/flows").Get
	var names []string
	for _, p := range list.Parameters {
		names = append(names, p.Value.Name)
	}
	for _, want := range []string{"limit", "after", "before", "fields"} {
		if !slices.Contains(names, want) {
			t.Errorf("listFlows lacks parameter %s (has %v)", want, names)
		}
	}
	// The overlay adds exactly five schemas.
	schemas := doc.Components.Schemas
	for _, want := range []string{"GraphError", "FlowCategory", "BusinessEncryption", "BusinessPublicKeySignatureStatus", "BusinessEncryptionUploadRequest"} {
		if schemas[want] == nil {
			t.Errorf("schema %s is missing", want)
		}
	}
	if len(schemas) != 11 {
		t.Fatalf("schemas: %d, want the upstream 6 plus GraphError, FlowCategory and the three of whatsapp_business_encryption", len(schemas))
	}
	if got := len(schemas["FlowCategory"].Value.Enum); got != 8 {
		t.Errorf("FlowCategory has %d values, want 8", got)
	}
	for _, owner := range []string{"Flow", "CreateFlowRequest", "UpdateFlowRequest"} {
		items := schemas[owner].Value.Properties["categories"].Value.Items
		if items == nil || items.Ref != "#/components/schemas/FlowCategory" {
			t.Errorf("%s.categories items are not FlowCategory", owner)
		}
	}
	if schemas["CursorPaging"].Value.Properties["previous"] == nil || schemas["CursorPaging"].Value.Properties["next"] == nil {
		t.Error("CursorPaging lacks next or previous")
	}
	create := schemas["CreateFlowRequest"].Value.Properties
	if create["flow_json"] == nil || create["publish"] == nil {
		t.Error("CreateFlowRequest lacks flow_json or publish")
	}
	answer := doc.Paths.Value("/{waba-id}/flows").Post.Responses.Value("200").Value.Content.Get("application/json").Schema.Value.Properties
	if answer["success"] == nil || answer["validation_errors"] == nil || answer["id"] == nil {
		t.Error("the create answer lacks id, success or validation_errors")
	}
	if ref := answer["validation_errors"].Value.Items.Ref; ref != "#/components/schemas/FlowValidationError" {
		t.Errorf("validation_errors items = %q, want FlowValidationError", ref)
	}
}

// TestGeneratedSpecMatches: the spec embedded in gen/ was generated from the same merged document (same
// paths, operations and schemas), so regenerating was not forgotten.
func TestGeneratedSpecMatches(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := echoserver.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		got := embedded.Paths.Value(path)
		if got == nil {
			t.Errorf("gen lacks path %s", path)
			continue
		}
		for method, op := range item.Operations() {
			g := got.GetOperation(method)
			if g == nil || len(g.Parameters) != len(op.Parameters) || (g.Responses.Default() == nil) != (op.Responses.Default() == nil) {
				t.Errorf("gen's %s %s differs from the merged spec", method, path)
			}
		}
	}
	for name := range doc.Components.Schemas {
		if embedded.Components.Schemas[name] == nil {
			t.Errorf("gen lacks schema %s", name)
		}
	}
}
