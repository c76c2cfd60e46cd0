package tui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// diskRecStart is when the disk recording's first sample ends.
var diskRecStart = time.Date(2026, 11, 24, 4, 50, 10, 0, time.UTC)

// diskRecFrame is sample i (1-12) of the disk recording: every 10 s, sda
// writes i MiB/s and reads 64 KiB/s, 4i% busy, queue 0.2i, 1+0.5i ms a
// request; sdb is idle but for the last sample (1 MiB/s, 0.8% busy);
// sqlservr writes i MiB/s, backup 2 MiB/s on odd samples only.
func diskRecFrame(i int, totals map[int32]uint64) sampler.Frame {
	fi := float64(i)
	sdb := sampler.DiskRates{Name: "sdb", HasTimes: true}
	if i == 12 {
		sdb = sampler.DiskRates{Name: "sdb", WriteRate: mib, HasTimes: true, ActivePercent: 0.8, QueueLength: 0.01, ResponseMs: 0.5}
	}
	f := sampler.Frame{Time: diskRecStart.Add(time.Duration(i-1) * 10 * time.Second), Elapsed: 10 * time.Second,
		Disks: []sampler.DiskRates{{Name: "sda", WriteRate: fi * mib, ReadRate: 64 << 10, HasTimes: true,
			ActivePercent: 4 * fi, QueueLength: 0.2 * fi, ResponseMs: 1 + 0.5*fi}, sdb}}
	f.DiskWriteRate, f.DiskReadRate = f.Disks[0].WriteRate+sdb.WriteRate, f.Disks[0].ReadRate
	add := func(pid int32, name string, rate float64) {
		totals[pid] += uint64(rate * 10)
		f.Processes = append(f.Processes, sampler.ProcessRates{Key: sampler.ProcKey{PID: pid, Start: 1}, Name: name, WriteRate: rate,
			WriteTotal: totals[pid], Class: sampler.Classification{Class: sampler.ClassWorkload}})
	}
	add(42, "sqlservr", fi*mib)
	if i%2 == 1 {
		add(77, "backup", 2*mib)
	}
	return f
}

