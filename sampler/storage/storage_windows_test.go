package storage

import (
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestPDHSamplerReadsDrivesAndDisks opens the PDH query and samples twice:
// the fixed drives have a filesystem and a total at least their available
// space; the second reading has rates for the PhysicalDisk instances.
// Under wine, PDH has no PhysicalDisk counters: the query is expected to
// fail there and the drives are checked alone.
func TestPDHSamplerReadsDrivesAndDisks(t *testing.T) {
	vols, err := fixedVolumes()
	if err != nil {
		t.Fatal(err)
	}
	if len(vols) == 0 {
		t.Fatal("no fixed drive")
	}
	for _, v := range vols {
		if v.Total == 0 || v.Available > v.Total || v.FSType == "" {
			t.Errorf("drive %+v: want a filesystem and 0 < available <= total", v)
		}
	}
	s, err := New()
	if err != nil {
		if testutil.UnderWine() {
			t.Logf("PDH under wine: %v (expected: wine has no PhysicalDisk counters)", err)
			return
		}
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now()
	if _, err := s.Sample(t0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	st, err := s.Sample(t0.Add(time.Second))
	if err != nil {
		if testutil.UnderWine() {
			t.Logf("PDH collection under wine: %v", err)
			return
		}
		t.Fatal(err)
	}
	if st.Source != "PDH PhysicalDisk, GetDiskFreeSpaceEx" || st.Interval != time.Second {
		t.Errorf("stats = %+v", st)
	}
	if len(st.Disks) == 0 && !testutil.UnderWine() {
		t.Errorf("no PhysicalDisk instance")
	}
	for _, d := range st.Disks {
		if d.ActivePercent < 0 || d.ActivePercent > 100 {
			t.Errorf("disk %+v: active time out of 0-100", d)
		}
	}
}
