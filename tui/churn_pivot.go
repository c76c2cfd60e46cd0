package tui

import (
	"sort"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// pivotMinute is one minute of the pivot: the disk writes and the process
// writes by class, in bytes.
type pivotMinute struct {
	key     int64 // Unix minute (Unix seconds / 60, floored)
	at      time.Time
	disk    float64
	proc    float64
	classes [views.ChurnClasses]float64
}

// minutePivot is the minute pivot the Churn tab draws: per minute, the
// total written and each class's part. It buckets exactly as the analysis
// does (a sample's bytes belong to the minute of its timestamp; totals are
// disk writes when any disk data was seen, else the sum of process writes),
// so its minute totals and median are the analysis's. It holds one small
// record per minute with samples: a day is 1,440 records, whatever the
// sampling rate.
type minutePivot struct {
	minutes []pivotMinute // in time order
	hasDisk bool
	// classify classifies processes a recording gives no class for.
	classify func(name string) sampler.Class
	// median cache
	medianOK bool
	median   float64
}

// classIndex is a class's slot in pivotMinute.classes.
func classIndex(c sampler.Class) int {
	switch c {
	case sampler.ClassWorkload:
		return 0
	case sampler.ClassInbox:
		return 1
	case sampler.ClassThirdParty:
		return 2
	}
	return 3
}

func unixMinute(t time.Time) int64 {
	s := t.Unix()
	k := s / 60
	if s%60 != 0 && s < 0 {
		k--
	}
	return k
}

// at returns the minute of t, creating it in order.
func (p *minutePivot) at(t time.Time) *pivotMinute {
	k := unixMinute(t)
	n := len(p.minutes)
	if n > 0 && p.minutes[n-1].key == k {
		return &p.minutes[n-1]
	}
	p.medianOK = false
	if n == 0 || p.minutes[n-1].key < k {
		p.minutes = append(p.minutes, pivotMinute{key: k, at: time.Unix(k*60, 0).In(t.Location())})
		return &p.minutes[n]
	}
	i := sort.Search(n, func(i int) bool { return p.minutes[i].key >= k })
	if i < n && p.minutes[i].key == k {
		return &p.minutes[i]
	}
	p.minutes = append(p.minutes, pivotMinute{})
	copy(p.minutes[i+1:], p.minutes[i:])
	p.minutes[i] = pivotMinute{key: k, at: time.Unix(k*60, 0).In(t.Location())}
	return &p.minutes[i]
}

// addFrame adds a live frame with rates (as Analyzer.AddFrame does).
func (p *minutePivot) addFrame(f sampler.Frame) {
	if f.Elapsed <= 0 {
		return
	}
	el := f.Elapsed.Seconds()
	m := p.at(f.Time)
	p.medianOK = false
	if len(f.Disks) > 0 {
		p.hasDisk = true
		m.disk += f.DiskWriteRate * el
	}
	for _, pr := range f.Processes {
		if pr.WriteRate <= 0 {
			continue
		}
		b := pr.WriteRate * el
		m.proc += b
		m.classes[classIndex(pr.Class.Class)] += b
	}
}

// addSample adds a recorded sample (as Analyzer.AddSample does).
func (p *minutePivot) addSample(s *analysis.Sample) {
	if s.Time.IsZero() {
		return
	}
	m := p.at(s.Time)
	p.medianOK = false
	if s.HasDisks {
		el := s.Elapsed.Seconds()
		if el <= 0 {
			el = time.Second.Seconds() // the analysis's default for an unknown interval
		}
		p.hasDisk = true
		m.disk += s.DiskWriteRate * el
	}
	for i := range s.Procs {
		pr := &s.Procs[i]
		if pr.WriteBytes <= 0 {
			continue
		}
		c := pr.Class
		if c == "" && p.classify != nil {
			c = p.classify(pr.Name)
		}
		m.proc += pr.WriteBytes
		m.classes[classIndex(c)] += pr.WriteBytes
	}
}

// total is minute m's total as the analysis counts it.
func (p *minutePivot) total(m *pivotMinute) float64 {
	if p.hasDisk {
		return m.disk
	}
	return m.proc
}

// baseline is the median minute total.
func (p *minutePivot) baseline() float64 {
	if p.medianOK {
		return p.median
	}
	v := make([]float64, len(p.minutes))
	for i := range p.minutes {
		v[i] = p.total(&p.minutes[i])
	}
	sort.Float64s(v)
	switch n := len(v); {
	case n == 0:
		p.median = 0
	case n%2 == 1:
		p.median = v[n/2]
	default:
		p.median = (v[n/2-1] + v[n/2]) / 2
	}
	p.medianOK = true
	return p.median
}

// index is the position of t's minute, or where it would be.
func (p *minutePivot) index(t time.Time) int {
	k := unixMinute(t)
	return sort.Search(len(p.minutes), func(i int) bool { return p.minutes[i].key >= k })
}

// factorAt is the total of t's minute (so far, live) over the baseline, 0
// without a baseline or when the minute has no samples.
func (p *minutePivot) factorAt(t time.Time) float64 {
	i := p.index(t)
	if i >= len(p.minutes) || p.minutes[i].key != unixMinute(t) {
		return 0
	}
	b := p.baseline()
	if b <= 0 {
		return 0
	}
	return p.total(&p.minutes[i]) / b
}

// window returns up to n minutes ending at the minute of end (or the last
// minute when end is zero or later), for the pivot on screen. With centre
// set, end's minute sits two thirds down when there are minutes after it
// (a time cursor can look both ways).
func (p *minutePivot) window(end time.Time, n int, centre bool, factor float64) []views.ChurnMinute {
	if n <= 0 || len(p.minutes) == 0 {
		return nil
	}
	cur := len(p.minutes) - 1
	if !end.IsZero() {
		if i := p.index(end); i < len(p.minutes) {
			cur = i
		}
	}
	hi := cur + 1
	if centre {
		hi = min(len(p.minutes), cur+1+n/3)
	}
	lo := max(0, hi-n)
	hi = min(len(p.minutes), lo+n)
	base := p.baseline()
	label := "15:04"
	if p.minutes[0].at.Format("2006-01-02") != p.minutes[len(p.minutes)-1].at.Format("2006-01-02") {
		label = "01-02 15:04"
	}
	out := make([]views.ChurnMinute, 0, hi-lo)
	for i := lo; i < hi; i++ {
		m := &p.minutes[i]
		cm := views.ChurnMinute{Label: m.at.Format(label), Bytes: p.total(m), Classes: m.classes, Current: i == cur && !end.IsZero()}
		if sum := m.proc; cm.Bytes > sum {
			cm.Classes[views.ChurnClasses-1] += cm.Bytes - sum // writes no process row explains
		}
		if base > 0 {
			cm.Factor = cm.Bytes / base
			cm.Spike = cm.Bytes > factor*base
		}
		out = append(out, cm)
	}
	return out
}
