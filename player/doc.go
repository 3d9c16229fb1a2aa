// Package player runs a WhatsApp Flow the way the WhatsApp client does, without Meta: a state machine over
// a Flow JSON that the validator accepts, behind a small API for tests (and the preview page).
//
//	s, err := player.Start(ctx, flowJSON)
//	s.Fill("name", "Ada")
//	s.Press("Continue")
//	fmt.Println(s.Screen().Text())
//	payload, ok := s.Completed()
//
// The semantics and the choices where Meta's documentation is silent are listed in the README of the
// package's directory (and in docs/player.md).
package player
