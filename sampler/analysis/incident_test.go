package analysis

import (
	"math"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

// incidentDay writes the synthetic incident day (sampler/analysis/synth)
// into a temp dir and returns its paths.
func incidentDay(t testing.TB) (synth.Paths, time.Time) {
	t.Helper()
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	p, err := synth.Write(testutil.TempDir(t), 1, synth.IncidentDay(day))
	if err != nil {
		t.Fatal(err)
	}
	return p, day
}

// The day's exact numbers, from the scenario's rates (bytes per second) and
// its 10 s interval.
const (
	normalMinute = 60 * (synth.SQLRate + synth.PageFileRate + synth.AgentRate) // 36,060,000
	spikeMinute  = normalMinute + 60*synth.SQLSpikeRate                        // 30x normal
	copyMinute   = normalMinute + 60*synth.CopyRate
	sqlTotal     = synth.SQLRate*86400 + synth.SQLSpikeRate*60
	systemTotal  = synth.PageFileRate * 86400
	agentTotal   = synth.AgentRate * 86400
	copyTotal    = synth.CopyRate * 120
	allTotal     = sqlTotal + systemTotal + agentTotal + copyTotal
)

func analyzeIncident(t *testing.T, opt Options, files ...string) *Result {
	t.Helper()
	res, err := AnalyzeFiles(files, ColumnMap{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestIncidentDayPivot(t *testing.T) {
	p, _ := incidentDay(t)
	res := analyzeIncident(t, Options{}, p.HVRStats, p.ProcStats, p.FileStats)
	r := res.Report
	if res.Partial() {
		t.Fatalf("nothing should be skipped: %+v", res.Inputs)
	}
	if r.Samples != synth.IncidentCount || r.Minutes != 1440 {
		t.Fatalf("samples %d minutes %d, want %d and 1440", r.Samples, r.Minutes, synth.IncidentCount)
	}
	if r.Baseline != normalMinute {
		t.Errorf("baseline %.0f, want the normal minute %d", r.Baseline, normalMinute)
	}
	if r.TotalBytes != allTotal || r.AttributedBytes != allTotal {
		t.Errorf("totals disk %.0f processes %.0f, want %d", r.TotalBytes, r.AttributedBytes, int64(allTotal))
	}
	// The pivot's busiest minutes: the SQL spike, then the two copy minutes.
	if len(r.TopMinutes) < 3 {
		t.Fatalf("top minutes: %+v", r.TopMinutes)
	}
	want := []struct {
		label string
		bytes float64
	}{{"04:57", spikeMinute}, {"13:52", copyMinute}, {"13:53", copyMinute}}
	for i, w := range want {
		if r.TopMinutes[i].Label != w.label || r.TopMinutes[i].Bytes != w.bytes {
			t.Errorf("top minute %d: %s %.0f, want %s %.0f", i, r.TopMinutes[i].Label, r.TopMinutes[i].Bytes, w.label, w.bytes)
		}
	}
	// Per-process totals and classes.
	wantProc := map[string]struct {
		bytes   float64
		class   sampler.Class
		pattern Pattern
	}{
		"sqlservr.exe":   {sqlTotal, sampler.ClassWorkload, PatternPersistent},
		"System":         {systemTotal, sampler.ClassInbox, PatternPersistent},
		"explorer.exe":   {copyTotal, sampler.ClassInbox, PatternBurst},
		"VeeamAgent.exe": {agentTotal, sampler.ClassThirdParty, PatternBackground},
	}
	if len(r.Processes) != 4 || r.ProcessCount != 4 {
		t.Fatalf("processes: %+v", r.Processes)
	}
	if r.Processes[0].Name != "sqlservr.exe" {
		t.Errorf("top process %s, want sqlservr.exe", r.Processes[0].Name)
	}
	for _, ps := range r.Processes {
		w, ok := wantProc[ps.Name]
		if !ok {
			t.Errorf("unexpected process %s", ps.Name)
			continue
		}
		if ps.WriteBytes != w.bytes || ps.Class != w.class || ps.Pattern != w.pattern {
			t.Errorf("%s: %.0f %s %s, want %.0f %s %s", ps.Name, ps.WriteBytes, ps.Class, ps.Pattern, w.bytes, w.class, w.pattern)
		}
	}
	// Class shares.
	wantClass := map[sampler.Class]float64{
		sampler.ClassWorkload:   sqlTotal,
		sampler.ClassInbox:      systemTotal + copyTotal,
		sampler.ClassThirdParty: agentTotal,
	}
	for _, c := range r.Classes {
		if c.Bytes != wantClass[c.Class] || math.Abs(c.Share-wantClass[c.Class]/allTotal) > 1e-12 {
			t.Errorf("class %s: %.0f (%.4f), want %.0f", c.Class, c.Bytes, c.Share, wantClass[c.Class])
		}
	}
}

func TestIncidentDaySpikes(t *testing.T) {
	p, _ := incidentDay(t)
	r := analyzeIncident(t, Options{}, p.HVRStats, p.ProcStats, p.FileStats).Report
	if len(r.Spikes) != 3 {
		t.Fatalf("spikes: want 04:57, 13:52, 13:53; got %+v", r.Spikes)
	}
	s := r.Spikes[0]
	if s.Label != "04:57" || s.Factor != 30 {
		t.Fatalf("first spike %s %.2fx, want 04:57 30x", s.Label, s.Factor)
	}
	c := s.Culprits[0]
	if c.Name != "sqlservr.exe" || c.PID != 1800 || c.Class != sampler.ClassWorkload || c.Pattern != PatternPersistent {
		t.Errorf("spike culprit %+v, want sqlservr.exe 1800 workload persistent", c)
	}
	if c.Bytes != 60*(synth.SQLRate+synth.SQLSpikeRate) {
		t.Errorf("culprit bytes %.0f", c.Bytes)
	}
	if len(c.Files) != 2 || c.Files[0].Path != `D:\SQLData\tempdb.mdf` || c.Files[0].Bytes != 60*synth.SQLSpikeRate {
		t.Errorf("culprit files %+v, want tempdb.mdf first", c.Files)
	}
	cp := r.Spikes[1]
	if cp.Label != "13:52" || math.Abs(cp.Factor-float64(copyMinute)/normalMinute) > 1e-9 {
		t.Errorf("copy spike %s %.3f", cp.Label, cp.Factor)
	}
	if cp.Culprits[0].Name != "explorer.exe" || cp.Culprits[0].Class != sampler.ClassInbox || cp.Culprits[0].Pattern != PatternBurst {
		t.Errorf("copy culprit %+v", cp.Culprits[0])
	}
	if cp.Culprits[0].Files[0].Path != `E:\Transfer\data.iso` {
		t.Errorf("copy file %+v", cp.Culprits[0].Files)
	}
	// A higher factor keeps only the SQL spike.
	r = analyzeIncident(t, Options{SpikeFactor: 25}, p.HVRStats, p.ProcStats).Report
	if len(r.Spikes) != 1 || r.Spikes[0].Label != "04:57" {
		t.Errorf("factor 25: %+v", r.Spikes)
	}
}

func TestIncidentDayImpact(t *testing.T) {
	p, _ := incidentDay(t)
	link, err := ParseLinkRate("50Mbit")
	if err != nil {
		t.Fatal(err)
	}
	r := analyzeIncident(t, Options{LinkRate: link, Compression: 0.5}, p.HVRStats, p.ProcStats).Report
	if len(r.Impact) != 3 {
		t.Fatalf("impact: %+v", r.Impact)
	}
	normal30 := 30.0 * (synth.SQLRate + synth.PageFileRate + synth.AgentRate)
	spike30 := 30.0 * (synth.SQLRate + synth.SQLSpikeRate + synth.PageFileRate + synth.AgentRate)
	i30, i5, i15 := r.Impact[0], r.Impact[1], r.Impact[2]
	if i30.Cycles != 2880 || i30.PeakBytes != spike30 || i30.PeakAt.Format("15:04:05") != "04:57:00" || i30.TypicalBytes != normal30 {
		t.Errorf("30 s: %+v", i30)
	}
	if i30.PeakRate != spike30*0.5/30 || i30.TypicalRate != normal30*0.5/30 {
		t.Errorf("30 s rates: %+v", i30)
	}
	if i30.AverageRate != allTotal*0.5/86400 {
		t.Errorf("30 s average %.1f, want %.1f", i30.AverageRate, allTotal*0.5/86400)
	}
	// 5 and 15 min: the 1.5 GB copy outweighs the one-minute SQL spike.
	if i5.PeakBytes != 3*normalMinute+2*copyMinute || i5.PeakAt.Format("15:04") != "13:50" {
		t.Errorf("5 min: %+v", i5)
	}
	if i15.PeakBytes != 13*normalMinute+2*copyMinute || i15.PeakAt.Format("15:04") != "13:45" || i15.TypicalBytes != 15*normalMinute {
		t.Errorf("15 min: %+v", i15)
	}
	// 50 Mbit carries 187.5 MB per 30 s cycle; with 50% compression the
	// SQL spike's two cycles (270 MB each) and the copy's four (197 MB) do
	// not fit; each backlog clears in the next quiet cycle.
	v := i30.Link
	if v == nil || v.KeepsUp || !v.Drains {
		t.Fatalf("30 s link verdict: %+v", v)
	}
	if v.LateCycles != 6 {
		t.Errorf("late cycles %d, want 6 (two SQL spike cycles, four copy cycles)", v.LateCycles)
	}
	wantBacklog := 2*(spike30*0.5) - 2*187.5e6
	if math.Abs(v.MaxBacklog-wantBacklog) > 1 || v.MaxBacklogAt.Format("15:04:05") != "04:58:00" {
		t.Errorf("backlog %.0f at %s, want %.0f at 04:58:00", v.MaxBacklog, v.MaxBacklogAt.Format("15:04:05"), wantBacklog)
	}
	if v.ClearedAt.Format("15:04:05") != "04:58:30" {
		t.Errorf("cleared at %s", v.ClearedAt.Format("15:04:05"))
	}
	if !i15.Link.KeepsUp {
		t.Errorf("15 min should keep up at 50 Mbit: %+v", i15.Link)
	}
}
