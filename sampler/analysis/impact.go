package analysis

import (
	"math"
	"sort"
	"time"
)

// Impact is what the churn means for one replication interval.
type Impact struct {
	Interval time.Duration
	// Cycles is the number of replication cycles in the recording's span.
	Cycles int
	// PeakBytes and TypicalBytes are the log size (uncompressed) of the
	// largest cycle and of the median cycle; PeakAt is when the largest
	// cycle started.
	PeakBytes, TypicalBytes float64
	PeakAt                  time.Time
	// Bandwidth needed in bytes per second after compression: to ship the
	// largest cycle within one interval, the median cycle, and the average
	// over the whole recording.
	PeakRate, TypicalRate, AverageRate float64
	// Link is the verdict for the given link; nil without one.
	Link *LinkVerdict
}

// LinkVerdict simulates the given link shipping each cycle's compressed log,
// carrying what does not fit over to the next cycle.
type LinkVerdict struct {
	Rate float64 // bytes per second
	// KeepsUp: every cycle's log fits in one interval.
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
}

// impact bins the minute totals' source per replication interval.
func (a *Analyzer) impact() []Impact {
	if len(a.bins) == 0 {
		return nil
	}
	var lo, hi int64
	first := true
	for k := range a.bins {
		if first || k < lo {
			lo = k
		}
		if first || k > hi {
			hi = k
		}
		first = false
	}
	binSec := int64(binWidth / time.Second)
	loc := a.first.Location()
	var out []Impact
	for _, iv := range a.opt.Intervals {
		per := int64(iv / binWidth)
		// Cycles aligned to the interval on the clock.
		c0, c1 := floorDiv(lo, per), floorDiv(hi, per)
		n := int(c1 - c0 + 1)
		cycles := make([]float64, n)
		for k, b := range a.bins {
			v := b.proc
			if a.hasDisk {
				v = b.disk
			}
			cycles[floorDiv(k, per)-c0] += v
		}
		im := Impact{Interval: iv, Cycles: n}
		var total float64
		peak := 0
		for i, v := range cycles {
			total += v
			if v > cycles[peak] {
				peak = i
			}
		}
		cycleStart := func(i int) time.Time {
			return time.Unix((c0+int64(i))*per*binSec, 0).In(loc)
		}
		sec := iv.Seconds()
		r := a.opt.Compression
		im.PeakBytes, im.PeakAt = cycles[peak], cycleStart(peak)
		im.TypicalBytes = median(cycles)
		im.PeakRate = im.PeakBytes * r / sec
		im.TypicalRate = im.TypicalBytes * r / sec
		im.AverageRate = total * r / (float64(n) * sec)
		if a.opt.LinkRate > 0 {
			im.Link = simulateLink(cycles, r, a.opt.LinkRate, iv, cycleStart)
		}
		out = append(out, im)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Interval < out[j].Interval })
	return out
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
