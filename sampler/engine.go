package sampler

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"
)

// Interval limits and defaults of an Engine.
const (
	MinInterval     = 250 * time.Millisecond
	MaxInterval     = 60 * time.Second
	DefaultInterval = time.Second
	DefaultWindow   = time.Hour
)

// Config sets up an Engine. Zero fields take the defaults: 1 s interval,
// 1 h window, SystemClock, DefaultClassifier.
type Config struct {
	// Interval is the time between samples the caller intends; it sizes the
	// history (Window/Interval points). Rates always use the real elapsed
	// time between snapshots, whatever the interval.
	Interval time.Duration
	// Window is how much history the series keep.
	Window     time.Duration
	Clock      Clock
	Classifier *Classifier
	// ProcessAlive tells MergeActivity whether a process the frame lacks
	// still runs (then its merged row is not marked Exited); nil asks the
	// OS (/proc/PID/stat on Linux, the process's create time elsewhere).
	ProcessAlive func(ProcKey) bool
}

// clockSetter is implemented by sources that time their snapshots with a
// Clock (the live source): the engine hands them its own.
type clockSetter interface {
	SetClock(Clock)
}

// procState is what the engine remembers about one process instance.
type procState struct {
	last  ProcessCounters
	rates ProcessRates // of the last interval
	seen  uint64       // sample number at which it was last present

	// base is the counters the last interval's rates were measured from,
	// and frameIdx the process's index in the frame being built; both let
	// a reaped child's bytes be taken out of this process's interval.
	base     ProcessCounters
	frameIdx int
	// cut is what was taken out of this interval, reaped the total taken
	// out since the process was first seen (subtracted from its totals).
	cut, reaped ioVec
	born        uint64 // sample number at which it was first seen
	// inherited is this interval's growth of the counters' inherited part
	// (ProcessCounters.InheritedWriteBytes).
	inherited uint64

	// series holds the write rate for global sample indices
	// [seriesEnd-series.Len()+1, seriesEnd]. It is nil until the process
	// first writes, and dropped again when it has been idle for a whole
	// window, so idle processes cost no history.
	series      *Ring[float64]
	seriesEnd   int64
	lastNonZero int64
}

// Engine turns a Source's cumulative counters into per-interval rates, keeps
// a bounded history and classifies processes. It is safe for concurrent use:
// one goroutine may call Sample while others read series.
type Engine struct {
	src Source

	sampleMu sync.Mutex // serialises Sample calls (held while reading the source)

	mu       sync.Mutex // guards everything below
	clock    Clock
	cls      *Classifier
	interval time.Duration
	window   time.Duration
	capacity int

	processAlive func(ProcKey) bool     // Config.ProcessAlive
	mergedSeq    uint64                 // sample number last merged into (merge.go)
	diskSeq      uint64                 // sample number last given disk bytes (diskbytes.go)
	diskTotals   map[ProcKey]*diskTotal // disk write bytes per row (diskbytes.go)
	pendingExits []ExternalActivity     // exits of processes still running at the last sample (merge.go)

	haveBase  bool
	prevTime  time.Time
	prevDisks map[string]DiskCounters
	seq       uint64

	procs map[ProcKey]*procState // present at the last sample
	gone  map[ProcKey]*procState // exited, kept while their history is in the window
	byPID map[int32]*procState   // present processes by PID, for finding parents

	// credits are exited children's counters still to be taken out of
	// their parents (see applyReapCreditsLocked).
	credits  []reapCredit
	vanished []*procState // scratch: processes gone at this sample

	total *Ring[float64]
	times *Ring[time.Time]
	next  int64 // global index of the next history point
}

// NewEngine returns an engine reading src. The first Sample establishes the
// baseline. An interval outside 250 ms..60 s, or a window shorter than the
// interval, is an error naming the value.
func NewEngine(src Source, cfg Config) (*Engine, error) {
	if src == nil {
		return nil, fmt.Errorf("sampler: NewEngine needs a source")
	}
	if cfg.Interval == 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Window == 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Classifier == nil {
		cfg.Classifier = DefaultClassifier()
	}
	if err := checkInterval(cfg.Interval); err != nil {
		return nil, err
	}
	if cfg.Window < cfg.Interval {
		return nil, fmt.Errorf("sampler: history window %s is shorter than the interval %s; use a window of at least one interval", cfg.Window, cfg.Interval)
	}
	if cs, ok := src.(clockSetter); ok {
		cs.SetClock(cfg.Clock)
	}
	e := &Engine{
		src:          src,
		clock:        cfg.Clock,
		cls:          cfg.Classifier,
		interval:     cfg.Interval,
		window:       cfg.Window,
		procs:        make(map[ProcKey]*procState),
		processAlive: cfg.ProcessAlive,
		gone:         make(map[ProcKey]*procState),
		byPID:        make(map[int32]*procState),
		diskTotals:   make(map[ProcKey]*diskTotal),
	}
	e.capacity = capacityFor(cfg.Window, cfg.Interval)
	e.total = NewRing[float64](e.capacity)
	e.times = NewRing[time.Time](e.capacity)
	return e, nil
}

