package analysis

import (
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

// BenchmarkAnalyzeBusyHour analyses one hour at 1 s of 200 processes all
// writing every sample (720,000 ProcStats rows); the full 24 h case with
// peak RSS is scripts/bench-analyze.sh (results in docs/bench-analyze.md).
func BenchmarkAnalyzeBusyHour(b *testing.B) {
	const procs, span = 200, time.Hour
	start := time.Date(2026, 11, 24, 4, 30, 0, 0, time.UTC)
	p, err := synth.Write(testutil.TempDir(b), 1, synth.BusyHost(start, span, time.Second, procs))
	if err != nil {
		b.Fatal(err)
	}
	rows := float64(procs) * span.Seconds()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := AnalyzeFiles([]string{p.HVRStats, p.ProcStats}, ColumnMap{}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Report.Spikes) == 0 {
			b.Fatal("the planted 04:57 spike was not found")
		}
	}
	b.ReportMetric(rows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
