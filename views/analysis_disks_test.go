package views

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// TestSpikesNameTheBusyDisk records 15 minutes with the real recorder:
// 1 MiB/s with sda 20% busy, then one minute at 60 MiB/s with sda 98%
// busy. The analysis flags that minute and says how busy the disk was;
// the same recording without the disk time columns (an older recording)
// still reads, without the disk column.
func TestSpikesNameTheBusyDisk(t *testing.T) {
	dir := testutil.TempDir(t)
	rec, err := sampler.NewRecorder(dir, []string{"sda"})
	if err != nil {
		t.Fatal(err)
	}
	rec.Location = time.UTC
	start := time.Date(2026, 11, 24, 4, 45, 0, 0, time.UTC)
	for i := 1; i <= 15*6; i++ {
		at := start.Add(time.Duration(i) * 10 * time.Second)
		w, act, q, ms := float64(1<<20), 20.0, 0.3, 1.5
		if at.Hour() == 4 && at.Minute() == 57 {
			w, act, q, ms = 60<<20, 98.4, 7.9, 31.2
		}
		f := sampler.Frame{Time: at, Elapsed: 10 * time.Second, DiskWriteRate: w,
			Disks: []sampler.DiskRates{{Name: "sda", WriteRate: w, HasTimes: true, ActivePercent: act, QueueLength: q, ResponseMs: ms}},
			Processes: []sampler.ProcessRates{{Key: sampler.ProcKey{PID: 42, Start: 1}, Name: "sqlservr", WriteRate: w,
				Class: sampler.Classification{Class: sampler.ClassWorkload}}}}
		if err := rec.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := analysis.AnalyzeFiles(rec.Paths(), analysis.ColumnMap{}, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Spikes) != 1 || res.Report.Spikes[0].Label != "04:57" {
		t.Fatalf("spikes = %+v, want the minute 04:57", res.Report.Spikes)
	}
	text := AnalysisText(res)
	if !strings.Contains(text, "sda 98% busy, queue 7.9, 31 ms") {
		t.Errorf("the spike does not say how busy the disk was:\n%s", text)
	}
	if md := AnalysisMarkdown(res); !strings.Contains(md, "sda 98% busy, queue 7.9, 31 ms") {
		t.Errorf("the Markdown spike does not say how busy the disk was:\n%s", md)
	}

	// The same recording without the time columns, as older versions
	// wrote it.
	b, err := os.ReadFile(rec.Paths()[0])
	if err != nil {
		t.Fatal(err)
	}
	var old []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, ",")
		old = append(old, strings.Join(f[:len(f)-3], ","))
	}
	oldDir := testutil.TempDir(t)
	oldHVR := filepath.Join(oldDir, "HVRStats-1.csv")
	if err := os.WriteFile(oldHVR, []byte(strings.Join(old, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = analysis.AnalyzeFiles([]string{oldHVR}, analysis.ColumnMap{}, analysis.Options{})
	if err != nil {
		t.Fatalf("an older recording without disk times: %v", err)
	}
	if len(res.Report.Spikes) != 1 || len(res.Report.Spikes[0].Disks) != 0 {
		t.Errorf("older recording: spikes %+v, want 04:57 without disk times", res.Report.Spikes)
	}
	if text := AnalysisText(res); strings.Contains(text, "Busiest disk") {
		t.Errorf("no disk column without disk times:\n%s", text)
	}
}
