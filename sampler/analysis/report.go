package analysis

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Pattern tells persistent churn from bursts (definitions in the package
// documentation).
type Pattern string

// The churn patterns.
const (
	PatternPersistent   Pattern = "persistent"
	PatternBurst        Pattern = "burst"
	PatternBackground   Pattern = "background"
	PatternIntermittent Pattern = "intermittent"
	// PatternTooShort: the recording has fewer complete minutes than
	// Options.MinPatternMinutes, too few to tell a burst from persistent
	// churn.
	PatternTooShort Pattern = "too short to tell"
)

// Report is the analysis at one point in time: the pivot, the baseline,
// the spikes with their culprits, and the replication impact.
type Report struct {
	Start, End time.Time
	// Samples counts sampling intervals seen; Minutes the minutes that have
	// samples (the pivot's rows).
	Samples, Minutes int
	// TotalSource says what the minute totals are: disk writes or the sum
	// of process writes.
	TotalSource string
	// TotalBytes is the sum of the minute totals; AttributedBytes the sum of
	// process writes (they differ when disk totals are used).
	TotalBytes, AttributedBytes float64
	// Baseline is the median total of the complete minutes in bytes; 0
	// when fewer than BaselineNeeds complete minutes were recorded.
	Baseline    float64
	SpikeFactor float64
	// CompleteMinutes counts the minutes recorded from start to end (the
	// baseline's and the patterns' minutes); BaselineNeeds and
	// PatternNeeds are the complete minutes a baseline and a pattern need.
	CompleteMinutes             int
	BaselineNeeds, PatternNeeds int
	// Pivot is every recorded minute with its total, class parts, factor
	// and spike flag.
	Pivot Pivot

	TopMinutes   []MinuteStat // busiest minutes, most bytes first
	Spikes       []MinuteStat // minutes above SpikeFactor x Baseline, in time order
	Processes    []ProcessStat
	ProcessCount int // distinct processes that wrote
	Classes      []ClassShare

	Compression float64
	LinkRate    float64
	// Growth is the planned churn growth (0.3 = 30%) in the impact.
	Growth float64
	Impact []Impact
	// Forecast is how long the change log would take to reach the resync
	// trigger if replication stalled; nil with ForecastNote saying why
	// there is none.
	Forecast     *GuestForecast
	ForecastNote string

	// Files are the files written most over the recording (FileStats or a
	// live per-file source), most bytes first.
	Files []FileTotal

	// HasFiles is true when per-file data was present (culprits name files).
	HasFiles bool
	// Basis states what the estimate rests on, one sentence per line.
	Basis []string
}

// MinuteStat is one row of the minute pivot.
type MinuteStat struct {
	Time     time.Time // the minute's start
	Label    string    // "04:57", or "2026-11-24 04:57" for multi-day recordings
	Bytes    float64   // the minute total
	Factor   float64   // Bytes / Baseline (0 when the baseline is 0)
	Partial  bool      // the samples do not cover the whole minute
	Culprits []Culprit // processes by bytes in the minute
}

// Culprit is one process's part of a minute.
type Culprit struct {
	Name    string
	PID     int32
	Class   sampler.Class
	Pattern Pattern
	Bytes   float64
	// Share is the process's part of the minute's process writes (0..1).
	Share float64
	Files []FileStat
}

// FileStat is one file's writes in a minute.
type FileStat struct {
	Path  string
	Bytes float64
}

// FileTotal is one file's writes over the whole recording, with the
// process that wrote it.
type FileTotal struct {
	Path    string
	Process string
	PID     int32
	Class   sampler.Class
	Bytes   float64
}

// ProcessStat is one process over the whole recording.
type ProcessStat struct {
	Name       string
	PID        int32
	Start      int64
	Class      sampler.Class
	Pattern    Pattern
	WriteBytes float64
	ReadBytes  float64
	Share      float64 // of all process writes
	// ActiveMinutes: minutes with writes; DominantMinutes: minutes where the
	// process made at least PersistentShare of the writes.
	ActiveMinutes, DominantMinutes int
	PeakLabel                      string
	PeakBytes                      float64
}

// ClassShare is one class's part of all process writes.
type ClassShare struct {
	Class sampler.Class // "" for unclassified
	Bytes float64
	Share float64
}

// Report computes the analysis from what was added so far, in phases:
// the totals, the minutes (top and spikes), the processes, their classes,
// then the files, the replication impact, the forecast and the basis.
func (a *Analyzer) Report() Report {
	o := a.opt
	pv := a.Pivot()
	r := a.reportTotals(pv)
	keys, complete := a.minuteKeys()
	for i, k := range keys {
		r.TotalBytes += pv.Minutes[i].Bytes
		r.AttributedBytes += a.minutes[k].proc
	}
	pats := a.patterns(keys, complete)
	r.TopMinutes, r.Spikes = a.minuteStats(pv, keys, pats)
	var classBytes map[sampler.Class]float64
	r.Processes, r.ProcessCount, classBytes = a.processStats(pv, pats, r.AttributedBytes)
	r.Classes = classShares(classBytes, r.AttributedBytes)
	r.Files = a.topFiles(o.TopProcesses)
	r.Impact = a.impact()
	r.Forecast, r.ForecastNote = a.forecast(r)
	r.Basis = a.basis()
	return r
}

// reportTotals is the report's frame: the span, the options in force, the
// pivot and its baseline, and what the totals are made of.
func (a *Analyzer) reportTotals(pv Pivot) Report {
	o := a.opt
	r := Report{
		Start: a.first, End: a.last, SpikeFactor: o.SpikeFactor,
		Compression: o.Compression, LinkRate: o.LinkRate, Growth: o.Growth, HasFiles: a.hasFiles,
		Minutes: len(a.minutes), Pivot: pv, Baseline: pv.Baseline,
		CompleteMinutes: pv.CompleteMinutes, BaselineNeeds: pv.BaselineNeeds, PatternNeeds: o.MinPatternMinutes,
	}
	r.Samples = a.procSamples
	r.TotalSource = "sum of process writes (no disk totals in the input)"
	if a.hasDisk {
		r.Samples = a.diskSamples
		r.TotalSource = "disk writes (HVRStats / disk counters)"
	}
	return r
}

// minuteStats are the busiest minutes, most bytes first, and the spikes in
// time order, each with its culprits. Without a baseline (too few complete
// minutes, or mostly idle) no spike is flagged; the top minutes say it.
func (a *Analyzer) minuteStats(pv Pivot, keys []int64, pats map[int32]procPattern) (top, spikes []MinuteStat) {
	minuteStat := func(i int) MinuteStat {
		pm := pv.Minutes[i]
		ms := MinuteStat{Time: pm.Time, Label: pm.Label, Bytes: pm.Bytes, Factor: pm.Factor, Partial: pm.Partial}
		ms.Culprits = a.culprits(a.minutes[keys[i]], pats)
		return ms
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return pv.Minutes[order[x]].Bytes > pv.Minutes[order[y]].Bytes })
	for _, i := range order[:min(a.opt.TopMinutes, len(order))] {
		if pv.Minutes[i].Bytes <= 0 {
			break
		}
		top = append(top, minuteStat(i))
	}
	for i := range keys {
		if pv.Minutes[i].Spike {
			spikes = append(spikes, minuteStat(i))
		}
	}
	return top, spikes
}

