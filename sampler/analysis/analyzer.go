package analysis

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// binWidth is the finest replication bin: the shortest Hyper-V Replica
// interval. Longer intervals are sums of these bins.
const binWidth = 30 * time.Second

// Options tune the analysis. The zero value takes every default.
type Options struct {
	// SpikeFactor: a minute above SpikeFactor x baseline is a spike (10).
	SpikeFactor float64
	// Intervals are the replication intervals to estimate (30 s, 5 min,
	// 15 min); each must be a multiple of 30 s.
	Intervals []time.Duration
	// Compression is compressed size / original size, in (0, 1] (1: no
	// compression assumed, the safe upper bound).
	Compression float64
	// LinkRate is the WAN link in bytes per second; 0 when not given.
	LinkRate float64
	// Growth is the churn growth to plan for, as a fraction (0.3 = 30%);
	// 0 takes DefaultGrowth unless NoGrowth is set.
	Growth   float64
	NoGrowth bool
	// MinPatternMinutes is how many complete minutes a recording needs
	// before a process's pattern (persistent, burst...) is named (10).
	MinPatternMinutes int
	// Classify classifies processes the input gives no class for (generic
	// CSVs, perfmon); nil leaves them unclassified.
	Classify func(name, cmdline string) sampler.Classification
	// PersistentShare and PersistentMinutes define persistent churn (a
	// process with at least PersistentShare of a minute's writes in at least
	// PersistentMinutes of the minutes): 0.10 and 0.50.
	PersistentShare, PersistentMinutes float64
	// BurstMinutes: a burst holds 80% of its bytes in at most this share of
	// the minutes (at least one minute): 0.05.
	BurstMinutes float64
	// TopMinutes and TopProcesses size the summary lists (5 and 10);
	// Culprits per spike (5).
	TopMinutes, TopProcesses, Culprits int
	// DiskBytes is the guest's total disk size for the resync forecast (0:
	// unknown, no forecast); DiskSource says where it comes from
	// ("--disk-size", or the disks read on this machine).
	DiskBytes  int64
	DiskSource string
}

// DefaultIntervals are Hyper-V Replica's replication frequencies.
var DefaultIntervals = []time.Duration{30 * time.Second, 5 * time.Minute, 15 * time.Minute}

func (o Options) withDefaults() Options {
	if o.SpikeFactor <= 0 {
		o.SpikeFactor = 10
	}
	if len(o.Intervals) == 0 {
		o.Intervals = DefaultIntervals
	}
	if o.Compression <= 0 {
		o.Compression = 1
	}
	if o.NoGrowth {
		o.Growth = 0
	} else if o.Growth <= 0 {
		o.Growth = DefaultGrowth
	}
	if o.MinPatternMinutes <= 0 {
		o.MinPatternMinutes = DefaultMinPatternMinutes
	}
	if o.PersistentShare <= 0 {
		o.PersistentShare = 0.10
	}
	if o.PersistentMinutes <= 0 {
		o.PersistentMinutes = 0.50
	}
	if o.BurstMinutes <= 0 {
		o.BurstMinutes = 0.05
	}
	if o.TopMinutes <= 0 {
		o.TopMinutes = 5
	}
	if o.TopProcesses <= 0 {
		o.TopProcesses = 10
	}
	if o.Culprits <= 0 {
		o.Culprits = 5
	}
	return o
}

// Validate reports options a user must correct, naming the value. NaN and
// infinite values are refused for every number.
func (o Options) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"spike factor", o.SpikeFactor}, {"compression", o.Compression}, {"link rate", o.LinkRate}, {"growth", o.Growth},
		{"persistent share", o.PersistentShare}, {"persistent minutes", o.PersistentMinutes}, {"burst minutes", o.BurstMinutes}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("%s %g: give a finite number", f.name, f.v)
		}
		if f.v < 0 {
			return fmt.Errorf("%s %g: must not be negative", f.name, f.v)
		}
	}
	if o.DiskBytes < 0 {
		return fmt.Errorf("disk size %d: must not be negative", o.DiskBytes)
	}
	if o.SpikeFactor > 0 && o.SpikeFactor <= 1 {
		return fmt.Errorf("spike factor %g: use a number above 1 (10 flags minutes over 10x the baseline)", o.SpikeFactor)
	}
	if o.Compression > 1 {
		return fmt.Errorf("compression %g: use compressed size / original size, between 0 and 1 (0.5 = half the bytes cross the WAN)", o.Compression)
	}
	for _, iv := range o.Intervals {
		if iv <= 0 || iv%binWidth != 0 {
			return fmt.Errorf("replication interval %s: use 30s, 5m or 15m", iv)
		}
	}
	return nil
}

