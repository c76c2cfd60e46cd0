package train

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/blockio"
)

// samplerShowsPaging reads the block-layer source (the sampler's disk
// bytes as root) in 2 s windows, for up to a minute (the kernel pages out
// in batches, and hardly at all for a few seconds after the workload's
// first fill), until the replicated swap device (disk) writes at least
// 256 KiB in one window. Then what the real tool shows (blockio.External
// over the disks the sampler counts, which leave loop devices out) must
// be what the story says: the "(kernel I/O)" row writes at least the swap
// device's bytes to the disk under it (the loop driver's direct I/O), the
// workload's own row writes nothing, and no file is named for the
// workload.
func samplerShowsPaging(t *testing.T, ctx context.Context, name, disk string) {
	t.Helper()
	src, err := blockio.Open(sampler.SystemClock{})
	if err != nil {
		testutil.SkipOrFail(t, "the block-layer source does not load here: %v", err)
	}
	defer src.Close()
	if _, err := src.Read(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		time.Sleep(2 * time.Second)
		iv, err := src.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var swapped uint64
		var counted []sampler.DiskRates
		for _, d := range iv.Disks {
			if d.Name == disk {
				swapped = d.WriteBytes
			}
			if !strings.HasPrefix(d.Name, "loop") {
				counted = append(counted, sampler.DiskRates{Name: d.Name})
			}
		}
		if swapped < 256<<10 {
			if time.Now().After(deadline) {
				t.Fatalf("the swap device %s wrote %d B in 2 s: the lab does not page out", disk, swapped)
			}
			continue
		}
		var kernel, own uint64
		var seen []string
		for _, a := range blockio.External(iv, counted) {
			if a.WriteBytes > 0 {
				seen = append(seen, fmt.Sprintf("%s %d B", a.Name, a.WriteBytes))
			}
			if a.Kernel && a.Name == "(kernel I/O)" {
				kernel += a.WriteBytes
			}
			if a.Name == name {
				own += a.WriteBytes
			}
		}
		if kernel < swapped || own > 0 {
			t.Fatalf("%s wrote %d B; the sampler shows (kernel I/O) %d B, %s %d B: %v", disk, swapped, kernel, name, own, seen)
		}
		for _, f := range iv.Files {
			if f.Name == name && f.WriteBytes > 0 {
				t.Errorf("a file is named for %s's writes: %s (%d B); the story says none is", name, f.Path, f.WriteBytes)
			}
		}
		return
	}
}

// pagefileLeftovers fails t if the page-file lab left a swap area, a
// loop device or its memory cgroup behind, and releases them if so (a
// swap area must never outlive the test).
func pagefileLeftovers(t *testing.T, st *State) {
	t.Helper()
	swaps := activeSwaps()
	for _, d := range st.Dirs {
		for _, dev := range loopsUnder(d) {
			if swaps[dev] {
				t.Errorf("swap %s still on after stop", dev)
			}
			t.Errorf("loop device %s left after stop", dev)
		}
		if _, err := os.Stat(d); err == nil {
			t.Errorf("%s left after stop", d)
		}
	}
	if len(st.Dirs) < 2 {
		t.Errorf("the lab's swap directory is not recorded: %v", st.Dirs)
	}
	if cg := st.Vars["cgroup"]; cg == "" {
		t.Errorf("no cgroup recorded in the lab's state: %v", st.Vars)
	} else if _, err := os.Stat(cg); err == nil {
		t.Errorf("memory cgroup %s left after stop", cg)
	}
	releaseKernel(st)
	for _, d := range st.Dirs {
		removeTree(d)
	}
}

// TestPagefileOtherFixAndDeadSupervisor: giving the workload memory (the
// other fix the hints name) passes verify too; and a lab whose supervisor
// was killed (SIGKILL: it released nothing) is still released by stop:
// no swap on, no loop device, no cgroup.
func TestPagefileOtherFixAndDeadSupervisor(t *testing.T) {
	tr := newTestTrainer(t)
	sc, err := tr.Cat.Find("pagefile-churn")
	if err != nil {
		t.Fatal(err)
	}
	testutil.SkipUnless(t, Available(sc))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	st, err := tr.Start(ctx, sc, false)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			tr.Stop(sc.ID)
		}
		pagefileLeftovers(t, st)
	})
	if !activeSwaps()[st.Vars["replicated_swap"]] {
		t.Fatalf("swap %s not on after start: %v", st.Vars["replicated_swap"], activeSwaps())
	}
	if activeSwaps()[st.Vars["other_swap"]] {
		t.Fatalf("the other disk's swap %s is on after start", st.Vars["other_swap"])
	}
	for _, q := range sc.Questions {
		if _, err := tr.Answer(sc, q.ID, q.Answer); err != nil {
			t.Fatal(err)
		}
	}
	v, err := tr.Verify(ctx, sc)
	if err != nil || v.Passed || !strings.Contains(strings.Join(v.Lab, "\n"), "memory limit is 48 MiB") {
		t.Fatalf("verify on the broken lab: %+v %v", v, err)
	}
	runShell(t, ctx, st.Dir, []string{"echo 256M > " + st.Vars["cgroup"] + "/memory.limit_in_bytes"})
	waitVerify(t, ctx, tr, sc, true)

	// The supervisor dies without releasing anything; stop still does.
	signalProc(st.SupervisorPID, "kill")
	if !waitGone(st.SupervisorPID, "", 10*time.Second) {
		t.Fatalf("supervisor pid %d survives SIGKILL", st.SupervisorPID)
	}
	if !activeSwaps()[st.Vars["replicated_swap"]] {
		t.Fatalf("swap %s already off: the test would not show stop releasing it", st.Vars["replicated_swap"])
	}
	stopped = true
	if err := tr.Stop(sc.ID); err != nil {
		t.Fatalf("stop: %v", err)
	}
}
