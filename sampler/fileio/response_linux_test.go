package fileio_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// The per-file response time is the disk's own: fio writes 128 KiB blocks
// with O_DIRECT at queue depth 1 to one file on a private loop disk, the
// only writer there, and the file's mean issue-to-complete time over the
// interval (what the Files tab's ms/req and FileStats' DiskResponseMs show)
// is within 20% of the loop disk's mean write time from /proc/diskstats
// (Δwrite ticks / Δwrites completed, iostat's w_await) over the same
// interval.
func TestFileResponseMatchesDiskstats(t *testing.T) {
	dir, disk := testutil.LoopFS(t, 128)
	if dir == "" {
		return
	}
	if _, err := exec.LookPath("fio"); err != nil {
		testutil.SkipOrFail(t, "fio not found (Debian: fio)")
		return
	}
	src, err := fileio.Open(fileio.Options{})
	if err != nil {
		testutil.SkipOrFail(t, "per-file source: %v", err)
		return
	}
	defer src.Close()
	if !src.Info().DiskBytes {
		testutil.SkipOrFail(t, "the block-layer source does not run: %s", src.Info().DiskReason)
		return
	}
	path := filepath.Join(dir, "resp.dat")
	// Lay the file out first (written, not just allocated, so that the
	// measured overwrites change no extents), then let the disk settle.
	if out, err := exec.Command("dd", "if=/dev/zero", "of="+path, "bs=1M", "count=32", "conv=fsync").CombinedOutput(); err != nil {
		t.Fatalf("dd: %v: %s", err, out)
	}
	exec.Command("sync", "-f", dir).Run()
	time.Sleep(500 * time.Millisecond)
	ctx := context.Background()
	if _, err := src.Read(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := testutil.DiskStats(disk)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("fio", "--name=resp", "--filename="+path, "--rw=randwrite", "--bs=128k", "--size=32m",
		"--direct=1", "--ioengine=psync", "--iodepth=1", "--runtime=3", "--time_based", "--output-format=terse").CombinedOutput()
	if err != nil {
		t.Fatalf("fio: %v: %s", err, out)
	}
	after, err := testutil.DiskStats(disk)
	if err != nil {
		t.Fatal(err)
	}
	iv, err := src.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var nanos, count uint64
	var rows []string
	for _, a := range iv.Files {
		if a.Key.Path != path {
			continue
		}
		rows = append(rows, a.Name)
		if strings.HasPrefix(a.Name, "fio") {
			nanos += a.DiskIONanos
			count += a.DiskIOCount
		}
	}
	writes := after.Writes - before.Writes
	ticks := after.WriteTicksMs - before.WriteTicksMs
	if writes < 500 || ticks == 0 {
		t.Fatalf("the loop disk completed %d writes in %d ms: too few to compare", writes, ticks)
	}
	if count == 0 {
		t.Fatalf("no request of fio's timed on %s (rows %v)", path, rows)
	}
	fileMs := float64(nanos) / float64(count) / 1e6
	diskMs := float64(ticks) / float64(writes)
	t.Logf("%s: file %s: %d requests, mean %.4f ms; diskstats: %d writes, %d ms, w_await %.4f ms; ratio %.3f",
		disk, path, count, fileMs, writes, ticks, diskMs, fileMs/diskMs)
	if count < writes*9/10 || count > writes {
		t.Errorf("the file's timed requests %d are not the disk's %d writes (within 10%%, never more)", count, writes)
	}
	if r := fileMs / diskMs; r < 0.8 || r > 1.2 {
		t.Errorf("the file's mean response %.4f ms is %.2fx the disk's w_await %.4f ms, want within 20%%", fileMs, r, diskMs)
	}
	// What the recording writes is that mean.
	for _, a := range iv.Files {
		if a.Key.Path == path && a.DiskIOCount > 0 {
			if got := fileio.ResponseMsText(a); got == "" {
				t.Errorf("DiskResponseMs of %s is empty with %d timed requests", a.Name, a.DiskIOCount)
			}
		}
	}
}
