package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/resync"
)

// The guest forecast from the report: the sustained rate over the span,
// half the disk; no forecast without a disk, with too little recorded, or
// with nothing written; a reader's error is the note.
func TestGuestForecast(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	analyze := func(rate int64, n int, opt Options) Report {
		t.Helper()
		res, err := AnalyzeFiles(writeScenario(t, steady(start, time.Second, n, rate)), ColumnMap{}, opt)
		if err != nil {
			t.Fatal(err)
		}
		return res.Report
	}
	r := analyze(4<<20, 120, Options{DiskBytes: 64 << 30, DiskSource: "--disk-size"})
	f := r.Forecast
	if f == nil {
		t.Fatalf("no forecast: %s", r.ForecastNote)
	}
	wantRate := r.TotalBytes / r.Impact[0].Recorded.Seconds()
	want, _ := resync.Until(64<<30, 0, wantRate)
	if f.RateBytesPerSec != wantRate || f.Until != want || f.ThresholdBytes != 32<<30 || f.Capped {
		t.Errorf("forecast %+v; want rate %g, until %v, threshold 32 GiB", f, wantRate, want)
	}
	if !strings.Contains(f.Basis, "50% of the guest's total disk size 64.0 GiB (--disk-size)") || !strings.Contains(f.Basis, "if replication stalls") || strings.Contains(f.Basis, "\n") {
		t.Errorf("basis %q", f.Basis)
	}
	for _, c := range []struct {
		name string
		rate int64
		n    int
		opt  Options
		note string
	}{
		{"no disk size", 4 << 20, 120, Options{}, "Recordings do not carry disk sizes"},
		{"reader error", 4 << 20, 120, Options{DiskSource: "disk sizes: no whole disk found in /sys/block; give --disk-size"}, "No resync forecast: disk sizes: no whole disk found"},
		{"29 s", 4 << 20, 29, Options{DiskBytes: 64 << 30}, "too little recorded; it needs one complete 30 s replication cycle"},
		{"15 min only, 2 min recorded", 4 << 20, 120, Options{DiskBytes: 64 << 30, Intervals: []time.Duration{15 * time.Minute}}, "one complete 15 min replication cycle"},
		{"nothing written", 0, 120, Options{DiskBytes: 64 << 30}, "nothing was written"},
	} {
		r := analyze(c.rate, c.n, c.opt)
		if r.Forecast != nil || !strings.Contains(r.ForecastNote, c.note) {
			t.Errorf("%s: forecast %+v, note %q; want none and a note with %q", c.name, r.Forecast, r.ForecastNote, c.note)
		}
	}
	if err := (Options{DiskBytes: -1}).Validate(); err == nil {
		t.Error("a negative disk size was accepted")
	}
}
