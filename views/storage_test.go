package views

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler/storage"
)

// TestStorageSaysWhatDoesNotFit: 20 volumes on a 10-line view: the last
// line says how many lines are missing instead of cutting them silently.
func TestStorageSaysWhatDoesNotFit(t *testing.T) {
	d := StorageData{Source: "/proc/diskstats, statfs", Span: time.Second,
		Disks: []storage.DiskStats{{Name: "sda", ActivePercent: 12, WriteIOPS: 10, WriteResponseMs: 1}}}
	for i := 0; i < 20; i++ {
		d.Volumes = append(d.Volumes, storage.Volume{Mount: fmt.Sprintf("/data%02d", i), FSType: "xfs", Total: 1 << 30, Available: 1 << 29})
	}
	got := strings.Split(Storage(d, 80, 10, NewTheme(false)), "\n")
	if len(got) != 10 {
		t.Fatalf("%d lines, want 10", len(got))
	}
	// title, disk head, sda, volume head, 20 volumes = 24 lines; 9 shown.
	if want := "… 15 more lines of disks and volumes"; !strings.Contains(got[9], want) {
		t.Errorf("last line %q, want %q", got[9], want)
	}
	for _, l := range got {
		if Width(l) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
}
