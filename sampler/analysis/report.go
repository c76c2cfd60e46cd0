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
	// Baseline is the median minute total in bytes.
	Baseline    float64
	SpikeFactor float64

	TopMinutes   []MinuteStat // busiest minutes, most bytes first
	Spikes       []MinuteStat // minutes above SpikeFactor x Baseline, in time order
	Processes    []ProcessStat
	ProcessCount int // distinct processes that wrote
	Classes      []ClassShare

	Compression float64
	LinkRate    float64
	Impact      []Impact

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

// Report computes the analysis from what was added so far.
func (a *Analyzer) Report() Report {
	o := a.opt
	r := Report{
		Start: a.first, End: a.last, SpikeFactor: o.SpikeFactor,
		Compression: o.Compression, LinkRate: o.LinkRate, HasFiles: a.hasFiles,
		Minutes: len(a.minutes), ProcessCount: 0,
	}
	r.Samples = a.procSamples
	r.TotalSource = "sum of process writes (no disk totals in the input)"
	if a.hasDisk {
		r.Samples = a.diskSamples
		r.TotalSource = "disk writes (HVRStats / disk counters)"
	}
	multiDay := !a.first.IsZero() && a.first.Format("2006-01-02") != a.last.Format("2006-01-02")
	label := func(t time.Time) string {
		if multiDay {
			return t.Format("2006-01-02 15:04")
		}
		return t.Format("15:04")
	}

	// Minutes in time order with their totals.
	keys := make([]int64, 0, len(a.minutes))
	for k := range a.minutes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	totals := make([]float64, len(keys))
	for i, k := range keys {
		m := a.minutes[k]
		totals[i] = m.proc
		if a.hasDisk {
			totals[i] = m.disk
		}
		r.TotalBytes += totals[i]
		r.AttributedBytes += m.proc
	}
	r.Baseline = median(totals)

	pats := a.patterns(keys)
	minuteStat := func(i int) MinuteStat {
		m := a.minutes[keys[i]]
		start := time.Unix(keys[i]*60, 0).In(m.at.Location())
		ms := MinuteStat{Time: start, Label: label(start), Bytes: totals[i]}
		if r.Baseline > 0 {
			ms.Factor = totals[i] / r.Baseline
		}
		ms.Culprits = a.culprits(m, pats)
		return ms
	}

	// Top minutes.
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return totals[order[x]] > totals[order[y]] })
	for _, i := range order[:min(o.TopMinutes, len(order))] {
		if totals[i] <= 0 {
			break
		}
		r.TopMinutes = append(r.TopMinutes, minuteStat(i))
	}
	// Spikes, in time order. With a zero baseline (mostly idle) any minute
	// with writes would be a spike: none are flagged, the top minutes say it.
	if r.Baseline > 0 {
		for i := range keys {
			if totals[i] > o.SpikeFactor*r.Baseline {
				r.Spikes = append(r.Spikes, minuteStat(i))
			}
		}
	}

	// Processes and classes.
	classBytes := map[sampler.Class]float64{}
	var ps []ProcessStat
	for id, p := range a.procs {
		if p.write <= 0 {
			continue
		}
		r.ProcessCount++
		classBytes[p.class] += p.write
		st := ProcessStat{Name: p.name, PID: p.pid, Start: p.start, Class: p.class,
			WriteBytes: p.write, ReadBytes: p.read}
		if r.AttributedBytes > 0 {
			st.Share = p.write / r.AttributedBytes
		}
		pp := pats[int32(id)]
		st.Pattern, st.ActiveMinutes, st.DominantMinutes = pp.pattern, pp.active, pp.dominant
		if pp.peakKey != 0 || pp.peakBytes > 0 {
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
	r.Processes = ps[:min(o.TopProcesses, len(ps))]
	for c, b := range classBytes {
		cs := ClassShare{Class: c, Bytes: b}
		if r.AttributedBytes > 0 {
			cs.Share = b / r.AttributedBytes
		}
		r.Classes = append(r.Classes, cs)
	}
	sort.Slice(r.Classes, func(i, j int) bool {
		if r.Classes[i].Bytes != r.Classes[j].Bytes {
			return r.Classes[i].Bytes > r.Classes[j].Bytes
		}
		return r.Classes[i].Class < r.Classes[j].Class
	})

	r.Impact = a.impact()
	r.Basis = a.basis()
	return r
}

// procPattern is one process's spread over the minutes.
type procPattern struct {
	pattern          Pattern
	active, dominant int
	peakKey          int64
	peakBytes        float64
}

// patterns classifies every process as persistent, burst, background or
// intermittent from its bytes per minute.
func (a *Analyzer) patterns(keys []int64) map[int32]procPattern {
	o := a.opt
	out := make(map[int32]procPattern, len(a.procs))
	perProc := make(map[int32][]float64, len(a.procs))
	for _, k := range keys {
		m := a.minutes[k]
		for id, b := range m.byProc {
			if b <= 0 {
				continue
			}
			pp := out[id]
			pp.active++
			if m.proc > 0 && b >= o.PersistentShare*m.proc {
				pp.dominant++
			}
			if b > pp.peakBytes {
				pp.peakBytes, pp.peakKey = b, k
			}
			out[id] = pp
			perProc[id] = append(perProc[id], b)
		}
	}
	n := float64(len(keys))
	burstMax := int(math.Max(1, math.Floor(o.BurstMinutes*n)))
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
		switch {
		case float64(pp.dominant) >= o.PersistentMinutes*n:
			pp.pattern = PatternPersistent
		case need <= burstMax && float64(pp.active) < o.PersistentMinutes*n:
			pp.pattern = PatternBurst
		case float64(pp.active) >= o.PersistentMinutes*n:
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
	b := []string{
		"Bytes written inside the guest are an upper bound of the changed blocks the replication log (.hrl) tracks.",
		"Where per-file offsets are known, rewrites of the same range within an interval count once; the CSV recordings carry no offsets, so this estimate uses the upper bound.",
		fmt.Sprintf("Minute totals are %s; samples count in the minute of their timestamp.", map[bool]string{true: "disk writes", false: "the sum of process writes"}[a.hasDisk]),
		fmt.Sprintf("Bandwidth assumes compression to %.0f%% of the original size (--compression %g)%s.", a.opt.Compression*100, a.opt.Compression, map[bool]string{true: ", i.e. none", false: ""}[a.opt.Compression == 1]),
		fmt.Sprintf("Persistent churn: at least %.0f%% of a minute's writes in at least %.0f%% of the minutes; burst: 80%% of its bytes in at most %.0f%% of the minutes.",
			a.opt.PersistentShare*100, a.opt.PersistentMinutes*100, a.opt.BurstMinutes*100),
	}
	return b
}
