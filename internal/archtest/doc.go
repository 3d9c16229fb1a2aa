// Package archtest holds no code: its test checks mechanically, with go list, the dependency rules of the
// project's layout — which of our packages may import which, that the domain and the validator use the
// standard library only, and that a program importing only the client links none of the server.
package archtest
