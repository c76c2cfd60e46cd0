//go:build linux

package sampler

import (
	"context"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// liveEngine returns an engine on the live source, sampling every second,
// that has taken its baseline sample.
func liveEngine(t *testing.T) (*Engine, context.Context) {
	t.Helper()
	eng, err := NewEngine(NewLiveSource(), Config{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := eng.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	return eng, ctx
}

// TestLiveEngineAttributesWriterBytes: a child writes exactly 50 MiB with
// fsync to a real disk; within 3 samples the live engine must attribute
// 50 MiB +-5% of storage-layer writes to that PID, classified as workload.
func TestLiveEngineAttributesWriterBytes(t *testing.T) {
	const size = 50 << 20
	dir := testutil.BlockBackedDir(t)
	eng, ctx := liveEngine(t)
	w := testutil.StartWriter(t, filepath.Join(dir, "churn.bin"), size)
	pid := int32(w.PID())

	var attributed float64
	var seen ProcessRates
	finished := false
	for i := 1; i <= 3; i++ {
		time.Sleep(eng.Interval())
		wait := time.Duration(0)
		if i == 3 {
			wait = 60 * time.Second // the last sample comes after the fsync
		}
		if !finished {
			select {
			case err := <-w.Done:
				if err != nil {
					t.Fatalf("writer: %v", err)
				}
				finished = true
			case <-time.After(wait):
			}
		}
		if i == 3 && !finished {
			t.Fatal("writer did not write and fsync 50 MiB within 60 s")
		}
		f, err := eng.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Processes {
			if p.Key.PID == pid && !p.Exited {
				attributed += p.WriteRate * f.Elapsed.Seconds()
				seen = p
			}
		}
		if finished {
			break
		}
	}
	if math.Abs(attributed-size) > 0.05*size {
		t.Fatalf("attributed %.0f bytes to writer PID %d within 3 samples, want %d +-5%%", attributed, pid, size)
	}
	if seen.Class.Class != ClassWorkload || seen.Class.Rule != NoRuleMatched {
		t.Errorf("writer class = %+v, want workload (no rule matched)", seen.Class)
	}
	if seen.WriteTotal < size*95/100 {
		t.Errorf("WriteTotal = %d, want about %d", seen.WriteTotal, size)
	}
	t.Logf("attributed %.1f MiB to PID %d (%s)", attributed/(1<<20), pid, seen.Name)
}

// TestLiveEngineNetsOutCancelledWrites: a process writes 4 MiB temp files
// and deletes each before writeback, for about 3 s. Its storage writes
// never reach the disk (Linux counts them in write_bytes, then again in
// cancelled_write_bytes on the unlink), so its net write rate must stay
// near zero while the cancelled rate shows the churn.
func TestLiveEngineNetsOutCancelledWrites(t *testing.T) {
	dir := testutil.BlockBackedDir(t)
	eng, ctx := liveEngine(t)
	c := testutil.StartChild(t, testutil.HelperCommand("", tempHelperName, dir))
	pid := int32(c.PID())

	var net, cancelled float64
	for i := 0; i < 3; i++ {
		time.Sleep(eng.Interval())
		f, err := eng.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Processes {
			if p.Key.PID == pid && !p.Exited {
				net += p.WriteRate * f.Elapsed.Seconds()
				cancelled += p.CancelledWriteRate * f.Elapsed.Seconds()
			}
		}
	}
	c.Stdin.Close()
	line, _ := c.Stdout.ReadString('\n')
	written, err := strconv.ParseFloat(strings.TrimSpace(line), 64)
	if err != nil || written < 16<<20 {
		t.Fatalf("temp-file writer reported %q bytes, want at least 16 MiB", line)
	}
	// The files of the first and last interval may straddle a sample: a
	// file written before one sample and deleted after it shows as a
	// write then a cancel, so allow two files (8 MiB) of slack.
	if net > 8<<20 {
		t.Errorf("net storage writes of PID %d = %.1f MiB over 3 s of write+delete (%.1f MiB written), want about 0", pid, net/(1<<20), written/(1<<20))
	}
	if cancelled < 0.5*written {
		t.Errorf("cancelled writes of PID %d = %.1f MiB, want most of the %.1f MiB it wrote and deleted", pid, cancelled/(1<<20), written/(1<<20))
	}
	t.Logf("wrote and deleted %.1f MiB: net %.1f MiB, cancelled %.1f MiB", written/(1<<20), net/(1<<20), cancelled/(1<<20))
}

// TestLiveEngineNotesExitedChildrenOnParent: without a per-file backend, a
// child that starts, writes 8 MiB and exits between two samples is never
// read, and the kernel adds its bytes to the parent that reaps it. The
// parent's row keeps them (nothing else can) but must say so:
// ChildrenWriteBytes holds them.
func TestLiveEngineNotesExitedChildrenOnParent(t *testing.T) {
	const size = 8 << 20
	dir := testutil.BlockBackedDir(t)
	c := testutil.StartChild(t, testutil.HelperCommand("", spawnerHelperName, filepath.Join(dir, "child.bin"), strconv.Itoa(size)))
	if l, _ := c.Stdout.ReadString('\n'); strings.TrimSpace(l) != "ready" {
		t.Fatalf("spawner said %q", l)
	}
	eng, ctx := liveEngine(t)
	c.Stdin.Write([]byte("go\n"))
	if l, _ := c.Stdout.ReadString('\n'); strings.TrimSpace(l) != "reaped" {
		t.Fatalf("spawner said %q", l)
	}
	f, err := eng.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Processes {
		if int(p.Key.PID) != c.PID() {
			continue
		}
		written := p.WriteRate * f.Elapsed.Seconds()
		if math.Abs(float64(p.ChildrenWriteBytes)-size) > 0.05*size || math.Abs(written-size) > 0.05*size {
			t.Errorf("parent row: %.0f bytes written, ChildrenWriteBytes %d; want the child's %d in both (±5%%)", written, p.ChildrenWriteBytes, size)
		}
		return
	}
	t.Fatalf("parent PID %d not in the frame", c.PID())
}

// TestLiveEngineChurnWithoutEBPF: 200 short-lived writers of 256 KiB each
// start and exit one after the other while the engine samples every
// second, with no per-file backend. Their bytes land on the parent that
// reaps them; the per-process storage writes still sum to the bytes
// written (±10%), and the parent's rows say that they came from exited
// children (ChildrenWriteBytes).
func TestLiveEngineChurnWithoutEBPF(t *testing.T) {
	const n, size = 200, 256 << 10
	dir := testutil.BlockBackedDir(t)
	c := testutil.StartChild(t, testutil.HelperCommand("", spawnerHelperName, filepath.Join(dir, "churn"), strconv.Itoa(size), strconv.Itoa(n)))
	if l, _ := c.Stdout.ReadString('\n'); strings.TrimSpace(l) != "ready" {
		t.Fatalf("spawner said %q", l)
	}
	eng, ctx := liveEngine(t)
	c.Stdin.Write([]byte("go\n"))
	done := make(chan string, 1)
	go func() { l, _ := c.Stdout.ReadString('\n'); done <- strings.TrimSpace(l) }()
	var sum, children, parent float64
	finished := false
	for i := 0; i < 120 && !finished; i++ {
		time.Sleep(eng.Interval())
		select {
		case l := <-done:
			if l != "reaped" {
				t.Fatalf("spawner said %q", l)
			}
			finished = true
		default:
		}
		f, err := eng.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Processes {
			b := p.WriteRate * f.Elapsed.Seconds()
			switch {
			case int(p.Key.PID) == c.PID() && !p.Exited:
				parent += b
				children += float64(p.ChildrenWriteBytes)
				sum += b
			case int(p.PPID) == c.PID() && !p.Exited:
				sum += b // a writer alive at a sample
			}
		}
	}
	if !finished {
		t.Fatal("the churn did not finish within 2 minutes")
	}
	const want = n * size
	t.Logf("200 writers x 256 KiB without eBPF: per-process sum %.1f MiB (parent %.1f MiB, of which marked from exited children %.1f MiB), want %.1f MiB",
		sum/(1<<20), parent/(1<<20), children/(1<<20), float64(want)/(1<<20))
	if math.Abs(sum-want) > 0.1*want {
		t.Errorf("per-process storage writes sum to %.1f MiB, want %.1f MiB ±10%%", sum/(1<<20), float64(want)/(1<<20))
	}
	if math.Abs(children-parent) > 0.1*parent {
		t.Errorf("the parent's rows hold %.1f MiB but mark %.1f MiB as from exited children; want all of it marked (±10%%)", parent/(1<<20), children/(1<<20))
	}
}
