package analysis

import (
	"sort"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// ClassSlots is the number of class parts of a PivotMinute: workload,
// inbox, third-party, and other (unclassified processes and disk writes no
// process row explains).
const ClassSlots = 4

// ClassSlotNames name the PivotMinute.Classes slots.
var ClassSlotNames = [ClassSlots]string{"workload", "inbox", "third-party", "other"}

// ClassSlot is a class's slot in PivotMinute.Classes.
func ClassSlot(c sampler.Class) int {
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

// DefaultMinBaselineMinutes is how many complete minutes the baseline
// needs before minutes are flagged as spikes.
const DefaultMinBaselineMinutes = 3

// DefaultMinPatternMinutes is how many complete minutes a recording needs
// before a process's pattern is named (Options.MinPatternMinutes).
const DefaultMinPatternMinutes = 10

// PivotMinute is one row of the minute pivot.
type PivotMinute struct {
	Time  time.Time // the minute's start
	Label string    // "04:57", or "11-24 04:57" when the recording spans days
	// Bytes is the minute total; Classes its parts by class slot (they sum
	// to at least Bytes: disk writes no process explains go to "other").
	Bytes   float64
	Classes [ClassSlots]float64
	// Factor is Bytes over the baseline (0 without one); Spike is true
	// above the spike factor.
	Factor float64
	Spike  bool
	// Partial is true for a minute the samples do not cover from start to
	// end (the first and the last, or the current minute live): it is left
	// out of the baseline and the patterns.
	Partial bool
}

// Pivot is the minute pivot with its baseline: the one implementation the
// report, the Churn tab, the header's spike mark and the replay's spike
// keys all read.
type Pivot struct {
	Minutes []PivotMinute // in time order
	// Baseline is the median total of the complete minutes; 0 when fewer
	// than BaselineNeeds complete minutes were recorded.
	Baseline float64
	// CompleteMinutes is how many minutes were recorded from start to end.
	CompleteMinutes int
	BaselineNeeds   int
	SpikeFactor     float64
}

// minuteKeys returns the recorded minutes in time order, and for each
// whether the samples cover it completely.
func (a *Analyzer) minuteKeys() ([]int64, []bool) {
	keys := make([]int64, 0, len(a.minutes))
	for k := range a.minutes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	from, to, step := a.coverage()
	complete := make([]bool, len(keys))
	for i, k := range keys {
		complete[i] = coveredSpan(time.Unix(k*60, 0), time.Minute, from, to, step)
	}
	return keys, complete
}

// minuteTotal is minute m's total as the analysis counts it.
func (a *Analyzer) minuteTotal(m *minuteAgg) float64 {
	if a.hasDisk {
		return m.disk
	}
	return m.proc
}

// Pivot computes the minute pivot of what was added so far.
func (a *Analyzer) Pivot() Pivot {
	keys, complete := a.minuteKeys()
	p := Pivot{SpikeFactor: a.opt.SpikeFactor, BaselineNeeds: DefaultMinBaselineMinutes}
	var full []float64
	for i, k := range keys {
		if complete[i] {
			full = append(full, a.minuteTotal(a.minutes[k]))
		}
	}
	p.CompleteMinutes = len(full)
	if len(full) >= p.BaselineNeeds {
		p.Baseline = median(full)
	}
	label := a.labeler()
	p.Minutes = make([]PivotMinute, len(keys))
	for i, k := range keys {
		m := a.minutes[k]
		start := time.Unix(k*60, 0).In(m.at.Location())
		pm := PivotMinute{Time: start, Label: label(start), Bytes: a.minuteTotal(m), Classes: m.classes, Partial: !complete[i]}
		if pm.Bytes > m.proc {
			pm.Classes[ClassSlots-1] += pm.Bytes - m.proc // writes no process row explains
		}
		if p.Baseline > 0 {
			pm.Factor = pm.Bytes / p.Baseline
			pm.Spike = pm.Bytes > p.SpikeFactor*p.Baseline
		}
		p.Minutes[i] = pm
	}
	return p
}

// labeler labels minutes "15:04", or "01-02 15:04" when the samples span
// more than one day.
func (a *Analyzer) labeler() func(time.Time) string {
	multiDay := !a.first.IsZero() && a.first.Format("2006-01-02") != a.last.Format("2006-01-02")
	return func(t time.Time) string {
		if multiDay {
			return t.Format("01-02 15:04")
		}
		return t.Format("15:04")
	}
}

// Index is the position of t's minute in p.Minutes, or -1.
func (p Pivot) Index(t time.Time) int {
	k := floorDiv(t.Unix(), 60)
	i := sort.Search(len(p.Minutes), func(i int) bool { return floorDiv(p.Minutes[i].Time.Unix(), 60) >= k })
	if i < len(p.Minutes) && floorDiv(p.Minutes[i].Time.Unix(), 60) == k {
		return i
	}
	return -1
}

// FactorAt is the total of t's minute over the baseline; 0 without a
// baseline or when the minute has no samples.
func (p Pivot) FactorAt(t time.Time) float64 {
	if i := p.Index(t); i >= 0 {
		return p.Minutes[i].Factor
	}
	return 0
}

// SpikeAt reports whether t's minute is a spike.
func (p Pivot) SpikeAt(t time.Time) bool {
	i := p.Index(t)
	return i >= 0 && p.Minutes[i].Spike
}

// Window returns up to n minutes around the minute of at, for a screen,
// and the position of at's minute in it (-1 when at is zero). The window
// ends at at's minute; with centre set (a time cursor, which can look both
// ways) at's minute sits two thirds down when minutes follow it. A zero or
// later at shows the last minutes.
func (p Pivot) Window(at time.Time, n int, centre bool) ([]PivotMinute, int) {
	if n <= 0 || len(p.Minutes) == 0 {
		return nil, -1
	}
	cur := len(p.Minutes) - 1
	if !at.IsZero() {
		k := floorDiv(at.Unix(), 60)
		if i := sort.Search(len(p.Minutes), func(i int) bool { return floorDiv(p.Minutes[i].Time.Unix(), 60) >= k }); i < len(p.Minutes) {
			cur = i
		}
	}
	hi := cur + 1
	if centre {
		hi = min(len(p.Minutes), cur+1+n/3)
	}
	lo := max(0, hi-n)
	hi = min(len(p.Minutes), lo+n)
	pos := -1
	if !at.IsZero() {
		pos = cur - lo
	}
	return p.Minutes[lo:hi], pos
}
