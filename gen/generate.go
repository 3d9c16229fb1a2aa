// Package gen holds the code generated from spec/: model types, the Echo server interface, the typed client
// and the embedded merged specification. Nothing here is edited by hand; run go generate ./... instead.
package gen

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi.cfg.yaml ../spec/whatsapp-flows-api-openapi.yml
