package cli

import (
	"encoding/json"
	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

// steadyRecording writes 10 minutes at a steady 1 MiB/s.
func steadyRecording(t *testing.T) string {
	t.Helper()
	dir := testutil.TempDir(t)
	start := time.Date(2026, 11, 24, 4, 50, 0, 0, time.UTC)
	_, err := synth.Write(dir, 1, synth.Scenario{Start: start, Interval: 10 * time.Second, Samples: 60, Host: "app-vm",
		Processes: []synth.Process{{Name: "app.exe", PID: 100, Start: 1, Class: sampler.ClassWorkload,
			Files: []synth.FileRate{{Path: `D:\data.bin`, Rate: func(time.Time) int64 { return 1 << 20 }}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// The guest's resync forecast in text, Markdown and JSON: half of
// --disk-size over the sustained rate, with its basis in one line.
func TestAnalyzeResyncForecast(t *testing.T) {
	dir := steadyRecording(t)
	out, errOut, code := analyzeIn(t, dir, "--format", "json", "--disk-size", "2GiB")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc analysis.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	f := doc.ResyncForecast
	if f == nil {
		t.Fatalf("no resync_forecast with --disk-size:\n%s", out)
	}
	if f.DiskBytes != 2<<30 || f.ThresholdBytes != 1<<30 || f.DiskSource != "--disk-size" {
		t.Errorf("disk %d threshold %d source %q; want 2 GiB, 1 GiB, --disk-size", f.DiskBytes, f.ThresholdBytes, f.DiskSource)
	}
	wantRate := doc.TotalBytes / doc.RecordedSeconds
	if f.RateBytesPerSec != wantRate || f.RateBytesPerSec < 0.9*(1<<20) || f.RateBytesPerSec > 1.1*(1<<20) {
		t.Errorf("rate %g, want total/recorded %g (about 1 MiB/s)", f.RateBytesPerSec, wantRate)
	}
	if want := float64(1<<30) / wantRate; f.SecondsUntil < want-1 || f.SecondsUntil > want+1 {
		t.Errorf("seconds_until %g, want %g", f.SecondsUntil, want)
	}
	if doc.ResyncForecastNote != "" {
		t.Errorf("note %q beside a forecast", doc.ResyncForecastNote)
	}
	for _, format := range []string{"text", "markdown"} {
		out, errOut, code := analyzeIn(t, dir, "--format", format, "--disk-size", "1GiB,1GiB")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		for _, want := range []string{"Resync forecast (if replication stalls)",
			"the change log could reach 1.0 GiB, 50% of the 2.0 GiB of disks, in as little as about 17 min",
			"Basis: the sustained write rate 1.0 MiB/s", "against 50% of the guest's total disk size 2.0 GiB (--disk-size)", "only if replication stalls"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: missing %q:\n%s", format, want, out)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "Basis: the sustained") && !strings.Contains(l, "if replication stalls") {
				t.Errorf("%s: the basis is not one line: %q", format, l)
			}
		}
	}
}

// Recordings carry no disk size: without --disk-size there is no
// forecast, only the reason; with too little recorded (no complete cycle,
// the impact figures' minimum) there is none either.
func TestAnalyzeResyncForecastNeedsSizeAndData(t *testing.T) {
	out, _, code := analyzeIn(t, steadyRecording(t), "--format", "text")
	if code != 0 || !strings.Contains(out, "Recordings do not carry disk sizes; give the guest's total disk size with --disk-size") ||
		strings.Contains(out, "could reach") {
		t.Errorf("without --disk-size (exit %d):\n%s", code, out)
	}
	out, _, code = analyzeIn(t, shortSession(t), "--format", "json", "--disk-size", "100GiB")
	var doc analysis.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if doc.ResyncForecast != nil || !strings.Contains(doc.ResyncForecastNote, "too little recorded; it needs one complete 30 s replication cycle") {
		t.Errorf("29 s recorded gave forecast %+v, note %q", doc.ResyncForecast, doc.ResyncForecastNote)
	}
}

// A bad --disk-size is a usage error: exit 2, one line naming the flag.
func TestAnalyzeBadDiskSize(t *testing.T) {
	dir := steadyRecording(t)
	for _, v := range []string{"NaN", "NaNGiB", "-5GiB", "0GiB", "garbage", "100", "1e999GiB", "Inf", "10GiB,", "9000000000TiB,9000000000TiB"} {
		out, errOut, code := analyzeIn(t, dir, "--format", "text", "--disk-size", v)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "--disk-size") {
			t.Errorf("--disk-size %q: exit %d, stdout %q, stderr %q; want exit 2 and one line naming --disk-size", v, code, out, errOut)
		}
	}
}

// ui takes the same --disk-size: bad values are refused before the screen
// starts, and a good one is the forecast's disk (not the machine's disks).
func TestUIDiskSizeFlag(t *testing.T) {
	for _, v := range []string{"NaN", "-1GiB", "lots"} {
		var out, errb strings.Builder
		_, code, ok := parseUI([]string{"--disk-size", v}, &out, &errb)
		if ok || code != 2 || strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), "--disk-size") {
			t.Errorf("ui --disk-size %q: ok %v exit %d stderr %q; want exit 2, one line", v, ok, code, errb.String())
		}
	}
	var out, errb strings.Builder
	o, _, ok := parseUI([]string{"--disk-size", "40GiB"}, &out, &errb)
	if !ok {
		t.Fatalf("ui --disk-size 40GiB refused: %s", errb.String())
	}
	if opt := o.churnOptions(); opt.DiskBytes != 40<<30 || opt.DiskSource != "--disk-size" {
		t.Errorf("churn options disk %d from %q, want 40 GiB from --disk-size", opt.DiskBytes, opt.DiskSource)
	}
}