// writeDiskRecording records the 12 samples with the real recorder
// (sampler.Recorder: HVRStats with the per-disk columns and their time
// columns, ProcStats) and returns the directory. older strips the disk
// time columns, as recordings made before them were.
func writeDiskRecording(t testing.TB, older bool) string {
	t.Helper()
	dir := testutil.TempDir(t)
	rec, err := sampler.NewRecorder(dir, []string{"sda", "sdb"})
	if err != nil {
		t.Fatal(err)
	}
	rec.Location, rec.Host = time.UTC, "lab-vm"
	totals := map[int32]uint64{}
	for i := 1; i <= 12; i++ {
		if err := rec.Write(diskRecFrame(i, totals)); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if older {
		hvr := rec.Paths()[0]
		b, err := os.ReadFile(hvr)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			f := strings.Split(l, ",")
			lines = append(lines, strings.Join(f[:len(f)-6], ","))
		}
		if !strings.HasSuffix(lines[0], ",Sample,Host") {
			t.Fatalf("the time columns should be the last six: %s", lines[0])
		}
		if err := os.WriteFile(hvr, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// openDiskRecording opens the disk recording on the screens at w x h.
func openDiskRecording(t testing.TB, older bool, w, h int) *Model {
	t.Helper()
	dir := writeDiskRecording(t, older)
	paths, err := analysis.ExpandPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := OpenRecording("disk-rec", paths, analysis.ColumnMap{}, incidentOptions(analysis.Options{}), sampler.DefaultClassifier())
	if err != nil {
		t.Fatal(err)
	}
	return newReplayModel(t, rec, w, h, false)
}

// graphOf is the graph the Processes tab draws now: its title and series.
func graphOf(m *Model) views.GraphData {
	p := m.sampler
	gd := views.GraphData{Series: p.total, Times: p.times}
	p.disks.graph(&gd)
	return gd
}

// D on a replay cycles all disks and each disk, from the recording's
// per-disk columns, up to the cursor: moving the cursor back cuts the
// disk's graph there.
func TestReplayDiskGraphs(t *testing.T) {
	m := openDiskRecording(t, false, 80, 24)
	keys(m, "end")
	if h := headerLine(m); !strings.Contains(h, "04:52:00 (sample 12 of 12)") {
		t.Fatalf("end: %q", h)
	}
	var titles []string
	for range 5 {
		keys(m, "D")
		titles = append(titles, graphOf(m).Title)
	}
	want := []string{"Disk reads, all disks", "Disk writes, sda", "Disk reads, sda", "Disk writes, sdb", "Disk reads, sdb"}
	if !slices.Equal(titles, want) {
		t.Fatalf("D cycled %q, want %q (status %q)", titles, want, screen(m)[1])
	}
	keys(m, "D", "D", "D") // back to sda's writes
	gd := graphOf(m)
	if gd.Title != "Disk writes, sda" || len(gd.Series) != 12 || len(gd.Times) != 12 {
		t.Fatalf("sda writes at sample 12: %q, %d points, %d times", gd.Title, len(gd.Series), len(gd.Times))
	}
	for i, v := range gd.Series {
		if v != float64(i+1)*mib || !gd.Times[i].Equal(diskRecStart.Add(time.Duration(i)*10*time.Second)) {
			t.Errorf("point %d: %.0f B/s at %v, want %d MiB/s at %v", i, v, gd.Times[i], i+1, diskRecStart.Add(time.Duration(i)*10*time.Second))
		}
	}
	scr := strings.Join(screen(m), "\n")
	if !strings.Contains(scr, "Disk writes, sda  now 12.0 MiB/s  peak 12.0 MiB/s") {
		t.Errorf("the graph should show sda's writes:\n%s", scr)
	}
	keys(m, "left", "left")
	gd = graphOf(m)
	if len(gd.Series) != 10 || gd.Series[9] != 10*mib {
		t.Errorf("at sample 10 sda's graph should end at 10 MiB/s: %v", gd.Series)
	}
	if scr := strings.Join(screen(m), "\n"); !strings.Contains(scr, "Disk writes, sda  now 10.0 MiB/s") {
		t.Errorf("after two steps back:\n%s", scr)
	}
	keys(m, "D", "D", "D")
	if gd := graphOf(m); gd.Title != "Disk reads, sdb" || len(gd.Series) != 10 || slices.Max(gd.Series) != 0 {
		t.Errorf("sdb reads at sample 10: %q %v", gd.Title, gd.Series)
	}
	keys(m, "D")
	if gd := graphOf(m); gd.Title != "Disk writes, all disks" || len(gd.Series) != 10 || gd.Series[9] != 10*mib {
		t.Errorf("back to all disks at sample 10: %q %v", gd.Title, gd.Series)
	}
	if st := screen(m)[1]; !strings.Contains(st, "graph: Disk writes, all disks") {
		t.Errorf("status: %q", st)
	}
}

// storageRow is the Storage view's line for disk, "" when absent.
func storageRow(lines []string, disk string) string {
	for _, l := range lines {
		if strings.HasPrefix(l, " "+disk+" ") {
			return strings.Join(strings.Fields(l), " ")
		}
	}
	return ""
}

// v on a replay shows the disks as recorded at the cursor; m averages
// the recorded minute up to the cursor (samples 7-12 at 04:52:00:
// sda 9.5 MiB/s, 38% busy, queue 1.90, 5.75 ms), in the Storage view and
// the process list, marked in the header; volumes are said not recorded.
func TestReplayStorageAndAverages(t *testing.T) {
	m := openDiskRecording(t, false, 80, 24)
	keys(m, "end", "v")
	scr := screen(m)
	all := strings.Join(scr, "\n")
	checkFits(t, m, 80, 24)
	for disk, want := range map[string]string{"sda": "sda 48% 2.40 64.0 KiB/s 12.0 MiB/s 7.00", "sdb": "sdb 1% 0.01 0 B/s 1.0 MiB/s 0.50"} {
		if got := storageRow(scr, disk); got != want {
			t.Errorf("%s at sample 12: %q, want %q\n%s", disk, got, want, all)
		}
	}
	for _, want := range []string{"Storage · last 10 s · recorded per-disk figures", "Disk Active Queue Read/s Write/s Resp ms",
		"Volumes: not in recordings (live sampling shows their space)"} {
		if !strings.Contains(strings.Join(strings.Fields(all), " "), want) {
			t.Errorf("the Storage view lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "no Storage view") || strings.Contains(all, "Available") {
		t.Errorf("a recording's Storage view has disks and no volume table:\n%s", all)
	}

	keys(m, "m")
	scr = screen(m)
	all = strings.Join(scr, "\n")
	if got, want := storageRow(scr, "sda"), "sda 38% 1.90 64.0 KiB/s 9.5 MiB/s 5.75"; got != want {
		t.Errorf("sda averaged: %q, want %q\n%s", got, want, all)
	}
	// sdb's response time is its one sample with I/O's: idle samples
	// have none to average.
	if got, want := storageRow(scr, "sdb"), "sdb 0% 0.00 0 B/s 171 KiB/s 0.50"; got != want {
		t.Errorf("sdb averaged: %q, want %q\n%s", got, want, all)
	}
	if !strings.Contains(all, "average of the last 1 min (1-minute window)") || !strings.Contains(scr[0], "1-min averages") {
		t.Errorf("the averages should say their span and be marked in the header:\n%s", all)
	}
	keys(m, "v")
	scr = screen(m)
	rowWith := func(name string) string {
		for _, l := range scr {
			if strings.HasPrefix(strings.TrimLeft(l, " >"), name+" ") {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		return ""
	}
	if r := rowWith("sqlservr"); !strings.Contains(r, "workload 9.5 MiB/s") {
		t.Errorf("sqlservr averaged over samples 7-12: %q\n%s", r, strings.Join(scr, "\n"))
	}
	// backup wrote 2 MiB/s in samples 7, 9 and 11 of the six: 1 MiB/s,
	// and it is listed as active in the minute though the cursor jumped
	// to sample 12, where it wrote nothing.
	if r := rowWith("backup"); !strings.Contains(r, "workload 1.0 MiB/s") {
		t.Errorf("backup averaged over samples 7-12: %q\n%s", r, strings.Join(scr, "\n"))
	}
	keys(m, "m")
	scr = screen(m)
	if r := rowWith("sqlservr"); !strings.Contains(r, "workload 12.0 MiB/s") || strings.Contains(scr[0], "1-min averages") {
		t.Errorf("m again: the last interval, unmarked: %q\n%s", r, strings.Join(scr, "\n"))
	}

	// Early in the recording the window holds what there is: samples 1-3.
	keys(m, "home", "right", "right", "m", "v")
	scr = screen(m)
	if got, want := storageRow(scr, "sda"), "sda 8% 0.40 64.0 KiB/s 2.0 MiB/s 2.00"; got != want {
		t.Errorf("sda averaged over samples 1-3: %q, want %q\n%s", got, want, strings.Join(scr, "\n"))
	}
	if !strings.Contains(strings.Join(scr, "\n"), "average of the last 30 s") {
		t.Errorf("the averaged span should be 30 s:\n%s", strings.Join(scr, "\n"))
	}
}

// A recording made before the disk time columns: the Storage view shows
// the B/s it has and names the columns it lacks.
func TestReplayStorageOlderRecording(t *testing.T) {
	m := openDiskRecording(t, true, 80, 24)
	keys(m, "end", "v")
	scr := screen(m)
	all := strings.Join(scr, "\n")
	checkFits(t, m, 80, 24)
	flat := strings.Join(strings.Fields(all), " ")
	for _, want := range []string{"read and write B/s only: the recording has no columns <disk>.ActiveTimePercent, .AvgQueueLength, .AvgResponseMs (sda, sdb)",
		"Disk Read/s Write/s", "Volumes: not in recordings"} {
		if !strings.Contains(flat, want) {
			t.Errorf("lacks %q:\n%s", want, all)
		}
	}
	if got := storageRow(scr, "sda"); got != "sda 64.0 KiB/s 12.0 MiB/s" {
		t.Errorf("sda: %q\n%s", got, all)
	}
	if i := rowOf(scr, " Disk "); i < 0 || strings.Contains(scr[i], "Active") || strings.Contains(all, "%") {
		t.Errorf("no active time column without the recording's:\n%s", all)
	}
}

// The synthetic incident day (HVRStats with one disk's B/s columns, no
// time columns) names the one disk's missing columns.
func TestReplayStorageIncidentDay(t *testing.T) {
	rec, _ := openIncident(t, analysis.Options{})
	m := newReplayModel(t, rec, 80, 24, false)
	keys(m, "n", "v")
	flat := strings.Join(strings.Fields(strings.Join(screen(m), "\n")), " ")
	for _, want := range []string{"read and write B/s only: the recording has no columns sda.ActiveTimePercent, sda.AvgQueueLength, sda.AvgResponseMs",
		"sda 0 B/s 17.2 MiB/s"} {
		if !strings.Contains(flat, want) {
			t.Errorf("lacks %q:\n%s", want, flat)
		}
	}
}

// Goldens of the Storage view on a replay: the page at 80x24, the panel
// at 200x50 with and without the averages, and an older recording's page.
// Update with `go test ./tui -run ReplayStorageGolden -update`.
func TestReplayStorageGolden(t *testing.T) {
	for _, c := range []struct {
		name  string
		older bool
		w, h  int
		keys  []string
	}{
		{"80x24_replay_storage_page", false, 80, 24, []string{"end", "v"}},
		{"200x50_replay_storage_panel", false, 200, 50, []string{"end", "left"}},
		{"200x50_replay_averaged_disk_sda", false, 200, 50, []string{"end", "m", "D", "D"}},
		{"80x24_replay_storage_older", true, 80, 24, []string{"end", "v"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := openDiskRecording(t, c.older, c.w, c.h)
			keys(m, c.keys...)
			checkFits(t, m, c.w, c.h)
			golden.RequireEqual(t, render(t, m, colorprofile.ASCII))
		})
	}
}

// The help screen on a replay words v and m for a recording and leaves
// out the live-only keys.
func TestReplayHelpStorageKeys(t *testing.T) {
	m := openDiskRecording(t, false, 80, 50)
	keys(m, "?")
	all := strings.Join(screen(m), "\n")
	for _, want := range []string{"storage: the disks as recorded", "averages of the recorded minute", "graph: all disks / one disk (lists stay whole)"} {
		if !strings.Contains(all, want) {
			t.Errorf("help lacks %q:\n%s", want, all)
		}
	}
	for _, no := range []string{"storage: disks, volumes", "mark for the Files tab", " pause", "+/-", "graph and lists"} {
		if strings.Contains(all, no) {
			t.Errorf("help on a replay says %q:\n%s", no, all)
		}
	}
}

// A process first recorded midway (idle before, so no ProcStats rows,
// with 5 GiB written since it started) is not shown writing those 5 GiB
// in the interval before its first row: the replay brings it in at zero,
// and its 1-minute average holds only the bytes recorded in the minute.
func TestReplayProcessFirstRecordedMidway(t *testing.T) {
	dir := testutil.TempDir(t)
	rec, err := sampler.NewRecorder(dir, []string{"sda"})
	if err != nil {
		t.Fatal(err)
	}
	rec.Location, rec.Host = time.UTC, "lab-vm"
	late := sampler.ProcKey{PID: 99, Start: 7}
	total := uint64(5 << 30)
	for i := 1; i <= 12; i++ {
		f := sampler.Frame{Time: diskRecStart.Add(time.Duration(i-1) * 10 * time.Second), Elapsed: 10 * time.Second,
			Disks: []sampler.DiskRates{{Name: "sda", WriteRate: 2 * mib}}, DiskWriteRate: 2 * mib,
			Processes: []sampler.ProcessRates{{Key: sampler.ProcKey{PID: 42, Start: 1}, Name: "sqlservr", WriteRate: mib,
				WriteTotal: uint64(i) * 10 * mib, Class: sampler.Classification{Class: sampler.ClassWorkload}}}}
		if i >= 6 {
			total += 10 * mib
			f.Processes = append(f.Processes, sampler.ProcessRates{Key: late, Name: "late", WriteRate: mib, WriteTotal: total,
				Class: sampler.Classification{Class: sampler.ClassWorkload}})
		}
		if err := rec.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenRecording("late", rec.Paths(), analysis.ColumnMap{}, incidentOptions(analysis.Options{}), sampler.DefaultClassifier())
	if err != nil {
		t.Fatal(err)
	}
	m := newReplayModel(t, r, 80, 24, false)
	rateAt := func() float64 {
		for _, p := range m.sampler.frame.Processes {
			if p.Key == late {
				return p.WriteRate
			}
		}
		return 0
	}
	for i := 2; i <= 12; i++ {
		keys(m, "right")
		want := 0.0
		if i >= 6 {
			want = mib
		}
		if got := rateAt(); got != want {
			t.Errorf("sample %d: late writes %.0f B/s, want %.0f", i, got, want)
		}
	}
	keys(m, "home", "right", "right", "right", "right", "right", "right", "right") // sample 8
	// Samples 3-8 are the minute: 3 x 10 MiB in 60 s.
	if w, _ := m.sampler.avg.Rates(avgKey[sampler.ProcKey]{key: late}); w != 0.5*mib {
		t.Errorf("late's average at sample 8: %.0f B/s, want %.0f", w, 0.5*mib)
	}
}

// A disk whose time cells are empty (a source that did not measure them)
// shows n/a there; a perfmon log (Disk Write Bytes/sec counters only)
// shows B/s and says it holds no times for its disk. Neither invents one.
func TestReplayStorageUnmeasuredAndPerfmon(t *testing.T) {
	dir := testutil.TempDir(t)
	rec, err := sampler.NewRecorder(dir, []string{"sda", "sdb"})
	if err != nil {
		t.Fatal(err)
	}
	rec.Location, rec.Host = time.UTC, "lab-vm"
	totals := map[int32]uint64{}
	for i := 1; i <= 3; i++ {
		f := diskRecFrame(i, totals)
		f.Disks[1] = sampler.DiskRates{Name: "sdb", WriteRate: mib}
		if err := rec.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenRecording("unmeasured", rec.Paths(), analysis.ColumnMap{}, incidentOptions(analysis.Options{}), sampler.DefaultClassifier())
	if err != nil {
		t.Fatal(err)
	}
	m := newReplayModel(t, r, 80, 24, false)
	keys(m, "end", "v")
	scr := screen(m)
	flat := strings.Join(strings.Fields(strings.Join(scr, "\n")), " ")
	if got := storageRow(scr, "sdb"); got != "sdb n/a n/a 0 B/s 1.0 MiB/s n/a" {
		t.Errorf("sdb without times: %q\n%s", got, strings.Join(scr, "\n"))
	}
	if got := storageRow(scr, "sda"); got != "sda 12% 0.60 64.0 KiB/s 3.0 MiB/s 2.50" {
		t.Errorf("sda: %q", got)
	}
	if !strings.Contains(flat, "n/a: the recording has no active time, queue length or response time for sdb") {
		t.Errorf("the note should name sdb:\n%s", strings.Join(scr, "\n"))
	}

	// A perfmon log, typed from the documented PDH-CSV layout (relog -f
	// csv), not captured from Windows.
	var b strings.Builder
	b.WriteString(`"(PDH-CSV 4.0) (UTC)(0)","\\SQL01\Process(sqlservr)\IO Write Bytes/sec","\\SQL01\Process(sqlservr)\ID Process","\\SQL01\PhysicalDisk(0 C:)\Disk Write Bytes/sec"` + "\r\n")
	b.WriteString(`"11/24/2026 04:50:00.000"," ","1800"," "` + "\r\n")
	for s := 1; s <= 6; s++ {
		fmt.Fprintf(&b, `"11/24/2026 04:50:%02d.000","%d","1800","%d"`+"\r\n", s*10, 100000*s, 100000*s)
	}
	perf := filepath.Join(testutil.TempDir(t), "counters.csv")
	if err := os.WriteFile(perf, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err = OpenRecording("perfmon", []string{perf}, analysis.ColumnMap{}, incidentOptions(analysis.Options{}), sampler.DefaultClassifier())
	if err != nil {
		t.Fatal(err)
	}
	m = newReplayModel(t, r, 80, 24, false)
	keys(m, "end", "v")
	scr = screen(m)
	flat = strings.Join(strings.Fields(strings.Join(scr, "\n")), " ")
	for _, want := range []string{"read and write B/s only: the recording has no active time, queue length or response time for 0 C:",
		"Disk Read/s Write/s", "0 C: 0 B/s 488 KiB/s", "Volumes: not in recordings"} {
		if !strings.Contains(flat, want) {
			t.Errorf("perfmon replay lacks %q:\n%s", want, strings.Join(scr, "\n"))
		}
	}
}

// The real program on the disk recording, with its own goroutines (run
// under -race): D, v and m typed ahead with cursor moves; the Storage view
// ends averaged at the cursor where the keys put it.
func TestReplayDisksProgram(t *testing.T) {
	dir := writeDiskRecording(t, false)
	paths, err := analysis.ExpandPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := OpenRecording("disk-rec", paths, analysis.ColumnMap{}, incidentOptions(analysis.Options{}), sampler.DefaultClassifier())
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Replay: rec, Host: "lab-vm"})
	defer m.Close()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI)))
	// D cycles the disks the graph knows: wait for the frame at the end
	// (its disks) before the keys that need them.
	tm.Send(keyMsg("end"))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("(sample 12 of 12)"))
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	for _, k := range []string{"D", "D", "left", "v", "m", "left", "+"} {
		tm.Send(keyMsg(k))
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("keeps its interval (10s)"))
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	tm.Send(keyMsg("q"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	run(final, final.sampling.resample(final.wantSeries()))
	checkFits(t, final, 80, 24)
	scr := screen(final)
	// Sample 10: samples 5-10 averaged, sda 7.5 MiB/s, 30% busy.
	if got, want := storageRow(scr, "sda"), "sda 30% 1.50 64.0 KiB/s 7.5 MiB/s 4.75"; got != want || !strings.Contains(scr[0], "(sample 10 of 12)") {
		t.Errorf("sda at the end of the keys: %q, want %q\n%s", got, want, strings.Join(scr, "\n"))
	}
	if gd := graphOf(final); gd.Title != "Disk writes, sda" || len(gd.Series) != 10 {
		t.Errorf("graph %q with %d points, want sda's writes up to sample 10", gd.Title, len(gd.Series))
	}
}
