package testutil

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// LoopFS makes a private disk for a test: a file-backed loop device (the
// backing file in /dev/shm, so the loop device is the only disk its
// writes reach), formatted ext4 and mounted in a temp dir. It returns the
// mount point and the device's kernel name ("loop3"), whose
// /proc/diskstats line (DiskStats) is the test's truth, untouched by other
// processes' disk traffic. Everything is undone by the test's cleanup. It
// skips (or fails under HVRDOCTOR_REQUIRE_INTEGRATION=1) without root,
// losetup or mkfs.ext4.
func LoopFS(t testing.TB, sizeMiB int) (dir, disk string) {
	t.Helper()
	return loopFS(t, sizeMiB, "/dev/shm", false)
}

// LoopFSOnDisk is LoopFS with the backing file on a real disk
// (BlockBackedDir) and the loop device attached with direct I/O to it
// (losetup --direct-io=on): each of the loop device's requests waits for
// that disk, so its response times are a disk's (a tenth of a millisecond
// and more) rather than memory copies of a few microseconds, where the
// kernel's fixed path above the block layer would weigh as much as the
// device. The loop device's own /proc/diskstats line still counts only the
// test's I/O.
func LoopFSOnDisk(t testing.TB, sizeMiB int) (dir, disk string) {
	t.Helper()
	backing := BlockBackedDir(t)
	if backing == "" {
		return "", ""
	}
	return loopFS(t, sizeMiB, backing, true)
}

func loopFS(t testing.TB, sizeMiB int, backingDir string, directIO bool) (dir, disk string) {
	t.Helper()
	if os.Geteuid() != 0 {
		SkipOrFail(t, "a loop-device file system needs root")
		return "", ""
	}
	for _, tool := range []string{"losetup", "mkfs.ext4", "mount", "umount"} {
		if _, err := exec.LookPath(tool); err != nil {
			SkipOrFail(t, "%s not found (Debian: util-linux, e2fsprogs, mount)", tool)
			return "", ""
		}
	}
	img, err := os.CreateTemp(backingDir, "hvrdoctor-loop-*.img")
	if err != nil {
		SkipOrFail(t, "backing file in %s: %v", backingDir, err)
		return "", ""
	}
	imgPath := img.Name()
	img.Close()
	t.Cleanup(func() { os.Remove(imgPath) })
	if err := os.Truncate(imgPath, int64(sizeMiB)<<20); err != nil {
		t.Fatalf("size the loop backing file: %v", err)
	}
	args := []string{"--find", "--show", imgPath}
	if directIO {
		args = append([]string{"--direct-io=on"}, args...)
	}
	out, err := exec.Command("losetup", args...).CombinedOutput()
	if err != nil {
		SkipOrFail(t, "losetup: %v: %s", err, strings.TrimSpace(string(out)))
		return "", ""
	}
	dev := strings.TrimSpace(string(out))
	t.Cleanup(func() { exec.Command("losetup", "-d", dev).Run() })
	if out, err := exec.Command("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", dev).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.ext4 %s: %v: %s", dev, err, out)
	}
	dir = t.TempDir()
	if out, err := exec.Command("mount", dev, dir).CombinedOutput(); err != nil {
		SkipOrFail(t, "mount %s: %v: %s", dev, err, strings.TrimSpace(string(out)))
		return "", ""
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			exec.Command("umount", "-l", dir).Run()
			t.Logf("umount %s: %v: %s", dir, err, out)
		}
	})
	// Let ext4's lazy init and the mount's own writes settle out of the
	// test's window.
	exec.Command("sync", "-f", dir).Run()
	return dir, filepath.Base(dev)
}

// DiskStat is one disk's cumulative bytes from /proc/diskstats (sectors
// x 512), and its completed writes and the milliseconds they took
// (iostat's w_await is ΔWriteTicksMs/ΔWrites).
type DiskStat struct {
	ReadBytes, WriteBytes, DiscardBytes uint64
	Writes, WriteTicksMs                uint64
}

// DiskStats reads disk's line of /proc/diskstats.
func DiskStats(disk string) (DiskStat, error) {
	f, err := os.Open("/proc/diskstats")
	if err != nil {
		return DiskStat{}, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 10 || fs[2] != disk {
			continue
		}
		num := func(i int) uint64 {
			if i >= len(fs) {
				return 0
			}
			v, _ := strconv.ParseUint(fs[i], 10, 64)
			return v
		}
		return DiskStat{ReadBytes: num(5) * 512, WriteBytes: num(9) * 512, DiscardBytes: num(16) * 512,
			Writes: num(7), WriteTicksMs: num(10)}, nil
	}
	return DiskStat{}, fmt.Errorf("disk %s not in /proc/diskstats", disk)
}
