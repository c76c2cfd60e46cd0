package sampler

import "time"

// RateWindow averages per-key byte counts over a sliding window of
// intervals, as Resource Monitor's lists average over a minute: a key's
// rate is the bytes it moved in the intervals of the window divided by
// the window's whole length, so a key idle in some intervals averages
// lower rather than flickering. The zero value is not usable: see
// NewRateWindow. Not safe for concurrent use.
type RateWindow[K comparable] struct {
	span  time.Duration
	ivs   []windowInterval[K]
	sums  map[K]*[2]float64
	total time.Duration
}

type windowInterval[K comparable] struct {
	end     time.Time
	elapsed time.Duration
	bytes   map[K][2]float64
}

// NewRateWindow averages over the intervals that ended within span of
// the newest.
func NewRateWindow[K comparable](span time.Duration) *RateWindow[K] {
	return &RateWindow[K]{span: span, sums: map[K]*[2]float64{}}
}

// Add takes one interval: its end, its length and each key's write and
// read bytes in it (keys with no bytes may be left out). An interval
// without length is ignored.
func (w *RateWindow[K]) Add(end time.Time, elapsed time.Duration, bytes map[K][2]float64) {
	if elapsed <= 0 {
		return
	}
	w.ivs = append(w.ivs, windowInterval[K]{end: end, elapsed: elapsed, bytes: bytes})
	w.total += elapsed
	for k, b := range bytes {
		s := w.sums[k]
		if s == nil {
			s = &[2]float64{}
			w.sums[k] = s
		}
		s[0] += b[0]
		s[1] += b[1]
	}
	for len(w.ivs) > 1 && end.Sub(w.ivs[0].end) >= w.span {
		old := w.ivs[0]
		w.ivs = w.ivs[1:]
		w.total -= old.elapsed
		for k, b := range old.bytes {
			s := w.sums[k]
			s[0] -= b[0]
			s[1] -= b[1]
			if s[0] <= 0.5 && s[1] <= 0.5 {
				delete(w.sums, k)
			}
		}
	}
}

// Rates are k's average write and read bytes per second over the window.
func (w *RateWindow[K]) Rates(k K) (write, read float64) {
	s := w.sums[k]
	if s == nil || w.total <= 0 {
		return 0, 0
	}
	sec := w.total.Seconds()
	return max(0, s[0]) / sec, max(0, s[1]) / sec
}

// Span is the length of the intervals averaged now (at most the window
// plus one interval).
func (w *RateWindow[K]) Span() time.Duration { return w.total }
