package analysis

import (
	"math"
	"sort"
	"time"
)

// DefaultGrowth is the churn growth planned for when Options.Growth is not
// set: 30%, the Azure Site Recovery Deployment Planner's default.
const DefaultGrowth = 0.30

// Impact is what the churn means for one replication interval. Every
// figure comes from complete cycles only: a cycle the recording covers
// from its start to its end. With no complete cycle, the figures are zero
// and Projection holds an estimate from the sustained rate instead.
type Impact struct {
	Interval time.Duration
	// Cycles is the number of complete replication cycles (aligned to the
	// clock, as the minute pivot is); PartialCycles how many cycles at the
	// recording's edges were only partly recorded and left out.
	Cycles, PartialCycles int
	// Recorded is the span the samples cover.
	Recorded time.Duration
	// PeakBytes, P95Bytes and TypicalBytes are the log size (uncompressed)
	// of the largest, the 95th-percentile and the median complete cycle;
	// PeakAt is when the largest cycle started.
	PeakBytes, P95Bytes, TypicalBytes float64
	PeakAt                            time.Time
	// Bandwidth needed in bytes per second after compression: to ship the
	// largest cycle within one interval, the 95th-percentile cycle, the
	// median cycle, and the average over the complete cycles.
	PeakRate, P95Rate, TypicalRate, AverageRate float64
	// Growth is the planned churn growth (0.3 = 30%); PlannedRate is
	// P95Rate x (1 + Growth), the bandwidth to plan for.
	Growth      float64
	PlannedRate float64
	// Projection is set when no cycle is complete: the sustained rate over
	// what was recorded, carried to one cycle. It is an estimate, not a
	// measurement, and is labelled so wherever it is shown.
	Projection *Projection
	// Link is the verdict for the given link over the complete cycles; nil
	// without a link or without a complete cycle.
	Link *LinkVerdict
	// RPO is the achievable recovery point objective at the link: the
	// interval plus the time the link needs to ship a 95th-percentile
	// cycle with growth. 0 when there is no link, no complete cycle, or
	// when that cycle does not fit in the interval (RPONotMet).
	RPO       time.Duration
	RPONotMet bool
}

// Projection estimates one cycle from a recording shorter than a cycle.
type Projection struct {
	// Recorded is the span recorded; SustainedRate the bytes per second
	// written over it (uncompressed).
	Recorded      time.Duration
	SustainedRate float64
	// CycleBytes is SustainedRate x the interval (uncompressed);
	// NeededRate the bandwidth to ship it within the interval after
	// compression, PlannedRate the same with growth.
	CycleBytes              float64
	NeededRate, PlannedRate float64
	// With a link: FitsNow is true when NeededRate fits in it,
	// FitsWithGrowth when PlannedRate does too.
	HasLink                 bool
	FitsNow, FitsWithGrowth bool
}

// LinkVerdict simulates the given link shipping each complete cycle's
// compressed log, carrying what does not fit over to the next cycle.
type LinkVerdict struct {
	Rate float64 // bytes per second
	// KeepsUp: every complete cycle's log fits in one interval.
	KeepsUp bool
	// LateCycles is how many cycles ended with a backlog (Hyper-V Replica
	// warns when over 20% of cycles are missed).
	LateCycles int
	// MaxBacklog is the largest compressed backlog, reached at
	// MaxBacklogAt; MaxLag is how long the link needs to ship it.
	MaxBacklog   float64
	MaxBacklogAt time.Time
	MaxLag       time.Duration
	// Drains is true when no backlog is left at the end of the recording;
	// ClearedAt is when the largest backlog was cleared (zero if never).
	Drains    bool
	ClearedAt time.Time
	// GrowthFits is true when the 95th-percentile cycle with growth still
	// ships within one interval.
	GrowthFits bool
}

// coverage is the span the samples cover: from the start of the first
// sample's interval to the last sample, and the usual sampling interval.
func (a *Analyzer) coverage() (from, to time.Time, step time.Duration) {
	step = a.typicalElapsed()
	return a.covStart, a.last, step
}

