package analysis

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

var diskTestStart = time.Date(2026, 11, 24, 4, 50, 10, 0, time.UTC)

// recordDisks writes frames with the real recorder (sda and sdb, every
// 10 s) and returns its files.
func recordDisks(t *testing.T, frames []sampler.Frame) []string {
	t.Helper()
	rec, err := sampler.NewRecorder(testutil.TempDir(t), []string{"sda", "sdb"})
	if err != nil {
		t.Fatal(err)
	}
	rec.Location = time.UTC
	for _, f := range frames {
		if err := rec.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	return rec.Paths()
}

func diskFrame(i int, sda, sdb sampler.DiskRates) sampler.Frame {
	sda.Name, sdb.Name = "sda", "sdb"
	return sampler.Frame{Time: diskTestStart.Add(time.Duration(i) * 10 * time.Second), Elapsed: 10 * time.Second,
		Disks: []sampler.DiskRates{sda, sdb}, DiskWriteRate: sda.WriteRate + sdb.WriteRate, DiskReadRate: sda.ReadRate + sdb.ReadRate}
}

// The replay source gives, after each snapshot, the per-disk figures as
// recorded (times included, which counters cannot carry) and the
// recorded interval; nothing for the state before the first sample.
func TestReplaySourceRecorded(t *testing.T) {
	want := [][]sampler.DiskRates{
		{{Name: "sda", WriteRate: 1 << 20, ReadRate: 4096, HasTimes: true, ActivePercent: 12.5, QueueLength: 0.25, ResponseMs: 1.75},
			{Name: "sdb", HasTimes: true}},
		{{Name: "sda", WriteRate: 3 << 20, HasTimes: true, ActivePercent: 97.5, QueueLength: 7.5, ResponseMs: 31.25},
			{Name: "sdb", WriteRate: 512, HasTimes: true, ActivePercent: 0.5, QueueLength: 0.01, ResponseMs: 0.5}},
	}
	var frames []sampler.Frame
	for i, w := range want {
		frames = append(frames, diskFrame(i, w[0], w[1]))
	}
	rp, err := OpenReplay(recordDisks(t, frames), ColumnMap{})
	if err != nil {
		t.Fatal(err)
	}
	src := NewReplaySource(rp)
	defer rp.Close()
	if _, err := src.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d, _ := src.Recorded(); d != nil {
		t.Errorf("before the first sample nothing is recorded: %+v", d)
	}
	for i, w := range want {
		if _, err := src.Snapshot(context.Background()); err != nil {
			t.Fatal(err)
		}
		d, el := src.Recorded()
		if !slices.Equal(d, w) || el != 10*time.Second {
			t.Errorf("sample %d: %+v over %v, want %+v over 10s", i+1, d, el, w)
		}
	}
	if m := rp.MissingColumns(); len(m) != 0 {
		t.Errorf("a recording with the time columns lacks none: %v", m)
	}
}

// An older recording (no time columns) and the synthetic incident day
// (one disk, B/s only) name the columns they lack; their disks have no
// times.
func TestMissingDiskColumns(t *testing.T) {
	paths := recordDisks(t, []sampler.Frame{diskFrame(0, sampler.DiskRates{WriteRate: 1, HasTimes: true, ActivePercent: 5}, sampler.DiskRates{})})
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var old []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(l, ",")
		old = append(old, strings.Join(f[:len(f)-6], ","))
	}
	if err := os.WriteFile(paths[0], []byte(strings.Join(old, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	x, err := IndexRecording(paths, ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"sda.ActiveTimePercent", "sda.AvgQueueLength", "sda.AvgResponseMs", "sdb.ActiveTimePercent", "sdb.AvgQueueLength", "sdb.AvgResponseMs"}
	if !slices.Equal(x.MissingColumns, want) {
		t.Errorf("older recording lacks %v, want %v", x.MissingColumns, want)
	}

	dir := testutil.TempDir(t)
	sc := synth.BusyHost(diskTestStart, 2*time.Minute, 10*time.Second, 3)
	if _, err := synth.Write(dir, 1, sc); err != nil {
		t.Fatal(err)
	}
	files, err := ExpandPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	x, err = IndexRecording(files, ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"sda.ActiveTimePercent", "sda.AvgQueueLength", "sda.AvgResponseMs"}; !slices.Equal(x.MissingColumns, want) {
		t.Errorf("synthetic recording lacks %v, want %v", x.MissingColumns, want)
	}
}

// AverageDisks: rates, active time and queue weighted by interval; the
// response time over the samples with I/O only (an idle sample's 0 means
// no request, not a fast one); times over the samples that have them.
func TestAverageDisks(t *testing.T) {
	s := []DiskSample{
		{Elapsed: 10 * time.Second, Disks: []sampler.DiskRates{{Name: "sda", WriteRate: 100, HasTimes: true, ActivePercent: 50, QueueLength: 2, ResponseMs: 4},
			{Name: "sdb", HasTimes: true}}},
		{Elapsed: 30 * time.Second, Disks: []sampler.DiskRates{{Name: "sda", WriteRate: 300, ReadRate: 40, HasTimes: true, ActivePercent: 10, QueueLength: 1, ResponseMs: 8},
			{Name: "sdb", WriteRate: 10, HasTimes: true, ActivePercent: 4, QueueLength: 0.5, ResponseMs: 20}}},
		{Elapsed: 0, Disks: []sampler.DiskRates{{Name: "sda", WriteRate: 1e9}}}, // no interval: skipped
		{Elapsed: 20 * time.Second, Disks: []sampler.DiskRates{{Name: "sda", WriteRate: 600}, {Name: "sdb", HasTimes: true}}},
	}
	got, span := AverageDisks(s)
	want := []sampler.DiskRates{
		// sda: (100x10 + 300x30 + 600x20) / 60; reads 40x30/60; times over
		// the 40 s that have them.
		{Name: "sda", WriteRate: 22000.0 / 60, ReadRate: 20, HasTimes: true, ActivePercent: 20, QueueLength: 1.25, ResponseMs: 7},
		// sdb: idle but for the 30 s sample: its response time is that
		// sample's.
		{Name: "sdb", WriteRate: 5, HasTimes: true, ActivePercent: 2, QueueLength: 0.25, ResponseMs: 20},
	}
	if span != time.Minute || !slices.Equal(got, want) {
		t.Errorf("AverageDisks = %+v over %v,\nwant %+v over 1m", got, span, want)
	}
}

// A minute's disk response time in analyze is over the samples with I/O:
// five idle samples do not divide a busy one's 30 ms by six.
func TestMinuteResponseOverBusySamples(t *testing.T) {
	var frames []sampler.Frame
	for i := range 12 {
		sda := sampler.DiskRates{HasTimes: true}
		if i == 8 {
			sda = sampler.DiskRates{WriteRate: 50 << 20, HasTimes: true, ActivePercent: 60, QueueLength: 3, ResponseMs: 30}
		}
		frames = append(frames, diskFrame(i, sda, sampler.DiskRates{}))
		frames[i].Processes = []sampler.ProcessRates{{Key: sampler.ProcKey{PID: 9, Start: 1}, Name: "w", WriteRate: sda.WriteRate + 1,
			WriteTotal: uint64(i+1) * 10, Class: sampler.Classification{Class: sampler.ClassWorkload}}}
	}
	res, err := AnalyzeFiles(recordDisks(t, frames), ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, m := range res.Report.TopMinutes {
		if m.Label != "04:51" {
			continue
		}
		for _, d := range m.Disks {
			if d.Name == "sda" {
				found = true
				if d.ResponseMs != 30 || d.ActivePercent != 10 {
					t.Errorf("04:51 sda: %+v; want 30 ms (the one busy sample's), 10%% busy (60%% for 10 of 60 s)", d)
				}
			}
		}
	}
	if !found {
		t.Fatalf("no sda load for 04:51 in %+v", res.Report.TopMinutes)
	}
}
