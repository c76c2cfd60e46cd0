package disksize

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// This machine's real /sys/block: every disk read is a whole disk with a
// device link, and its size is the size file times 512.
func TestReadSysBlockThisMachine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/sys/block is Linux only")
	}
	ds, err := ReadSysBlock("/sys/block")
	if err != nil {
		t.Fatalf("%v (a Linux machine has at least one whole disk)", err)
	}
	for _, d := range ds {
		raw, err := os.ReadFile(filepath.Join("/sys/block", d.Name, "size"))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
		if d.Bytes != n*512 || d.Bytes <= 0 {
			t.Errorf("%s: %d bytes, size file says %d sectors", d.Name, d.Bytes, n)
		}
		if skipped(d.Name) {
			t.Errorf("%s counted: loop, ram, zram, dm and md devices must not be", d.Name)
		}
	}
	if got, err := Read(); err != nil || Total(got) != Total(ds) {
		t.Errorf("Read() = %v, %v; want the /sys/block disks", got, err)
	}
}

// A fixture tree: whole disks counted once, partitions (subdirectories),
// loop, zram, dm, md, removable and empty devices left out.
func TestReadSysBlockFixture(t *testing.T) {
	root := t.TempDir()
	dev := func(name, size string, device bool, removable string) {
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "size"), []byte(size+"\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "removable"), []byte(removable+"\n"), 0o644)
		if device {
			os.Mkdir(filepath.Join(dir, "device"), 0o755)
		}
	}
	dev("sda", "266338304", true, "0") // 127 GiB
	dev("sda/sda1", "266336256", true, "0")
	dev("nvme0n1", "83886080", true, "0") // 40 GiB
	dev("loop0", "1000", true, "0")
	dev("zram0", "1000", false, "0")
	dev("dm-0", "266336256", false, "0")
	dev("md0", "1000", true, "0")
	dev("sr0", "2048", true, "1")
	dev("sdc", "4096", true, "1") // removable
	dev("sdd", "0", true, "0")    // empty
	dev("sde", "garbage", true, "0")
	dev("vdz", "1000", false, "0") // no device link
	ds, err := ReadSysBlock(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Name != "nvme0n1" || ds[1].Name != "sda" || Total(ds) != (127+40)<<30 {
		t.Errorf("disks %+v, want nvme0n1 40 GiB and sda 127 GiB", ds)
	}
	if got := Describe(ds); got != "whole disks read on this machine: nvme0n1 40.0 GiB, sda 127 GiB" {
		t.Errorf("Describe = %q", got)
	}
	if _, err := ReadSysBlock(filepath.Join(root, "none")); err == nil || !strings.Contains(err.Error(), "give --disk-size") {
		t.Errorf("missing tree: %v", err)
	}
	empty := t.TempDir()
	if _, err := ReadSysBlock(empty); err == nil || !strings.Contains(err.Error(), "no whole disk found") {
		t.Errorf("empty tree: %v", err)
	}
}
