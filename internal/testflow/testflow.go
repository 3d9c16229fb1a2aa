// Package testflow holds the sample Flow JSON documents the tests of every package share, so that each test
// does not carry its own copy: Valid, a small flow Meta publishes, and Endpoint, one that uses a data
// endpoint.
package testflow

import _ "embed"

// Valid is a small Flow JSON (version 7.3, one terminal screen, no endpoint) that Meta validates without
// errors or warnings and publishes.
//
//go:embed valid.json
var Valid string

// Endpoint uses a data endpoint (data_api_version 3.0, a data_exchange footer), so publishing it needs an
// endpoint_uri.
//
//go:embed endpoint.json
var Endpoint string
