package exporter

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// Bounds on the series the exporter keeps.
const (
	// DefaultMaxProcessSeries bounds the (process name, class, basis)
	// series. When it is full a new name is counted under OtherProcesses
	// of its class; a series idle for ProcessIdleAfter is dropped to make
	// room (Prometheus treats its return at a lower value as a counter
	// reset, which rate() and increase() handle).
	DefaultMaxProcessSeries = 500
	// ProcessIdleAfter is how long a process series may go without bytes
	// before it may be dropped.
	ProcessIdleAfter = time.Hour
	// DefaultTopFiles is how many files hvrdoctor_file_written_bytes lists.
	DefaultTopFiles = 20
	// maxFileTotals bounds the (file, process name) totals kept to choose
	// the top files from; past it the half that wrote least is forgotten.
	maxFileTotals = 5000
	// OtherProcesses is the name label of the bytes of names that found
	// no room under DefaultMaxProcessSeries.
	OtherProcesses = "(other processes)"
)

// procSeriesKey is one process series: name, class and the basis of its
// write figures (sampler.BasisDisk, sampler.BasisStorage or
// sampler.BasisPageCache).
type procSeriesKey struct {
	name, class, basis string
}

// procTotals are a process series' cumulative bytes.
type procTotals struct {
	written, read, cancelled, logical float64
	dirtied                           float64 // write_bytes beside disk bytes (basis disk)
	lastActive                        time.Time
}

// diskTotals are one disk's cumulative bytes.
type diskTotals struct{ written, read float64 }

// fileKey is one file as written by processes of one name.
type fileKey struct{ path, process string }

// TopProcess is one row of the optional top-N-by-PID info metric.
type TopProcess struct {
	PID       int32
	Name      string
	Class     string
	WriteRate float64 // bytes per second over the last interval
}

// Options configure a Churn.
type Options struct {
	// Interval is the time between samples (sampler.DefaultInterval).
	Interval time.Duration
	// Classifier classifies processes; nil = sampler.DefaultClassifier.
	Classifier *sampler.Classifier
	// MaxProcessSeries: DefaultMaxProcessSeries when 0.
	MaxProcessSeries int
	// TopFiles: DefaultTopFiles when 0; negative lists none.
	TopFiles int
	// TopPIDs is how many processes hvrdoctor_top_process_info lists with
	// their PID (0: the metric is off).
	TopPIDs int
	// Clock: sampler.SystemClock when nil.
	Clock sampler.Clock
	// LinkRate is the WAN link to the replica in bytes per second, as the
	// admin gives it (0: not given, hvrdoctor_link_bytes_per_second is
	// left out); ReplicationInterval the VM's replication frequency
	// (0: not given).
	LinkRate            float64
	ReplicationInterval time.Duration
	// VMDiskBytes is the VM's total virtual disk size as the admin gives
	// it (0: not given), for the resync forecast rule.
	VMDiskBytes float64
}

// Churn samples a Source in its own loop and accumulates what the
// collector exposes. It is safe for concurrent use: Run in one goroutine,
// Collect from the scrapes.
type Churn struct {
	eng   *sampler.Engine
	files fileio.Source // nil without a per-file backend
	merge bool
	opt   Options

	mu          sync.Mutex
	info        sampler.SourceInfo
	fileInfo    *fileio.Info
	fileNote    string
	procs       map[procSeriesKey]*procTotals
	disks       map[string]*diskTotals
	fileTotals  map[fileKey]float64
	top         []TopProcess
	hidden      int
	unreadable  int
	samples     uint64
	errors      uint64
	late        uint64
	pairsDrop   uint64
	sampleSecs  float64
	fileSecs    float64
	spikeFactor float64 // last complete minute / baseline; 0 without a baseline
	baseline    float64
	spikeLimit  float64
	haveBase    bool

	// The spike rule is sampler/analysis's: two analyzers fed the same
	// frames, the older replaced by the younger every analyzerSpan, so
	// the baseline always covers between one and two spans and memory
	// stays bounded however long the exporter runs.
	an, next  *analysis.Analyzer
	anStarted time.Time
}

// analyzerSpan is how long one analyzer is fed before the younger one
// takes over (its baseline then covers at least this span).
const analyzerSpan = time.Hour

