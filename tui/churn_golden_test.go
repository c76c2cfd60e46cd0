package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// The Churn goldens pin the replay of the incident day at the 04:57 spike:
// the Churn tab at 80x24, both halves (sampler and Churn) at 160x48, the
// sampler screen with the cursor keys at 80x24 and the Churn tab without
// colour in ASCII. Update with `go test ./tui -run ChurnGolden -update`.
func TestChurnGolden(t *testing.T) {
	cases := []struct {
		name    string
		w, h    int
		ascii   bool
		profile colorprofile.Profile
		tab     string
	}{
		{"80x24_churn_ansi16", 80, 24, false, colorprofile.ANSI, "Churn"},
		{"80x24_processes_ansi16", 80, 24, false, colorprofile.ANSI, "Processes"},
		{"160x48_ansi16", 160, 48, false, colorprofile.ANSI, "Processes"},
		{"80x24_churn_ascii_no_color", 80, 24, true, colorprofile.ASCII, "Churn"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, _ := openIncident(t, analysis.Options{Compression: 0.5, LinkRate: 100e6 / 8})
			m := newReplayModel(t, rec, c.w, c.h, c.ascii)
			keys(m, "n")
			tabOf(t, m, c.tab)
			golden.RequireEqual(t, render(t, m, c.profile))
		})
	}
}

// A resize storm on every tab of a replay, down to 20x5 and back, never
// draws a line wider than the terminal, and ends on a correct screen.
func TestReplayResizeStorm(t *testing.T) {
	rec, _ := openIncident(t, analysis.Options{LinkRate: 10e6 / 8})
	m := newReplayModel(t, rec, 80, 24, false)
	keys(m, "n")
	sizes := [][2]int{{200, 50}, {20, 5}, {61, 21}, {33, 7}, {150, 40}, {59, 20}, {60, 20}, {139, 30}, {140, 30}, {81, 25}, {20, 5}, {80, 24}}
	for _, tab := range []string{"Processes", "Churn", "Report"} {
		tabOf(t, m, tab)
		for _, sz := range sizes {
			m.Update(sizeMsg(sz[0], sz[1]))
			checkFits(t, m, sz[0], sz[1])
			keys(m, "down", "right", "left")
			checkFits(t, m, sz[0], sz[1])
		}
	}
	scr := screen(m)
	if !strings.Contains(scr[0], "04:57:00 (sample 1783 of 8640)") || strings.Contains(strings.Join(scr, "\n"), "too small") {
		t.Errorf("after the storm:\n%s", strings.Join(scr, "\n"))
	}
}
