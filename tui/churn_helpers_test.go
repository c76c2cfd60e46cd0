package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// incidentDay is the synthetic incident day's date: UTC, so minute labels
// are the same on every machine.
var incidentDay = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// normalMinute is the incident day's ordinary minute in bytes, and the
// baseline (median minute): SQL Server, the page file and the agent.
const normalMinute = 60 * (synth.SQLRate + synth.PageFileRate + synth.AgentRate)

// writeIncident writes the incident day (HVRStats, ProcStats, FileStats)
// into a temp dir and returns the dir and its files.
func writeIncident(t testing.TB) (string, []string) {
	t.Helper()
	dir := testutil.TempDir(t)
	if _, err := synth.Write(dir, 1, synth.IncidentDay(incidentDay)); err != nil {
		t.Fatal(err)
	}
	paths, err := analysis.ExpandPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return dir, paths
}

// incidentOptions are the analysis options of the tests: analyze's
// classifier for inputs without a class, and opt's other fields.
func incidentOptions(opt analysis.Options) analysis.Options {
	opt.Classify = sampler.DefaultClassifier().Classify
	return opt
}

// openIncident opens the incident day for replay, named "incident-day" in
// the header so goldens do not depend on the temp dir.
func openIncident(t testing.TB, opt analysis.Options) (*Recording, []string) {
	t.Helper()
	_, paths := writeIncident(t)
	rec, err := OpenRecording("incident-day", paths, analysis.ColumnMap{}, incidentOptions(opt), sampler.DefaultClassifier())
	if err != nil {
		t.Fatal(err)
	}
	return rec, paths
}

// newReplayModel is the program's model on rec at w x h, its first frame
// shown.
func newReplayModel(t testing.TB, rec *Recording, w, h int, ascii bool) *Model {
	t.Helper()
	mode := views.Braille
	if ascii {
		mode = views.ASCII
	}
	m := New(Options{Replay: rec, Host: "incident-day", ASCII: ascii, Mode: mode})
	t.Cleanup(func() { m.Close() })
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	run(m, m.Init())
	return m
}

// keys sends keys to m and runs what they return (the frame at the
// cursor), as the program would.
func keys(m *Model, ks ...string) {
	for _, k := range ks {
		_, cmd := m.Update(keyMsg(k))
		run(m, cmd)
	}
}

// churnLines is the whole Churn tab at width w, as the pane scrolls it.
func churnLines(m *Model, w int) []string {
	var out []string
	for _, l := range views.Churn(m.churn.data(m.churn.h), w, m.ctx.Theme) {
		out = append(out, stripANSI(l))
	}
	return out
}

// stripANSI drops styles from one line.
func stripANSI(s string) string { return ansi.Strip(s) }

// hasLine reports whether some line holds every part, in order.
func hasLine(lines []string, parts ...string) bool {
	for _, l := range lines {
		rest, ok := l, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

// headerLine is the first screen line (the header).
func headerLine(m *Model) string { return screen(m)[0] }

// sizeMsg is a terminal resize to w x h.
func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// hasText reports whether the lines, joined with their wrapping undone
// (runs of spaces as one), hold parts in order.
func hasText(lines []string, parts ...string) bool {
	flat := strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
	for _, p := range parts {
		p = strings.Join(strings.Fields(p), " ")
		i := strings.Index(flat, p)
		if i < 0 {
			return false
		}
		flat = flat[i+len(p):]
	}
	return true
}
