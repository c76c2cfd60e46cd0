package analysis

import (
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

// writerMiB16 is a 16 MiB/s writer (dd copying a disk image).
const writerMiB16 = 16 << 20

// steady is a scenario of one process writing rate bytes per second to one
// file for n samples of step, the first at start.
func steady(start time.Time, step time.Duration, n int, rate int64) synth.Scenario {
	return synth.Scenario{Start: start, Interval: step, Samples: n, Host: "sql-vm", Processes: []synth.Process{
		{Name: "dd", PID: 4242, Start: 7, Class: sampler.ClassInbox, Files: []synth.FileRate{
			{Path: "/var/lib/images/disk.img", Rate: func(time.Time) int64 { return rate }}}},
	}}
}

func writeScenario(t *testing.T, sc synth.Scenario) []string {
	t.Helper()
	p, err := synth.Write(testutil.TempDir(t), 1, sc)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{p.HVRStats, p.ProcStats}
	if p.FileStats != "" {
		out = append(out, p.FileStats)
	}
	return out
}

// The short session: 29 s of a 16 MiB/s writer against a
// 100 Mbit link. No interval has a complete cycle, so none may have
// figures or a link verdict from the partial window (it said "keeps up,
// largest cycle uses 9% / 3% of the link" for 5 and 15 min); each gets a
// projection from the sustained rate, which does not fit 100 Mbit.
func TestShortRecordingProjectsAndNeverKeepsUp(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 1, 0, time.UTC) // covers 10:00:00 to 10:00:29
	paths := writeScenario(t, steady(start, time.Second, 29, writerMiB16))
	res, err := AnalyzeFiles(paths, ColumnMap{}, Options{LinkRate: 100e6 / 8})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Impact) != 3 {
		t.Fatalf("impact: %+v", res.Report.Impact)
	}
	for _, im := range res.Report.Impact {
		if im.Cycles != 0 || im.Link != nil || im.PeakBytes != 0 || im.RPO != 0 {
			t.Errorf("%s: figures from a partial window: %+v", im.Interval, im)
		}
		p := im.Projection
		if p == nil {
			t.Fatalf("%s: no projection", im.Interval)
		}
		if p.Recorded != 29*time.Second || math.Abs(p.SustainedRate-writerMiB16) > 1 {
			t.Errorf("%s: projection from %s at %.0f B/s, want 29 s at %d", im.Interval, p.Recorded, p.SustainedRate, writerMiB16)
		}
		if !p.HasLink || p.FitsNow || p.FitsWithGrowth {
			t.Errorf("%s: 134 Mbit/s cannot fit 100 Mbit: %+v", im.Interval, p)
		}
		if want := float64(writerMiB16) * im.Interval.Seconds(); p.CycleBytes != want {
			t.Errorf("%s: projected cycle %.0f, want %.0f", im.Interval, p.CycleBytes, want)
		}
		if math.Abs(p.PlannedRate-p.NeededRate*1.3) > 1 || im.Growth != DefaultGrowth {
			t.Errorf("%s: planned %.0f, needed %.0f, growth %g: want 30%% growth by default", im.Interval, p.PlannedRate, p.NeededRate, im.Growth)
		}
	}
}

// 45 s from a cycle boundary hold one complete 30 s cycle (measured) and
// no 5 or 15 min cycle (projected); the partial second cycle is left out.
// (The first sample, at 10:00:00, holds the writes of the second before.)
func TestCompleteCyclesOnly(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	paths := writeScenario(t, steady(start, time.Second, 45, 1<<20))
	res, err := AnalyzeFiles(paths, ColumnMap{}, Options{LinkRate: 100e6 / 8})
	if err != nil {
		t.Fatal(err)
	}
	i30 := res.Report.Impact[0]
	if i30.Cycles != 1 || i30.PartialCycles != 1 || i30.Projection != nil || i30.PeakBytes != 30<<20 || i30.P95Bytes != 30<<20 {
		t.Errorf("30 s: %+v", i30)
	}
	if i30.Link == nil || !i30.Link.KeepsUp || !i30.Link.GrowthFits || i30.RPO <= 30*time.Second || i30.RPO > 34*time.Second {
		t.Errorf("30 s link: %+v, RPO %s", i30.Link, i30.RPO)
	}
	for _, im := range res.Report.Impact[1:] {
		if im.Cycles != 0 || im.Projection == nil || !im.Projection.FitsNow {
			t.Errorf("%s: %+v", im.Interval, im)
		}
	}
}

