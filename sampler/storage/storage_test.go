package storage

import (
	"math"
	"testing"
	"time"
)

// A /proc/diskstats excerpt in the kernel's format (iostats.rst): 17
// fields on 5.5+, 14 on older kernels.
const diskstatsText = `   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 254       0 vda 1161763 74431 24316202 877755 1170073 349898 319788784 848191 2 257764 1831578 1204567 61 307854560 102017 30543 3613
 254       1 vda1 100 0 800 50 200 0 1600 90 0 120 140
   8       0 sdb 10 0 80 5
`

func TestParseDiskstats(t *testing.T) {
	got := ParseDiskstats([]byte(diskstatsText))
	if len(got) != 3 {
		t.Fatalf("parsed %d devices, want 3 (the 4-field line is too short): %+v", len(got), got)
	}
	want := DiskCounters{Name: "vda", ReadIOs: 1161763, ReadSectors: 24316202, ReadTicks: 877755,
		WriteIOs: 1170073, WriteSectors: 319788784, WriteTicks: 848191, InFlight: 2, IOTicks: 257764, Weighted: 1831578}
	if got[1] != want {
		t.Errorf("vda = %+v, want %+v", got[1], want)
	}
	if got[2].Name != "vda1" || got[2].Weighted != 140 {
		t.Errorf("14-field line = %+v", got[2])
	}
}

func TestDeltaIsIostatArithmetic(t *testing.T) {
	prev := DiskCounters{Name: "sda", ReadIOs: 100, ReadSectors: 1000, ReadTicks: 500,
		WriteIOs: 1000, WriteSectors: 8000, WriteTicks: 2000, IOTicks: 10000, Weighted: 20000}
	// 2 s later: 50 reads taking 100 ms in all, 400 writes taking 4000 ms,
	// 1500 ms busy, 8000 ms weighted, 3 in flight.
	cur := DiskCounters{Name: "sda", ReadIOs: 150, ReadSectors: 1400, ReadTicks: 600,
		WriteIOs: 1400, WriteSectors: 8000 + 3200, WriteTicks: 6000, InFlight: 3, IOTicks: 11500, Weighted: 28000}
	d := Delta(prev, cur, 2*time.Second)
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("active %", d.ActivePercent, 75)
	near("queue", d.QueueLength, 4)
	near("read B/s", d.ReadBytesPerSec, 400*512/2)
	near("write B/s", d.WriteBytesPerSec, 3200*512/2)
	near("read IOPS", d.ReadIOPS, 25)
	near("write IOPS", d.WriteIOPS, 200)
	near("read ms", d.ReadResponseMs, 2)
	near("write ms", d.WriteResponseMs, 10)
	near("await", d.ResponseMs(), (2*25+10*200)/225.0)
	if d.InFlight != 3 {
		t.Errorf("in flight = %d, want 3", d.InFlight)
	}

	// A counter that went backwards (device re-added) gives 0, not 2^64.
	back := Delta(cur, prev, 2*time.Second)
	if back.ActivePercent != 0 || back.WriteIOPS != 0 || back.WriteResponseMs != 0 {
		t.Errorf("backwards counters = %+v, want zeros", back)
	}
	// io_ticks ahead of the wall clock by a jiffy is capped at 100%.
	over := Delta(DiskCounters{}, DiskCounters{IOTicks: 1004}, time.Second)
	if over.ActivePercent != 100 {
		t.Errorf("active = %v, want capped at 100", over.ActivePercent)
	}
}

const mountinfoText = `22 27 0:21 / /proc rw,relatime - proc proc rw
25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683784k
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
28 27 254:0 /srv /mnt/bind rw,relatime - ext4 /dev/vda rw,discard
29 27 7:3 / /mnt/my\040disk rw,relatime shared:5 - ext4 /dev/loop3 rw
30 27 0:45 / /data rw,relatime - btrfs /dev/sdb2 rw
31 27 0:46 / /merged rw,relatime - overlay overlay rw
32 27 0:47 / /share rw,relatime - nfs4 srv:/export rw
33 27 7:9 / /snap/core22/1380 ro,nodev,relatime - squashfs /dev/loop9 ro
bad line
`

