// Start and its options, the Session and its state, the log of actions, and the errors the player returns.
package player

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/flowjson"
)

// The flow actions a flow can be opened with (Meta's flow_action when sending it).
const (
	FlowActionNavigate     = "navigate"
	FlowActionDataExchange = "data_exchange"
)

// DefaultFlowToken is the flow token when none is given, as Meta's send API defaults it.
const DefaultFlowToken = "unused"

// DataExchange answers the requests a flow sends to its data endpoint (INIT, data_exchange, BACK), as the
// business's endpoint would. endpoint.NewClient (next) and a test's own function both fit.
type DataExchange func(context.Context, endpoint.Request) (*endpoint.Response, error)

// Option configures Start.
type Option func(*config)

type config struct {
	screen     string
	data       map[string]any
	flowToken  string
	flowAction string
	exchange   DataExchange
	noExamples bool
}

// WithScreen opens the flow on screen id, which must be one of its entry screens (Meta refuses another at
// send time). Without it the flow opens on its first entry screen.
func WithScreen(id string) Option { return func(c *config) { c.screen = id } }

// WithData gives the first screen its data, as Meta's flow_action_payload.data does.
func WithData(data map[string]any) Option { return func(c *config) { c.data = data } }

// WithFlowToken sets the flow token sent with every endpoint request and the completion (default
// "unused").
func WithFlowToken(token string) Option { return func(c *config) { c.flowToken = token } }

// WithFlowAction opens the flow with "navigate" (the default) or "data_exchange", which starts with an
// INIT request to the endpoint and shows the screen it answers.
func WithFlowAction(action string) Option { return func(c *config) { c.flowAction = action } }

// WithDataExchange answers the flow's endpoint requests. Without it a data_exchange action fails with
// ErrNoEndpoint.
func WithDataExchange(fn func(context.Context, endpoint.Request) (*endpoint.Response, error)) Option {
	return func(c *config) { c.exchange = fn }
}

// WithoutExamples plays as a device does: a screen's __example__ data is not used for the fields no one
// supplied, which then render empty. By default, as in Meta's web preview, __example__ fills those fields.
func WithoutExamples() Option { return func(c *config) { c.noExamples = true } }

// Errors the player returns; match them with errors.Is.
var (
	// ErrNoEndpoint: the flow sent a data endpoint request and no DataExchange was given.
	ErrNoEndpoint = errors.New("player: the flow calls its data endpoint, and none was given (WithDataExchange)")
	// ErrCompleted: the flow has completed; nothing more can be done in it.
	ErrCompleted = errors.New("player: the flow has completed")
	// ErrNoBack: back on the first screen (on a device it would close the flow).
	ErrNoBack = errors.New("player: there is no screen to go back to")
)

// InvalidFlowError is returned by Start for a Flow JSON with validation errors: the player plays only
// flows that Meta would accept.
type InvalidFlowError struct {
	Errors []flowjson.ValidationError
}

func (e *InvalidFlowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "player: the flow has %d validation error(s)", len(e.Errors))
	for i, v := range e.Errors {
		if i == 5 {
			fmt.Fprintf(&b, "; …")
			break
		}
		fmt.Fprintf(&b, "; %d:%d %s: %s", v.LineStart, v.ColumnStart, v.Error, v.Message)
	}
	return b.String()
}

// RuntimeError is an error the WhatsApp client raises while the flow runs, with Meta's code:
// invalid-screen-transition (an endpoint answered with a screen the routing model does not allow) or
// payload-schema-error (its data does not fit the screen's data model).
type RuntimeError struct {
	Code    string
	Message string
}

func (e *RuntimeError) Error() string { return "player: " + e.Code + ": " + e.Message }

// The runtime error codes ([M-ERR] "Error Types Reported via WebHook Alerts or Propagated Back to
// Endpoint").
const (
	CodeInvalidScreenTransition = "invalid-screen-transition"
	CodePayloadSchemaError      = "payload-schema-error"
)

// InputError is a Press refused because inputs on the screen are missing or invalid: the messages, by
// input name, that the screen now shows under them.
type InputError struct {
	Screen string
	Fields map[string]string
}

