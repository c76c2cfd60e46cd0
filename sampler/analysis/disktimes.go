package analysis

import (
	"sort"
	"time"

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
	// response times (the recording has no request counts to weight by),
	// over the samples in which the disk did I/O.
	ResponseMs float64 `json:"response_ms"`
}

// diskTimeAcc sums one disk's time figures over a minute.
type diskTimeAcc struct {
	sec, active, queue float64
	// rsec and resp are over the samples in which the disk did I/O: an
	// idle sample has no response time (its 0 means no request), so it
	// does not pull the average down.
	rsec, resp float64
}

// add adds one sample of sec seconds, when it has times.
func (a *diskTimeAcc) add(d sampler.DiskRates, sec float64) {
	if !d.HasTimes {
		return
	}
	a.sec += sec
	a.active += d.ActivePercent * sec
	a.queue += d.QueueLength * sec
	if d.ResponseMs > 0 || d.WriteRate > 0 || d.ReadRate > 0 {
		a.rsec += sec
		a.resp += d.ResponseMs * sec
	}
}

// means are the averages over the samples added; ok is false without any.
// resp is 0 when the disk did no I/O in them.
func (a *diskTimeAcc) means() (active, queue, resp float64, ok bool) {
	if a.sec <= 0 {
		return 0, 0, 0, false
	}
	if a.rsec > 0 {
		resp = a.resp / a.rsec
	}
	return a.active / a.sec, a.queue / a.sec, resp, true
}

// DiskSample is one sample's per-disk figures and its interval, for
// AverageDisks.
type DiskSample struct {
	Elapsed time.Duration
	Disks   []sampler.DiskRates
}

// AverageDisks averages each disk's figures over samples as analyze
// averages a minute's (DiskLoad): rates, active time and queue length
// weighted by each sample's interval, the response time too (a recording
// has no request counts to weight by) over the samples with I/O. A disk's times average over the
// samples that have them (DiskRates.HasTimes), its rates over those it is
// in. Disks are in the order first seen; span is the samples' intervals
// summed. Samples without an interval are skipped.
func AverageDisks(samples []DiskSample) (disks []sampler.DiskRates, span time.Duration) {
	type acc struct {
		sec, w, r float64
		t         diskTimeAcc
	}
	byName := map[string]*acc{}
	var order []string
	for _, s := range samples {
		sec := s.Elapsed.Seconds()
		if sec <= 0 {
			continue
		}
		span += s.Elapsed
		for _, d := range s.Disks {
			a := byName[d.Name]
			if a == nil {
				a = &acc{}
				byName[d.Name] = a
				order = append(order, d.Name)
			}
			a.sec += sec
			a.w += d.WriteRate * sec
			a.r += d.ReadRate * sec
			a.t.add(d, sec)
		}
	}
	for _, name := range order {
		a := byName[name]
		d := sampler.DiskRates{Name: name, WriteRate: a.w / a.sec, ReadRate: a.r / a.sec}
		d.ActivePercent, d.QueueLength, d.ResponseMs, d.HasTimes = a.t.means()
		disks = append(disks, d)
	}
	return disks, span
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
		a.add(d, sec)
	}
}

// diskLoads are the minute's disks, busiest first; nil without times.
func (m *minuteAgg) diskLoads() []DiskLoad {
	var out []DiskLoad
	for name, a := range m.diskTimes {
		active, queue, resp, ok := a.means()
		if !ok {
			continue
		}
		out = append(out, DiskLoad{Name: name, ActivePercent: active, QueueLength: queue, ResponseMs: resp})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ActivePercent != out[j].ActivePercent {
			return out[i].ActivePercent > out[j].ActivePercent
		}
		return out[i].Name < out[j].Name
	})
	return out
}
