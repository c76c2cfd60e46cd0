package sampler

import (
	"testing"
	"time"
)

// The short-lived child a per-file backend (eBPF) saw and the counter
// sampler did not: its bytes are on its merged row, and on Linux also in
// the counters of the parent that reaped it. The activity is hand-made, as
// the eBPF backend reports it (with the parent's PID); the counters come
// from the replay source.

// newMergeReapEngine is an engine on a replay of snaps whose parents
// include their reaped children's counters, for which no process the
// frames lack is still alive.
func newMergeReapEngine(t *testing.T, info SourceInfo, snaps ...Snapshot) *Engine {
	t.Helper()
	e, err := NewEngine(NewReplaySourceInfo(snaps, info), Config{Clock: &fakeClock{t: t0}, ProcessAlive: noneAlive})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// rw is a process with all four counters: storage and logical (syscall)
// writes and reads.
func rw(pid int32, start int64, name string, ppid int32, write, read, lwrite, lread uint64) ProcessCounters {
	return ProcessCounters{Key: ProcKey{PID: pid, Start: start}, Name: name, PPID: ppid,
		WriteBytes: write, ReadBytes: read, LogicalWriteBytes: lwrite, LogicalReadBytes: lread}
}

// TestMergedChildNotCountedTwiceInParent is the bash-runs-dd case between
// two samples: dd starts, writes 20 MiB, exits and is reaped by bash, whose
// counters jump by dd's. dd is merged as its own row at 10 MiB/s (2 s);
// bash's rates stay at its own (zero), its total at its own 1 MiB, and its
// history has no write.
func TestMergedChildNotCountedTwiceInParent(t *testing.T) {
	e := newMergeReapEngine(t, procfsLikeInfo,
		snapAt(0, rw(100, 1, "bash", 1, 1*mib, 0, 1*mib, 2*mib)),
		snapAt(2*time.Second, rw(100, 1, "bash", 1, 21*mib, 0, 21*mib+100, 2*mib+64<<10)),
	)
	sample(t, e)
	f := sample(t, e)
	if bash, _ := find(f, 100, 1); bash.WriteRate != 10*mib {
		t.Fatalf("before the merge bash writes %v B/s, want the 10 MiB/s jump the kernel gave it", bash.WriteRate)
	}
	n := merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 200, Start: 7}, Name: "dd", PPID: 100,
		WriteBytes: 20 * mib, ReadBytes: 64 << 10, WriteTotal: 20 * mib, ReadTotal: 64 << 10})
	if n != 2 {
		t.Errorf("merge changed %d rows, want 2 (dd added, bash corrected)", n)
	}
	dd, ok := find(f, 200, 7)
	if !ok || !dd.Merged || !dd.Exited || dd.WriteRate != 10*mib || dd.WriteTotal != 20*mib || dd.PPID != 100 {
		t.Errorf("dd row %+v (found %v), want merged, exited, 10 MiB/s, total 20 MiB, parent 100", dd, ok)
	}
	bash, _ := find(f, 100, 1)
	if bash.WriteRate != 0 || bash.LogicalWriteRate != 50 || bash.ReadRate != 0 {
		t.Errorf("bash after reaping dd: write %v logical %v read %v B/s, want 0, its own 100 B over 2 s, 0", bash.WriteRate, bash.LogicalWriteRate, bash.ReadRate)
	}
	if bash.WriteTotal != 1*mib {
		t.Errorf("bash WriteTotal = %d, want its own 1 MiB", bash.WriteTotal)
	}
	if f.Processes[0].Key.PID != 200 || f.Processes[1].Key.PID != 100 {
		t.Errorf("frame order %s, %s; want dd above bash", f.Processes[0].Name, f.Processes[1].Name)
	}
	if s := e.ProcessSeries(ProcKey{100, 1}); !equalSeries(s, []float64{0}) {
		t.Errorf("bash history %v, want [0]", s)
	}
	if got := e.TrackedSeries(); got != 1 {
		t.Errorf("TrackedSeries = %d, want 1 (dd only: bash never wrote)", got)
	}
}