// NewChurn returns a Churn reading src, with files as its per-file source
// (nil: none; fileNote says why, for the info metric). The first reading
// of both is taken here so the first interval is a whole one.
func NewChurn(ctx context.Context, src sampler.Source, files fileio.Source, fileNote string, opt Options) (*Churn, error) {
	if opt.Interval == 0 {
		opt.Interval = sampler.DefaultInterval
	}
	if opt.MaxProcessSeries <= 0 {
		opt.MaxProcessSeries = DefaultMaxProcessSeries
	}
	if opt.TopFiles == 0 {
		opt.TopFiles = DefaultTopFiles
	}
	if opt.Clock == nil {
		opt.Clock = sampler.SystemClock{}
	}
	eng, err := sampler.NewEngine(src, sampler.Config{Interval: opt.Interval, Window: opt.Interval, Clock: opt.Clock, Classifier: opt.Classifier})
	if err != nil {
		return nil, err
	}
	first, err := eng.Sample(ctx)
	if err != nil {
		eng.Close()
		return nil, err
	}
	c := &Churn{
		eng: eng, opt: opt, info: first.Info, fileNote: fileNote,
		procs:      make(map[procSeriesKey]*procTotals),
		disks:      make(map[string]*diskTotals),
		fileTotals: make(map[fileKey]float64),
		hidden:     first.Hidden, unreadable: first.Unreadable,
		an:        analysis.NewAnalyzer(analysis.Options{}),
		anStarted: opt.Clock.Now(),
	}
	c.spikeLimit = c.an.Options().SpikeFactor
	for _, d := range first.Disks {
		c.disks[labelValue(d.Name)] = &diskTotals{}
	}
	if files != nil {
		if _, err := files.Read(ctx); err != nil {
			files.Close()
			c.fileNote = "per-file backend failed its first reading: " + err.Error()
		} else {
			info := files.Info()
			c.files, c.fileInfo, c.merge = files, &info, info.CountsExitedProcesses()
		}
	}
	return c, nil
}

// Interval is the time between samples.
func (c *Churn) Interval() time.Duration { return c.opt.Interval }

// Run samples every interval until ctx ends, then closes the per-file
// source and the process source (the ETW session on Windows). A sample that fails is counted (hvrdoctor_sampler_errors_total)
// and the loop goes on.
func (c *Churn) Run(ctx context.Context) {
	t := time.NewTicker(c.opt.Interval)
	defer t.Stop()
	defer func() {
		if c.files != nil {
			c.files.Close()
		}
		c.eng.Close()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c.Step(ctx)
	}
}