// processStats are the processes that wrote, most bytes first (the top
// TopProcesses of them), with their pattern and peak minute; count is how
// many wrote, classBytes what each class wrote.
func (a *Analyzer) processStats(pv Pivot, pats map[int32]procPattern, attributed float64) (top []ProcessStat, count int, classBytes map[sampler.Class]float64) {
	o := a.opt
	label := a.labeler()
	classBytes = map[sampler.Class]float64{}
	var ps []ProcessStat
	for id, p := range a.procs {
		if p.write <= 0 {
			continue
		}
		count++
		classBytes[p.class] += p.write
		st := ProcessStat{Name: p.name, PID: p.pid, Start: p.start, Class: p.class,
			WriteBytes: p.write, ReadBytes: p.read}
		if attributed > 0 {
			st.Share = p.write / attributed
		}
		pp := pats[int32(id)]
		st.Pattern, st.ActiveMinutes, st.DominantMinutes = pp.pattern, pp.active, pp.dominant
		if st.Pattern == "" {
			st.Pattern = PatternIntermittent
			if pv.CompleteMinutes < o.MinPatternMinutes {
				st.Pattern = PatternTooShort
			}
		}
		if pp.peakBytes > 0 {
			m := a.minutes[pp.peakKey]
			st.PeakLabel = label(time.Unix(pp.peakKey*60, 0).In(m.at.Location()))
			st.PeakBytes = pp.peakBytes
		}
		ps = append(ps, st)
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].WriteBytes != ps[j].WriteBytes {
			return ps[i].WriteBytes > ps[j].WriteBytes
		}
		return ps[i].Name < ps[j].Name
	})
	return ps[:min(o.TopProcesses, len(ps))], count, classBytes
}

