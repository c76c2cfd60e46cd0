package analysis

import (
	"sort"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// DiskLoad is one disk's busy time, queue and response time over a
// minute: the averages of its samples, weighted by their intervals, from
// the recording's disk time columns (sampler.DiskActiveSuffix...).
type DiskLoad struct {
	Name          string  `json:"disk"`
	ActivePercent float64 `json:"active_percent"` // share of the minute's timed samples' time the disk was busy, 0-100
	QueueLength   float64 `json:"queue_length"`   // average requests in flight
	// ResponseMs is the interval-weighted average of the samples' average
	// response times (the recording has no request counts to weight by).
	ResponseMs float64 `json:"response_ms"`
}

// diskTimeAcc sums one disk's time figures over a minute.
type diskTimeAcc struct {
	sec, active, queue, resp float64
}

// addDiskTimes adds the samples' disk time figures to the minute.
func (m *minuteAgg) addDiskTimes(disks []sampler.DiskRates, sec float64) {
	for _, d := range disks {
		if !d.HasTimes {
			continue
		}
		if m.diskTimes == nil {
			m.diskTimes = map[string]*diskTimeAcc{}
		}
		a := m.diskTimes[d.Name]
		if a == nil {
			a = &diskTimeAcc{}
			m.diskTimes[d.Name] = a
		}
		a.sec += sec
		a.active += d.ActivePercent * sec
		a.queue += d.QueueLength * sec
		a.resp += d.ResponseMs * sec
	}
}

// diskLoads are the minute's disks, busiest first; nil without times.
func (m *minuteAgg) diskLoads() []DiskLoad {
	var out []DiskLoad
	for name, a := range m.diskTimes {
		if a.sec <= 0 {
			continue
		}
		out = append(out, DiskLoad{Name: name, ActivePercent: a.active / a.sec, QueueLength: a.queue / a.sec, ResponseMs: a.resp / a.sec})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ActivePercent != out[j].ActivePercent {
			return out[i].ActivePercent > out[j].ActivePercent
		}
		return out[i].Name < out[j].Name
	})
	return out
}
