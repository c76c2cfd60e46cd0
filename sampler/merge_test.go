package sampler

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// The activity in these tests is hand-made, as a per-file backend (eBPF,
// ETW) would report it; the frames come from the replay source.

func noneAlive(ProcKey) bool { return false }

func merge(t *testing.T, e *Engine, f *Frame, acts ...ExternalActivity) int {
	t.Helper()
	n, err := e.MergeActivity(f, acts)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMergeAddsShortLivedProcessAsExitedRow(t *testing.T) {
	e := newTestEngine(t, Config{ProcessAlive: noneAlive},
		snapAt(0, proc(10, 1, "sqlservr.exe", 100*mib, 0)),
		snapAt(2*time.Second, proc(10, 1, "sqlservr.exe", 102*mib, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	// A dd that started and exited between the two snapshots wrote 8 MiB;
	// an anti-virus scan that also came and went read 4 MiB.
	n := merge(t, e, &f,
		ExternalActivity{Key: ProcKey{PID: 77, Start: 5}, Name: "dd", WriteBytes: 8 * mib, WriteTotal: 8 * mib},
		ExternalActivity{Key: ProcKey{PID: 78, Start: 6}, Name: "MsMpEng.exe", ReadBytes: 4 * mib, ReadTotal: 4 * mib},
	)
	if n != 2 {
		t.Errorf("merged %d rows, want 2", n)
	}
	dd, ok := find(f, 77, 5)
	if !ok {
		t.Fatalf("short-lived dd missing from the frame: %+v", f.Processes)
	}
	if !dd.Exited || !dd.Merged || dd.WriteRate != 4*mib || dd.LogicalWriteRate != 4*mib || dd.WriteTotal != 8*mib || dd.Name != "dd" {
		t.Errorf("dd row %+v; want Exited, Merged, 4 MiB/s (8 MiB over 2 s), total 8 MiB", dd)
	}
	if dd.Class.Class != ClassWorkload {
		t.Errorf("dd class %v, want workload", dd.Class)
	}
	av, _ := find(f, 78, 6)
	if av.Class.Class != ClassInbox || av.ReadRate != 2*mib || av.ReadTotal != 4*mib {
		t.Errorf("MsMpEng row %+v; want inbox, 2 MiB/s read, total 4 MiB", av)
	}
	if f.Processes[0].Key.PID != 77 {
		t.Errorf("frame not re-sorted: first is %s, want dd (4 MiB/s beats sqlservr's 1 MiB/s)", f.Processes[0].Name)
	}
	// Counted in history: its series has the point, aligned with the total.
	if got := e.ProcessSeries(ProcKey{PID: 77, Start: 5}); len(got) != 1 || got[0] != 4*mib {
		t.Errorf("dd series %v, want [4 MiB/s]", got)
	}
	if got := e.TrackedSeries(); got != 2 {
		t.Errorf("TrackedSeries = %d, want 2 (sqlservr and dd)", got)
	}
}

func TestMergeLeavesRunningProcessesToTheirCounters(t *testing.T) {
	e := newTestEngine(t, Config{ProcessAlive: noneAlive},
		snapAt(0, proc(10, 1, "sqlservr.exe", 100*mib, 0)),
		snapAt(time.Second, proc(10, 1, "sqlservr.exe", 103*mib, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	// The syscall count differs from the storage-layer counter: the
	// counters win.
	n := merge(t, e, &f,
		ExternalActivity{Key: ProcKey{PID: 10, Start: 1}, Name: "sqlservr.exe", WriteBytes: 9 * mib},
		// Start unknown (an ETW event after the process was gone): matched
		// by PID, also left alone.
		ExternalActivity{Key: ProcKey{PID: 10}, Name: "sqlservr.exe", WriteBytes: 9 * mib},
		// Nothing moved: not a row.
		ExternalActivity{Key: ProcKey{PID: 99, Start: 3}, Name: "idle"},
	)
	if n != 0 || len(f.Processes) != 1 {
		t.Fatalf("merged %d rows, frame %+v; want nothing changed", n, f.Processes)
	}
	if p := f.Processes[0]; p.WriteRate != 3*mib || p.Merged || p.WriteTotal != 103*mib {
		t.Errorf("running process %+v; want its own 3 MiB/s and total", p)
	}
}

func TestMergeGivesExitedProcessItsFinalInterval(t *testing.T) {
	// The process was seen idle at the baseline, then wrote 6 MiB and
	// exited before the next snapshot: the counters never saw the bytes.
	e := newTestEngine(t, Config{ProcessAlive: noneAlive},
		snapAt(0, proc(10, 1, "sqlservr.exe", 0, 0), proc(20, 2, "robocopy.exe", 1*mib, 0)),
		snapAt(3*time.Second, proc(10, 1, "sqlservr.exe", 0, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	before, _ := find(f, 20, 2)
	if !before.Exited || before.WriteRate != 0 {
		t.Fatalf("before merge: %+v; want the exited row with its previous (zero) rates", before)
	}
	merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 20, Start: 2}, Name: "robocopy.exe", WriteBytes: 6 * mib, WriteTotal: 6 * mib})
	p, _ := find(f, 20, 2)
	if !p.Exited || !p.Merged || p.WriteRate != 2*mib || p.WriteTotal != 7*mib {
		t.Errorf("exited row %+v; want Merged, 2 MiB/s (6 MiB over 3 s), total 1+6 MiB", p)
	}
	if len(f.Processes) != 2 {
		t.Errorf("frame has %d rows, want 2 (no duplicate row)", len(f.Processes))
	}
	if got := e.ProcessSeries(ProcKey{PID: 20, Start: 2}); len(got) != 1 || got[0] != 2*mib {
		t.Errorf("series %v, want [2 MiB/s]", got)
	}
}

func TestMergeStillRunningProcessIsNotExited(t *testing.T) {
	// A process the source could not read (a container's PID 1) but that
	// still runs: its row is not marked exited, and its history has the
	// intervals it was merged in with zeros between.
	alive := ProcKey{PID: 1, Start: 9}
	e := newTestEngine(t, Config{ProcessAlive: func(k ProcKey) bool { return k == alive }},
		snapAt(0), snapAt(time.Second), snapAt(2*time.Second), snapAt(3*time.Second))
	sample(t, e)
	for i, w := range []uint64{2 * mib, 0, 5 * mib} {
		f := sample(t, e)
		merge(t, e, &f, ExternalActivity{Key: alive, Name: "init", WriteBytes: w})
		p, ok := find(f, 1, 9)
		if w == 0 {
			if ok {
				t.Errorf("sample %d: idle process got a row %+v", i, p)
			}
			continue
		}
		if !ok || p.Exited || !p.Merged || p.WriteRate != float64(w) {
			t.Errorf("sample %d: row %+v (found %v); want running, merged, %d B/s", i, p, ok, w)
		}
	}
	got := e.ProcessSeries(alive)
	if want := []float64{2 * mib, 0, 5 * mib}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("series %v, want %v", got, want)
	}
}

func TestMergeRefusesStaleOrRepeatedFrames(t *testing.T) {
	e := newTestEngine(t, Config{ProcessAlive: noneAlive}, snapAt(0), snapAt(time.Second), snapAt(2*time.Second))
	base := sample(t, e)
	act := ExternalActivity{Key: ProcKey{PID: 5, Start: 1}, Name: "dd", WriteBytes: mib}
	if n := merge(t, e, &base, act); n != 0 || len(base.Processes) != 0 {
		t.Errorf("baseline frame merged %d rows; a baseline has no interval to merge into", n)
	}
	f1 := sample(t, e)
	merge(t, e, &f1, act)
	if _, err := e.MergeActivity(&f1, []ExternalActivity{act}); err == nil || !strings.Contains(err.Error(), "already merged") {
		t.Errorf("second merge of one frame: %v; want 'already merged'", err)
	}
	sample(t, e)
	if _, err := e.MergeActivity(&f1, []ExternalActivity{act}); err == nil || !strings.Contains(err.Error(), "not the latest") {
		t.Errorf("merge into an old frame: %v; want 'not the latest'", err)
	}
}

func TestMergedHistoryAgesOutOfTheWindow(t *testing.T) {
	// 1 s interval, 3 s window: a short-lived process merged once holds
	// history only while its point is in the window.
	snaps := []Snapshot{snapAt(0)}
	for i := 1; i <= 6; i++ {
		snaps = append(snaps, snapAt(time.Duration(i)*time.Second))
	}
	e := newTestEngine(t, Config{Window: 3 * time.Second, ProcessAlive: noneAlive}, snaps...)
	sample(t, e)
	f := sample(t, e)
	merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 9, Start: 1}, Name: "cp", WriteBytes: mib})
	if e.TrackedSeries() != 1 {
		t.Fatalf("TrackedSeries = %d after the merge, want 1", e.TrackedSeries())
	}
	for i := 0; i < 4; i++ {
		f := sample(t, e)
		if _, ok := find(f, 9, 1); ok {
			t.Errorf("merged process reported again at a later sample")
		}
	}
	if e.TrackedSeries() != 0 || e.ProcessSeries(ProcKey{PID: 9, Start: 1}) != nil {
		t.Errorf("merged history still held after the window: %d series", e.TrackedSeries())
	}
}

func TestRecorderWritesMergedRows(t *testing.T) {
	e := newTestEngine(t, Config{ProcessAlive: noneAlive},
		snapAt(0, proc(10, 1, "sqlservr.exe", 0, 0), proc(20, 2, "robocopy.exe", 5*mib, 0)),
		snapAt(time.Second, proc(10, 1, "sqlservr.exe", mib, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 77, Start: 5}, Name: "dd", WriteBytes: 3 * mib, WriteTotal: 3 * mib})
	dir := testutil.TempDir(t)
	rec, err := NewRecorder(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec.Location = t0.Location()
	if err := rec.Write(f); err != nil {
		t.Fatal(err)
	}
	rec.Close()
	data, err := os.ReadFile(filepath.Join(dir, "ProcStats-1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(string(data)), "\n")[1:]
	want := []string{
		"2026-11-24T04:57:01.000+01:00,04:57,dd,77,workload,3145728,0,3145728,0,5,1,0,page-cache,0,,",
		"2026-11-24T04:57:01.000+01:00,04:57,sqlservr.exe,10,workload,1048576,0,1048576,0,1,1,0,storage,0,,",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ProcStats rows\n%s\nwant (the merged dd, not robocopy's exited row without bytes)\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProcessAliveOnThisSystem(t *testing.T) {
	e := newTestEngine(t, Config{}, snapAt(0))
	if e.alive(ProcKey{PID: -1, Start: 1}) {
		t.Error("PID -1 reported alive")
	}
	src := NewLiveSource()
	snap, err := src.Snapshot(context.Background())
	if err != nil {
		t.Skipf("live source unavailable: %v", err)
	}
	for _, p := range snap.Processes {
		if p.Key.PID == int32(os.Getpid()) {
			if !e.alive(p.Key) {
				t.Errorf("this test process %+v not reported alive", p.Key)
			}
			if e.alive(ProcKey{PID: p.Key.PID, Start: p.Key.Start + 1}) {
				t.Error("a different start time (a reused PID) reported alive")
			}
			return
		}
	}
	t.Skip("this process is not in the live snapshot")
}

func TestMergeKeepsFrameOrder(t *testing.T) {
	// 40 processes, of which every fourth exits; activity for some exited
	// ones (their rows change in the middle of the frame), some new ones
	// (appended) and some running ones (left alone), with rates that put
	// them everywhere in the order.
	var first, second []ProcessCounters
	for i := int32(1); i <= 40; i++ {
		first = append(first, proc(i, 1, "p"+strconv.Itoa(int(i)), 0, 0))
		if i%4 != 0 {
			second = append(second, proc(i, 1, "p"+strconv.Itoa(int(i)), uint64(i*37%11)*mib, uint64(i%3)*mib))
		}
	}
	e := newTestEngine(t, Config{ProcessAlive: noneAlive}, snapAt(0, first...), snapAt(time.Second, second...))
	sample(t, e)
	f := sample(t, e)
	var acts []ExternalActivity
	for i := int32(1); i <= 60; i++ {
		acts = append(acts, ExternalActivity{Key: ProcKey{PID: i, Start: 1}, Name: "p" + strconv.Itoa(int(i)), WriteBytes: uint64(i*53%13) * mib / 2})
	}
	before := len(f.Processes)
	n := merge(t, e, &f, acts...)
	// Exited with bytes: 4, 8, ..., 40 (i*53%13 != 0 for all of them);
	// new: 41..60 except those with zero bytes (i*53%13 == 0: 52).
	if want := 10 + 19; n != want || len(f.Processes) != before+19 {
		t.Fatalf("merged %d rows (frame %d -> %d), want %d changed and 19 added", n, before, len(f.Processes), want)
	}
	for i := 1; i < len(f.Processes); i++ {
		if processLess(&f.Processes[i], &f.Processes[i-1]) {
			t.Fatalf("frame out of order at %d: %+v before %+v", i, f.Processes[i-1], f.Processes[i])
		}
	}
	seen := map[ProcKey]bool{}
	for _, p := range f.Processes {
		if seen[p.Key] {
			t.Errorf("row %v twice", p.Key)
		}
		seen[p.Key] = true
	}
}
