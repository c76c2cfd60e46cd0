//go:build linux && (amd64 || arm64)

package blockio_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// TestEngineShowsDiskBytesForSyncedWrites is the first defect end
// to end, through the sampler's engine as the Processes tab, ProcStats and
// the exporter use it: 1,000 x pwrite 8 KiB + fdatasync by a process that
// stays alive, so its row comes from /proc. Its write figure must be the
// 8,192,000 bytes that reached the disk (within 5%), not write_bytes, which
// charges a whole large folio per synced write (2 GB on ext4 with large
// folios); write_bytes stays on the row as DirtiedRate.
func TestEngineShowsDiskBytesForSyncedWrites(t *testing.T) {
	if os.Geteuid() != 0 {
		testutil.SkipOrFail(t, "block-layer disk bytes need root")
	}
	dir := testutil.BlockBackedDir(t)
	path := filepath.Join(dir, "synced")
	buf := make([]byte, 16<<20)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := os.Open(path); err == nil {
		f.Sync()
		f.Close()
	}
	files, err := fileio.Open(fileio.Options{})
	if err != nil {
		testutil.SkipOrFail(t, "per-file source: %v", err)
	}
	defer files.Close()
	if info := files.Info(); !info.DiskBytes {
		testutil.SkipOrFail(t, "the block-layer source did not load: %s", info.DiskReason)
	}
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: 500 * time.Millisecond})
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
			if _, err := eng.MergeActivity(&f, fileio.ExternalActivity(iv)); err != nil {
				t.Fatal(err)
			}
		}
		if acts, ok := iv.DiskActivity(&f); ok {
			if err := eng.ApplyDiskBytes(&f, acts); err != nil {
				t.Fatal(err)
			}
		}
		return f
	}
	step() // baseline
	c := testutil.StartChild(t, testutil.HelperCommand("", "pwrite-fdatasync", path, "1000", "8192", "hold"))
	pid := int32(c.PID())
	done := make(chan struct{})
	go func() {
		c.Stdout.ReadString('\n')
		close(done)
	}()
	var disk, dirtied float64
	var last sampler.Frame
	var notes []string
	finished, after := false, 0
	deadline := time.Now().Add(90 * time.Second)
	for after < 2 && time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
		f := step()
		for _, p := range f.Processes {
			if p.Key.PID == pid && !p.Exited {
				disk += p.WriteRate * f.Elapsed.Seconds()
				dirtied += p.DirtiedRate * f.Elapsed.Seconds()
				if p.WriteBasis() != sampler.BasisDisk {
					t.Errorf("the writer's row has write basis %q, want %q", p.WriteBasis(), sampler.BasisDisk)
				}
			}
		}
		notes = append(notes, f.Info.Note)
		last = f
		select {
		case <-done:
			finished = true
		default:
		}
		if finished {
			after++
		}
	}
	c.Stop()
	if !finished {
		t.Fatal("the writer did not finish within 90 s")
	}
	const want = 1000 * 8192
	t.Logf("writer PID %d: disk bytes %.0f, dirtied (write_bytes) %.0f (%.0fx)", pid, disk, dirtied, dirtied/max(disk, 1))
	if disk < want*0.95 || disk > want*1.05 {
		t.Errorf("the writer's disk bytes = %.0f, want %d +-5%% (dirtied figure %.0f)", disk, want, dirtied)
	}
	if last.Info.WriteLabel != sampler.DiskWriteLabel || !last.DiskBytes {
		t.Errorf("frame write label %q (disk bytes %v), want %q", last.Info.WriteLabel, last.DiskBytes, sampler.DiskWriteLabel)
	}
	if dirtied > 2*disk && !strings.Contains(strings.Join(notes, "|"), sampler.DirtiedLabel) {
		t.Errorf("write_bytes was %.0fx the disk bytes but no frame's note said so: %q", dirtied/disk, notes)
	}
}