func (e *InputError) Error() string {
	names := sortedKeys(e.Fields)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + ": " + e.Fields[n]
	}
	return "player: screen " + e.Screen + ": " + strings.Join(parts, "; ")
}

// Action is one entry of a session's log: what ran, on which screen, with what.
type Action struct {
	// Kind is navigate, back, INIT, data_exchange, BACK (a back that asked the endpoint), update_data,
	// open_url or complete.
	Kind string `json:"kind"`
	// Screen is the screen the action ran on; Next the screen shown after it.
	Screen string `json:"screen"`
	Next   string `json:"next,omitempty"`
	// Payload is the action's resolved payload (the completion payload for complete).
	Payload map[string]any `json:"payload,omitempty"`
	// Request and Response are the endpoint exchange, for INIT, data_exchange and BACK.
	Request  *endpoint.Request  `json:"request,omitempty"`
	Response *endpoint.Response `json:"response,omitempty"`
	// URL is the address an open_url action would open.
	URL string `json:"url,omitempty"`
	// Error is what went wrong, when it did.
	Error string `json:"error,omitempty"`
}

// Session is one run of a flow. It is not safe for concurrent use.
type Session struct {
	ctx     context.Context
	f       *flowDef
	cfg     config
	stack   []*frame
	log     []Action
	done    bool
	payload map[string]any
	// renderDepth counts the screens on-select-on-render is entering, one inside another.
	renderDepth int
}

// frame is one screen on the navigation stack, with its data and the person's inputs.
type frame struct {
	screen *screenDef
	data   map[string]any
	form   map[string]any // values by input name; absent until given (an init-value counts as given)
	errors map[string]string
	notice string // the endpoint's error_message, shown as a snackbar
}

// Start validates flowJSON as Meta does and opens it on its entry screen. A flow with validation errors
// is refused with an *InvalidFlowError. ctx is used for the endpoint requests of the whole session.
func Start(ctx context.Context, flowJSON []byte, opts ...Option) (*Session, error) {
	cfg := config{flowToken: DefaultFlowToken, flowAction: FlowActionNavigate}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.flowAction != FlowActionNavigate && cfg.flowAction != FlowActionDataExchange {
		return nil, fmt.Errorf("player: flow action %q: want navigate or data_exchange", cfg.flowAction)
	}
	res, err := flowjson.AnalyzeContext(ctx, flowJSON)
	if err != nil {
		return nil, err
	}
	if len(res.Errors) > 0 {
		return nil, &InvalidFlowError{Errors: res.Errors}
	}
	f, err := parseFlow(flowJSON)
	if err != nil {
		return nil, fmt.Errorf("player: %w", err)
	}
	if err := checkOperators(f); err != nil {
		return nil, err
	}
	s := &Session{ctx: ctx, f: f, cfg: cfg}
	if cfg.flowAction == FlowActionDataExchange {
		if cfg.screen != "" {
			return nil, fmt.Errorf("player: WithScreen goes with navigate; with data_exchange the endpoint picks the first screen")
		}
		req := endpoint.Request{Version: s.requestVersion(), Action: endpoint.ActionInit, FlowToken: cfg.flowToken}
		if len(cfg.data) > 0 {
			req.Data = cfg.data
		}
		resp, err := s.exchange(req, "")
		if err != nil {
			return nil, err
		}
		if resp.Screen == endpoint.SuccessScreen {
			return nil, &RuntimeError{Code: CodeInvalidScreenTransition, Message: "the endpoint answered INIT with SUCCESS: a flow cannot complete before it opens"}
		}
		next, ok := f.byID[resp.Screen]
		if !ok {
			return nil, &RuntimeError{Code: CodeInvalidScreenTransition, Message: fmt.Sprintf("the endpoint answered INIT with screen %q, which the flow does not have", resp.Screen)}
		}
		if err := checkSchema(next, resp.Data); err != nil {
			return nil, err
		}
		s.log[len(s.log)-1].Next = next.id
		if err := s.enter(next, resp.Data); err != nil {
			return nil, err
		}
		return s, nil
	}
	entries := f.entryScreens()
	id := cfg.screen
	if id == "" {
		id = entries[0]
	} else if _, ok := f.byID[id]; !ok {
		return nil, fmt.Errorf("player: the flow has no screen %q", id)
	} else if !contains(entries, id) {
		return nil, fmt.Errorf("player: screen %q is not an entry screen (entry screens: %s)", id, strings.Join(entries, ", "))
	}
	// The opening is the navigate of the message that sent the flow: its payload is the first screen's data.
	s.log = append(s.log, Action{Kind: "navigate", Next: id, Payload: cloneMap(cfg.data)})
	if err := s.enter(f.byID[id], cfg.data); err != nil {
		return nil, err
	}
	return s, nil
}