// typicalElapsed is the median of the first sampling intervals seen.
func (a *Analyzer) typicalElapsed() time.Duration {
	if len(a.elapsed) == 0 {
		return defaultElapsed
	}
	s := append([]time.Duration(nil), a.elapsed...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// impact bins the minute totals' source per replication interval.
func (a *Analyzer) impact() []Impact {
	if len(a.bins) == 0 {
		return nil
	}
	from, to, step := a.coverage()
	recorded := to.Sub(from)
	binSec := int64(binWidth / time.Second)
	loc := a.first.Location()
	var lo, hi int64
	first := true
	var total float64
	for k, b := range a.bins {
		if first || k < lo {
			lo = k
		}
		if first || k > hi {
			hi = k
		}
		first = false
		total += a.binValue(b)
	}
	growth := a.opt.Growth
	r := a.opt.Compression
	var out []Impact
	for _, iv := range a.opt.Intervals {
		per := int64(iv / binWidth)
		sec := iv.Seconds()
		// Cycles aligned to the interval on the clock; a cycle counts when
		// the samples cover it from its start to its end.
		c0, c1 := floorDiv(lo, per), floorDiv(hi, per)
		cycleStart := func(c int64) time.Time { return time.Unix(c*per*binSec, 0).In(loc) }
		im := Impact{Interval: iv, Recorded: recorded, Growth: growth}
		var starts []time.Time
		var cycles []float64
		for c := c0; c <= c1; c++ {
			cs := cycleStart(c)
			if !coveredSpan(cs, iv, from, to, step) {
				im.PartialCycles++
				continue
			}
			var v float64
			for k := c * per; k < (c+1)*per; k++ {
				if b := a.bins[k]; b != nil {
					v += a.binValue(b)
				}
			}
			cycles = append(cycles, v)
			starts = append(starts, cs)
		}
		im.Cycles = len(cycles)
		if im.Cycles == 0 {
			p := &Projection{Recorded: recorded}
			if recorded > 0 {
				p.SustainedRate = total / recorded.Seconds()
			}
			p.CycleBytes = p.SustainedRate * sec
			p.NeededRate = p.SustainedRate * r
			p.PlannedRate = p.NeededRate * (1 + growth)
			if a.opt.LinkRate > 0 {
				p.HasLink = true
				p.FitsNow = p.NeededRate <= a.opt.LinkRate
				p.FitsWithGrowth = p.PlannedRate <= a.opt.LinkRate
			}
			im.Projection = p
			out = append(out, im)
			continue
		}
		var sum float64
		peak := 0
		for i, v := range cycles {
			sum += v
			if v > cycles[peak] {
				peak = i
			}
		}
		im.PeakBytes, im.PeakAt = cycles[peak], starts[peak]
		im.TypicalBytes = median(cycles)
		im.P95Bytes = percentile(cycles, 0.95)
		im.PeakRate = im.PeakBytes * r / sec
		im.P95Rate = im.P95Bytes * r / sec
		im.TypicalRate = im.TypicalBytes * r / sec
		im.AverageRate = sum * r / (float64(len(cycles)) * sec)
		im.PlannedRate = im.P95Rate * (1 + growth)
		if link := a.opt.LinkRate; link > 0 {
			im.Link = simulateLink(cycles, r, link, iv, func(i int) time.Time { return starts[i] })
			ship := time.Duration(im.P95Bytes * r * (1 + growth) / link * float64(time.Second))
			im.Link.GrowthFits = ship <= iv
			if ship <= iv {
				im.RPO = iv + ship
			} else {
				im.RPONotMet = true
			}
		}
		out = append(out, im)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Interval < out[j].Interval })
	return out
}

// coveredSpan reports whether the samples cover the span [start,
// start+d) as attributed: a sample's bytes count at its timestamp, so the
// span holds the writes from start-step to start+d-step, and every one of
// those instants must lie between from and to (a quarter step of slack
// for timestamps rounded to milliseconds).
func coveredSpan(start time.Time, d time.Duration, from, to time.Time, step time.Duration) bool {
	tol := step / 4
	return !from.After(start.Add(-step+tol)) && !to.Before(start.Add(d-step-tol))
}

// binValue is a bin's total as the minute totals count it.
func (a *Analyzer) binValue(b *binAgg) float64 {
	if a.hasDisk {
		return b.disk
	}
	return b.proc
}

// percentile is the nearest-rank p-quantile of a copy of v (0 for none).
func percentile(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(0, min(len(s)-1, i))]
}

// simulateLink ships each cycle's compressed log over a link of rate bytes
// per second; what does not fit in the interval waits for the next one.
func simulateLink(cycles []float64, ratio, rate float64, iv time.Duration, start func(int) time.Time) *LinkVerdict {
	v := &LinkVerdict{Rate: rate, KeepsUp: true}
	capacity := rate * iv.Seconds()
	backlog := 0.0
	worstOpen := false // the episode holding MaxBacklog has not cleared yet
	for i, c := range cycles {
		if c*ratio > capacity {
			v.KeepsUp = false
		}
		backlog = math.Max(0, backlog+c*ratio-capacity)
		end := start(i).Add(iv)
		if backlog > 0 {
			v.LateCycles++
			if backlog > v.MaxBacklog {
				v.MaxBacklog, v.MaxBacklogAt = backlog, end
				worstOpen = true
			}
		} else if worstOpen {
			v.ClearedAt, worstOpen = end, false
		}
	}
	v.Drains = backlog == 0
	v.MaxLag = time.Duration(v.MaxBacklog / rate * float64(time.Second))
	return v
}