func TestBlockMounts(t *testing.T) {
	got := BlockMounts(ParseMountinfo([]byte(mountinfoText)))
	want := []Mount{
		{Major: "254", Minor: "0", Point: "/", FSType: "ext4", Source: "/dev/vda"},
		{Major: "7", Minor: "3", Point: "/mnt/my disk", FSType: "ext4", Source: "/dev/loop3"},
		{Major: "0", Minor: "45", Point: "/data", FSType: "btrfs", Source: "/dev/sdb2"},
	}
	if len(got) != len(want) {
		t.Fatalf("block mounts = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mount %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestDisksFromPDH decodes values as PdhGetFormattedCounterArray gives
// them (PDH_FMT_DOUBLE, instance names "0 C:" and "_Total"), typed from
// the documented counter meanings: a fake, because PDH cannot run here.
func TestDisksFromPDH(t *testing.T) {
	v := map[string]map[string]float64{
		pdhIdle:        {"0 C:": 12.5, "1 D:": 100.7, "_Total": 56},
		pdhAvgQueue:    {"0 C:": 7.9, "1 D:": 0},
		pdhCurQueue:    {"0 C:": 8, "1 D:": 0},
		pdhReadBytes:   {"0 C:": 4096, "1 D:": 0},
		pdhWriteBytes:  {"0 C:": 1 << 20, "1 D:": 0},
		pdhReads:       {"0 C:": 1, "1 D:": 0},
		pdhWrites:      {"0 C:": 256, "1 D:": 0},
		pdhSecPerRead:  {"0 C:": 0.002, "1 D:": 0.5},
		pdhSecPerWrite: {"0 C:": 0.031, "1 D:": 0},
	}
	got := disksFromPDH(v)
	if len(got) != 2 || got[0].Name != "0 C:" || got[1].Name != "1 D:" {
		t.Fatalf("disks = %+v, want 0 C: and 1 D: without _Total", got)
	}
	c := got[0]
	if math.Abs(c.ActivePercent-87.5) > 1e-9 || c.QueueLength != 7.9 || c.InFlight != 8 ||
		c.WriteBytesPerSec != 1<<20 || c.WriteIOPS != 256 ||
		math.Abs(c.WriteResponseMs-31) > 1e-9 || math.Abs(c.ReadResponseMs-2) > 1e-9 {
		t.Errorf("C: = %+v", c)
	}
	d := got[1]
	if d.ActivePercent != 0 {
		t.Errorf("D: idle above 100 gives active %v, want 0", d.ActivePercent)
	}
	if d.ReadResponseMs != 0 {
		t.Errorf("D: without reads has read response %v ms, want 0", d.ReadResponseMs)
	}
}

// TestAverageEqualsOneLongInterval checks that averaging two readings
// gives what one reading over both intervals gives from the counters.
func TestAverageEqualsOneLongInterval(t *testing.T) {
	c0 := DiskCounters{Name: "sda"}
	c1 := DiskCounters{Name: "sda", ReadIOs: 10, ReadSectors: 80, ReadTicks: 50, WriteIOs: 100, WriteSectors: 800,
		WriteTicks: 200, IOTicks: 900, Weighted: 1500}
	c2 := DiskCounters{Name: "sda", ReadIOs: 10, ReadSectors: 80, ReadTicks: 50, WriteIOs: 400, WriteSectors: 4000,
		WriteTicks: 2000, IOTicks: 3900, Weighted: 9000}
	r1 := Stats{Interval: time.Second, Disks: []DiskStats{Delta(c0, c1, time.Second)}}
	r2 := Stats{Interval: 3 * time.Second, Disks: []DiskStats{Delta(c1, c2, 3*time.Second)}}
	got, span := Average([]Stats{r1, r2})
	want := Delta(c0, c2, 4*time.Second)
	if span != 4*time.Second || len(got) != 1 {
		t.Fatalf("Average = %+v over %v", got, span)
	}
	g := got[0]
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"active", g.ActivePercent, want.ActivePercent}, {"queue", g.QueueLength, want.QueueLength},
		{"write B/s", g.WriteBytesPerSec, want.WriteBytesPerSec}, {"write IOPS", g.WriteIOPS, want.WriteIOPS},
		{"write ms", g.WriteResponseMs, want.WriteResponseMs}, {"read ms", g.ReadResponseMs, want.ReadResponseMs},
		{"read IOPS", g.ReadIOPS, want.ReadIOPS}} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, one long interval gives %v", c.name, c.got, c.want)
		}
	}
}
