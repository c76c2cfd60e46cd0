//go:build linux

package sampler

import (
	"context"
	"os/exec"
	"testing"
)

// spawnIdle starts n `sleep` processes and stops them (by PID) when the
// benchmark ends.
func spawnIdle(b *testing.B, n int) {
	b.Helper()
	cmds := make([]*exec.Cmd, 0, n)
	b.Cleanup(func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
	})
	for i := 0; i < n; i++ {
		c := exec.Command("sleep", "3600")
		if err := c.Start(); err != nil {
			b.Fatalf("start idle process %d: %v", i, err)
		}
		cmds = append(cmds, c)
	}
}

// BenchmarkLiveSample measures one Sample of the live engine with 1,000
// idle processes on top of whatever the machine runs.
func BenchmarkLiveSample(b *testing.B) {
	spawnIdle(b, 1000)
	eng, err := NewEngine(NewLiveSource(), Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	f, err := eng.Sample(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if f, err = eng.Sample(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(f.Processes)), "processes")
}

// BenchmarkLiveSnapshot is the source alone, without the engine's rates.
func BenchmarkLiveSnapshot(b *testing.B) {
	spawnIdle(b, 1000)
	src := NewLiveSource()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := src.Snapshot(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
