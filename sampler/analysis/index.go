package analysis

import (
	"io"
	"sort"
	"time"
)

// Index is a recording read once for a time cursor: every merged sample
// fed to an Analyzer (so the report covers the whole recording), the
// samples counted, and where each minute and each spike minute starts.
// The screens keep the cursor and ask the Index where to move it.
//
// Memory: one entry per minute plus the Analyzer's per-minute state;
// nothing grows with the number of rows or the sampling rate.
type Index struct {
	an *Analyzer
	// Count is the number of merged samples; Start and End their times.
	Count      int
	Start, End time.Time
	// Step is the recording's usual sampling interval (the median of the
	// first intervals seen); 0 when none is known.
	Step time.Duration
	// Host is the host the recording names ("" without a Host column).
	Host   string
	Inputs []Input
	// Notes say how the files were read (a generic CSV's column mapping).
	Notes []string
	// MissingColumns are the per-disk time columns the HVRStats headers
	// lack (Replay.MissingColumns).
	MissingColumns []string
	minutes        []minuteMark
	spikes         []int
}

// minuteMark is where a minute starts: its Unix minute and the 1-based
// number of its first sample.
type minuteMark struct {
	key   int64
	first int
}

// IndexRecording reads the recording's files once (paths as ExpandPaths
// gives them) with the analysis options opt.
func IndexRecording(paths []string, cols ColumnMap, opt Options) (*Index, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	rp, err := OpenReplay(paths, cols)
	if err != nil {
		return nil, err
	}
	defer rp.Close()
	x := &Index{an: NewAnalyzer(opt)}
	var gaps []time.Duration
	for {
		s, err := rp.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		x.Count++
		if x.Count == 1 {
			x.Start = s.Time
		}
		x.End = s.Time
		if k := floorDiv(s.Time.Unix(), 60); len(x.minutes) == 0 || x.minutes[len(x.minutes)-1].key != k {
			x.minutes = append(x.minutes, minuteMark{key: k, first: x.Count})
		}
		if s.Elapsed > 0 && len(gaps) < 64 {
			gaps = append(gaps, s.Elapsed)
		}
		x.an.AddSample(s)
	}
	x.Inputs, x.Host, x.Notes, x.MissingColumns = rp.Inputs(), rp.Host(), inputNotes(rp, opt), rp.MissingColumns()
	if x.Count == 0 {
		return nil, ErrNoSamples
	}
	if len(gaps) > 0 {
		sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
		x.Step = gaps[len(gaps)/2]
	}
	for _, sp := range x.an.Report().Spikes {
		if i := x.minuteIndex(floorDiv(sp.Time.Unix(), 60)); i >= 0 {
			x.spikes = append(x.spikes, x.minutes[i].first)
		}
	}
	return x, nil
}

// Analyzer is the analysis of the whole recording.
func (x *Index) Analyzer() *Analyzer { return x.an }

// Skipped reports the rows that could not be read, per file with skips.
func (x *Index) Skipped() []Skipped {
	var out []Skipped
	for _, in := range x.Inputs {
		if in.Skipped.Count > 0 {
			out = append(out, in.Skipped)
		}
	}
	return out
}

// minuteIndex is the position of Unix minute k, or -1.
func (x *Index) minuteIndex(k int64) int {
	i := sort.Search(len(x.minutes), func(i int) bool { return x.minutes[i].key >= k })
	if i < len(x.minutes) && x.minutes[i].key == k {
		return i
	}
	return -1
}

// minuteOf is the position of the minute holding sample n.
func (x *Index) minuteOf(n int) int {
	return max(0, sort.Search(len(x.minutes), func(i int) bool { return x.minutes[i].first > n })-1)
}

// NextMinute is the first sample of the minute after sample n's (the last
// sample when n is in the last minute).
func (x *Index) NextMinute(n int) int {
	if i := x.minuteOf(n) + 1; i < len(x.minutes) {
		return x.minutes[i].first
	}
	return x.Count
}

// PrevMinute is the first sample of sample n's minute, or of the minute
// before when n is already its first.
func (x *Index) PrevMinute(n int) int {
	i := x.minuteOf(n)
	if x.minutes[i].first == n && i > 0 {
		i--
	}
	return x.minutes[i].first
}

// Spikes are the first samples of the spike minutes, in time order.
func (x *Index) Spikes() []int { return x.spikes }

// SpikeFrom finds the spike after (next) or before sample n: its position
// in Spikes.
func (x *Index) SpikeFrom(n int, next bool) (int, bool) {
	s := x.spikes
	if next {
		i := sort.SearchInts(s, n+1)
		return i, i < len(s)
	}
	i := sort.SearchInts(s, n) - 1
	return i, i >= 0
}
