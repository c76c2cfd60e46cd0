package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// loopFS makes a 256 MiB ext4 filesystem on a loop device backed by a file
// in /dev/shm and mounts it; the cleanup undoes all three. It returns the
// device name ("loop3") and the mount point.
func loopFS(t *testing.T) (string, string) {
	t.Helper()
	return loopFSOn(t, "/dev/shm", false)
}

// loopFSOn is loopFS with the backing file in dir, attached with direct
// I/O to it when directIO is set (losetup --direct-io=on), so that the
// loop device's requests wait for the disk under dir.
func loopFSOn(t *testing.T, dir string, directIO bool) (string, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		testutil.SkipOrFail(t, "needs root to attach a loop device and mount it")
	}
	for _, tool := range []string{"losetup", "mkfs.ext4", "mount", "umount"} {
		if _, err := exec.LookPath(tool); err != nil {
			testutil.SkipOrFail(t, "%s not installed (apt-get install mount e2fsprogs)", tool)
		}
	}
	f, err := os.CreateTemp(dir, "hvr-storage-*.img")
	if err != nil {
		testutil.SkipOrFail(t, "backing file in %s: %v", dir, err)
	}
	backing := f.Name()
	t.Cleanup(func() { os.Remove(backing) })
	if err := f.Truncate(256 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	args := []string{"-f", "--show", backing}
	if directIO {
		args = append([]string{"--direct-io=on"}, args...)
	}
	out, err := exec.Command("losetup", args...).CombinedOutput()
	if err != nil {
		testutil.SkipOrFail(t, "losetup -f --show %s: %v: %s", backing, err, out)
	}
	dev := strings.TrimSpace(string(out))
	t.Cleanup(func() { exec.Command("losetup", "-d", dev).Run() })
	if out, err := exec.Command("mkfs.ext4", "-q", "-F", dev).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.ext4 %s: %v: %s", dev, err, out)
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", dev, mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount %s %s: %v: %s", dev, mnt, err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	return filepath.Base(dev), mnt
}