// Analyzer accumulates samples into the minute pivot and replication bins.
// Feed it with AddSample (recordings, replay) or AddFrame (live) in any
// order; Report can be called at any time, so the TUI shows the analysis
// live. It is not safe for concurrent use.
type Analyzer struct {
	opt Options

	procs     []procInfo
	procIndex map[procIdent]int32
	paths     []string
	pathIndex map[string]int32
	classes   map[string]sampler.Class // classifier results by name

	minutes map[int64]*minuteAgg
	bins    map[int64]*binAgg
	lastMin *minuteAgg
	lastKey int64
	lastBin *binAgg
	lastBK  int64

	samples     int // AddSample calls
	diskSamples int // samples with disk totals
	procSamples int // samples with process rows
	first, last time.Time
	// covStart is where the samples' coverage begins: the earliest sample
	// time minus its interval. elapsed holds the first sampling intervals
	// seen, for the usual step.
	covStart time.Time
	elapsed  []time.Duration
	hasDisk  bool
	hasFiles bool
	loc      *time.Location
	// fileTotals is each (process, file)'s writes over the recording.
	fileTotals map[fileKey]float64
}

type procInfo struct {
	name        string
	pid         int32
	start       int64
	class       sampler.Class
	write, read float64
}

type minuteAgg struct {
	at      time.Time // first sample in the minute, for the label
	samples int
	disk    float64 // disk write bytes
	proc    float64 // sum of process write bytes
	byProc  map[int32]float64
	files   map[fileKey]float64
	// classes is the process writes by class slot (see ClassSlot).
	classes [ClassSlots]float64
	// diskTimes are the disks' busy time, queue and response time sums
	// (disktimes.go); nil when the samples have none.
	diskTimes map[string]*diskTimeAcc
}

// fileKey is a (process, file) pair. FileStats has no process start time,
// so files are matched to processes by name and PID.
type fileKey struct {
	name string
	pid  int32
	path int32
}

type binAgg struct{ disk, proc float64 }

// NewAnalyzer returns an empty Analyzer; bad options were caught by
// Options.Validate, and zero fields take their defaults.
func NewAnalyzer(opt Options) *Analyzer {
	return &Analyzer{
		opt:       opt.withDefaults(),
		procIndex: map[procIdent]int32{},
		pathIndex: map[string]int32{},
		classes:   map[string]sampler.Class{},
		minutes:   map[int64]*minuteAgg{},
		bins:      map[int64]*binAgg{},
	}
}

// Options returns the options in use, defaults filled in.
func (a *Analyzer) Options() Options { return a.opt }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (a *Analyzer) minute(t time.Time) *minuteAgg {
	k := floorDiv(t.Unix(), 60)
	if a.lastMin != nil && k == a.lastKey {
		return a.lastMin
	}
	m := a.minutes[k]
	if m == nil {
		m = &minuteAgg{at: t, byProc: map[int32]float64{}}
		a.minutes[k] = m
	}
	a.lastMin, a.lastKey = m, k
	return m
}

func (a *Analyzer) bin(t time.Time) *binAgg {
	k := floorDiv(t.Unix(), int64(binWidth/time.Second))
	if a.lastBin != nil && k == a.lastBK {
		return a.lastBin
	}
	b := a.bins[k]
	if b == nil {
		b = &binAgg{}
		a.bins[k] = b
	}
	a.lastBin, a.lastBK = b, k
	return b
}

func (a *Analyzer) procID(p *ProcSample) int32 {
	id := procIdent{p.Name, p.PID, p.Start}
	i, ok := a.procIndex[id]
	if !ok {
		i = int32(len(a.procs))
		a.procIndex[id] = i
		a.procs = append(a.procs, procInfo{name: p.Name, pid: p.PID, start: p.Start})
	}
	if a.procs[i].class == "" {
		a.procs[i].class = a.classify(p.Name, p.Class)
	}
	return i
}

func (a *Analyzer) classify(name string, given sampler.Class) sampler.Class {
	if given != "" || a.opt.Classify == nil {
		return given
	}
	c, ok := a.classes[name]
	if !ok {
		c = a.opt.Classify(name, "").Class
		a.classes[name] = c
	}
	return c
}

func (a *Analyzer) pathID(p string) int32 {
	i, ok := a.pathIndex[p]
	if !ok {
		i = int32(len(a.paths))
		a.pathIndex[p] = i
		a.paths = append(a.paths, p)
	}
	return i
}

