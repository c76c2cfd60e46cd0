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

// churnSource is countingSource where, every snapshot, ten short-lived
// children of ten parents exit and ten new ones start; each parent's
// counters jump by what its child had written, as after a reap on Linux.
type churnSource struct {
	n, i int
}

func (s *churnSource) Snapshot(context.Context) (Snapshot, error) {
	s.i++
	snap := Snapshot{Time: t0.Add(time.Duration(s.i) * time.Second), Disks: []DiskCounters{{Name: "sda", WriteBytes: uint64(s.i) * 409600}}}
	snap.Processes = make([]ProcessCounters, 0, s.n+10)
	for j := 0; j < s.n; j++ {
		pc := ProcessCounters{Key: ProcKey{PID: int32(j + 1), Start: 1}, Name: "sleep", PPID: 1}
		if j < 10 { // parents: each reaped one 1 MiB child per sample
			pc.Name = "sh"
			pc.WriteBytes = uint64(s.i-1) << 20
		}
		snap.Processes = append(snap.Processes, pc)
	}
	for j := 0; j < 10; j++ { // this sample's children, gone at the next
		snap.Processes = append(snap.Processes, ProcessCounters{Key: ProcKey{PID: int32(100000 + s.i*10 + j), Start: int64(s.i)},
			Name: "dd", PPID: int32(j + 1), WriteBytes: 1 << 20})
	}
	return snap, nil
}

func (s *churnSource) Info() SourceInfo {
	return SourceInfo{Name: "churn", ReapedChildrenInParent: true}
}

// BenchmarkEngineSampleChurn is BenchmarkEngineSample with ten processes
// exiting and being reaped every sample (building the snapshot included).
func BenchmarkEngineSampleChurn(b *testing.B) {
	e, err := NewEngine(&churnSource{n: 1000}, Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	var f Frame
	for b.Loop() {
		if f, err = e.Sample(ctx); err != nil {
			b.Fatal(err)
		}
	}
	for _, p := range f.Processes {
		if p.Name == "sh" && p.WriteRate != 0 {
			b.Fatalf("parent %d still shows its reaped child: %v B/s", p.Key.PID, p.WriteRate)
		}
	}
}
