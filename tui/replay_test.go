package tui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// The recording opens on its first sample; n moves the cursor to the
// 04:57 spike, the header says where the cursor is and marks the spike,
// and the sampler shows SQL Server's spike rate on top.
func TestReplayCursorToSpike(t *testing.T) {
	rec, _ := openIncident(t, analysis.Options{})
	m := newReplayModel(t, rec, 80, 24, false)
	if h := headerLine(m); !strings.Contains(h, "replay of incident-day, 00:00:00 (sample 1 of 8640)") {
		t.Fatalf("header on open: %q", h)
	}
	keys(m, "n")
	scr := screen(m)
	checkFits(t, m, 80, 24)
	// At 80 columns the recording's name gives way to the cursor and the
	// spike mark.
	if !strings.Contains(scr[0], "hvrdoctor · replay of …-day, 04:57:00 (sample 1783 of 8640)") || !strings.Contains(scr[0], "spike: 30x baseline") {
		t.Errorf("header after n: %q", scr[0])
	}
	if !strings.Contains(scr[1], "spike 1 of 3: 04:57, 30.0x the baseline") {
		t.Errorf("status after n: %q", scr[1])
	}
	top := firstRow(t, scr)
	for _, want := range []string{"sqlservr.exe", "1800", "workload", "17.1 MiB/s"} {
		if !strings.Contains(top, want) {
			t.Errorf("top row at 04:57:00 %q lacks %q", top, want)
		}
	}
	for _, l := range scr {
		if strings.Contains(l, "Wizard") {
			t.Errorf("no wizard on a replay: %q", l)
		}
	}
	tabOf(t, m, "Churn")
	scr = screen(m)
	if !hasLine(scr, ">04:57", "1.0 GiB", "30.0", "SPIKE") || !hasText(scr, "04:57: Factor 30.0x; Written 1.0 GiB") ||
		!hasText(scr, "sqlservr.exe (PID 1800, workload, persistent)", "99%") || !hasText(scr, `D:\SQLData\tempdb.mdf 997 MiB`) {
		t.Errorf("Churn tab at the spike:\n%s", strings.Join(scr, "\n"))
	}
}

// On replay the Churn tab shows the same spikes, culprits, baseline and
// replication impact as `hvrdoctor analyze --format text` prints for the
// same files and flags: both read one Analyzer's report through one layout.
func TestReplayChurnMatchesAnalyzeText(t *testing.T) {
	opt := analysis.Options{Compression: 0.5, LinkRate: 100e6 / 8}
	rec, paths := openIncident(t, opt)
	res, err := analysis.AnalyzeFiles(paths, analysis.ColumnMap{}, incidentOptions(opt))
	if err != nil {
		t.Fatal(err)
	}
	text := views.AnalysisText(res)
	m := newReplayModel(t, rec, 200, 50, false)
	keys(m, "n")
	lines := churnLines(m, 200)
	all := strings.Join(lines, "\n")
	rep := rec.Report()
	if rep.Samples != res.Report.Samples || rep.Samples != rec.Count() || rep.Baseline != res.Report.Baseline {
		t.Errorf("replay %d samples, baseline %.0f; analyze %d, %.0f; recording %d samples", rep.Samples, rep.Baseline,
			res.Report.Samples, res.Report.Baseline, rec.Count())
	}
	if !hasLine(lines, "baseline "+units.Bytes(res.Report.Baseline)+"/min") || !strings.Contains(text, "): "+units.Bytes(res.Report.Baseline)+".") {
		t.Errorf("baseline %s not on the Churn tab or in the text:\n%s\n%s", units.Bytes(res.Report.Baseline), all, text)
	}
	if len(res.Report.Spikes) != 3 || len(rep.Spikes) != 3 {
		t.Fatalf("3 spikes expected: analyze %d, replay %d", len(res.Report.Spikes), len(rep.Spikes))
	}
	for i, sp := range res.Report.Spikes {
		row := []string{sp.Label, fmt.Sprintf("%.1fx", sp.Factor), units.Bytes(sp.Bytes), sp.Culprits[0].Name}
		if !hasLine(lines, row...) || !hasLine(strings.Split(text, "\n"), row...) {
			t.Errorf("spike %q not on the Churn tab and in the text:\n%s", row, all)
		}
		if rep.Spikes[i].Label != sp.Label || rep.Spikes[i].Factor != sp.Factor {
			t.Errorf("spike %d: replay %+v, analyze %+v", i, rep.Spikes[i], sp)
		}
	}
	for i, x := range res.Report.Impact {
		if rep.Impact[i].PeakBytes != x.PeakBytes || rep.Impact[i].Cycles != x.Cycles {
			t.Errorf("interval %s: replay %+v, analyze %+v", x.Interval, rep.Impact[i], x)
		}
		if !hasLine(lines, units.Interval(x.Interval), units.Bytes(x.PeakBytes), units.Bits(x.PeakRate)) {
			t.Errorf("impact of %s not on the Churn tab:\n%s", x.Interval, all)
		}
	}
	if !hasLine(lines, "compression 0.5, growth 30%, link 100 Mbit/s") {
		t.Errorf("impact heading should state compression, growth and link:\n%s", all)
	}
}

