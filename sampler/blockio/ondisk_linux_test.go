//go:build linux && (amd64 || arm64)

package blockio

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Each file row names the disk its requests went to, and External splits
// each process's figures by disk (sampler.DiskActivity.OnDisk): two
// direct writers on two private loop disks, read in one interval, land
// each on its own disk, byte for byte as the disks count them. This is
// what limits the Processes and Files lists to one disk.
func TestRowsNameTheirDisk(t *testing.T) {
	src := openTest(t)
	if src == nil {
		return
	}
	dirA, diskA := testutil.LoopFS(t, 64)
	dirB, diskB := testutil.LoopFS(t, 64)
	if dirA == "" || dirB == "" {
		return
	}
	settle(t, diskA)
	settle(t, diskB)
	if _, err := src.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	beforeA, _ := testutil.DiskStats(diskA)
	beforeB, _ := testutil.DiskStats(diskB)
	dd := func(dir string, count string) int {
		return runCmd(t, "dd", "if=/dev/zero", "of="+filepath.Join(dir, "f.dat"), "bs=64k", "count="+count, "oflag=direct", "conv=notrunc")
	}
	pidA := dd(dirA, "64")  // 4 MiB
	pidB := dd(dirB, "128") // 8 MiB
	exec.Command("sync", "-f", dirA).Run()
	exec.Command("sync", "-f", dirB).Run()
	afterA, afterB := settle(t, diskA), settle(t, diskB)
	iv, err := src.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]struct {
		disk  string
		bytes uint64
		truth uint64
	}{
		pidA: {diskA, 4 << 20, afterA.WriteBytes - beforeA.WriteBytes},
		pidB: {diskB, 8 << 20, afterB.WriteBytes - beforeB.WriteBytes},
	}
	for pid, w := range want {
		var onDisk, elsewhere uint64
		for _, f := range iv.Files {
			// Writes only: dd may read its own binary from the root disk.
			if int(f.Proc.PID) != pid || f.Kind != RowProcess || f.WriteBytes == 0 {
				continue
			}
			if f.Disk == w.disk {
				onDisk += f.WriteBytes
			} else {
				elsewhere += f.WriteBytes
				t.Errorf("dd %d: file row %s on disk %q, want %s", pid, f.Path, f.Disk, w.disk)
			}
		}
		if onDisk != w.bytes || elsewhere != 0 {
			t.Errorf("dd %d: file rows %d bytes on %s, %d elsewhere; want %d on %s (the disk wrote %d)", pid, onDisk, w.disk, elsewhere, w.bytes, w.disk, w.truth)
		}
		found := false
		for _, a := range External(iv, nil) {
			if int(a.Key.PID) != pid {
				continue
			}
			found = true
			for d, io := range a.OnDisk {
				if d != w.disk && io.WriteBytes > 0 {
					t.Errorf("dd %d: OnDisk %+v writes on %s, want writes only on %s", pid, a.OnDisk, d, w.disk)
				}
			}
			if a.OnDisk[w.disk].WriteBytes != w.bytes || a.OnDisk[w.disk].IOCount == 0 {
				t.Errorf("dd %d: OnDisk %+v, want %s with %d bytes and timed requests", pid, a.OnDisk, w.disk, w.bytes)
			}
		}
		if !found {
			t.Errorf("dd %d: no row in External", pid)
		}
		t.Logf("dd %d on %s: %d bytes in its file rows; the disk wrote %d", pid, w.disk, onDisk, w.truth)
	}
}
