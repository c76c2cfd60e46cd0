package sampler

import (
	"testing"
	"time"
)

// procfsLikeInfo is the replay Info of a source whose parents' counters
// include their reaped children (Linux).
var procfsLikeInfo = SourceInfo{Name: "replay", WriteLabel: "recorded counters", Privileged: true, ReapedChildrenInParent: true}

// child is proc with a parent PID.
func child(pid int32, start int64, name string, ppid int32, write, read uint64) ProcessCounters {
	p := proc(pid, start, name, write, read)
	p.PPID = ppid
	return p
}

func newReapEngine(t *testing.T, info SourceInfo, snaps ...Snapshot) *Engine {
	t.Helper()
	e, err := NewEngine(NewReplaySourceInfo(snaps, info), Config{Clock: &fakeClock{t: t0}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestReapedChildNotCountedTwice is the bash-runs-dd case: dd writes 8 MiB
// and exits; bash reaps it, and the kernel adds dd's 8 MiB to bash's
// write_bytes. bash must not show 8 MiB/s in that interval, and its total
// must not grow; dd's exited row keeps its own rate.
func TestReapedChildNotCountedTwice(t *testing.T) {
	e := newReapEngine(t, procfsLikeInfo,
		snapAt(0, child(100, 1, "bash", 1, 1*mib, 0)),
		snapAt(time.Second, child(100, 1, "bash", 1, 1*mib, 0), child(101, 5, "dd", 100, 8*mib, 2*mib)),
		// dd is gone; bash's counters jumped by dd's.
		snapAt(2*time.Second, child(100, 1, "bash", 1, 9*mib, 2*mib)),
		snapAt(3*time.Second, child(100, 1, "bash", 1, 9*mib, 2*mib)),
	)
	sample(t, e)
	f := sample(t, e)
	if dd, _ := find(f, 101, 5); dd.WriteRate != 8*mib {
		t.Fatalf("dd while running = %+v, want 8 MiB/s", dd)
	}
	f = sample(t, e)
	bash, _ := find(f, 100, 1)
	if bash.WriteRate != 0 || bash.ReadRate != 0 || bash.LogicalWriteRate != 0 {
		t.Errorf("bash after reaping dd: write %v read %v logical %v, want 0 (dd's bytes are dd's)", bash.WriteRate, bash.ReadRate, bash.LogicalWriteRate)
	}
	if bash.WriteTotal != 1*mib || bash.ReadTotal != 0 {
		t.Errorf("bash totals after reaping dd: written %d read %d, want its own 1 MiB and 0", bash.WriteTotal, bash.ReadTotal)
	}
	dd, ok := find(f, 101, 5)
	if !ok || !dd.Exited || dd.WriteRate != 8*mib {
		t.Errorf("dd exited row = %+v (found %v), want Exited at 8 MiB/s", dd, ok)
	}
	if f.Processes[0].Key.PID != 101 {
		t.Errorf("top row is PID %d, want dd (101)", f.Processes[0].Key.PID)
	}
	if s := e.ProcessSeries(ProcKey{100, 1}); !equalSeries(s, []float64{0, 0}) {
		t.Errorf("bash's history = %v, want no write in either interval", s)
	}
	f = sample(t, e)
	if bash, _ := find(f, 100, 1); bash.WriteRate != 0 || bash.WriteTotal != 1*mib {
		t.Errorf("bash the interval after: %+v, want 0 B/s, total 1 MiB", bash)
	}
}

// TestReapedChildJumpInNextInterval: the parent was read before the child
// vanished (or reaped it late), so its counters jump one interval after the
// child's exited row. The credit must still apply, but not a third
// interval later.
func TestReapedChildJumpInNextInterval(t *testing.T) {
	e := newReapEngine(t, procfsLikeInfo,
		snapAt(0, child(100, 1, "sh", 1, 0, 0), child(101, 5, "cp", 100, 0, 0)),
		snapAt(time.Second, child(100, 1, "sh", 1, 0, 0), child(101, 5, "cp", 100, 6*mib, 0)),
		snapAt(2*time.Second, child(100, 1, "sh", 1, 0, 0)),             // cp vanished, not reaped yet
		snapAt(3*time.Second, child(100, 1, "sh", 1, 6*mib+512<<10, 0)), // reaped, plus 512 KiB of its own
	)
	sample(t, e)
	sample(t, e)
	sample(t, e)
	f := sample(t, e)
	sh, _ := find(f, 100, 1)
	if sh.WriteRate != 512<<10 {
		t.Errorf("sh rate when its counters jump the interval after cp's exit = %v, want only its own 512 KiB/s", sh.WriteRate)
	}
	if sh.WriteTotal != 512<<10 {
		t.Errorf("sh total = %d, want 512 KiB", sh.WriteTotal)
	}
}

// TestReapCreditNeedsAJump: a parent whose counters did not grow by the
// child's bytes (it did not reap it: the child was reparented, or the
// parent wrote less than that on its own) keeps its own rate, and an old
// credit does not eat a jump that comes too late.
func TestReapCreditNeedsAJump(t *testing.T) {
	e := newReapEngine(t, procfsLikeInfo,
		snapAt(0, child(100, 1, "make", 1, 0, 0), child(101, 5, "cc", 100, 0, 0)),
		snapAt(time.Second, child(100, 1, "make", 1, 0, 0), child(101, 5, "cc", 100, 4*mib, 0)),
		snapAt(2*time.Second, child(100, 1, "make", 1, 1*mib, 0)),
		snapAt(3*time.Second, child(100, 1, "make", 1, 2*mib, 0)),
		snapAt(4*time.Second, child(100, 1, "make", 1, 6*mib, 0)), // too late: make's own 4 MiB
	)
	sample(t, e)
	sample(t, e)
	for i, want := range []float64{1 * mib, 1 * mib, 4 * mib} {
		f := sample(t, e)
		if mk, _ := find(f, 100, 1); mk.WriteRate != want {
			t.Errorf("interval %d: make writes %v, want %v (no jump of cc's 4 MiB to take back)", i+3, mk.WriteRate, want)
		}
	}
}

// TestReapedChildBytesAfterLastSample: what the child wrote after the last
// sample that saw it cannot be told apart from the parent's own writes and
// stays on the parent; only the last-seen counters are taken back.
func TestReapedChildBytesAfterLastSample(t *testing.T) {
	e := newReapEngine(t, procfsLikeInfo,
		snapAt(0, child(100, 1, "bash", 1, 0, 0)),
		snapAt(time.Second, child(100, 1, "bash", 1, 0, 0), child(101, 5, "dd", 100, 8*mib, 0)),
		snapAt(2*time.Second, child(100, 1, "bash", 1, 11*mib, 0)), // dd wrote 3 MiB more before exiting
	)
	sample(t, e)
	sample(t, e)
	f := sample(t, e)
	if bash, _ := find(f, 100, 1); bash.WriteRate != 3*mib {
		t.Errorf("bash = %v B/s, want 3 MiB/s (dd's unseen last bytes)", bash.WriteRate)
	}
}

// TestReapedChildrenOnlyWhenTheSourceSaysSo: on Windows a parent's
// counters never include its children, so a parent that happens to write
// as much as its exited child keeps its rate.
func TestReapedChildrenOnlyWhenTheSourceSaysSo(t *testing.T) {
	info := procfsLikeInfo
	info.ReapedChildrenInParent = false
	e := newReapEngine(t, info,
		snapAt(0, child(100, 1, "cmd.exe", 1, 0, 0)),
		snapAt(time.Second, child(100, 1, "cmd.exe", 1, 0, 0), child(101, 5, "robocopy.exe", 100, 8*mib, 0)),
		snapAt(2*time.Second, child(100, 1, "cmd.exe", 1, 8*mib, 0)),
	)
	sample(t, e)
	sample(t, e)
	f := sample(t, e)
	if p, _ := find(f, 100, 1); p.WriteRate != 8*mib {
		t.Errorf("cmd.exe = %v B/s, want its own 8 MiB/s", p.WriteRate)
	}
}

// TestTwoChildrenReapedInOneInterval: both credits apply to one jump that
// covers them, and the parent's own bytes remain.
func TestTwoChildrenReapedInOneInterval(t *testing.T) {
	e := newReapEngine(t, procfsLikeInfo,
		snapAt(0, child(100, 1, "xargs", 1, 0, 0)),
		snapAt(time.Second, child(100, 1, "xargs", 1, 0, 0), child(101, 5, "gzip", 100, 3*mib, 0), child(102, 5, "gzip", 100, 5*mib, 0)),
		snapAt(2*time.Second, child(100, 1, "xargs", 1, 9*mib, 0)),
	)
	sample(t, e)
	sample(t, e)
	f := sample(t, e)
	if p, _ := find(f, 100, 1); p.WriteRate != 1*mib || p.WriteTotal != 1*mib {
		t.Errorf("xargs = %v B/s total %d, want 1 MiB/s and 1 MiB after taking back both gzips", p.WriteRate, p.WriteTotal)
	}
}