// classShares is each class's part of the attributed writes, most first.
func classShares(classBytes map[sampler.Class]float64, attributed float64) []ClassShare {
	var out []ClassShare
	for c, b := range classBytes {
		cs := ClassShare{Class: c, Bytes: b}
		if attributed > 0 {
			cs.Share = b / attributed
		}
		out = append(out, cs)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bytes != out[j].Bytes {
			return out[i].Bytes > out[j].Bytes
		}
		return out[i].Class < out[j].Class
	})
	return out
}

// topFiles lists the n files written most, with their writers.
func (a *Analyzer) topFiles(n int) []FileTotal {
	type namePID struct {
		name string
		pid  int32
	}
	class := make(map[namePID]sampler.Class, len(a.procs))
	for _, p := range a.procs {
		if _, ok := class[namePID{p.name, p.pid}]; !ok {
			class[namePID{p.name, p.pid}] = p.class
		}
	}
	out := make([]FileTotal, 0, len(a.fileTotals))
	for fk, b := range a.fileTotals {
		out = append(out, FileTotal{Path: a.paths[fk.path], Process: fk.name, PID: fk.pid, Bytes: b, Class: class[namePID{fk.name, fk.pid}]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bytes != out[j].Bytes {
			return out[i].Bytes > out[j].Bytes
		}
		return out[i].Path < out[j].Path
	})
	return out[:min(n, len(out))]
}

// procPattern is one process's spread over the minutes.
type procPattern struct {
	pattern          Pattern
	active, dominant int
	peakKey          int64
	peakBytes        float64
}

// patterns classifies every process as persistent, burst, background or
// intermittent from its bytes per complete minute; with fewer complete
// minutes than MinPatternMinutes every process is "too short to tell".
// The peak minute is looked for in every minute.
func (a *Analyzer) patterns(keys []int64, complete []bool) map[int32]procPattern {
	o := a.opt
	out := make(map[int32]procPattern, len(a.procs))
	perProc := make(map[int32][]float64, len(a.procs))
	n := 0
	for i, k := range keys {
		m := a.minutes[k]
		if complete[i] {
			n++
		}
		for id, b := range m.byProc {
			if b <= 0 {
				continue
			}
			pp := out[id]
			if b > pp.peakBytes {
				pp.peakBytes, pp.peakKey = b, k
			}
			if complete[i] {
				pp.active++
				if m.proc > 0 && b >= o.PersistentShare*m.proc {
					pp.dominant++
				}
				perProc[id] = append(perProc[id], b)
			}
			out[id] = pp
		}
	}
	tooShort := n < o.MinPatternMinutes
	burstMax := int(math.Max(1, math.Floor(o.BurstMinutes*float64(n))))
	for id, pp := range out {
		bs := perProc[id]
		sort.Sort(sort.Reverse(sort.Float64Slice(bs)))
		var total, cum float64
		for _, b := range bs {
			total += b
		}
		need := 0
		for _, b := range bs {
			cum += b
			need++
			if cum >= 0.8*total {
				break
			}
		}
		nf := float64(n)
		switch {
		case tooShort:
			pp.pattern = PatternTooShort
		case len(bs) == 0:
			pp.pattern = PatternIntermittent // wrote only in partial minutes
		case float64(pp.dominant) >= o.PersistentMinutes*nf:
			pp.pattern = PatternPersistent
		case need <= burstMax && float64(pp.active) < o.PersistentMinutes*nf:
			pp.pattern = PatternBurst
		case float64(pp.active) >= o.PersistentMinutes*nf:
			pp.pattern = PatternBackground
		default:
			pp.pattern = PatternIntermittent
		}
		out[id] = pp
	}
	return out
}

// culprits lists a minute's top writers with their files.
func (a *Analyzer) culprits(m *minuteAgg, pats map[int32]procPattern) []Culprit {
	type pb struct {
		id int32
		b  float64
	}
	list := make([]pb, 0, len(m.byProc))
	for id, b := range m.byProc {
		if b > 0 {
			list = append(list, pb{id, b})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].b != list[j].b {
			return list[i].b > list[j].b
		}
		return list[i].id < list[j].id
	})
	var out []Culprit
	for i, e := range list[:min(a.opt.Culprits, len(list))] {
		p := a.procs[e.id]
		c := Culprit{Name: p.name, PID: p.pid, Class: p.class, Pattern: pats[e.id].pattern, Bytes: e.b}
		if m.proc > 0 {
			c.Share = e.b / m.proc
		}
		if i > 0 && c.Share < 0.01 {
			break // under 1% of the minute is not a culprit
		}
		for fk, b := range m.files {
			if fk.name == p.name && fk.pid == p.pid {
				c.Files = append(c.Files, FileStat{Path: a.paths[fk.path], Bytes: b})
			}
		}
		sort.Slice(c.Files, func(i, j int) bool {
			if c.Files[i].Bytes != c.Files[j].Bytes {
				return c.Files[i].Bytes > c.Files[j].Bytes
			}
			return c.Files[i].Path < c.Files[j].Path
		})
		if len(c.Files) > 3 {
			c.Files = c.Files[:3]
		}
		out = append(out, c)
	}
	return out
}