// The 95th-percentile cycle, the growth and the RPO: twenty 30 s cycles,
// one of them ten times the others.
func TestP95GrowthAndRPO(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	sc := steady(start, 10*time.Second, 60, 1<<20)
	spikeFrom := time.Date(2026, 11, 24, 10, 5, 0, 0, time.UTC)
	sc.Processes[0].Files[0].Rate = func(t time.Time) int64 {
		if !t.Before(spikeFrom) && t.Before(spikeFrom.Add(30*time.Second)) {
			return 10 << 20
		}
		return 1 << 20
	}
	paths := writeScenario(t, sc)
	link := 8.0 * (1 << 20) / 8 * 1.5 // carries 1.5 MiB/s
	res, err := AnalyzeFiles(paths, ColumnMap{}, Options{LinkRate: link, Growth: 0.5, Intervals: []time.Duration{30 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	im := res.Report.Impact[0]
	if im.Cycles != 20 || im.PeakBytes != 300<<20 || im.P95Bytes != 30<<20 || im.TypicalBytes != 30<<20 {
		t.Fatalf("cycles %d peak %.0f p95 %.0f typical %.0f", im.Cycles, im.PeakBytes, im.P95Bytes, im.TypicalBytes)
	}
	if im.PlannedRate != im.P95Rate*1.5 {
		t.Errorf("planned %.0f, want p95 %.0f x 1.5", im.PlannedRate, im.P95Rate)
	}
	// 30 MiB x 1.5 = 45 MiB at 1.5 MiB/s: 30 s, just fits; RPO 60 s.
	if im.RPONotMet || im.RPO != time.Minute {
		t.Errorf("RPO %s (not met %v), want 1m0s", im.RPO, im.RPONotMet)
	}
	if im.Link.KeepsUp || !im.Link.GrowthFits {
		t.Errorf("the spike cycle cannot fit, the 95th-percentile one with growth does: %+v", im.Link)
	}
	// With 60% growth the planned cycle no longer fits: RPO not met.
	res, _ = AnalyzeFiles(paths, ColumnMap{}, Options{LinkRate: link, Growth: 0.6, Intervals: []time.Duration{30 * time.Second}})
	if im := res.Report.Impact[0]; !im.RPONotMet || im.RPO != 0 || im.Link.GrowthFits {
		t.Errorf("60%% growth: RPO %s not met %v", im.RPO, im.RPONotMet)
	}
	// NoGrowth plans for the 95th-percentile cycle as it is.
	res, _ = AnalyzeFiles(paths, ColumnMap{}, Options{LinkRate: link, NoGrowth: true, Intervals: []time.Duration{30 * time.Second}})
	if im := res.Report.Impact[0]; im.Growth != 0 || im.PlannedRate != im.P95Rate {
		t.Errorf("no growth: %+v", im)
	}
}

// The baseline leaves out partial minutes: a session from 10:00:40 to
// 10:02:20 has one complete minute, too few for a baseline, so the full
// minute is no "3.0x spike" over the partial ones.
func TestBaselineExcludesPartialMinutes(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 41, 0, time.UTC)
	paths := writeScenario(t, steady(start, time.Second, 100, 1<<20))
	res, err := AnalyzeFiles(paths, ColumnMap{}, Options{SpikeFactor: 2})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	if r.CompleteMinutes != 1 || r.Baseline != 0 || len(r.Spikes) != 0 || len(r.Pivot.Minutes) != 3 {
		t.Fatalf("complete %d baseline %.0f spikes %d minutes %d", r.CompleteMinutes, r.Baseline, len(r.Spikes), len(r.Pivot.Minutes))
	}
	if m := r.Pivot.Minutes; !m[0].Partial || m[1].Partial || !m[2].Partial || m[1].Factor != 0 {
		t.Errorf("partial marks: %+v", m)
	}
	// Five minutes later there are complete minutes enough: the baseline is
	// a full minute, the partial first minute is half of it.
	start = time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC)
	paths = writeScenario(t, steady(start, time.Second, 330, 1<<20))
	r = mustAnalyze(t, paths, Options{}).Report
	if r.CompleteMinutes != 5 || r.Baseline != 60<<20 {
		t.Errorf("complete %d baseline %.0f, want 5 and %d", r.CompleteMinutes, r.Baseline, 60<<20)
	}
	if m := r.Pivot.Minutes[0]; !m.Partial || m.Factor != 0.5 {
		t.Errorf("first minute: %+v", m)
	}
}

func mustAnalyze(t *testing.T, paths []string, opt Options) *Result {
	t.Helper()
	res, err := AnalyzeFiles(paths, ColumnMap{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A 20 s session names no pattern: a 4 s dd among a steady database was
// "persistent" from 20 s of data. The incident day tells them apart.
func TestPatternsNeedEnoughMinutes(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 21, 0, time.UTC)
	sc := steady(start, time.Second, 20, 0)
	ddFrom := start.Add(5 * time.Second)
	sc.Processes[0].Files[0].Rate = func(t time.Time) int64 {
		if !t.Before(ddFrom) && t.Before(ddFrom.Add(4*time.Second)) {
			return writerMiB16
		}
		return 0
	}
	sc.Processes = append(sc.Processes, synth.Process{Name: "sqlservr.exe", PID: 1800, Start: 3, Class: sampler.ClassWorkload,
		Files: []synth.FileRate{{Path: `D:\SQLData\sales.mdf`, Rate: func(time.Time) int64 { return 500_000 }}}})
	r := mustAnalyze(t, writeScenario(t, sc), Options{}).Report
	if len(r.Processes) != 2 {
		t.Fatalf("processes: %+v", r.Processes)
	}
	for _, p := range r.Processes {
		if p.Pattern != PatternTooShort {
			t.Errorf("%s after 20 s: %s, want %q", p.Name, p.Pattern, PatternTooShort)
		}
	}
	if r.PatternNeeds != DefaultMinPatternMinutes || r.CompleteMinutes != 0 {
		t.Errorf("pattern needs %d, complete %d", r.PatternNeeds, r.CompleteMinutes)
	}

	p, _ := incidentDay(t)
	r = mustAnalyze(t, []string{p.HVRStats, p.ProcStats}, Options{}).Report
	want := map[string]Pattern{"sqlservr.exe": PatternPersistent, "explorer.exe": PatternBurst, "System": PatternPersistent}
	for _, ps := range r.Processes {
		if w, ok := want[ps.Name]; ok && ps.Pattern != w {
			t.Errorf("incident day %s: %s, want %s", ps.Name, ps.Pattern, w)
		}
	}
}

// A recording with FileStats, whose rows are a few milliseconds off the
// other files' (the recorder writes FileStats last), replays with exactly
// its sample count, with and without the Sample column (old recordings
// match by the nearest HVRStats time within half an interval); the host
// comes from the Host column, never from the directory.
func TestReplayCountsRecordedSamples(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 1, 0, time.UTC)
	for _, legacy := range []bool{false, true} {
		for _, skew := range []time.Duration{3 * time.Millisecond, -4 * time.Millisecond, 400 * time.Millisecond} {
			if legacy && skew > 100*time.Millisecond {
				continue // without sample numbers only a small skew can be matched
			}
			sc := steady(start, time.Second, 30, 1<<20)
			sc.Legacy, sc.FileSkew = legacy, skew
			paths := writeScenario(t, sc)
			x, err := IndexRecording(paths, ColumnMap{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantHost := "sql-vm"
			if legacy {
				wantHost = ""
			}
			if x.Count != 30 || x.Host != wantHost {
				t.Errorf("legacy %v skew %s: %d samples, host %q; want 30, %q", legacy, skew, x.Count, x.Host, wantHost)
			}
			for _, in := range x.Inputs {
				if in.Samples != 30 {
					t.Errorf("legacy %v skew %s: %s gave %d samples, want 30", legacy, skew, in.Kind, in.Samples)
				}
			}
			r := x.Analyzer().Report()
			if r.Samples != 30 || len(r.Files) != 1 || r.Files[0].Bytes != 30<<20 {
				t.Errorf("legacy %v skew %s: report %d samples, files %+v", legacy, skew, r.Samples, r.Files)
			}
		}
	}
}

// Unknown columns after the known ones (the recorder may add more) are
// ignored; the known ones are found by name wherever they are.
func TestRecordingExtraColumnsIgnored(t *testing.T) {
	dir := testutil.TempDir(t)
	hvr := writeFileIn(t, dir, "HVRStats-1.csv", "HourMinute,Timestamp,IntervalSeconds,TotalWriteBytesPerSec,TotalReadBytesPerSec,sda.WriteBytesPerSec,sda.ReadBytesPerSec,Sample,Host,Future\n"+
		"10:00,2026-11-24T10:00:01.000Z,1.000,1000,0,1000,0,1,vm1,x\n"+
		"10:00,2026-11-24T10:00:02.000Z,1.000,1000,0,1000,0,2,vm1,y\n")
	proc := writeFileIn(t, dir, "ProcStats-1.csv", "Timestamp,HourMinute,Process,PID,Class,WriteBytesPerSec,ReadBytesPerSec,WriteBytesTotal,ReadBytesTotal,ProcessStart,Sample,CommandLine,Other\n"+
		"2026-11-24T10:00:01.000Z,10:00,a.exe,1,inbox,1000,0,1000,0,5,1,\"a.exe -x, -y\",z\n"+
		"2026-11-24T10:00:02.000Z,10:00,a.exe,1,inbox,1000,0,2000,0,5,2,a.exe,z\n")
	res := mustAnalyze(t, []string{hvr, proc}, Options{})
	if res.Partial() || res.Report.Samples != 2 || res.Host != "vm1" || res.Report.AttributedBytes != 2000 {
		t.Errorf("partial %v samples %d host %q attributed %.0f", res.Partial(), res.Report.Samples, res.Host, res.Report.AttributedBytes)
	}
}

func writeFileIn(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := dir + "/" + name
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A long live session touching more files than the analysis keeps totals
// for forgets the ones that wrote least, never the top files.
func TestFileTotalsBounded(t *testing.T) {
	a := NewAnalyzer(Options{})
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	files := []FileSample{{Process: "sqlservr.exe", PID: 1, Path: "big.mdf", WriteBytes: 1e9}}
	for i := 0; i < 3*maxFileTotals; i++ {
		files = append(files, FileSample{Process: "x", PID: 2, Path: "f" + strconv.Itoa(i), WriteBytes: 1})
	}
	a.AddFiles(at, time.Second, files)
	if n := len(a.fileTotals); n > maxFileTotals {
		t.Errorf("%d file totals kept, limit %d", n, maxFileTotals)
	}
	if r := a.Report(); len(r.Files) == 0 || r.Files[0].Path != "big.mdf" {
		t.Errorf("top file lost: %+v", r.Files)
	}
}

// The recorder keeps FileStats small with one "(N other files)" row per
// process and interval; N changes from one interval to the next, so these
// rows are summed per process under one name, not listed as many files.
func TestOtherFilesRowsSummedPerProcess(t *testing.T) {
	dir := testutil.TempDir(t)
	fs := writeFileIn(t, dir, "FileStats-1.csv", "Timestamp,HourMinute,Process,PID,File,WriteBytesPerSec,ReadBytesPerSec,WriteBytes,ReadBytes,Sample,Via,Medium\n"+
		"2026-11-24T10:00:01.000Z,10:00,sqlservr.exe,1800,D:\\a.mdf,100,0,100,0,1,write,disk\n"+
		"2026-11-24T10:00:01.000Z,10:00,sqlservr.exe,1800,(12 other files),500,0,500,0,1,,\n"+
		"2026-11-24T10:00:02.000Z,10:00,sqlservr.exe,1800,(7 other files),400,0,400,0,2,,\n"+
		"2026-11-24T10:00:02.000Z,10:00,sqlservr.exe,1800,(1 other file),50,0,50,0,2,,\n")
	ps := writeFileIn(t, dir, "ProcStats-1.csv", "Timestamp,HourMinute,Process,PID,Class,WriteBytesPerSec,ReadBytesPerSec,WriteBytesTotal,ReadBytesTotal,ProcessStart,Sample\n"+
		"2026-11-24T10:00:01.000Z,10:00,sqlservr.exe,1800,workload,600,0,600,0,5,1\n"+
		"2026-11-24T10:00:02.000Z,10:00,sqlservr.exe,1800,workload,450,0,1050,0,5,2\n")
	r := mustAnalyze(t, []string{ps, fs}, Options{}).Report
	if len(r.Files) != 2 || r.Files[0].Path != OtherFiles || r.Files[0].Bytes != 950 || r.Files[1].Path != `D:\a.mdf` {
		t.Errorf("files %+v", r.Files)
	}
}
