//go:build linux

package sampler

import (
	"bufio"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestLiveReapedChildAttributedOnce: a parent process (the test binary
// re-executed) starts a child that writes 32 MiB with fsync to a real
// disk; the engine samples the child after its write; then the parent
// reaps it and idles, while the kernel adds the child's write_bytes to the
// parent's. The child must be credited with 32 MiB +-5% and the parent with
// less than 5% of that.
func TestLiveReapedChildAttributedOnce(t *testing.T) {
	const size = 32 << 20
	dir := testutil.BlockBackedDir(t)
	eng, ctx := liveEngine(t)

	parent := testutil.StartChild(t, testutil.HelperCommand("", parentHelperName, filepath.Join(dir, "child.bin"), fmt.Sprint(size)))
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(parent.Stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expect := func(prefix string) string {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok || !strings.HasPrefix(l, prefix) {
				t.Fatalf("parent helper said %q (open %v), want %q", l, ok, prefix)
			}
			return l
		case <-time.After(60 * time.Second):
			t.Fatalf("parent helper did not say %q within 60 s", prefix)
		}
		return ""
	}
	var childPID int32
	if _, err := fmt.Sscanf(expect("child "), "child %d", &childPID); err != nil {
		t.Fatal(err)
	}
	parentPID := int32(parent.PID())

	var parentBytes, childBytes float64
	var childRow, parentRow ProcessRates
	collect := func(f Frame) {
		for _, p := range f.Processes {
			if p.Exited {
				continue // its last interval was counted when it was live
			}
			switch p.Key.PID {
			case parentPID:
				parentBytes += p.WriteRate * f.Elapsed.Seconds()
				parentRow = p
			case childPID:
				childBytes += p.WriteRate * f.Elapsed.Seconds()
				childRow = p
			}
		}
	}
	step := func() {
		t.Helper()
		time.Sleep(eng.Interval())
		f, err := eng.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		collect(f)
	}

	expect("child-done")
	step() // the child's bytes, seen while it lives
	step()
	if _, err := parent.Stdin.Write([]byte("reap\n")); err != nil {
		t.Fatal(err)
	}
	expect("reaped")
	for i := 0; i < 3; i++ { // the parent idles; its counters now hold the child's
		step()
	}

	if childRow.PPID != parentPID {
		t.Errorf("child's PPID = %d, want the parent %d", childRow.PPID, parentPID)
	}
	if parentRow.Key.PID != parentPID {
		t.Fatalf("parent PID %d never sampled", parentPID)
	}
	if math.Abs(childBytes-size) > 0.05*size {
		t.Errorf("attributed %.0f bytes to the child, want %d +-5%%", childBytes, size)
	}
	if parentBytes >= 0.05*size {
		t.Errorf("attributed %.0f bytes to the parent after it reaped the child, want < 5%% of the child's %d", parentBytes, size)
	}
	if parentRow.WriteTotal >= size/20 {
		t.Errorf("parent WriteTotal = %d, want its own bytes only (< 5%% of %d)", parentRow.WriteTotal, size)
	}
	t.Logf("child %d: %.2f MiB, parent %d: %.2f MiB (total %d B)", childPID, childBytes/(1<<20), parentPID, parentBytes/(1<<20), parentRow.WriteTotal)
}
