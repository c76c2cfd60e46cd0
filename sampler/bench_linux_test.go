//go:build linux

package sampler

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"testing"
	"time"

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
	src := newProcfsSource("/proc")
	defer src.Close()
	ctx := context.Background()
	b.ReportAllocs()
	if _, err := src.Snapshot(ctx); err != nil { // opens the kept descriptors
		b.Fatal(err)
	}
	listings := src.cur.listings
	n := 0
	cpu0 := processCPU()
	for b.Loop() {
		if _, err := src.Snapshot(ctx); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportCPU(b, cpu0, n)
	// How many snapshots listed /proc (new processes found from the PID
	// cursor otherwise; a busy machine's clones force listings).
	b.ReportMetric(float64(src.cur.listings-listings)/float64(max(n, 1)), "listings/op")
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
	n := 0
	cpu0 := processCPU()
	for b.Loop() {
		for _, fd := range fds {
			unix.Pread(fd, buf, 0)
		}
		n++
	}
	reportCPU(b, cpu0, n)
	b.ReportMetric(float64(len(fds)), "processes")
}

// BenchmarkLiveVsFloor alternates, in each iteration, one live snapshot
// and one pass of the floor (one pread of /proc/PID/io per process through
// kept descriptors), timing each, so that the load of a shared machine
// weighs on both alike. It reports the medians of both and of their ratio.
func BenchmarkLiveVsFloor(b *testing.B) {
	spawnIdle(b, 1000)
	src := newProcfsSource("/proc")
	defer src.Close()
	ctx := context.Background()
	if _, err := src.Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
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
	var live, floor, ratio []float64
	for b.Loop() {
		t0 := time.Now()
		if _, err := src.Snapshot(ctx); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		for _, fd := range fds {
			unix.Pread(fd, buf, 0)
		}
		t2 := time.Now()
		l, f := float64(t1.Sub(t0)), float64(t2.Sub(t1))
		live, floor, ratio = append(live, l), append(floor, f), append(ratio, l/f)
	}
	med := func(v []float64) float64 {
		slices.Sort(v)
		return v[len(v)/2]
	}
	b.ReportMetric(med(live), "live-ns")
	b.ReportMetric(med(floor), "floor-ns")
	b.ReportMetric(med(ratio), "live/floor")
	b.ReportMetric(float64(len(src.pids)), "processes")
}

// processCPU is this process's CPU time so far (user + system, every
// thread: the garbage collector's too).
func processCPU() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since cpu0: on a shared
// machine wall time also counts the time waiting for a CPU, CPU time does
// not.
func reportCPU(b *testing.B, cpu0 time.Duration, n int) {
	b.ReportMetric(float64(processCPU()-cpu0)/float64(max(n, 1)), "cpu-ns/op")
}