// TestMergedChildParentJumpsNextSample: bash was read just before it
// reaped dd, so its counters jump at the next sample; the credit waits one
// sample, and then bash's own bytes are all that is left.
func TestMergedChildParentJumpsNextSample(t *testing.T) {
	e := newMergeReapEngine(t, procfsLikeInfo,
		snapAt(0, rw(100, 1, "bash", 1, 0, 0, 0, 0)),
		snapAt(time.Second, rw(100, 1, "bash", 1, 0, 0, 0, 0)),
		snapAt(2*time.Second, rw(100, 1, "bash", 1, 8*mib+4096, 0, 8*mib+4096, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 200, Start: 7}, Name: "dd", PPID: 100, WriteBytes: 8 * mib, WriteTotal: 8 * mib})
	f = sample(t, e)
	if bash, _ := find(f, 100, 1); bash.WriteRate != 4096 || bash.WriteTotal != 4096 {
		t.Errorf("bash when its counters jump the sample after: %v B/s, total %d; want its own 4096", bash.WriteRate, bash.WriteTotal)
	}
}

// TestMergedChildCreditNeedsAJump: a parent whose counters grew by less
// than the child's bytes did not reap it (the child was reparented) and
// keeps its own rates, now and at the next sample.
func TestMergedChildCreditNeedsAJump(t *testing.T) {
	e := newMergeReapEngine(t, procfsLikeInfo,
		snapAt(0, rw(100, 1, "make", 1, 0, 0, 0, 0)),
		snapAt(time.Second, rw(100, 1, "make", 1, 3*mib, 0, 3*mib, 0)),
		snapAt(2*time.Second, rw(100, 1, "make", 1, 6*mib, 0, 6*mib, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 200, Start: 7}, Name: "cc", PPID: 100, WriteBytes: 4 * mib, WriteTotal: 4 * mib})
	if mk, _ := find(f, 100, 1); mk.WriteRate != 3*mib {
		t.Errorf("make = %v B/s, want its own 3 MiB/s (no 4 MiB jump)", mk.WriteRate)
	}
	f = sample(t, e)
	if mk, _ := find(f, 100, 1); mk.WriteRate != 3*mib {
		t.Errorf("make the sample after = %v B/s, want its own 3 MiB/s", mk.WriteRate)
	}
}

// TestMergedChildWithoutParentOrInheritance: with no PPID (ETW) or on a
// source whose parents do not inherit their children's I/O (Windows), the
// parent's rate is its counters'.
func TestMergedChildWithoutParentOrInheritance(t *testing.T) {
	noInherit := procfsLikeInfo
	noInherit.ReapedChildrenInParent = false
	for _, tc := range []struct {
		name string
		info SourceInfo
		ppid int32
	}{{"no PPID", procfsLikeInfo, 0}, {"parents do not inherit", noInherit, 100}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMergeReapEngine(t, tc.info,
				snapAt(0, rw(100, 1, "cmd.exe", 1, 0, 0, 0, 0)),
				snapAt(time.Second, rw(100, 1, "cmd.exe", 1, 8*mib, 0, 8*mib, 0)),
			)
			sample(t, e)
			f := sample(t, e)
			if n := merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 200, Start: 7}, Name: "robocopy.exe", PPID: tc.ppid, WriteBytes: 8 * mib}); n != 1 {
				t.Errorf("merge changed %d rows, want 1 (the child only)", n)
			}
			if p, _ := find(f, 100, 1); p.WriteRate != 8*mib {
				t.Errorf("parent = %v B/s, want its counters' 8 MiB/s", p.WriteRate)
			}
		})
	}
}

