// Fuzzing: any document, and any sequence of fills, presses and backs on one that starts, must not panic.
package player_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/waflows/waflows/endpoint"
	"github.com/waflows/waflows/player"
)

func FuzzPlay(f *testing.F) {
	f.Add(signUp(), []byte{0, 1, 2, 3, 4, 5})
	f.Add(booking(), []byte{9, 9, 1, 0, 2})
	files, _ := filepath.Glob("../flowjson/testdata/valid/*.json")
	for i, file := range files {
		if i%4 != 0 {
			continue // a sample is enough to seed
		}
		if data, err := os.ReadFile(file); err == nil && len(data) < 64<<10 {
			f.Add(data, []byte{byte(i), 3, 1, 4, 1, 5})
		}
	}
	values := []any{"", "Ada", "ada@example.com", "42", "2030-01-07", true, false, nil, []string{"a"}, []any{1},
		map[string]any{"start-date": "2030-01-07", "end-date": "2030-01-09"}, []player.File{{Name: "a.jpg", MIMEType: "image/jpeg", Data: []byte("x")}}, 3.5}
	f.Fuzz(func(t *testing.T, doc []byte, moves []byte) {
		timer := time.AfterFunc(5*time.Second, func() { panic("FuzzPlay: one input ran for over 5 s") })
		defer timer.Stop()
		exchange := func(_ context.Context, req endpoint.Request) (*endpoint.Response, error) {
			// An endpoint that answers oddly on purpose: the same screen, SUCCESS, or nothing.
			switch len(req.Screen) % 3 {
			case 0:
				return &endpoint.Response{Screen: req.Screen, Data: map[string]any{"x": 1}}, nil
			case 1:
				return &endpoint.Response{Screen: endpoint.SuccessScreen, Data: map[string]any{"extension_message_response": map[string]any{"params": map[string]any{"flow_token": "t"}}}}, nil
			}
			return nil, nil
		}
		s, err := player.Start(context.Background(), doc, player.WithDataExchange(exchange))
		if err != nil {
			return
		}
		for i, m := range moves {
			if i > 40 {
				break
			}
			sc := s.Screen()
			_ = sc.Text()
			switch m % 3 {
			case 0:
				var inputs []player.Component
				for _, c := range sc.Components {
					if c.Name != "" {
						inputs = append(inputs, c)
					}
				}
				if len(inputs) > 0 {
					_ = s.Fill(inputs[int(m)%len(inputs)].Name, values[int(m/3)%len(values)])
				}
			case 1:
				if p := pressables(s); len(p) > 0 {
					_ = s.Press(p[int(m/3)%len(p)])
				}
			case 2:
				_ = s.Back()
			}
			_, _ = s.Completed()
		}
		_ = s.Summary()
		_ = s.Log()
	})
}