// checkOperators refuses a flow whose expressions use an operator Meta does not document.
func checkOperators(f *flowDef) error {
	var err error
	for _, s := range f.screens {
		visitStrings(s.children, func(str string) {
			if err == nil && f.ver.atLeast(6, 0) && isExpression(str) {
				if _, e := tokenizeExpr(str[1 : len(str)-1]); errors.Is(e, errUndocumented) {
					err = fmt.Errorf("player: screen %s: %v", s.id, e)
				}
			}
		})
	}
	return err
}

func visitStrings(v any, fn func(string)) {
	switch x := v.(type) {
	case string:
		fn(x)
	case []any:
		for _, c := range x {
			visitStrings(c, fn)
		}
	case map[string]any:
		for _, c := range x {
			visitStrings(c, fn)
		}
	}
}

// requestVersion is the version an endpoint request carries: the flow's data_api_version.
func (s *Session) requestVersion() string {
	if s.f.dataAPI != "" {
		return s.f.dataAPI
	}
	return "3.0"
}

// exchange sends one request to the endpoint and logs it.
func (s *Session) exchange(req endpoint.Request, screen string) (*endpoint.Response, error) {
	kind := req.Action
	entry := Action{Kind: kind, Screen: screen, Request: &req}
	if s.cfg.exchange == nil {
		entry.Error = ErrNoEndpoint.Error()
		s.log = append(s.log, entry)
		return nil, ErrNoEndpoint
	}
	resp, err := s.cfg.exchange(s.ctx, req)
	if err != nil {
		entry.Error = err.Error()
		s.log = append(s.log, entry)
		return nil, fmt.Errorf("player: %s on screen %s: %w", kind, screen, err)
	}
	if resp == nil {
		resp = &endpoint.Response{}
	}
	if resp.Data == nil {
		resp.Data = map[string]any{}
	}
	entry.Response = resp
	s.log = append(s.log, entry)
	return resp, nil
}

// enter pushes screen sc with data (what the person or the endpoint supplied) and renders it: its inputs
// take their init values, and in Flow JSON 6.0–6.3 the on-select-actions of its components fire.
func (s *Session) enter(sc *screenDef, data map[string]any) error {
	fr := &frame{screen: sc, data: s.screenData(sc, data), form: map[string]any{}}
	s.stack = append(s.stack, fr)
	s.initValues(fr)
	if s.f.ver.atLeast(6, 0) && !s.f.ver.atLeast(7, 0) {
		return s.selectOnRender(fr)
	}
	return nil
}

// screenData is a screen's data: what was supplied, and for the declared fields nobody supplied, their
// __example__ (unless WithoutExamples).
func (s *Session) screenData(sc *screenDef, given map[string]any) map[string]any {
	out := map[string]any{}
	if !s.cfg.noExamples {
		for name, schema := range sc.fields {
			if ex, ok := schema["__example__"]; ok {
				out[name] = ex
			}
		}
	}
	maps.Copy(out, given)
	return out
}

func (s *Session) top() *frame { return s.stack[len(s.stack)-1] }

// Log returns the actions taken so far, oldest first.
func (s *Session) Log() []Action { return append([]Action(nil), s.log...) }

// Completed returns the completion payload as the business receives it in response_json (the complete
// action's payload with the flow_token), once the flow has completed.
func (s *Session) Completed() (payload map[string]any, ok bool) {
	if !s.done {
		return nil, false
	}
	return cloneMap(s.payload), true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	return maps.Clone(m)
}
