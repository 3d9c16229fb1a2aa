// Helpers that build small flows for the table tests.
package player_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/waflows/waflows/player"
)

// screen is one screen of a test flow: its id, its data model (JSON object text, may be ""), and its
// components (JSON object texts).
type screen struct {
	id, data   string
	terminal   bool
	extra      string // more screen properties, e.g. `"refresh_on_back": true`
	components []string
}

// flow builds a Flow JSON of the given version from screens; top holds more top-level properties (e.g.
// `"data_api_version": "3.0", "routing_model": {…}`), or "".
func flow(version, top string, screens ...screen) []byte {
	var parts []string
	for _, s := range screens {
		p := fmt.Sprintf(`{"id":%q,"title":"Title of %s","terminal":%v`, s.id, s.id, s.terminal)
		if s.data != "" {
			p += `,"data":` + s.data
		}
		if s.extra != "" {
			p += "," + s.extra
		}
		p += `,"layout":{"type":"SingleColumnLayout","children":[` + strings.Join(s.components, ",") + `]}}`
		parts = append(parts, p)
	}
	doc := fmt.Sprintf(`{"version":%q,`, version)
	if top != "" {
		doc += top + ","
	}
	return []byte(doc + `"screens":[` + strings.Join(parts, ",") + `]}`)
}

// completeFooter is a Footer that completes the flow with payload (a JSON object text).
func completeFooter(label, payload string) string {
	return fmt.Sprintf(`{"type":"Footer","label":%q,"on-click-action":{"name":"complete","payload":%s}}`, label, payload)
}

// navigateFooter is a Footer that navigates to next with payload.
func navigateFooter(label, next, payload string) string {
	return fmt.Sprintf(`{"type":"Footer","label":%q,"on-click-action":{"name":"navigate","next":{"type":"screen","name":%q},"payload":%s}}`, label, next, payload)
}

// exchangeFooter is a Footer that sends payload to the endpoint.
func exchangeFooter(label, payload string) string {
	return fmt.Sprintf(`{"type":"Footer","label":%q,"on-click-action":{"name":"data_exchange","payload":%s}}`, label, payload)
}

func body(text string) string { return fmt.Sprintf(`{"type":"TextBody","text":%q}`, text) }

// start starts a flow, failing the test on an error.
func start(t testing.TB, doc []byte, opts ...player.Option) *player.Session {
	t.Helper()
	s, err := player.Start(context.Background(), doc, opts...)
	if err != nil {
		t.Fatalf("start: %v\n%s", err, doc)
	}
	return s
}

// must fails the test on an error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// lines is the screen's text as lines.
func lines(s *player.Session) []string { return strings.Split(s.Screen().Text(), "\n") }

// component returns the shown component of type typ (and name, when given).
func component(t testing.TB, s *player.Session, typ, name string) player.Component {
	t.Helper()
	for _, c := range s.Screen().Components {
		if c.Type == typ && (name == "" || c.Name == name) {
			return c
		}
	}
	t.Fatalf("no %s %q on screen %s", typ, name, describeScreen(s))
	return player.Component{}
}

// asJSON is v as compact JSON, for comparing payloads.
func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