// Step takes one sample (the process counters, then the per-file
// interval) and adds it to the totals. Run calls it every interval; tests
// call it directly.
func (c *Churn) Step(ctx context.Context) {
	t0 := time.Now()
	f, err := c.eng.Sample(ctx)
	sampleSecs := time.Since(t0).Seconds()
	if err != nil {
		c.mu.Lock()
		c.errors++
		c.sampleSecs += sampleSecs
		c.mu.Unlock()
		return
	}
	var iv *fileio.Interval
	var fileSecs float64
	var fileErr bool
	if c.files != nil {
		t1 := time.Now()
		got, err := c.files.Read(ctx)
		if err == nil {
			iv = &got
			if c.merge {
				if _, err := c.eng.MergeActivity(&f, fileio.ExternalActivity(got)); err != nil {
					fileErr = true
				}
			}
			if acts, ok := got.DiskActivity(&f); ok && c.eng.ApplyDiskBytes(&f, acts) != nil {
				fileErr = true
			}
		} else {
			fileErr = true
		}
		fileSecs = time.Since(t1).Seconds()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sampleSecs += sampleSecs
	c.fileSecs += fileSecs
	if fileErr {
		c.errors++
	}
	c.addFrameLocked(f)
	if iv != nil {
		c.addFilesLocked(*iv)
	}
}

// addFrameLocked adds one frame's bytes (rate x elapsed) to the totals.
func (c *Churn) addFrameLocked(f sampler.Frame) {
	c.samples++
	c.info = f.Info
	c.hidden, c.unreadable = f.Hidden, f.Unreadable
	if f.Elapsed > c.opt.Interval*3/2 {
		c.late++
	}
	secs := f.Elapsed.Seconds()
	if secs <= 0 {
		return
	}
	now := f.Time
	for _, p := range f.Processes {
		// An exited process's row repeats its last interval's rates
		// (already counted) unless a per-file backend merged it in.
		if p.Exited && !p.Merged {
			continue
		}
		if p.WriteRate <= 0 && p.ReadRate <= 0 && p.CancelledWriteRate <= 0 && p.LogicalWriteRate <= 0 && p.DirtiedRate <= 0 {
			continue
		}
		t := c.seriesLocked(procSeriesKey{labelValue(p.Name), string(p.Class.Class), p.WriteBasis()}, now)
		t.written += p.WriteRate * secs
		t.read += p.ReadRate * secs
		t.cancelled += p.CancelledWriteRate * secs
		t.logical += p.LogicalWriteRate * secs
		t.dirtied += p.DirtiedRate * secs
		t.lastActive = now
	}
	for _, d := range f.Disks {
		name := labelValue(d.Name)
		t := c.disks[name]
		if t == nil {
			t = &diskTotals{}
			c.disks[name] = t
		}
		t.written += d.WriteRate * secs
		t.read += d.ReadRate * secs
	}
	c.top = c.top[:0]
	if c.opt.TopPIDs > 0 {
		for _, p := range f.Top(c.opt.TopPIDs) {
			if p.WriteRate <= 0 || (p.Exited && !p.Merged) {
				continue
			}
			c.top = append(c.top, TopProcess{PID: p.Key.PID, Name: labelValue(p.Name), Class: string(p.Class.Class), WriteRate: p.WriteRate})
		}
	}
	c.addSpikeLocked(f)
}

// seriesLocked returns the totals of k, making room under the bound as
// Options.MaxProcessSeries says.
func (c *Churn) seriesLocked(k procSeriesKey, now time.Time) *procTotals {
	if t := c.procs[k]; t != nil {
		return t
	}
	if len(c.procs) >= c.opt.MaxProcessSeries {
		c.dropIdleLocked(now)
	}
	if len(c.procs) >= c.opt.MaxProcessSeries {
		k.name = OtherProcesses
		if t := c.procs[k]; t != nil {
			return t
		}
	}
	t := &procTotals{lastActive: now}
	c.procs[k] = t
	return t
}

// dropIdleLocked forgets the process series idle for ProcessIdleAfter.
func (c *Churn) dropIdleLocked(now time.Time) {
	for k, t := range c.procs {
		if k.name != OtherProcesses && now.Sub(t.lastActive) >= ProcessIdleAfter {
			delete(c.procs, k)
		}
	}
}

// addSpikeLocked feeds the analyzers and keeps the spike factor of the
// last complete minute.
func (c *Churn) addSpikeLocked(f sampler.Frame) {
	c.an.AddFrame(f)
	if c.next != nil {
		c.next.AddFrame(f)
	}
	age := f.Time.Sub(c.anStarted)
	if age >= analyzerSpan && c.next == nil {
		c.next = analysis.NewAnalyzer(analysis.Options{})
	}
	if age >= 2*analyzerSpan && c.next != nil {
		c.an, c.next = c.next, nil
		c.anStarted = f.Time.Add(-analyzerSpan)
	}
	p := c.an.Pivot()
	c.baseline, c.haveBase = p.Baseline, p.Baseline > 0
	c.spikeFactor = 0
	for i := len(p.Minutes) - 1; i >= 0; i-- {
		if !p.Minutes[i].Partial {
			c.spikeFactor = p.Minutes[i].Factor
			break
		}
	}
}

// addFilesLocked adds one per-file interval's written bytes to the file
// totals.
func (c *Churn) addFilesLocked(iv fileio.Interval) {
	c.pairsDrop += iv.Dropped
	for _, a := range iv.Files {
		if a.WriteBytes == 0 {
			continue
		}
		c.fileTotals[fileKey{labelValue(a.Key.Path), labelValue(a.Name)}] += float64(a.WriteBytes)
	}
	if len(c.fileTotals) > maxFileTotals {
		c.forgetSmallFilesLocked()
	}
}

// forgetSmallFilesLocked keeps the half of the file totals that wrote most.
func (c *Churn) forgetSmallFilesLocked() {
	sizes := make([]float64, 0, len(c.fileTotals))
	for _, b := range c.fileTotals {
		sizes = append(sizes, b)
	}
	sort.Float64s(sizes)
	median := sizes[len(sizes)/2]
	for k, b := range c.fileTotals {
		if b < median {
			delete(c.fileTotals, k)
		}
	}
}

// topFilesLocked returns the TopFiles files written most, most first.
func (c *Churn) topFilesLocked() []fileKey {
	if c.opt.TopFiles < 0 {
		return nil
	}
	keys := make([]fileKey, 0, len(c.fileTotals))
	for k := range c.fileTotals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := c.fileTotals[keys[i]], c.fileTotals[keys[j]]
		if a != b {
			return a > b
		}
		if keys[i].path != keys[j].path {
			return keys[i].path < keys[j].path
		}
		return keys[i].process < keys[j].process
	})
	if len(keys) > c.opt.TopFiles {
		keys = keys[:c.opt.TopFiles]
	}
	return keys
}
