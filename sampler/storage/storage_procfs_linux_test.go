package storage

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestProcfsKeepsWholeDevicesWithMedia reads a diskstats and a /sys/block
// laid out as the kernel does: partitions, a detached loop device (size
// 0) and a device never used are left out.
func TestProcfsKeepsWholeDevicesWithMedia(t *testing.T) {
	root := testutil.TempDir(t)
	proc, sys := root+"/proc", root+"/sys"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(proc+"/self", 0o755))
	for name, size := range map[string]string{"vda": "536870912", "loop1": "0", "loop0": "1048576", "zram0": "0"} {
		must(os.MkdirAll(sys+"/block/"+name, 0o755))
		must(os.WriteFile(sys+"/block/"+name+"/size", []byte(size+"\n"), 0o644))
	}
	// In the kernel's order: loop devices (major 7) before vda (254).
	stats := func(n uint64) string {
		return fmt.Sprintf(` 7 0 loop0 1 0 8 1 %d 0 %d 1 0 1 1
 7 1 loop1 5 0 40 1 5 0 40 1 0 2 2
 253 0 zram0 0 0 0 0 0 0 0 0 0 0 0
 254 0 vda 10 0 80 5 %d 0 %d 10 0 20 30
 254 1 vda1 10 0 80 5 %d 0 %d 10 0 20 30
`, n, n*8, n, n*8, n, n*8)
	}
	must(os.WriteFile(proc+"/self/mountinfo", nil, 0o644))
	s := NewProcfs(proc, sys)
	must(os.WriteFile(proc+"/diskstats", []byte(stats(100)), 0o644))
	if _, err := s.Sample(time.Unix(100, 0)); err != nil {
		t.Fatal(err)
	}
	must(os.WriteFile(proc+"/diskstats", []byte(stats(200)), 0o644))
	st, err := s.Sample(time.Unix(101, 0))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range st.Disks {
		names = append(names, d.Name)
	}
	if strings.Join(names, " ") != "vda loop0" {
		t.Errorf("disks %v, want vda then loop0 (loop devices last; not the partition, the detached loop1 or the unused zram0)", names)
	}
	if st.Disks[0].WriteIOPS != 100 {
		t.Errorf("vda write IOPS = %v, want 100", st.Disks[0].WriteIOPS)
	}
}
