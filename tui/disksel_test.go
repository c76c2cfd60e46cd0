package tui

import (
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// TestDiskGraphsStayBoundedAndAligned: a disk that appears late and one
// that goes away keep series aligned with the times, and the history is
// trimmed once it holds twice diskHistoryPoints.
func TestDiskGraphsStayBoundedAndAligned(t *testing.T) {
	var g diskGraphs
	n := 2*diskHistoryPoints + 1
	for i := 0; i < n; i++ {
		f := sampler.Frame{Time: sceneStart.Add(time.Duration(i) * time.Second), Elapsed: time.Second}
		if i < 10 {
			f.Disks = append(f.Disks, sampler.DiskRates{Name: "sda", WriteRate: 1})
		}
		if i >= 5 {
			f.Disks = append(f.Disks, sampler.DiskRates{Name: "sdb", WriteRate: float64(i), ReadRate: 2})
		}
		g.add(f)
		g.shown = len(g.times)
	}
	if len(g.times) != diskHistoryPoints {
		t.Fatalf("%d points kept, want %d", len(g.times), diskHistoryPoints)
	}
	for name, s := range g.perDisk {
		if len(s[0]) != len(g.times) || len(s[1]) != len(g.times) {
			t.Errorf("%s series %d/%d points, times %d", name, len(s[0]), len(s[1]), len(g.times))
		}
	}
	g.sel = 4 // sdb writes (sda was seen first)
	d := views.GraphData{}
	g.graph(&d)
	if d.Title != "Disk writes, sdb" || d.Series[len(d.Series)-1] != float64(n-1) || !d.Times[len(d.Times)-1].Equal(sceneStart.Add(time.Duration(n-1)*time.Second)) {
		t.Errorf("graph %q ends at %v, %v", d.Title, d.Series[len(d.Series)-1], d.Times[len(d.Times)-1])
	}
	if last := g.perDisk["sda"][0][len(g.times)-1]; last != 0 {
		t.Errorf("sda, gone since the 10th frame, ends at %v, want 0", last)
	}
}
