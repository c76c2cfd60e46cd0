package sampler

import (
	"strings"
	"testing"
	"time"
)

// The disk activity in these tests is hand-made, as the block-layer source
// (sampler/blockio) reports it; the frames come from the replay source.

// A database whose write_bytes grows 200 MiB/s while the disk takes
// 20 MiB/s: with disk bytes applied, its row shows the disk bytes, keeps
// write_bytes as DirtiedRate, the frame's label says disk writes and its
// note names the >2x gap; the journal gets a row of its own.
func TestApplyDiskBytesReplacesWriteFigures(t *testing.T) {
	e := newTestEngine(t, Config{ProcessAlive: noneAlive},
		snapAt(0, proc(10, 1, "postgres", 0, 0), proc(11, 1, "idle", 0, 0)),
		snapAt(2*time.Second, proc(10, 1, "postgres", 400*mib, 0), proc(11, 1, "idle", 0, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	err := e.ApplyDiskBytes(&f, []DiskActivity{
		{Key: ProcKey{10, 1}, Name: "postgres", WriteBytes: 40 * mib, WritebackBytes: 30 * mib, IONanos: 4e6, IOCount: 40},
		{Key: ProcKey{0, -1}, Name: "(fs journal)", Kernel: true, Rule: "kernel: filesystem journal", WriteBytes: 2 * mib},
		{Key: ProcKey{99, 7}, Name: "dd", WriteBytes: 6 * mib}, // exited before the sample; its pages written back now
	})
	if err != nil {
		t.Fatal(err)
	}
	pg, _ := find(f, 10, 1)
	if pg.WriteRate != 20*mib || pg.DirtiedRate != 200*mib || pg.WritebackRate != 15*mib || pg.WriteTotal != 40*mib || pg.WriteBasis() != BasisDisk {
		t.Errorf("postgres row %+v; want 20 MiB/s disk, 200 MiB/s dirtied, 15 MiB/s writeback, total 40 MiB, basis disk", pg)
	}
	if pg.DiskIOCount != 40 || pg.DiskIONanos != 4e6 {
		t.Errorf("postgres response time %d ns over %d requests, want 4e6 over 40", pg.DiskIONanos, pg.DiskIOCount)
	}
	j, ok := find(f, 0, -1)
	if !ok || !j.Kernel || j.WriteRate != mib || j.Class.Rule != "kernel: filesystem journal" {
		t.Errorf("journal row %+v (found %v); want a kernel row at 1 MiB/s", j, ok)
	}
	dd, ok := find(f, 99, 7)
	if !ok || !dd.Exited || dd.WriteRate != 3*mib {
		t.Errorf("dd row %+v (found %v); want an exited row at 3 MiB/s", dd, ok)
	}
	var sum float64
	for _, p := range f.Processes {
		sum += p.WriteRate
	}
	if sum != 24*mib {
		t.Errorf("rows add up to %.0f B/s, want the 24 MiB/s the source charged", sum)
	}
	if f.Info.WriteLabel != DiskWriteLabel || !f.DiskBytes {
		t.Errorf("frame label %q, want %q", f.Info.WriteLabel, DiskWriteLabel)
	}
	if !strings.Contains(f.Info.Note, DirtiedLabel) || !strings.Contains(f.Info.Note, "postgres 10.0x") {
		t.Errorf("note %q; want it to name dirtied (kernel accounting) >2x, postgres 10.0x", f.Info.Note)
	}
	if f.Processes[0].Key.PID != 10 {
		t.Errorf("frame not re-sorted by disk bytes: first is %s", f.Processes[0].Name)
	}
	if s := e.ProcessSeries(ProcKey{10, 1}); len(s) == 0 || s[len(s)-1] != 20*mib {
		t.Errorf("postgres history %v, want its last point at the disk rate", s)
	}
	if err := e.ApplyDiskBytes(&f, nil); err == nil {
		t.Error("a second ApplyDiskBytes on the same frame was accepted")
	}
}

// Without a block-layer source, a frame of Linux write_bytes says they can
// overstate, and by how much when the rows exceed the disks' writes.
func TestWriteBytesFrameWarnsOfOverstatement(t *testing.T) {
	snaps := []Snapshot{
		snapAt(0, proc(10, 1, "postgres", 0, 0)),
		snapAt(time.Second, proc(10, 1, "postgres", 90*mib, 0)),
	}
	snaps[0].Disks = []DiskCounters{{Name: "sda", WriteBytes: 0}}
	snaps[1].Disks = []DiskCounters{{Name: "sda", WriteBytes: 9 * mib}}
	e, err := NewEngine(NewReplaySourceInfo(snaps, SourceInfo{Name: "procfs", WriteLabel: "storage writes, net of cancelled", CancelledWrites: true}), Config{Clock: &fakeClock{t: t0}})
	if err != nil {
		t.Fatal(err)
	}
	sample(t, e)
	f := sample(t, e)
	if !strings.Contains(f.Info.Note, "10.0x the disks' writes") || !strings.Contains(f.Info.Note, "can overstate") {
		t.Errorf("note %q; want the warning that write_bytes can overstate, with 10.0x", f.Info.Note)
	}
}

// Written per disk: a row's WrittenOnDisk adds up each disk's write
// bytes over the intervals (an interval without requests keeps it), beside
// WriteTotal over all disks, and a frame's map is its own (a later interval
// does not change a frame already handed out).
func TestWrittenOnDiskAccumulatesPerDisk(t *testing.T) {
	e := newTestEngine(t, Config{ProcessAlive: noneAlive},
		snapAt(0, proc(10, 1, "cp", 0, 0)),
		snapAt(time.Second, proc(10, 1, "cp", 0, 0)),
		snapAt(2*time.Second, proc(10, 1, "cp", 0, 0)),
		snapAt(3*time.Second, proc(10, 1, "cp", 0, 0)),
	)
	sample(t, e)
	act := func(a, b uint64) []DiskActivity {
		return []DiskActivity{{Key: ProcKey{10, 1}, Name: "cp", WriteBytes: a + b,
			OnDisk: map[string]DiskIO{"sda": {WriteBytes: a}, "sdb": {WriteBytes: b}}}}
	}
	f1 := sample(t, e)
	if err := e.ApplyDiskBytes(&f1, act(4*mib, mib)); err != nil {
		t.Fatal(err)
	}
	f2 := sample(t, e)
	if err := e.ApplyDiskBytes(&f2, act(0, 2*mib)); err != nil {
		t.Fatal(err)
	}
	f3 := sample(t, e)
	if err := e.ApplyDiskBytes(&f3, nil); err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ all, sda, sdb uint64 }{{5 * mib, 4 * mib, mib}, {7 * mib, 4 * mib, 3 * mib}, {7 * mib, 4 * mib, 3 * mib}} {
		r, _ := find([]Frame{f1, f2, f3}[i], 10, 1)
		if r.WriteTotal != want.all || r.WrittenOnDisk["sda"] != want.sda || r.WrittenOnDisk["sdb"] != want.sdb {
			t.Errorf("interval %d: Written %d, on sda %d, on sdb %d; want %d, %d, %d", i+1,
				r.WriteTotal, r.WrittenOnDisk["sda"], r.WrittenOnDisk["sdb"], want.all, want.sda, want.sdb)
		}
	}
}
