package tui

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
)

// render writes m's view through a colour profile writer, as the program
// does for a terminal of that profile: ANSI is a 16-colour console, ASCII is
// what NO_COLOR gives (attributes such as reverse video stay, colours go).
func render(t *testing.T, m *Model, p colorprofile.Profile) []byte {
	t.Helper()
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: p}
	if _, err := w.WriteString(m.View().Content); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The goldens pin the whole screen of the recorded scene after five
// samples. Update them with `go test ./tui -run Golden -update` after a
// deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	cases := []struct {
		name    string
		w, h    int
		ascii   bool
		profile colorprofile.Profile
		keys    []string
	}{
		{"80x24_ansi16", 80, 24, false, colorprofile.ANSI, nil},
		{"160x48_ansi16", 160, 48, false, colorprofile.ANSI, nil},
		{"80x24_no_color", 80, 24, false, colorprofile.ASCII, nil},
		{"80x24_ascii_no_color", 80, 24, true, colorprofile.ASCII, nil},
		{"80x24_detail_ansi16", 80, 24, false, colorprofile.ANSI, []string{"j", "enter"}},
		{"80x24_help_ansi16", 80, 24, false, colorprofile.ANSI, []string{"?"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := newSceneModel(t, 10, c.w, c.h, c.ascii)
			start(m)
			step(m, 5)
			for _, k := range c.keys {
				_, cmd := m.Update(keyMsg(k))
				run(m, cmd)
			}
			golden.RequireEqual(t, render(t, m, c.profile))
		})
	}
}
