package views

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// The 1-minute averages are marked on the header's first line whatever
// else it carries: live with a spike mark, and on a replay (the recorded
// minute up to the cursor), at 80 columns too.
func TestChurnHeaderMarksAverages(t *testing.T) {
	th := NewTheme(false)
	now := time.Date(2026, 11, 24, 4, 57, 0, 0, time.UTC)
	d := HeaderData{Host: "lab-vm", Interval: time.Second, Averaged: true, Now: now}
	rp := &ReplayHeader{Source: "/srv/recordings/incident", Now: now, Index: 1783, Count: 8640}
	for _, c := range []struct {
		name  string
		spike string
		rp    *ReplayHeader
	}{{"live with a spike", SpikeText(30), nil}, {"replay", "", rp}, {"replay at a spike", SpikeText(30), rp}} {
		for _, w := range []int{80, 200} {
			line1 := strings.Split(ansi.Strip(ChurnHeader(d, c.spike, c.rp, w, th)), "\n")[0]
			if !strings.Contains(line1, "1-min averages") {
				t.Errorf("%s at %d columns: %q lacks the averages mark", c.name, w, line1)
			}
			if c.spike != "" && !strings.Contains(line1, "spike: 30x baseline") {
				t.Errorf("%s at %d columns: %q lost the spike mark", c.name, w, line1)
			}
			if ansi.StringWidth(line1) > w {
				t.Errorf("%s: %q is wider than %d", c.name, line1, w)
			}
		}
	}
	d.Averaged = false
	if line1 := ansi.Strip(ChurnHeader(d, "", rp, 80, th)); strings.Contains(line1, "1-min averages") {
		t.Errorf("no mark without the averages: %q", line1)
	}
}
