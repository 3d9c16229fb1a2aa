package player_test

import (
	"context"
	"testing"

	"github.com/waflows/waflows/internal/testflow"
	"github.com/waflows/waflows/player"
)

// BenchmarkInteraction measures one interaction on a 20-screen flow, from the person's event to the
// next screen's state (rendered): typing into an input (fill), choosing a radio that flips an If
// (select), and pressing Next (press: the checks, the navigation with its payload, the new screen
// with references to the screen before). Back, which resets press, is not timed.
func BenchmarkInteraction(b *testing.B) {
	doc := testflow.Long(20)
	open := func(b *testing.B) *player.Session {
		s, err := player.Start(context.Background(), doc)
		if err != nil {
			b.Fatal(err)
		}
		// Walk to screen 10, the middle of the flow, with a full back stack.
		for i := 1; i < 10; i++ {
			if err := s.Fill(name(i), "Ada"); err != nil {
				b.Fatal(err)
			}
			if err := s.Press("Next"); err != nil {
				b.Fatal(err)
			}
		}
		return s
	}
	b.Run("fill", func(b *testing.B) {
		s := open(b)
		texts := []string{"Ada", "Grace"}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := s.Fill("name_10", texts[i%2]); err != nil {
				b.Fatal(err)
			}
			_ = s.Screen()
			i++
		}
	})
	b.Run("select", func(b *testing.B) {
		s := open(b)
		picks := []string{"a", "b"}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := s.Fill("pick_10", picks[i%2]); err != nil {
				b.Fatal(err)
			}
			_ = s.Screen()
			i++
		}
	})
	b.Run("press", func(b *testing.B) {
		s := open(b)
		if err := s.Fill("name_10", "Ada"); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Press("Next"); err != nil {
				b.Fatal(err)
			}
			if sc := s.Screen(); sc.ID != testflow.ScreenID(11) {
				b.Fatalf("on %s", sc.ID)
			}
			b.StopTimer()
			if err := s.Back(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	})
	b.Run("start", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := player.Start(context.Background(), doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func name(i int) string { return "name_" + itoa(i) }

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
