//go:build linux

package sampler

import (
	"context"
	"math"
	"path/filepath"
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
