package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// TestProgramAt80x24 runs the real Bubble Tea program, with its own timers,
// over the real engine replaying the recorded scene in a 80x24 terminal
// with 16 colours: the heaviest writer ends at the top of the table and no
// line is wider than the terminal.
func TestProgramAt80x24(t *testing.T) {
	e := sceneEngine(t, 8)
	m := New(Options{Sampler: e, Interval: 250 * time.Millisecond, Host: "lab-vm", Mode: views.Braille})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI)))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("end of the recording"))
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)

	checkFits(t, final, 80, 24)
	lines := screen(final)
	top := firstRow(t, lines)
	for _, want := range []string{">", "sqlservr.exe", "workload", "50.0 MiB/s"} {
		if !strings.Contains(top, want) {
			t.Errorf("top row %q lacks %q", top, want)
		}
	}
	if n := len(e.TotalSeries()); n != 7 {
		t.Errorf("the program should have sampled all 8 snapshots (7 intervals), history has %d", n)
	}
}
