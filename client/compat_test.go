// Tests of the Graph timestamp matcher that decides whether a body needs rewriting.
package client

import "testing"

func TestHasGraphTime(t *testing.T) {
	for body, want := range map[string]bool{
		`{"expires_at":"2023-05-21T11:18:09+0000"}`:         true,
		`{"expires_at":"2023-05-21T11:18:09-0130"}`:         true,
		`{"a":"x","expires_at":"2023-05-21T11:18:09+0000"}`: true,
		`{"expires_at":"2023-05-21T11:18:09+00:00"}`:        false,
		`{"expires_at":"2023-05-21 11:18:09+0000"}`:         false,
		`{"expires_at":"2023-05-21T11:18:09Z0000"}`:         false,
		`{"expires_at":"2023-05-21T11:18:09+000"}`:          false,
		`"2023-05-21T11:18:09+0000`:                         false,
		`""`:                                                false,
		``:                                                  false,
	} {
		if got := hasGraphTime([]byte(body)); got != want {
			t.Errorf("hasGraphTime(%s) = %v, want %v", body, got, want)
		}
	}
	if !isGraphTime("1999-12-31T23:59:59-1200") || isGraphTime("1999-12-31T23:59:59+12") {
		t.Error("isGraphTime")
	}
}
