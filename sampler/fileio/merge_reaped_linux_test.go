//go:build linux && (amd64 || arm64)

package fileio

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// TestMergedShortLivedChildNotCountedInItsParent: a parent process starts
// a child that writes 20 MiB with fsync to a real disk and exits, and reaps
// it, all between two samples; the parent then idles. The /proc sampler
// never sees the child, and the kernel adds the child's write_bytes to the
// parent's. With the eBPF backend's activity merged, the child's row must
// hold 20 MiB +-5% and the parent less than 5% of that, whichever program
// variant counts (each must record the parent).
func TestMergedShortLivedChildNotCountedInItsParent(t *testing.T) {
	all := ebpfVariants
	defer func() { ebpfVariants = all }()
	for _, v := range all {
		t.Run(v.name, func(t *testing.T) {
			if v.name == fexitVariant.name {
				skipUnlessKernelLoadsFexit(t)
			}
			ebpfVariants = []ebpfVariant{v}
			testMergedChildNotInParent(t, openEBPFForTest(t))
		})
	}
}

func testMergedChildNotInParent(t *testing.T, files *ebpfSource) {
	const size = 20 << 20
	dir := testutil.BlockBackedDir(t)
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !eng.Info().ReapedChildrenInParent {
		t.Fatalf("live source %q: ReapedChildrenInParent is false on Linux", eng.Info().Name)
	}
	ctx := context.Background()
	// step samples and merges the activity read at the same instant, as
	// the record and ui commands do.
	step := func() sampler.Frame {
		t.Helper()
		f, err := eng.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		iv, err := files.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if f.Elapsed > 0 {
			if _, err := eng.MergeActivity(&f, ExternalActivity(iv)); err != nil {
				t.Fatal(err)
			}
		}
		return f
	}

	parent := testutil.StartChild(t, testutil.HelperCommand("", reaperHelper, filepath.Join(dir, "child.bin"), fmt.Sprint(size)))
	parentPID := int32(parent.PID())
	readLine := func(prefix string) string {
		t.Helper()
		got := make(chan string, 1)
		go func() { l, _ := parent.Stdout.ReadString('\n'); got <- strings.TrimSpace(l) }()
		select {
		case l := <-got:
			if !strings.HasPrefix(l, prefix) {
				t.Fatalf("parent helper said %q, want %q", l, prefix)
			}
			return l
		case <-time.After(60 * time.Second):
			t.Fatalf("parent helper did not say %q within 60 s", prefix)
		}
		return ""
	}
	readLine("ready")
	step() // baseline: the parent exists, the child does not yet
	time.Sleep(eng.Interval())
	if _, err := parent.Stdin.Write([]byte("go\n")); err != nil {
		t.Fatal(err)
	}
	var childPID int32
	if _, err := fmt.Sscanf(readLine("reaped "), "reaped %d", &childPID); err != nil {
		t.Fatal(err)
	}

	var childBytes, parentBytes float64
	var childRow, parentRow sampler.ProcessRates
	for i := 0; i < 3; i++ { // the interval with the child, then the parent idles
		f := step()
		for _, p := range f.Processes {
			switch {
			case p.Key.PID == childPID:
				childBytes += p.WriteRate * f.Elapsed.Seconds()
				childRow = p
			case p.Key.PID == parentPID && !p.Exited:
				parentBytes += p.WriteRate * f.Elapsed.Seconds()
				parentRow = p
			}
		}
		time.Sleep(eng.Interval())
	}

	if childRow.Key.PID != childPID || !childRow.Merged || !childRow.Exited {
		t.Fatalf("child PID %d row %+v, want a merged exited row", childPID, childRow)
	}
	if childRow.PPID != parentPID {
		t.Errorf("child's PPID = %d, want the parent %d (from the eBPF program)", childRow.PPID, parentPID)
	}
	if parentRow.Key.PID != parentPID {
		t.Fatalf("parent PID %d never sampled", parentPID)
	}
	if math.Abs(childBytes-size) > 0.05*size {
		t.Errorf("child's merged row holds %.0f bytes, want %d +-5%%", childBytes, size)
	}
	if parentBytes >= 0.05*size {
		t.Errorf("parent's storage writes over the intervals = %.0f bytes after reaping the child, want < 5%% of the child's %d", parentBytes, size)
	}
	if parentRow.WriteTotal >= size/20 {
		t.Errorf("parent WriteTotal = %d, want its own bytes only (< 5%% of %d)", parentRow.WriteTotal, size)
	}
	t.Logf("child %d (merged): %.2f MiB; parent %d: %.3f MiB in its rates, total %d B", childPID, childBytes/(1<<20), parentPID, parentBytes/(1<<20), parentRow.WriteTotal)
}

