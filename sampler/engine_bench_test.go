package sampler

import (
	"context"
	"testing"
	"time"
)

// countingSource is an endless source of n processes whose counters grow
// every snapshot, for measuring the engine without system calls.
type countingSource struct {
	n, i  int
	snaps [2]Snapshot
}

func (s *countingSource) Snapshot(context.Context) (Snapshot, error) {
	s.i++
	snap := &s.snaps[s.i%2]
	if snap.Processes == nil {
		snap.Processes = make([]ProcessCounters, s.n)
		for j := range snap.Processes {
			snap.Processes[j] = ProcessCounters{Key: ProcKey{PID: int32(j + 1), Start: 1}, Name: "sleep"}
		}
		snap.Disks = []DiskCounters{{Name: "sda"}}
	}
	snap.Time = t0.Add(time.Duration(s.i) * time.Second)
	for j := range snap.Processes {
		if j%10 == 0 { // one process in ten writes
			snap.Processes[j].WriteBytes = uint64(s.i) * 4096
		}
	}
	snap.Disks[0].WriteBytes = uint64(s.i) * 409600
	return *snap, nil
}

func (s *countingSource) Info() SourceInfo { return SourceInfo{Name: "counting"} }

// BenchmarkEngineSample is the engine's own cost per sample with 1,000
// processes (rates, classification cache, history, sorting), without /proc.
func BenchmarkEngineSample(b *testing.B) {
	e, err := NewEngine(&countingSource{n: 1000}, Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Sample(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
