//go:build linux

package sampler

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
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

// BenchmarkPreadFloor is the floor of any /proc sampler: one pread of
// /proc/PID/io per process through descriptors kept open, nothing else
// (no listing of /proc, no parsing). BenchmarkLiveSnapshot's figure over
// this one is what the sampler costs above the floor.
func BenchmarkPreadFloor(b *testing.B) {
	spawnIdle(b, 1000)
	d, err := os.Open("/proc")
	if err != nil {
		b.Fatal(err)
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var fds []int
	b.Cleanup(func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	})
	for _, n := range names {
		if _, err := strconv.Atoi(n); err != nil {
			continue
		}
		if fd, err := unix.Open("/proc/"+n+"/io", unix.O_RDONLY|unix.O_CLOEXEC, 0); err == nil {
			fds = append(fds, fd)
		}
	}
	buf := make([]byte, 512)
	b.ReportAllocs()
	for b.Loop() {
		for _, fd := range fds {
			unix.Pread(fd, buf, 0)
		}
	}
	b.ReportMetric(float64(len(fds)), "processes")
}