// AddSample adds one sample. Disk, process and file parts may arrive in
// separate Samples with the same time (one per file of a recording).
func (a *Analyzer) AddSample(s Sample) {
	if s.Time.IsZero() {
		return
	}
	if a.samples == 0 || s.Time.Before(a.first) {
		a.first = s.Time
	}
	if a.samples == 0 || s.Time.After(a.last) {
		a.last = s.Time
	}
	if a.loc == nil {
		a.loc = s.Time.Location()
	}
	el := s.Elapsed
	if el <= 0 {
		el = defaultElapsed
	} else if len(a.elapsed) < 64 {
		a.elapsed = append(a.elapsed, el)
	}
	if a.covStart.IsZero() || s.Time.Add(-el).Before(a.covStart) {
		a.covStart = s.Time.Add(-el)
	}
	a.samples++
	m := a.minute(s.Time)
	if m.samples == 0 || s.Time.Before(m.at) {
		m.at = s.Time
	}
	m.samples++
	b := a.bin(s.Time)
	if s.HasDisks {
		el := s.Elapsed.Seconds()
		if el <= 0 {
			el = defaultElapsed.Seconds()
		}
		a.hasDisk = true
		a.diskSamples++
		m.disk += s.DiskWriteRate * el
		b.disk += s.DiskWriteRate * el
		m.addDiskTimes(s.Disks, el)
	}
	if len(s.Procs) > 0 {
		a.procSamples++
	}
	for i := range s.Procs {
		p := &s.Procs[i]
		if p.WriteBytes <= 0 && p.ReadBytes <= 0 {
			continue
		}
		id := a.procID(p)
		a.procs[id].write += p.WriteBytes
		a.procs[id].read += p.ReadBytes
		if p.WriteBytes > 0 {
			m.byProc[id] += p.WriteBytes
			m.proc += p.WriteBytes
			m.classes[ClassSlot(a.procs[id].class)] += p.WriteBytes
			b.proc += p.WriteBytes
		}
	}
	for i := range s.Files {
		f := &s.Files[i]
		if f.WriteBytes <= 0 {
			continue
		}
		a.hasFiles = true
		if m.files == nil {
			m.files = map[fileKey]float64{}
		}
		fk := fileKey{f.Process, f.PID, a.pathID(filePathKey(f.Path))}
		m.files[fk] += f.WriteBytes
		if a.fileTotals == nil {
			a.fileTotals = map[fileKey]float64{}
		}
		a.fileTotals[fk] += f.WriteBytes
		if len(a.fileTotals) > maxFileTotals {
			a.forgetSmallFiles()
		}
	}
}

// AddFrame adds one live sampler frame (the engine's first frame, with no
// elapsed time, carries no rates and is ignored).
func (a *Analyzer) AddFrame(f sampler.Frame) {
	if f.Elapsed <= 0 {
		return
	}
	el := f.Elapsed.Seconds()
	s := Sample{
		Time:          f.Time,
		Elapsed:       f.Elapsed,
		HasDisks:      len(f.Disks) > 0,
		DiskWriteRate: f.DiskWriteRate,
		DiskReadRate:  f.DiskReadRate,
		Disks:         f.Disks,
		Procs:         make([]ProcSample, 0, len(f.Processes)),
	}
	for _, p := range f.Processes {
		if p.WriteRate <= 0 && p.ReadRate <= 0 {
			continue
		}
		s.Procs = append(s.Procs, ProcSample{
			Name: p.Name, PID: p.Key.PID, Start: p.Key.Start, Class: p.Class.Class,
			WriteRate: p.WriteRate, ReadRate: p.ReadRate,
			WriteBytes: p.WriteRate * el, ReadBytes: p.ReadRate * el,
			WriteTotal: p.WriteTotal, ReadTotal: p.ReadTotal, HasTotals: true,
		})
	}
	a.AddSample(s)
}

// AddFiles adds per-file activity for the interval that ended at t (from a
// per-file source, live).
func (a *Analyzer) AddFiles(t time.Time, elapsed time.Duration, files []FileSample) {
	a.AddSample(Sample{Time: t, Elapsed: elapsed, Files: files})
}

// maxFileTotals bounds the (process, file) pairs whose totals are kept over
// the whole recording: a long live session can touch hundreds of thousands
// of files. Past it the half that wrote least is forgotten; the top files
// the report lists are never among them.
const maxFileTotals = 20000

// forgetSmallFiles keeps the half of fileTotals that wrote most (ties at
// the cut are dropped in map order).
func (a *Analyzer) forgetSmallFiles() {
	v := make([]float64, 0, len(a.fileTotals))
	for _, b := range a.fileTotals {
		v = append(v, b)
	}
	keep := len(v) / 2
	sort.Sort(sort.Reverse(sort.Float64Slice(v)))
	cut := v[keep]
	for k, b := range a.fileTotals {
		if b < cut {
			delete(a.fileTotals, k)
		}
	}
	for k, b := range a.fileTotals {
		if len(a.fileTotals) <= keep {
			break
		}
		if b == cut {
			delete(a.fileTotals, k)
		}
	}
}

// OtherFiles names the recorder's per-process row for the files past its
// per-interval limit ("(12 other files)" in FileStats): their bytes are
// summed per process under this one name, as the count differs from one
// interval to the next.
const OtherFiles = "(other files)"

// filePathKey is the path files are summed under.
func filePathKey(p string) string {
	if strings.HasPrefix(p, "(") && (strings.HasSuffix(p, " other files)") || strings.HasSuffix(p, " other file)")) {
		if _, err := strconv.Atoi(p[1:strings.IndexByte(p, ' ')]); err == nil {
			return OtherFiles
		}
	}
	return p
}