// TestVolumeSpaceIsDfExact checks a loop ext4 filesystem's total and
// available bytes against df's, which reads the same statfs: they must be
// equal to the byte, and the volume must be listed with its device and
// filesystem.
func TestVolumeSpaceIsDfExact(t *testing.T) {
	dev, mnt := loopFS(t)
	// Use some space so available is not the fresh filesystem's.
	if err := os.WriteFile(filepath.Join(mnt, "f"), bytes.Repeat([]byte{1}, 3<<20+123), 0o644); err != nil {
		t.Fatal(err)
	}
	exec.Command("sync", "-f", mnt).Run()
	s := NewProcfs("/proc", "/sys")
	st, err := s.Sample(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var v *Volume
	for i := range st.Volumes {
		if st.Volumes[i].Mount == mnt {
			v = &st.Volumes[i]
		}
	}
	if v == nil {
		t.Fatalf("volume %s not listed: %+v (err %v)", mnt, st.Volumes, st.VolumeErr)
	}
	if v.Device != "/dev/"+dev || v.FSType != "ext4" {
		t.Errorf("volume = %+v, want /dev/%s ext4", *v, dev)
	}
	out, err := exec.Command("df", "-B1", "--output=size,avail", mnt).Output()
	if err != nil {
		t.Fatalf("df %s: %v", mnt, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	f := strings.Fields(lines[len(lines)-1])
	size, _ := strconv.ParseUint(f[0], 10, 64)
	avail, _ := strconv.ParseUint(f[1], 10, 64)
	if v.Total != size || v.Available != avail {
		t.Errorf("total/available = %d/%d, df says %d/%d", v.Total, v.Available, size, avail)
	}
	for _, v := range st.Volumes {
		if v.FSType == "tmpfs" || v.FSType == "proc" || v.FSType == "sysfs" {
			t.Errorf("pseudo filesystem listed as a volume: %+v", v)
		}
	}
}

// iostatDisk is the part of iostat -x -o JSON's disk entry compared.
type iostatDisk struct {
	Device string  `json:"disk_device"`
	WPS    float64 `json:"w/s"`
	WAwait float64 `json:"w_await"`
	AquSz  float64 `json:"aqu-sz"`
	Util   float64 `json:"util"`
}

// TestFioRandwriteMatchesIostatAndFio runs fio randwrite with direct I/O
// at iodepth 8 on a loop filesystem and samples the device while iostat
// -x measures the same seconds: active time, queue length, write IOPS and
// write response time must be near iostat's util, aqu-sz, w/s and
// w_await. (Response time against fio's own latency is checked by
// TestFioLatencyMatchesWriteResponse, on a loop disk with a real disk's
// latency: this one's memory-backed requests take 0.04 ms, less than
// fio's own path above the block layer.)
func TestFioRandwriteMatchesIostatAndFio(t *testing.T) {
	dev, mnt := loopFS(t)
	for _, tool := range []string{"fio", "iostat"} {
		if _, err := exec.LookPath(tool); err != nil {
			testutil.SkipOrFail(t, "%s not installed (apt-get install fio sysstat)", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const iodepth = 8
	fio := exec.CommandContext(ctx, "fio", "--name=randwrite", "--filename="+filepath.Join(mnt, "fio.dat"),
		"--size=64M", "--rw=randwrite", "--bs=4k", "--direct=1", "--ioengine=libaio",
		"--iodepth="+strconv.Itoa(iodepth), "--time_based", "--runtime=10", "--ramp_time=1", "--output-format=json")
	var fioOut bytes.Buffer
	fio.Stdout = &fioOut
	fio.Stderr = os.Stderr
	if err := fio.Start(); err != nil {
		t.Fatal(err)
	}
	fioDone := make(chan error, 1)
	go func() { fioDone <- fio.Wait() }()

	s := NewProcfs("/proc", "/sys")
	// Wait until fio's writes reach the device (file layout done), then
	// one more second for the queue to fill.
	deadline := time.Now().Add(60 * time.Second)
	var base uint64
	for {
		b, _ := os.ReadFile("/proc/diskstats")
		var w uint64
		for _, c := range ParseDiskstats(b) {
			if c.Name == dev {
				w = c.WriteIOs
			}
		}
		if base == 0 {
			base = w + 1
		} else if w > base+1000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fio's writes never reached %s", dev)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)

	if _, err := s.Sample(time.Now()); err != nil {
		t.Fatal(err)
	}
	ios, err := exec.CommandContext(ctx, "iostat", "-dxy", "-o", "JSON", dev, "3", "1").Output()
	if err != nil {
		t.Fatalf("iostat: %v", err)
	}
	st, err := s.Sample(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var got *DiskStats
	for i := range st.Disks {
		if st.Disks[i].Name == dev {
			got = &st.Disks[i]
		}
	}
	if got == nil {
		t.Fatalf("%s not in the sampled disks %+v", dev, st.Disks)
	}
	io := parseIostat(t, ios, dev)
	if err := <-fioDone; err != nil {
		t.Fatalf("fio: %v\n%s", err, fioOut.String())
	}
	t.Logf("hvrdoctor %s over %v: active %.1f%% queue %.2f w/s %.0f w_await %.3f ms", dev, st.Interval,
		got.ActivePercent, got.QueueLength, got.WriteIOPS, got.WriteResponseMs)
	t.Logf("iostat: util %.1f%% aqu-sz %.2f w/s %.0f w_await %.3f ms", io.Util, io.AquSz, io.WPS, io.WAwait)

	within := func(name string, got, want, rel, abs float64) {
		t.Helper()
		if d := math.Abs(got - want); d > abs && d > rel*want {
			t.Errorf("%s = %.3f, reference %.3f (allowed %.0f%% or %.3f)", name, got, want, rel*100, abs)
		}
	}
	within("active % vs iostat util", got.ActivePercent, io.Util, 0.10, 5)
	within("queue length vs iostat aqu-sz", got.QueueLength, io.AquSz, 0.20, 0.3)
	within("write IOPS vs iostat w/s", got.WriteIOPS, io.WPS, 0.20, 50)
	within("write response vs iostat w_await", got.WriteResponseMs, io.WAwait, 0.20, 0.05)
	if got.ActivePercent < 50 {
		t.Errorf("active %.1f%% under a saturating fio load, want near 100", got.ActivePercent)
	}
	if got.QueueLength > iodepth+0.5 {
		t.Errorf("queue length %.2f above fio's iodepth %d", got.QueueLength, iodepth)
	}
}

func parseIostat(t *testing.T, b []byte, dev string) iostatDisk {
	t.Helper()
	var doc struct {
		Sysstat struct {
			Hosts []struct {
				Statistics []struct {
					Disk []iostatDisk `json:"disk"`
				} `json:"statistics"`
			} `json:"hosts"`
		} `json:"sysstat"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("iostat JSON: %v\n%s", err, b)
	}
	for _, h := range doc.Sysstat.Hosts {
		for _, s := range h.Statistics {
			for _, d := range s.Disk {
				if d.Device == dev {
					return d
				}
			}
		}
	}
	t.Fatalf("iostat did not report %s:\n%s", dev, b)
	return iostatDisk{}
}

// TestFioLatencyMatchesWriteResponse runs fio randwrite with direct I/O,
// 512 KiB blocks at iodepth 8, on a loop filesystem whose backing file is
// on a real disk (direct I/O to it, so each request waits for that disk),
// with one reading before fio starts and one after it ends: the write
// response time covers exactly fio's requests (idle time adds none), must
// be within 20% of fio's mean completion latency (the same statistic) and
// lie between its 5th and 95th percentiles.
// With 4-128 KiB blocks at depth 8, fio's latency holds 0.04-0.09 ms spent
// outside the block layer on this machine kind (0.80-0.86x), so those
// sizes are not the comparison; docs/benchmarks.md has the table.
func TestFioLatencyMatchesWriteResponse(t *testing.T) {
	dev, mnt := loopFSOn(t, testutil.BlockBackedDir(t), true)
	if _, err := exec.LookPath("fio"); err != nil {
		testutil.SkipOrFail(t, "fio not installed (apt-get install fio)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Lay the file out first, so the run's writes are fio's random ones.
	if out, err := exec.CommandContext(ctx, "fio", "--name=layout", "--filename="+filepath.Join(mnt, "fio.dat"),
		"--size=64M", "--rw=write", "--bs=1M", "--direct=1").CombinedOutput(); err != nil {
		t.Fatalf("fio layout: %v\n%s", err, out)
	}
	s := NewProcfs("/proc", "/sys")
	if _, err := s.Sample(time.Now()); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(ctx, "fio", "--name=randwrite", "--filename="+filepath.Join(mnt, "fio.dat"),
		"--size=64M", "--rw=randwrite", "--bs=512k", "--direct=1", "--ioengine=libaio", "--iodepth=8",
		"--time_based", "--runtime=4", "--output-format=json").Output()
	if err != nil {
		t.Fatalf("fio: %v\n%s", err, out)
	}
	st, err := s.Sample(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var got *DiskStats
	for i := range st.Disks {
		if st.Disks[i].Name == dev {
			got = &st.Disks[i]
		}
	}
	if got == nil {
		t.Fatalf("%s not in the sampled disks %+v", dev, st.Disks)
	}
	c := testutil.FioWriteClat(t, out)
	t.Logf("%s: %.0f writes/s over %v, write response %.3f ms; fio write completion latency mean %.3f ms, p5 %.3f, median %.3f, p95 %.3f ms",
		dev, got.WriteIOPS, st.Interval.Round(time.Millisecond), got.WriteResponseMs, c.Mean, c.P5, c.P50, c.P95)
	if r := got.WriteResponseMs / c.Mean; r < 0.8 || r > 1.2 {
		t.Errorf("write response %.3f ms is %.2fx fio's mean completion latency %.3f ms, want within 20%%", got.WriteResponseMs, r, c.Mean)
	}
	if got.WriteResponseMs < c.P5 || got.WriteResponseMs > c.P95 {
		t.Errorf("write response %.3f ms is outside fio's 5th-95th percentiles %.3f-%.3f ms", got.WriteResponseMs, c.P5, c.P95)
	}
}
