// Package echoserver holds the Echo server interface and the embedded merged specification generated from
// spec/, over the model types of package gen. Nothing here is edited by hand; run go generate ./... instead.
package echoserver

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi.cfg.yaml ../../spec/whatsapp-flows-api-openapi.yml