func checkInterval(d time.Duration) error {
	if d < MinInterval || d > MaxInterval {
		return fmt.Errorf("sampler: interval %s is out of range; use 250ms to 60s", d)
	}
	return nil
}

func capacityFor(window, interval time.Duration) int {
	return int((window + interval - 1) / interval)
}

// Interval is the sampling interval the caller should keep.
func (e *Engine) Interval() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.interval
}

// Window is how much history the series keep.
func (e *Engine) Window() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.window
}

// Info describes the source's counters.
func (e *Engine) Info() SourceInfo { return e.src.Info() }

// Classifier is the classifier the engine uses.
func (e *Engine) Classifier() *Classifier { return e.cls }

// SetInterval changes the sampling interval. The history keeps covering
// Window: its capacity becomes Window/d points, and when it shrinks the
// oldest points are dropped.
func (e *Engine) SetInterval(d time.Duration) error {
	if err := checkInterval(d); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if d > e.window {
		return fmt.Errorf("sampler: interval %s is longer than the history window %s", d, e.window)
	}
	e.interval = d
	e.capacity = capacityFor(e.window, d)
	e.total.Resize(e.capacity)
	e.times.Resize(e.capacity)
	for _, m := range []map[ProcKey]*procState{e.procs, e.gone} {
		for _, st := range m {
			if st.series != nil {
				st.series.Resize(e.capacity)
			}
		}
	}
	e.pruneLocked()
	return nil
}

// Sample reads the source and returns the rates since the previous sample,
// computed over the real elapsed time between the two snapshots. The first
// call sets the baseline and returns a frame with Elapsed 0 and zero rates.
//
// A process first seen after the baseline started during the interval, so
// all its counters count in it. A process gone since the last sample is
// reported once more with Exited set and its last interval's rates; when
// the source's parents include their reaped children's counters
// (SourceInfo.ReapedChildrenInParent), its last-seen counters are taken
// back out of its parent's interval (see reaped.go). If the
// snapshot time is not after the previous one (clock stepped back), the
// engine re-baselines and returns a zero-rate frame.
func (e *Engine) Sample(ctx context.Context) (Frame, error) {
	e.sampleMu.Lock()
	defer e.sampleMu.Unlock()
	snap, err := e.src.Snapshot(ctx)
	if err != nil {
		return Frame{}, fmt.Errorf("sample %s: %w", e.src.Info().Name, err)
	}
	info := e.src.Info()

	e.mu.Lock()
	defer e.mu.Unlock()
	f, baseline := e.beginFrameLocked(&snap, info)
	secs := f.Elapsed.Seconds()
	e.updateProcessesLocked(&f, &snap, baseline, secs)
	e.collectVanishedLocked(&f, baseline)
	if baseline {
		// Whatever the parents' counters did is part of the new baseline.
		e.credits = e.credits[:0]
	} else if info.ReapedChildrenInParent {
		e.applyReapCreditsLocked(&f, secs)
	}
	e.updateDisksLocked(&f, &snap, baseline, secs)
	e.prevTime = snap.Time
	e.haveBase = true
	if !baseline {
		e.pushHistoryLocked(f.DiskWriteRate, snap.Time)
		if info.CancelledWrites {
			// Linux write_bytes: say it can overstate, until a block-layer
			// source replaces the figures (ApplyDiskBytes).
			f.Info.Note = joinNote(f.Info.Note, overstatementNote(&f))
		}
	}
	sortProcesses(f.Processes)
	return f, nil
}

// beginFrameLocked starts the frame of snap: its time (the clock's when the
// snapshot has none), the elapsed time since the previous sample, and
// whether it is a baseline (the first sample, or the clock stepped back).
func (e *Engine) beginFrameLocked(snap *Snapshot, info SourceInfo) (Frame, bool) {
	if snap.Time.IsZero() {
		snap.Time = e.clock.Now()
	}
	var elapsed time.Duration
	if e.haveBase {
		elapsed = snap.Time.Sub(e.prevTime)
	}
	baseline := !e.haveBase || elapsed <= 0
	if baseline {
		elapsed = 0
	}
	e.seq++
	return Frame{
		Time:       snap.Time,
		Elapsed:    elapsed,
		Processes:  make([]ProcessRates, 0, len(snap.Processes)+4),
		Hidden:     snap.Hidden,
		Unreadable: snap.Unreadable,
		Info:       info,
	}, baseline
}

