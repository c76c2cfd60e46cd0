package sampler

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestEngineDiskTimes: two diskstats readings 2 s apart give the frame's
// busy time, queue length and response time by iostat's arithmetic; a
// source without times (Windows' gopsutil) leaves them unset.
func TestEngineDiskTimes(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 4, 57, 0, 0, time.UTC)
	snaps := []Snapshot{
		{Time: t0, Disks: []DiskCounters{{Name: "sda", HasTimes: true, WriteIOs: 100, WriteTicks: 100, IOTicks: 1000, Weighted: 2000},
			{Name: "sdb"}}},
		{Time: t0.Add(2 * time.Second), Disks: []DiskCounters{{Name: "sda", HasTimes: true, WriteIOs: 500, WriteTicks: 12500,
			ReadIOs: 100, ReadTicks: 100, IOTicks: 2960, Weighted: 17800}, {Name: "sdb", WriteBytes: 4096}}},
	}
	e, err := NewEngine(NewReplaySourceInfo(snaps, SourceInfo{Name: "replay"}), Config{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Sample(context.Background()); err != nil {
		t.Fatal(err)
	}
	f, err := e.Sample(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sda, sdb := f.Disks[0], f.Disks[1]
	// 1960 ms busy of 2000; 15800 ms weighted / 2000; (12400 + 100) ms over
	// 400 writes and 100 reads.
	if !sda.HasTimes || math.Abs(sda.ActivePercent-98) > 1e-9 || math.Abs(sda.QueueLength-7.9) > 1e-9 ||
		math.Abs(sda.ResponseMs-25) > 1e-9 {
		t.Errorf("sda = %+v, want 98%% busy, queue 7.9, 25 ms", sda)
	}
	if sdb.HasTimes || sdb.ActivePercent != 0 {
		t.Errorf("sdb without times = %+v", sdb)
	}
}
