package storage

import (
	"bufio"
	"bytes"
	"strconv"
	"time"
)

// DiskCounters are one block device's cumulative counters from a line of
// /proc/diskstats (Documentation/admin-guide/iostats.rst). Times are
// milliseconds; sectors are 512 bytes whatever the device's sector size.
type DiskCounters struct {
	Name         string
	ReadIOs      uint64 // field 4: reads completed
	ReadSectors  uint64 // field 6
	ReadTicks    uint64 // field 7: ms spent reading
	WriteIOs     uint64 // field 8: writes completed
	WriteSectors uint64 // field 10
	WriteTicks   uint64 // field 11: ms spent writing
	InFlight     uint64 // field 12: I/Os currently in progress
	IOTicks      uint64 // field 13: ms the device had I/O in flight
	Weighted     uint64 // field 14: ms spent doing I/O, weighted by in-flight count
}

// ParseDiskstats reads every line of /proc/diskstats with at least the 14
// fields kernels since 2.6 print. Short or malformed lines are skipped.
func ParseDiskstats(b []byte) []DiskCounters {
	var out []DiskCounters
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 14 {
			continue
		}
		var v [11]uint64
		ok := true
		for i := range v {
			n, err := strconv.ParseUint(string(f[3+i]), 10, 64)
			if err != nil {
				ok = false
				break
			}
			v[i] = n
		}
		if !ok {
			continue
		}
		out = append(out, DiskCounters{
			Name:    string(f[2]),
			ReadIOs: v[0], ReadSectors: v[2], ReadTicks: v[3],
			WriteIOs: v[4], WriteSectors: v[6], WriteTicks: v[7],
			InFlight: v[8], IOTicks: v[9], Weighted: v[10],
		})
	}
	return out
}

// sub is a-b, or 0 when the counter went backwards (a device that was
// removed and re-added, or a 32-bit counter that wrapped).
func sub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}

// Delta turns two readings of one device, d seconds apart, into rates as
// iostat -x computes them: util = Δio_ticks/interval, aqu-sz =
// Δweighted/interval, r_await = Δread_ticks/Δreads, w_await =
// Δwrite_ticks/Δwrites.
func Delta(prev, cur DiskCounters, d time.Duration) DiskStats {
	s := DiskStats{Name: cur.Name, InFlight: cur.InFlight}
	sec := d.Seconds()
	if sec <= 0 {
		return s
	}
	ms := sec * 1000
	s.ActivePercent = float64(sub(cur.IOTicks, prev.IOTicks)) / ms * 100
	if s.ActivePercent > 100 {
		s.ActivePercent = 100 // io_ticks is updated at jiffy boundaries
	}
	s.QueueLength = float64(sub(cur.Weighted, prev.Weighted)) / ms
	s.ReadBytesPerSec = float64(sub(cur.ReadSectors, prev.ReadSectors)) * 512 / sec
	s.WriteBytesPerSec = float64(sub(cur.WriteSectors, prev.WriteSectors)) * 512 / sec
	r, w := sub(cur.ReadIOs, prev.ReadIOs), sub(cur.WriteIOs, prev.WriteIOs)
	s.ReadIOPS = float64(r) / sec
	s.WriteIOPS = float64(w) / sec
	if r > 0 {
		s.ReadResponseMs = float64(sub(cur.ReadTicks, prev.ReadTicks)) / float64(r)
	}
	if w > 0 {
		s.WriteResponseMs = float64(sub(cur.WriteTicks, prev.WriteTicks)) / float64(w)
	}
	return s
}