// frameAt moves the cursor with ks and returns the frame on screen and the
// header.
func frameAt(m *Model, ks ...string) (sampler.Frame, string) {
	keys(m, ks...)
	return m.sampler.frame, headerLine(m)
}

// The cursor keys: a sample, a minute, the ends, spikes both ways. A frame
// reached backwards (files read again from their start) is the frame
// reached forwards; steps back within the cache read nothing and cut the
// histories at the cursor.
func TestReplayCursorKeys(t *testing.T) {
	rec, _ := openIncident(t, analysis.Options{})
	m := newReplayModel(t, rec, 80, 24, false)
	cases := []struct {
		keys []string
		want string
	}{
		{[]string{"right"}, "00:00:10 (sample 2 of 8640)"},
		{[]string{"]", "]"}, "00:00:30 (sample 4 of 8640)"},
		{[]string{"left"}, "00:00:20 (sample 3 of 8640)"},
		{[]string{"["}, "00:00:10 (sample 2 of 8640)"},
		{[]string{"}"}, "00:01:00 (sample 7 of 8640)"},
		{[]string{"pgdown"}, "00:02:00 (sample 13 of 8640)"},
		{[]string{"{"}, "00:01:00 (sample 7 of 8640)"},
		{[]string{"right", "pgup"}, "00:01:00 (sample 7 of 8640)"},
		{[]string{"end"}, "23:59:50 (sample 8640 of 8640)"},
		{[]string{"right"}, "23:59:50 (sample 8640 of 8640)"},
		{[]string{"N"}, "13:53:00 (sample 4999 of 8640)"},
		{[]string{"N"}, "13:52:00 (sample 4993 of 8640)"},
		{[]string{"home"}, "00:00:00 (sample 1 of 8640)"},
		{[]string{"left"}, "00:00:00 (sample 1 of 8640)"},
	}
	for _, c := range cases {
		if _, h := frameAt(m, c.keys...); !strings.Contains(h, c.want) {
			t.Errorf("after %v the header should say %q: %q", c.keys, c.want, h)
		}
	}

	fwd, _ := frameAt(m, "n")
	keys(m, "end")
	back, h := frameAt(m, "N", "N", "N")
	if !strings.Contains(h, "04:57:00 (sample 1783 of 8640)") {
		t.Fatalf("N from the end should reach the first spike: %q", h)
	}
	if !back.Time.Equal(fwd.Time) || back.DiskWriteRate != fwd.DiskWriteRate || len(back.Processes) != len(fwd.Processes) {
		t.Fatalf("frame at 04:57:00 forwards %v %.0f, backwards %v %.0f", fwd.Time, fwd.DiskWriteRate, back.Time, back.DiskWriteRate)
	}
	for i := range fwd.Processes {
		if fwd.Processes[i].Name != back.Processes[i].Name || fwd.Processes[i].WriteRate != back.Processes[i].WriteRate {
			t.Errorf("process %d forwards %+v, backwards %+v", i, fwd.Processes[i], back.Processes[i])
		}
	}
	if top := back.Processes[0]; top.Name != "sqlservr.exe" || top.WriteRate != synth.SQLRate+synth.SQLSpikeRate {
		t.Errorf("top at 04:57:00: %s %.0f B/s", top.Name, top.WriteRate)
	}
	if m.sess.frames != rec.Count() {
		t.Errorf("moving the cursor must not feed the analysis again: %d frames for %d samples", m.sess.frames, rec.Count())
	}

	eng := m.replay.cursor.eng
	f, _ := frameAt(m, "left")
	if m.replay.cursor.eng != eng {
		t.Error("a step back within the cache should not restart the engine")
	}
	if f.DiskWriteRate != synth.SQLRate+synth.PageFileRate+synth.AgentRate {
		t.Errorf("04:56:50 disk rate %.0f", f.DiskWriteRate)
	}
	if tot, tm := m.sampler.total, m.sampler.times; len(tot) == 0 || tot[len(tot)-1] != f.DiskWriteRate || !tm[len(tm)-1].Equal(f.Time) {
		t.Errorf("the graph should end at the cursor (%v), ends at %v", f.Time, tm[len(tm)-1])
	}
	if n := len(m.replay.cursor.ring); n > replayCache {
		t.Errorf("%d frames cached, at most %d", n, replayCache)
	}
	if n := len(m.sampler.total); n > replayWarm {
		t.Errorf("%d history points, at most %d", n, replayWarm)
	}
}

