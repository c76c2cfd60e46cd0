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
