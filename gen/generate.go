// Package gen holds the model types and the typed client generated from spec/ (the vendored OpenAPI
// description and its overlay). Nothing here is edited by hand; run go generate ./... instead. The Echo
// server interface is in gen/echoserver, so that importing this package never pulls in the server.
package gen

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi.cfg.yaml ../spec/whatsapp-flows-api-openapi.yml