// median of a copy of v; 0 for none.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// basis states what the numbers rest on.
func (a *Analyzer) basis() []string {
	o := a.opt
	return []string{
		"Bytes written inside the guest are an upper bound of the changed blocks the replication log (.hrl) tracks.",
		fmt.Sprintf("Minute totals are %s; samples count in the minute of their timestamp.", map[bool]string{true: "disk writes", false: "the sum of process writes"}[a.hasDisk]),
		fmt.Sprintf("Baseline: the median of the complete minutes (at least %d needed); the first and last minutes, only partly recorded, are left out and marked partial.", DefaultMinBaselineMinutes),
		fmt.Sprintf("Persistent churn: at least %.0f%% of a minute's writes in at least %.0f%% of the complete minutes; burst: 80%% of its bytes in at most %.0f%% of them; named from %d complete minutes on, \"too short to tell\" before.",
			o.PersistentShare*100, o.PersistentMinutes*100, o.BurstMinutes*100, o.MinPatternMinutes),
		"Replication figures come from complete cycles only (aligned to the clock); a recording shorter than a cycle gets a projection from its sustained rate, labelled as such.",
		fmt.Sprintf("Bandwidth assumes compression to %.0f%% of the original size (--compression %g)%s; planned bandwidth is the 95th-percentile cycle plus %.0f%% growth (--growth %g).",
			o.Compression*100, o.Compression, map[bool]string{true: ", i.e. none", false: ""}[o.Compression == 1], o.Growth*100, o.Growth*100),
	}
}
