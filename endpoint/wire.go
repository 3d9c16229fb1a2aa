// The decrypted request and response of the data-endpoint protocol.
package endpoint

// The actions a Request carries.
const (
	ActionPing         = "ping"          // the health check; no screen, data or flow token
	ActionInit         = "INIT"          // the flow opened with flow_action=data_exchange: the endpoint picks the first screen
	ActionBack         = "BACK"          // back pressed on a screen with refresh_on_back: Screen is the screen being left
	ActionDataExchange = "data_exchange" // a data_exchange action ran on Screen with Data as its payload
)

// SuccessScreen is the screen name with which a Response completes the flow; its data holds
// extension_message_response.params, which the business receives as the completion's response_json.
const SuccessScreen = "SUCCESS"

// Request is what the WhatsApp client sends, once decrypted. Screen and Data may be empty for INIT and
// BACK; FlowTokenSignature is sent only by flows with Flow JSON 7.3+ and data_api_version 4.0+.
type Request struct {
	Version            string         `json:"version"`
	Action             string         `json:"action"`
	Screen             string         `json:"screen,omitempty"`
	Data               map[string]any `json:"data,omitempty"`
	FlowToken          string         `json:"flow_token,omitempty"`
	FlowTokenSignature string         `json:"flow_token_signature,omitempty"`
}

// Response is what the endpoint answers, before encryption: the screen to show and its data. Screen
// SUCCESS completes the flow; a Response to a ping or an error notification has only Data.
type Response struct {
	Screen string         `json:"screen,omitempty"`
	Data   map[string]any `json:"data"`
}