// A recording without spikes says so on n; +/- say the interval is the
// recording's; the wizard is absent and e opens nothing.
func TestReplayWithoutSpikes(t *testing.T) {
	rec, _ := openIncident(t, analysis.Options{SpikeFactor: 50})
	m := newReplayModel(t, rec, 80, 24, false)
	keys(m, "n")
	if scr := screen(m); !strings.Contains(scr[1], "no spike in the recording: no minute above 50x the baseline") ||
		!strings.Contains(scr[0], "(sample 1 of 8640)") {
		t.Errorf("n without spikes:\n%s", strings.Join(scr[:2], "\n"))
	}
	keys(m, "+")
	if scr := screen(m); !strings.Contains(scr[1], "a recording keeps its interval (10s)") {
		t.Errorf("+ on a replay: %q", scr[1])
	}
	keys(m, "p")
	if scr := screen(m); !strings.Contains(scr[1], "a recording does not play by itself") || m.sampling.paused {
		t.Errorf("p on a replay: %q", scr[1])
	}
	keys(m, "e")
	if m.wizard.mode == modeEditing {
		t.Error("e must not open the wizard's form on a replay")
	}
	for _, tb := range m.tabs {
		if tb.p.title() == "Wizard" {
			t.Error("no Wizard tab on a replay")
		}
	}
}

// Bad recordings are errors naming the file; an empty one says so.
func TestOpenRecordingErrors(t *testing.T) {
	dir := testutil.TempDir(t)
	_, paths := writeIncident(t)
	if _, err := OpenRecording("x", []string{dir + "/missing.csv"}, analysis.ColumnMap{}, analysis.Options{}, nil); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := OpenRecording("x", paths, analysis.ColumnMap{}, analysis.Options{SpikeFactor: 0.5}, nil); err == nil || !strings.Contains(err.Error(), "spike factor 0.5") {
		t.Errorf("bad option: %v", err)
	}
}

// The report of a replay names the recording instead of a live session,
// and the help screen lists the cursor keys, without the wizard's.
func TestReplayReportAndHelp(t *testing.T) {
	rec, _ := openIncident(t, analysis.Options{})
	m := newReplayModel(t, rec, 80, 24, false)
	md := views.IncidentMarkdown(m.incident())
	if !strings.Contains(md, "- Note: replay of incident-day: 8640 samples from 2026-11-24 00:00:00 to 2026-11-24 23:59:50, every 10s") ||
		strings.Contains(md, "- Session: since") || !strings.Contains(md, "| 04:57 | 30.0x |") ||
		!strings.Contains(md, "A replay of a recording runs no checks") {
		t.Errorf("replay report:\n%s", md)
	}
	keys(m, "?")
	scr := strings.Join(screen(m), "\n")
	checkFits(t, m, 80, 24)
	for _, want := range []string{"Time cursor", "next spike", "previous minute", "Screen", "save the report"} {
		if !strings.Contains(scr, want) {
			t.Errorf("help lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "run every step") {
		t.Errorf("no wizard keys on a replay's help:\n%s", scr)
	}
}

// The real program on a recording, with its own goroutines (run under
// -race): keys typed ahead move the cursor while frames are read in
// commands; the cursor ends where the keys put it.
func TestReplayProgram(t *testing.T) {
	rec, _ := openIncident(t, analysis.Options{})
	m := New(Options{Replay: rec, Host: "incident-day"})
	defer m.Close()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI)))
	for _, k := range []string{"n", "end", "N", "[", "[", "]", "+"} {
		tm.Send(keyMsg(k))
	}
	// The renderer sends changed cells only: wait for the status of the
	// last key, which no earlier status resembles.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("keeps its interval (10s)"))
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	tm.Send(keyMsg("q"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if final.replay.want != sampleAt(13, 52, 50) {
		t.Errorf("cursor at sample %d, want %d (13:52:50)", final.replay.want, sampleAt(13, 52, 50))
	}
	// A frame still being read when q came is dropped with the program:
	// read the cursor's frame now, as the next key would.
	run(final, final.sampling.resample(final.wantSeries()))
	checkFits(t, final, 80, 24)
	if h := headerLine(final); !strings.Contains(h, "13:52:50 (sample 4998 of 8640)") {
		t.Errorf("final header %q", h)
	}
}
