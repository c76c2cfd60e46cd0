package disksize

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// skipPrefixes are block devices that are not disks of their own: loop
// and RAM disks, zram, device-mapper and md (built on other disks, so
// counting them would count those twice), optical, floppy and network
// block devices.
var skipPrefixes = []string{"loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd"}

// ReadSysBlock reads the whole disks under root (a /sys/block tree): each
// entry's size file counts 512-byte sectors. Partitions are
// subdirectories of their disk, not entries of root, so they are not
// counted; entries without a device link (virtual devices), removable
// ones and empty ones are left out.
func ReadSysBlock(root string) ([]Disk, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("disk sizes: %v; give --disk-size", err)
	}
	var out []Disk
	for _, e := range ents {
		name := e.Name()
		if skipped(name) {
			continue
		}
		dir := filepath.Join(root, name)
		if _, err := os.Stat(filepath.Join(dir, "device")); err != nil {
			continue
		}
		if v, err := readInt(filepath.Join(dir, "removable")); err == nil && v != 0 {
			continue
		}
		sectors, err := readInt(filepath.Join(dir, "size"))
		if err != nil || sectors <= 0 || sectors > (1<<63-1)/512 {
			continue
		}
		out = append(out, Disk{Name: name, Bytes: sectors * 512})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("disk sizes: no whole disk found in %s; give --disk-size", root)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func skipped(name string) bool {
	for _, p := range skipPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// readInt reads a small sysfs file holding one integer.
func readInt(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 64)
	n, _ := f.Read(buf)
	return strconv.ParseInt(strings.TrimSpace(string(buf[:n])), 10, 64)
}
