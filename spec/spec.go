// Package spec holds the contracts waflows is built from: the vendored WhatsApp Flows OpenAPI document
// (byte-identical to upstream, never edited) and the overlay recording what Graph really does that the
// document leaves out. gen/ is generated from the same two files.
package spec

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"
)

// Upstream is the vendored OpenAPI document, byte for byte as published.
//
//go:embed whatsapp-flows-api-openapi.yml
var Upstream []byte

// Overlay is the OpenAPI Overlay 1.0 applied to Upstream.
//
//go:embed overlay.yaml
var Overlay []byte

// Merged returns Upstream with Overlay applied, as YAML. It applies the overlay strictly: an action whose
// target matches nothing is an error, so the overlay cannot silently go stale when the spec changes.
func Merged() ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(Upstream, &root); err != nil {
		return nil, fmt.Errorf("spec: parse upstream document: %w", err)
	}
	ov, err := overlay.ParseReader(bytes.NewReader(Overlay))
	if err != nil {
		return nil, fmt.Errorf("spec: parse overlay: %w", err)
	}
	if err := ov.Validate(); err != nil {
		return nil, fmt.Errorf("spec: invalid overlay: %w", err)
	}
	if warnings, err := ov.ApplyToStrict(&root); err != nil {
		return nil, fmt.Errorf("spec: apply overlay: %w (%v)", err, warnings)
	}
	out, err := yaml.Marshal(&root)
	if err != nil {
		return nil, fmt.Errorf("spec: encode merged document: %w", err)
	}
	return out, nil
}

// Load returns the merged document, parsed and validated by kin-openapi. Each call parses afresh; callers
// keep the result.
func Load() (*openapi3.T, error) {
	merged, err := Merged()
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(merged)
	if err != nil {
		return nil, fmt.Errorf("spec: load merged document: %w", err)
	}
	if err := doc.Validate(openapi3.NewLoader().Context); err != nil {
		return nil, fmt.Errorf("spec: merged document is invalid: %w", err)
	}
	return doc, nil
}
