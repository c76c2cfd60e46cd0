//go:build linux && (amd64 || arm64)

package blockio

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// More owners between two readings than the kernel's table holds (32,768
// rows): one process writes 40,000 files of 4 KiB on a private loop disk
// and the kernel writes them back, one writeback row per file, with no
// reading in between. The bytes that found no room must still count on
// the disk, on the "(owner not kept)" row, so the rows add up to the
// disk's own count (within 5%) and say how much is not attributed. Before,
// they were dropped: the rows fell short of the disk with nothing saying so.
func TestFullTableBytesStayOnTheDisk(t *testing.T) {
	src := openTest(t)
	if src == nil {
		return
	}
	dir, disk := testutil.LoopFS(t, 1024) // 65,536 inodes
	if dir == "" {
		return
	}
	const files = 40000
	b := measure(t, src, dir, disk, func() func(Row) bool {
		buf := make([]byte, 4096)
		for i := range buf {
			buf[i] = byte(i)
		}
		for i := range files {
			sub := filepath.Join(dir, fmt.Sprintf("d%02d", i%64))
			if i < 64 {
				if err := os.Mkdir(sub, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%05d", i)), buf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return func(Row) bool { return false }
	})
	var full uint64
	for _, r := range b.Iv.DiskRows {
		if r.Disk == disk && r.Kind == RowTableFull {
			full += r.WriteBytes
			if r.Name != pseudoNames[RowTableFull] || !IsPseudo(r.Key) {
				t.Errorf("the overflow row is %q %+v, want %q with a pseudo key", r.Name, r.Key, pseudoNames[RowTableFull])
			}
		}
	}
	t.Logf("disk %s wrote %d B; rows %d B, of which %d B on %s (kernel table full)", disk, b.Truth, b.Rows, full, pseudoNames[RowTableFull])
	if full == 0 {
		t.Errorf("no bytes on the %s row after %d files written back between two readings: the table did not fill, or its overflow is not shown", pseudoNames[RowTableFull], files)
	}
	if d := ratioOff(b.Rows, b.Truth); d > tolerance {
		t.Errorf("rows on %s add up to %d B, the disk wrote %d B: %.1f%% off (limit 5%%)", disk, b.Rows, b.Truth, 100*d)
	}
}