// TestMergedChildStillRunningLeavesParent: a child that is still alive has
// not been reaped; its parent's jump is the parent's own.
func TestMergedChildStillRunningLeavesParent(t *testing.T) {
	e, err := NewEngine(NewReplaySourceInfo([]Snapshot{
		snapAt(0, rw(100, 1, "bash", 1, 0, 0, 0, 0)),
		snapAt(time.Second, rw(100, 1, "bash", 1, 5*mib, 0, 5*mib, 0)),
	}, procfsLikeInfo), Config{Clock: &fakeClock{t: t0}, ProcessAlive: func(ProcKey) bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	sample(t, e)
	f := sample(t, e)
	merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 200, Start: 7}, Name: "tar", PPID: 100, WriteBytes: 5 * mib})
	if p, _ := find(f, 100, 1); p.WriteRate != 5*mib {
		t.Errorf("bash = %v B/s, want its own 5 MiB/s (tar still runs)", p.WriteRate)
	}
}

// TestMergedChildBytesAfterLastSample: the counter sampler saw cp with
// 8 MiB; cp wrote 3 MiB more before exiting, which the backend counted.
// The parent's 11 MiB jump is all cp's: the last-seen counters come out at
// Sample, the last 3 MiB at the merge.
func TestMergedChildBytesAfterLastSample(t *testing.T) {
	e := newMergeReapEngine(t, procfsLikeInfo,
		snapAt(0, rw(100, 1, "sh", 1, 0, 0, 0, 0)),
		snapAt(time.Second, rw(100, 1, "sh", 1, 0, 0, 0, 0), rw(101, 5, "cp", 100, 8*mib, 0, 8*mib, 0)),
		snapAt(2*time.Second, rw(100, 1, "sh", 1, 11*mib, 0, 11*mib, 0)),
	)
	sample(t, e)
	sample(t, e)
	f := sample(t, e)
	if sh, _ := find(f, 100, 1); sh.WriteRate != 3*mib {
		t.Fatalf("sh before the merge = %v B/s, want cp's unseen 3 MiB/s", sh.WriteRate)
	}
	// The backend names the parent; the row's PPID would do as well.
	merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 101, Start: 5}, Name: "cp", WriteBytes: 3 * mib})
	if sh, _ := find(f, 100, 1); sh.WriteRate != 0 || sh.WriteTotal != 0 {
		t.Errorf("sh after the merge = %v B/s, total %d; want 0 and 0", sh.WriteRate, sh.WriteTotal)
	}
	if cp, _ := find(f, 101, 5); !cp.Merged || cp.WriteRate != 3*mib || cp.WriteTotal != 11*mib {
		t.Errorf("cp row %+v, want merged at 3 MiB/s, total 11 MiB", cp)
	}
}

