//go:build linux && (amd64 || arm64)

package blockio

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// diskOf is the whole disk holding dir ("vda" for /dev/vda1), from sysfs.
func diskOf(t *testing.T, dir string) string {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		t.Fatal(err)
	}
	link, err := os.Readlink("/sys/dev/block/" + itoa(unix.Major(st.Dev)) + ":" + itoa(unix.Minor(st.Dev)))
	if err != nil {
		testutil.SkipOrFail(t, "%s is not on a block device: %v", dir, err)
	}
	abs := filepath.Join("/sys/dev/block", link)
	if _, err := os.Stat(filepath.Join(abs, "partition")); err == nil {
		return filepath.Base(filepath.Dir(abs))
	}
	return filepath.Base(abs)
}

func itoa(v uint32) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + v%10)}, b...)
		v /= 10
		if v == 0 {
			return string(b)
		}
	}
}

// TestRowsAddUpOnTheRootDisk: on the machine's real disk (virtio-blk here,
// whose driver refuses requests when its queue is full, and the block layer
// issues them again), a deep direct-I/O queue from fio: the rows on that
// disk add up to its diskstats count (everything on it counts on both
// sides, other processes' traffic included). A request issued twice must
// be counted once.
func TestRowsAddUpOnTheRootDisk(t *testing.T) {
	src := openTest(t)
	if _, err := exec.LookPath("fio"); err != nil {
		testutil.SkipOrFail(t, "fio not found (Debian: fio)")
	}
	dir := testutil.BlockBackedDir(t)
	disk := diskOf(t, dir)
	if strings.HasPrefix(disk, "loop") || strings.HasPrefix(disk, "dm-") {
		testutil.SkipOrFail(t, "%s is on %s, not a real disk", dir, disk)
	}
	if _, err := src.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, err := testutil.DiskStats(disk)
	if err != nil {
		t.Fatal(err)
	}
	runCmd(t, "fio", "--name=deep", "--directory="+dir, "--ioengine=libaio", "--direct=1", "--iodepth=256",
		"--rw=randwrite", "--bs=64k", "--size=256M", "--numjobs=2", "--group_reporting")
	after := settle(t, disk)
	iv, err := src.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	truth := after.WriteBytes - before.WriteBytes
	var rows uint64
	for _, r := range iv.DiskRows {
		if r.Disk == disk {
			rows += r.WriteBytes
		}
	}
	t.Logf("%s wrote %d B; rows %d B", disk, truth, rows)
	if d := ratioOff(rows, truth); d > tolerance {
		t.Errorf("rows on %s add up to %d B, the disk wrote %d B: %.1f%% off (limit 5%%)", disk, rows, truth, d*100)
	}
}
