package sampler

import (
	"context"
	"slices"
	"testing"
)

// BenchmarkMergeActivity is the cost of merging one interval's per-process
// activity into a frame of 1,000 processes: 200 entries, of which 190 are
// processes the frame has (left alone) and 10 short-lived ones (new rows,
// classified, with history). Each iteration merges into a fresh copy of
// the same frame (the copy is part of the cost).
func BenchmarkMergeActivity(b *testing.B) {
	e, err := NewEngine(&countingSource{n: 1000}, Config{ProcessAlive: noneAlive})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	e.Sample(ctx)
	frame, err := e.Sample(ctx)
	if err != nil {
		b.Fatal(err)
	}
	acts := make([]ExternalActivity, 200)
	for i := range acts {
		acts[i] = ExternalActivity{Key: ProcKey{PID: int32(i*5 + 1), Start: 1}, Name: "sleep", WriteBytes: 4096}
	}
	b.ReportAllocs()
	seq := int32(0)
	for b.Loop() {
		for i := 190; i < 200; i++ {
			seq++
			acts[i].Key = ProcKey{PID: 100000 + seq, Start: 2}
			acts[i].Name = "dd"
		}
		f := frame
		f.Processes = slices.Clone(frame.Processes)
		e.mergedSeq = 0
		if _, err := e.MergeActivity(&f, acts); err != nil {
			b.Fatal(err)
		}
	}
}

// reapingSource is a source of n processes, one in ten of which moves
// 64 KiB on all four counters each snapshot, and whose parents include
// their reaped children (as on Linux).
type reapingSource struct{ countingSource }

func (s *reapingSource) Snapshot(ctx context.Context) (Snapshot, error) {
	snap, err := s.countingSource.Snapshot(ctx)
	for j := range snap.Processes {
		if p := &snap.Processes[j]; j%10 == 0 {
			v := uint64(s.i) * 64 << 10
			p.WriteBytes, p.ReadBytes, p.LogicalWriteBytes, p.LogicalReadBytes = v, v, v, v
		}
	}
	return snap, err
}

func (s *reapingSource) Info() SourceInfo {
	return SourceInfo{Name: "reaping", ReapedChildrenInParent: true}
}

// BenchmarkMergeActivityReapedChildren is BenchmarkMergeActivity where the
// 10 short-lived processes name their parents (as the eBPF backend does),
// which reaped them: each child's bytes are taken out of its parent's row.
func BenchmarkMergeActivityReapedChildren(b *testing.B) {
	e, err := NewEngine(&reapingSource{countingSource{n: 1000}}, Config{ProcessAlive: noneAlive})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	e.Sample(ctx)
	frame, err := e.Sample(ctx)
	if err != nil {
		b.Fatal(err)
	}
	acts := make([]ExternalActivity, 200)
	for i := range acts {
		acts[i] = ExternalActivity{Key: ProcKey{PID: int32(i*5 + 1), Start: 1}, Name: "sleep", WriteBytes: 4096}
	}
	parents := make([]*procState, 0, 10)
	for i := 190; i < 200; i++ {
		ppid := int32((i-190)*10 + 1) // a writer: PIDs 1, 11, 21, ...
		acts[i].PPID = ppid
		acts[i].ReadBytes = 4096
		parents = append(parents, e.byPID[ppid])
	}
	b.ReportAllocs()
	seq := int32(0)
	taken := 0
	for b.Loop() {
		for i := 190; i < 200; i++ {
			seq++
			acts[i].Key = ProcKey{PID: 100000 + seq, Start: 2}
			acts[i].Name = "dd"
		}
		for _, ps := range parents { // undo the previous iteration's credits
			ps.cut, ps.reaped = ioVec{}, ioVec{}
		}
		e.credits = e.credits[:0]
		f := frame
		f.Processes = slices.Clone(frame.Processes)
		e.mergedSeq = 0
		n, err := e.MergeActivity(&f, acts)
		if err != nil {
			b.Fatal(err)
		}
		taken = n
	}
	if taken != 20 {
		b.Fatalf("merge changed %d rows, want 20 (10 children, 10 parents)", taken)
	}
}
