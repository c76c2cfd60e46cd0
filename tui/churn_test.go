package tui

import (
	"math"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// liveIncidentModel is the live program (no replay) whose sampler is the
// real engine reading the incident day through analysis.ReplaySource: the
// frames reach the screen one tick at a time, exactly as live frames do.
func liveIncidentModel(t *testing.T, w, h int) *Model {
	t.Helper()
	_, paths := writeIncident(t)
	rp, err := analysis.OpenReplay(paths, analysis.ColumnMap{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rp.Close() })
	eng, err := sampler.NewEngine(analysis.NewReplaySource(rp), sampler.Config{Interval: synth.IncidentStep})
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Sampler: eng, Interval: synth.IncidentStep, Host: "lab-vm", Mode: views.Braille})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	start(m) // the baseline frame
	return m
}

// sampleAt is the 1-based number of the incident day's sample at hh:mm:ss.
func sampleAt(h, m, s int) int {
	return int((time.Duration(h)*time.Hour+time.Duration(m)*time.Minute+time.Duration(s)*time.Second)/synth.IncidentStep) + 1
}

// tabOf activates the tab titled title.
func tabOf(t *testing.T, m *Model, title string) {
	t.Helper()
	for i, tb := range m.tabs {
		if tb.p.title() == title {
			m.setActive(i)
			return
		}
	}
	t.Fatalf("no %s tab", title)
}

// Live frames of the incident day: the header marks the spike on the
// sampler screen once the current minute crosses 10x the baseline, and
// the Churn tab shows the 04:57 spike at 30x with sqlservr.exe, workload,
// as its culprit; the pivot's baseline is the analysis's.
func TestChurnLiveIncidentSpike(t *testing.T) {
	m := liveIncidentModel(t, 80, 24)
	step(m, sampleAt(4, 56, 50))
	if h := headerLine(m); !strings.Contains(h, "04:56:50") || strings.Contains(h, "spike") {
		t.Fatalf("before the spike the header should show the time and no spike: %q", h)
	}
	step(m, 1) // 04:57:00: one sample of the spike, 5x so far
	if h := headerLine(m); strings.Contains(h, "spike") {
		t.Errorf("at 04:57:00 the minute is at 5x so far, no spike yet: %q", h)
	}
	step(m, 2) // 04:57:20: 15x so far
	if h := headerLine(m); !strings.Contains(h, "spike: 15x baseline") {
		t.Errorf("at 04:57:20 the header should mark the spike at 15x so far: %q", h)
	}
	step(m, 3) // 04:57:50: the whole minute
	if h := headerLine(m); !strings.Contains(h, "spike: 30x baseline") || !strings.Contains(h, "04:57:50") {
		t.Errorf("at 04:57:50 the header should mark 30x: %q", h)
	}
	if top := firstRow(t, screen(m)); !strings.Contains(top, "sqlservr.exe") || !strings.Contains(top, "workload") {
		t.Errorf("the sampler's top row during the spike: %q", top)
	}

	tabOf(t, m, "Churn")
	scr := screen(m)
	checkFits(t, m, 80, 24)
	if !hasLine(scr, ">04:57", "1.0 GiB", "30.0", "SPIKE") {
		t.Errorf("the pivot should end on the 04:57 minute, marked:\n%s", strings.Join(scr, "\n"))
	}
	if !hasLine(scr, "baseline 34.4 MiB/min") {
		t.Errorf("baseline line missing:\n%s", strings.Join(scr, "\n"))
	}
	lines := churnLines(m, 80)
	if !hasText(lines, "04:57: Factor 30.0x; Written 1.0 GiB") || !hasText(lines, "sqlservr.exe (PID 1800, workload, persistent) 1.0 GiB 99%") {
		t.Errorf("the spike and its culprit should be listed:\n%s", strings.Join(lines, "\n"))
	}
	rep := m.sess.report()
	if len(rep.Spikes) != 1 || math.Abs(rep.Spikes[0].Factor-30) > 1e-9 || rep.Spikes[0].Culprits[0].Class != sampler.ClassWorkload {
		t.Errorf("session analysis: %+v", rep.Spikes)
	}
	if b := rep.Pivot.Baseline; b != rep.Baseline || math.Abs(b-normalMinute) > 1e-3 {
		t.Errorf("pivot baseline %.3f, report %.3f, want %d", b, rep.Baseline, normalMinute)
	}

	step(m, sampleAt(5, 10, 0)-sampleAt(4, 57, 50))
	if h := headerLine(m); strings.Contains(h, "spike") {
		t.Errorf("at 05:10 the spike is over: %q", h)
	}
	if lines := churnLines(m, 80); !hasText(lines, "04:57: Factor 30.0x") {
		t.Errorf("the spike stays listed after it:\n%s", strings.Join(lines, "\n"))
	}
}

// The impact section names every replication interval with its log size
// and bandwidth, the compression and the link given, and the verdict.
func TestChurnLiveImpactOptions(t *testing.T) {
	_, paths := writeIncident(t)
	rp, err := analysis.OpenReplay(paths, analysis.ColumnMap{})
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	eng, err := sampler.NewEngine(analysis.NewReplaySource(rp), sampler.Config{Interval: synth.IncidentStep})
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Sampler: eng, Interval: synth.IncidentStep, Host: "lab-vm",
		Analysis: analysis.Options{SpikeFactor: 40, Compression: 0.5, LinkRate: 100e6 / 8}})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	start(m)
	step(m, sampleAt(5, 0, 0))
	if h := headerLine(m); strings.Contains(h, "spike") {
		t.Errorf("with --spike-factor 40 a 30x minute is no spike: %q", h)
	}
	lines := churnLines(m, 120)
	for _, want := range [][]string{
		{"Replication impact", "compression 0.5, growth 30%, link 100 Mbit/s"},
		{"30 s: Cycles 600; Peak log 516 MiB", "Needed at peak 72.1 Mbit/s"},
		{"Link keeps up over 600 complete cycles"},
		{"5 min: Cycles 60"}, {"15 min: Cycles 20"},
		{"Spikes", "above 40x"}, {"None."},
		{"Bytes written inside the guest are an upper bound of the changed blocks"},
	} {
		if !hasText(lines, want...) {
			t.Errorf("Churn tab lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
}

// Before the first interval the tab says what will come.
func TestChurnNoSamples(t *testing.T) {
	m, _ := newSceneModel(t, 3, 80, 24, false)
	tabOf(t, m, "Churn")
	checkFits(t, m, 80, 24)
	if scr := screen(m); !hasLine(scr, "No samples yet") {
		t.Errorf("empty Churn tab:\n%s", strings.Join(scr, "\n"))
	}
}

// With a per-file backend the live analysis knows which files each
// culprit wrote: the busiest minute's top writer names its top file.
func TestChurnLiveFilesNameCulprits(t *testing.T) {
	m, _ := newFilesModel(t, 8, 80, 24)
	start(m)
	step(m, 7)
	rep := m.sess.report()
	if len(rep.TopMinutes) == 0 || len(rep.TopMinutes[0].Culprits) == 0 {
		t.Fatalf("no top minute: %+v", rep.TopMinutes)
	}
	c := rep.TopMinutes[0].Culprits[0]
	if c.Name != "sqlservr.exe" || len(c.Files) == 0 || c.Files[0].Path != tempdbPath {
		t.Errorf("top culprit %s with files %+v, want sqlservr.exe writing %s first", c.Name, c.Files, tempdbPath)
	}
	if !rep.HasFiles {
		t.Error("the report should say per-file data is present")
	}
}