// TestMergedChurnSumsToStorageWrites: 200 short-lived writers start and
// exit one after the other, each writing the same 256 KiB four times over
// (1 MiB through write calls, 256 KiB of storage-layer writes). With the
// eBPF backend merged, the per-process storage writes summed over the
// writers and their parent must come to 200 x 256 KiB within 10%: one kind
// of counter per column, not the write calls' 4x.
func TestMergedChurnSumsToStorageWrites(t *testing.T) {
	const n, size = 200, 256 << 10
	files := openEBPFForTest(t)
	if !files.exits {
		requireIntegration(t, "the process-exit program is not attached here: %s", files.Info().Limits)
	}
	dir := testutil.BlockBackedDir(t)
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	step := func() sampler.Frame {
		t.Helper()
		f, err := eng.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		iv, err := files.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if f.Elapsed > 0 {
			if _, err := eng.MergeActivity(&f, ExternalActivity(iv)); err != nil {
				t.Fatal(err)
			}
		}
		return f
	}
	parent := testutil.StartChild(t, testutil.HelperCommand("", churnHelper, dir, fmt.Sprint(n), fmt.Sprint(size)))
	parentPID := int32(parent.PID())
	if l, _ := parent.Stdout.ReadString('\n'); strings.TrimSpace(l) != "ready" {
		t.Fatalf("churn helper said %q", l)
	}
	step()
	done := make(chan string, 1)
	parent.Stdin.Write([]byte("go\n"))
	go func() { l, _ := parent.Stdout.ReadString('\n'); done <- strings.TrimSpace(l) }()

	var children, parentBytes, pageCache, disk float64
	basis := map[string]int{}
	finished := false
	for i := 0; i < 120 && !finished; i++ {
		time.Sleep(eng.Interval())
		select {
		case l := <-done:
			if l != "done" {
				t.Fatalf("churn helper said %q", l)
			}
			finished = true
			time.Sleep(eng.Interval())
		default:
		}
		f := step()
		disk += f.DiskWriteRate * f.Elapsed.Seconds()
		for _, p := range f.Processes {
			b := p.WriteRate * f.Elapsed.Seconds()
			switch {
			case p.Key.PID == parentPID && !p.Exited:
				parentBytes += b
			case p.PPID == parentPID && p.Name == "fileio.test" && (p.Merged || !p.Exited):
				children += b
				pageCache += p.LogicalWriteRate * f.Elapsed.Seconds()
				if p.Merged {
					basis[p.WriteBasis()]++
				}
			}
		}
	}
	if !finished {
		t.Fatal("the churn did not finish within 2 minutes")
	}
	const want = n * size
	sum := children + parentBytes
	t.Logf("200 writers x 256 KiB: children %.1f MiB (merged rows by basis %v), parent %.2f MiB, sum %.1f MiB, want %.1f MiB; write calls %.1f MiB; all disks %.1f MiB",
		children/(1<<20), basis, parentBytes/(1<<20), sum/(1<<20), float64(want)/(1<<20), pageCache/(1<<20), disk/(1<<20))
	if math.Abs(sum-want) > 0.1*want {
		t.Errorf("per-process storage writes of the churn sum to %.1f MiB, want %.1f MiB ±10%% (children %.1f, parent %.1f)", sum/(1<<20), float64(want)/(1<<20), children/(1<<20), parentBytes/(1<<20))
	}
	if parentBytes > 0.1*want {
		t.Errorf("the parent that reaped the writers holds %.1f MiB of their writes", parentBytes/(1<<20))
	}
	if basis[sampler.BasisPageCache] > n/10 {
		t.Errorf("%d merged writer rows are page-cache bytes, want storage-layer rows (%v)", basis[sampler.BasisPageCache], basis)
	}
}