// updateProcessesLocked computes each process's rates from its counters
// and its previous ones (a new process counts from zero, a baseline from
// itself) and appends its row to f.
func (e *Engine) updateProcessesLocked(f *Frame, snap *Snapshot, baseline bool, secs float64) {
	for i := range snap.Processes {
		pc := &snap.Processes[i]
		st := e.procs[pc.Key]
		var prev ProcessCounters // a new process counts from zero
		if st == nil {
			st = &procState{}
			e.procs[pc.Key] = st
			st.born = e.seq
			st.rates.Key = pc.Key
			st.rates.Class = e.cls.ClassifyProcess(pc)
		} else {
			prev = st.last
		}
		if baseline || (st.born == e.seq && pc.Preexisting) {
			prev = *pc // at the baseline nothing is attributed yet
		}
		e.byPID[pc.Key.PID] = st
		st.base = prev
		st.cut = ioVec{}
		st.frameIdx = len(f.Processes)
		r := &st.rates
		if pc.Name != "" {
			r.Name = pc.Name
		}
		if pc.Cmdline != "" {
			r.Cmdline = pc.Cmdline
		}
		if pc.User != "" {
			r.User = pc.User
		}
		r.PPID = pc.PPID
		r.SourceDisk = f.Info.DiskBytes
		r.WriteRate = netWriteRate(pc.WriteBytes, prev.WriteBytes, pc.CancelledWriteBytes, prev.CancelledWriteBytes, secs)
		r.CancelledWriteRate = rate(pc.CancelledWriteBytes, prev.CancelledWriteBytes, secs)
		r.ReadRate = rate(pc.ReadBytes, prev.ReadBytes, secs)
		r.LogicalWriteRate = rate(pc.LogicalWriteBytes, prev.LogicalWriteBytes, secs)
		r.DiskIONanos, r.DiskIOCount = sub0(pc.DiskIONanos, prev.DiskIONanos), sub0(pc.DiskIOCount, prev.DiskIOCount)
		r.WriteTotal = netTotal(sub0(pc.WriteBytes, st.reaped[ioWrite]), sub0(pc.CancelledWriteBytes, st.reaped[ioCancelled]))
		st.inherited = 0
		if !baseline && prev.InheritedWriteBytes <= pc.InheritedWriteBytes {
			st.inherited = pc.InheritedWriteBytes - prev.InheritedWriteBytes
		}
		r.ChildrenWriteBytes = childrenBytes(st, r.WriteRate, secs)
		r.ReadTotal = sub0(pc.ReadBytes, st.reaped[ioRead])
		r.Exited = false
		st.last = *pc
		st.seen = e.seq
		f.Processes = append(f.Processes, *r)
	}
}

// collectVanishedLocked drops the processes this snapshot lacks: each is
// reported once more as Exited with its last interval's rates (not at a
// baseline), remembered in e.vanished for the reaped-children credits, and
// kept among the gone while it has history.
func (e *Engine) collectVanishedLocked(f *Frame, baseline bool) {
	e.vanished = e.vanished[:0]
	for k, st := range e.procs {
		if st.seen == e.seq {
			continue
		}
		delete(e.procs, k)
		if e.byPID[k.PID] == st {
			delete(e.byPID, k.PID)
		}
		if !baseline {
			gone := st.rates
			gone.Exited = true
			f.Processes = append(f.Processes, gone)
			e.vanished = append(e.vanished, st)
		}
		if st.series != nil {
			e.gone[k] = st
		}
	}
}

// updateDisksLocked computes the disks' rates and their sums.
func (e *Engine) updateDisksLocked(f *Frame, snap *Snapshot, baseline bool, secs float64) {
	cur := make(map[string]DiskCounters, len(snap.Disks))
	for _, d := range snap.Disks {
		cur[d.Name] = d
		dr := DiskRates{Name: d.Name}
		if p, ok := e.prevDisks[d.Name]; ok && !baseline {
			dr.WriteRate = rate(d.WriteBytes, p.WriteBytes, secs)
			dr.ReadRate = rate(d.ReadBytes, p.ReadBytes, secs)
			diskTimes(&dr, p, d, f.Elapsed)
		}
		f.Disks = append(f.Disks, dr)
		f.DiskWriteRate += dr.WriteRate
		f.DiskReadRate += dr.ReadRate
	}
	sort.Slice(f.Disks, func(i, j int) bool { return f.Disks[i].Name < f.Disks[j].Name })
	e.prevDisks = cur
}

// rate is (cur-prev)/secs, 0 when the counter went backwards or no time
// passed.
func rate(cur, prev uint64, secs float64) float64 {
	if cur <= prev || secs <= 0 {
		return 0
	}
	return float64(cur-prev) / secs
}

