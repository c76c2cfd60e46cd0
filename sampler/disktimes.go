package sampler

import (
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler/storage"
)

// diskTimes sets dr's active time, queue length and response time from
// two readings d apart, when both have them, with the iostat arithmetic
// of storage.Delta.
func diskTimes(dr *DiskRates, prev, cur DiskCounters, d time.Duration) {
	if !prev.HasTimes || !cur.HasTimes || d <= 0 {
		return
	}
	c := func(x DiskCounters) storage.DiskCounters {
		return storage.DiskCounters{Name: x.Name, ReadIOs: x.ReadIOs, ReadTicks: x.ReadTicks, WriteIOs: x.WriteIOs,
			WriteTicks: x.WriteTicks, IOTicks: x.IOTicks, Weighted: x.Weighted}
	}
	s := storage.Delta(c(prev), c(cur), d)
	dr.HasTimes = true
	dr.ActivePercent, dr.QueueLength, dr.ResponseMs = s.ActivePercent, s.QueueLength, s.ResponseMs()
}
