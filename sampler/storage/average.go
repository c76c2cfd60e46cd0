package storage

import "time"

// Average combines readings into one DiskStats per disk over their summed
// intervals, as if the counters had been read only at the ends: active
// time, queue length, bytes and IOPS weighted by each reading's interval,
// response times by each reading's completed requests. Disks are in the
// order of the newest reading; a disk missing from some readings averages
// over those it is in. Readings without an interval are skipped.
func Average(readings []Stats) (disks []DiskStats, span time.Duration) {
	type acc struct {
		d          DiskStats
		sec        float64
		rIOs, wIOs float64
	}
	byName := map[string]*acc{}
	for _, r := range readings {
		sec := r.Interval.Seconds()
		if sec <= 0 {
			continue
		}
		span += r.Interval
		for _, d := range r.Disks {
			a := byName[d.Name]
			if a == nil {
				a = &acc{d: DiskStats{Name: d.Name}}
				byName[d.Name] = a
			}
			a.sec += sec
			a.d.ActivePercent += d.ActivePercent * sec
			a.d.QueueLength += d.QueueLength * sec
			a.d.ReadBytesPerSec += d.ReadBytesPerSec * sec
			a.d.WriteBytesPerSec += d.WriteBytesPerSec * sec
			r, w := d.ReadIOPS*sec, d.WriteIOPS*sec
			a.rIOs += r
			a.wIOs += w
			a.d.ReadResponseMs += d.ReadResponseMs * r
			a.d.WriteResponseMs += d.WriteResponseMs * w
			a.d.InFlight = d.InFlight // the latest
		}
	}
	if len(readings) == 0 {
		return nil, 0
	}
	for _, n := range readings[len(readings)-1].Disks {
		a := byName[n.Name]
		if a == nil || a.sec <= 0 {
			continue
		}
		d := a.d
		d.ActivePercent /= a.sec
		d.QueueLength /= a.sec
		d.ReadBytesPerSec /= a.sec
		d.WriteBytesPerSec /= a.sec
		d.ReadIOPS, d.WriteIOPS = a.rIOs/a.sec, a.wIOs/a.sec
		if a.rIOs > 0 {
			d.ReadResponseMs /= a.rIOs
		}
		if a.wIOs > 0 {
			d.WriteResponseMs /= a.wIOs
		}
		disks = append(disks, d)
	}
	return disks, span
}