// pushHistoryLocked appends one point to the total series and to every
// live process's series.
func (e *Engine) pushHistoryLocked(total float64, t time.Time) {
	idx := e.next
	e.next++
	e.total.Push(total)
	e.times.Push(t)
	for _, st := range e.procs {
		w := st.rates.WriteRate
		if st.series == nil {
			if w <= 0 {
				continue
			}
			st.series = NewRing[float64](e.capacity)
		}
		st.series.Push(w)
		st.seriesEnd = idx
		if w > 0 {
			st.lastNonZero = idx
		}
	}
	e.pruneLocked()
}

// MaxExitedSeries bounds the exited processes whose history is kept. An
// exited process that wrote is kept for the window (an hour by default) so
// its row and graph stay; a machine that runs thousands of short-lived
// writers a second (a build, a fork bomb, a user churning on purpose)
// made that millions of processes an hour: the TUI grew by 7 MiB and
// record by 3 MiB a second. Past the bound the exited processes that
// last wrote longest ago (then wrote least) are forgotten first.
const MaxExitedSeries = 4096

// pruneLocked drops history that has left the window: exited processes
// whose last point is older than the oldest kept point, and the series of
// live processes that have not written for a whole window; then, past
// MaxExitedSeries, the exited processes that wrote longest ago.
func (e *Engine) pruneLocked() {
	oldest := e.next - int64(e.total.Len())
	for k, st := range e.gone {
		if st.seriesEnd < oldest {
			delete(e.gone, k)
		}
	}
	if n := len(e.gone) - MaxExitedSeries; n > 0 {
		type entry struct {
			k  ProcKey
			st *procState
		}
		all := make([]entry, 0, len(e.gone))
		for k, st := range e.gone {
			all = append(all, entry{k, st})
		}
		slices.SortFunc(all, func(a, b entry) int {
			if c := cmp.Compare(a.st.lastNonZero, b.st.lastNonZero); c != 0 {
				return c
			}
			if c := cmp.Compare(a.st.rates.WriteTotal, b.st.rates.WriteTotal); c != 0 {
				return c
			}
			if c := cmp.Compare(a.k.PID, b.k.PID); c != 0 {
				return c
			}
			return cmp.Compare(a.k.Start, b.k.Start)
		})
		for _, x := range all[:n] {
			delete(e.gone, x.k)
		}
	}
	for _, st := range e.procs {
		if st.series != nil && st.lastNonZero < oldest {
			st.series = nil
		}
	}
}

// sortProcesses orders by write rate, then read rate (both highest first),
// then name and PID.
func sortProcesses(ps []ProcessRates) {
	sort.Slice(ps, func(i, j int) bool { return processLess(&ps[i], &ps[j]) })
}

// processLess is the frame order: a before b.
func processLess(a, b *ProcessRates) bool {
	if a.WriteRate != b.WriteRate {
		return a.WriteRate > b.WriteRate
	}
	if a.ReadRate != b.ReadRate {
		return a.ReadRate > b.ReadRate
	}
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	if a.Key.PID != b.Key.PID {
		return a.Key.PID < b.Key.PID
	}
	return a.Key.Start < b.Key.Start
}

// Top returns the first n processes of the frame (the top writers), or all
// of them when there are fewer.
func (f Frame) Top(n int) []ProcessRates {
	if n < 0 || n >= len(f.Processes) {
		return f.Processes
	}
	return f.Processes[:n]
}

// TotalSeries returns the disk write rate (bytes/s) of each sample in the
// window, oldest first.
func (e *Engine) TotalSeries() []float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.total.Slice()
}

// SeriesTimes returns the time of each point of TotalSeries.
func (e *Engine) SeriesTimes() []time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.times.Slice()
}

// ProcessSeries returns the write rate of one process at each point of
// TotalSeries (same length and alignment), with zeros where it did not
// exist or did not write. It returns nil for a process the engine does not
// know (never seen, or gone and out of the window).
func (e *Engine) ProcessSeries(k ProcKey) []float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.procs[k]
	if st == nil {
		st = e.gone[k]
	}
	if st == nil {
		return nil
	}
	n := e.total.Len()
	out := make([]float64, n)
	if st.series == nil {
		return out
	}
	oldest := e.next - int64(n)
	first := st.seriesEnd - int64(st.series.Len()) + 1
	for i := range out {
		g := oldest + int64(i)
		if g >= first && g <= st.seriesEnd {
			out[i] = st.series.At(int(g - first))
		}
	}
	return out
}

// TrackedSeries is the number of processes holding a history series (live
// or exited within the window). It stays bounded however many processes
// come and go; idle processes hold none.
func (e *Engine) TrackedSeries() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := len(e.gone)
	for _, st := range e.procs {
		if st.series != nil {
			n++
		}
	}
	return n
}

// roundRate rounds a rate to whole bytes per second for recordings.
func roundRate(r float64) int64 {
	if r <= 0 || math.IsNaN(r) {
		return 0
	}
	return int64(math.Round(r))
}
