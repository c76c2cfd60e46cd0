package tui

import (
	"context"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

// BenchmarkOpenRecording is the one streaming pass that opens a recording
// for the screens (analysis, pivot, minute index): the incident day, 8,640
// samples of 4 processes with their files.
func BenchmarkOpenRecording(b *testing.B) {
	_, paths := writeIncident(b)
	cls := sampler.DefaultClassifier()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OpenRecording("bench", paths, analysis.ColumnMap{}, analysis.Options{Classify: cls.Classify}, cls); err != nil {
			b.Fatal(err)
		}
	}
}

// seekBench measures moving a cursor from `from` to `to` on rec.
func seekBench(b *testing.B, rec *Recording, from, to int) {
	ctx := context.Background()
	c := newReplayCursor(rec)
	b.Cleanup(func() { c.Close() })
	for b.Loop() {
		b.StopTimer()
		c.setTarget(from)
		if _, err := c.Sample(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c.setTarget(to)
		if _, err := c.Sample(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplaySeek is the cost of the time cursor's moves: a step back
// within the cached frames, a jump forward to the spike (the engine skips,
// then warms up over replayWarm samples), and a jump back from the end to
// the spike (the files read again from their start). busy_1h is an hour
// at 1 s with 200 processes writing every sample (720,000 rows), where a
// jump back rereads everything before the cursor.
func BenchmarkReplaySeek(b *testing.B) {
	rec, _ := openIncident(b, analysis.Options{})
	spike := sampleAt(4, 57, 0)
	b.Run("incident_step_back_cached", func(b *testing.B) { seekBench(b, rec, spike, spike-1) })
	b.Run("incident_jump_forward_to_spike", func(b *testing.B) { seekBench(b, rec, 1, spike) })
	b.Run("incident_jump_back_from_end", func(b *testing.B) { seekBench(b, rec, rec.Count(), spike) })

	dir := testutil.TempDir(b)
	if _, err := synth.Write(dir, 1, synth.BusyHost(incidentDay, time.Hour, time.Second, 200)); err != nil {
		b.Fatal(err)
	}
	paths, err := analysis.ExpandPaths([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	busy, err := OpenRecording("busy", paths, analysis.ColumnMap{}, analysis.Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("busy_1h_step_back_cached", func(b *testing.B) { seekBench(b, busy, 3000, 2999) })
	b.Run("busy_1h_jump_back_from_end_to_middle", func(b *testing.B) { seekBench(b, busy, busy.Count(), busy.Count()/2) })
}

// BenchmarkReplayView is what each cursor move adds for D, v and m: the
// per-disk histories up to the cursor and the 1-minute window of the
// processes and disks (replayCursor.view), on the busy hour (200
// processes writing every second: 60 samples of 200 in the window).
func BenchmarkReplayView(b *testing.B) {
	dir := testutil.TempDir(b)
	if _, err := synth.Write(dir, 1, synth.BusyHost(incidentDay, time.Hour, time.Second, 200)); err != nil {
		b.Fatal(err)
	}
	paths, err := analysis.ExpandPaths([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	busy, err := OpenRecording("busy", paths, analysis.ColumnMap{}, analysis.Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	c := newReplayCursor(busy)
	b.Cleanup(func() { c.Close() })
	c.setTarget(busy.Count() / 2)
	if _, err := c.Sample(context.Background()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if v := c.view(); v == nil || len(v.times) != replayWarm {
			b.Fatalf("view: %+v", v)
		}
	}
}