// TestMergedChildOfNewParent: `sh -c dd` where sh also started within the
// interval. sh is new at this sample, so its whole counters are its
// interval; dd's bytes still come out of it.
func TestMergedChildOfNewParent(t *testing.T) {
	e := newMergeReapEngine(t, procfsLikeInfo,
		snapAt(0, rw(50, 1, "cron", 1, 0, 0, 0, 0)),
		snapAt(time.Second, rw(50, 1, "cron", 1, 0, 0, 0, 0), rw(100, 9, "sh", 50, 6*mib+8192, 0, 6*mib+8192, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	merge(t, e, &f, ExternalActivity{Key: ProcKey{PID: 200, Start: 9}, Name: "dd", PPID: 100, WriteBytes: 6 * mib})
	if sh, _ := find(f, 100, 9); sh.WriteRate != 8192 || sh.WriteTotal != 8192 {
		t.Errorf("sh = %v B/s, total %d; want its own 8192", sh.WriteRate, sh.WriteTotal)
	}
}

// TestMergedChildrenOfOneParent: two short-lived children of one parent
// are both taken out of its one jump, and the parent's row is corrected
// once.
func TestMergedChildrenOfOneParent(t *testing.T) {
	e := newMergeReapEngine(t, procfsLikeInfo,
		snapAt(0, rw(100, 1, "xargs", 1, 0, 0, 0, 0)),
		snapAt(time.Second, rw(100, 1, "xargs", 1, 9*mib, 0, 9*mib, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	n := merge(t, e, &f,
		ExternalActivity{Key: ProcKey{PID: 201, Start: 9}, Name: "gzip", PPID: 100, WriteBytes: 3 * mib},
		ExternalActivity{Key: ProcKey{PID: 202, Start: 9}, Name: "gzip", PPID: 100, WriteBytes: 5 * mib},
	)
	if n != 3 {
		t.Errorf("merge changed %d rows, want 3 (two children, one parent)", n)
	}
	if len(f.Processes) != 3 {
		t.Fatalf("frame has %d rows, want 3: %+v", len(f.Processes), f.Processes)
	}
	if p, _ := find(f, 100, 1); p.WriteRate != 1*mib || p.WriteTotal != 1*mib {
		t.Errorf("xargs = %v B/s, total %d; want its own 1 MiB", p.WriteRate, p.WriteTotal)
	}
	for i := 1; i < len(f.Processes); i++ {
		if processLess(&f.Processes[i], &f.Processes[i-1]) {
			t.Errorf("frame not in order at %d: %+v", i, f.Processes)
		}
	}
}

// With the child's storage counters at exit (eBPF's exit program), the
// merged rows are storage-layer bytes, not the bytes passed to write
// calls: sh runs dd (both short-lived), dd rewrites 4 MiB of pages four
// times (16 MiB through write calls, 4 MiB of storage writes) and deletes
// 1 MiB of them; bash reaps sh, whose counters (with dd's) land on bash.
// dd's row has its own net 3 MiB and 1 MiB cancelled, sh its own nothing,
// and bash, the only process the sampler reads, none of either.
func TestMergedExitCountersAreStorageBytes(t *testing.T) {
	e := newMergeReapEngine(t, procfsLikeInfo,
		snapAt(0, rw(100, 1, "bash", 1, 0, 0, 0, 0)),
		snapAt(2*time.Second, ProcessCounters{Key: ProcKey{PID: 100, Start: 1}, Name: "bash", PPID: 1,
			WriteBytes: 4 * mib, CancelledWriteBytes: 1 * mib, LogicalWriteBytes: 16 * mib}),
	)
	sample(t, e)
	f := sample(t, e)
	merge(t, e, &f,
		ExternalActivity{Key: ProcKey{PID: 201, Start: 7}, Name: "sh", PPID: 100,
			Exit: &ExitCounters{Complete: true, FullWrite: 4 * mib, FullCancelled: 1 * mib}},
		ExternalActivity{Key: ProcKey{PID: 202, Start: 8}, Name: "dd", PPID: 201,
			WriteBytes: 16 * mib, WriteTotal: 16 * mib,
			Exit: &ExitCounters{Complete: true, OwnWrite: 4 * mib, OwnCancelled: 1 * mib, FullWrite: 4 * mib, FullCancelled: 1 * mib}},
	)
	dd, ok := find(f, 202, 8)
	if !ok || dd.WriteBasis() != BasisStorage || dd.WriteRate != 1.5*mib || dd.CancelledWriteRate != 0.5*mib || dd.WriteTotal != 3*mib || dd.LogicalWriteRate != 8*mib {
		t.Errorf("dd row %+v (found %v), want storage basis, 1.5 MiB/s net, 0.5 MiB/s cancelled, total 3 MiB, 8 MiB/s through write calls", dd, ok)
	}
	if sh, ok := find(f, 201, 7); ok && (sh.WriteRate != 0 || sh.WriteBasis() != BasisStorage) {
		t.Errorf("sh row %+v, want no writes of its own, storage basis", sh)
	}
	bash, _ := find(f, 100, 1)
	if bash.WriteRate != 0 || bash.CancelledWriteRate != 0 || bash.WriteTotal != 0 {
		t.Errorf("bash after reaping sh (and so dd): write %v cancelled %v B/s, total %d; want none of dd's", bash.WriteRate, bash.CancelledWriteRate, bash.WriteTotal)
	}
}
