package analysis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Replay reads the files of a recording (HVRStats, ProcStats, FileStats of
// one N, or any inputs) together and returns one Sample per timestamp, in
// time order, with the parts of every file merged: what the recorder saw at
// each sample, for a time cursor or to feed an Analyzer or an Engine.
// Each file is streamed; memory does not depend on the recording's length.
type Replay struct {
	readers []SampleReader
	heads   []Sample
	live    []bool
	counts  []int // samples taken from each reader
	out     Sample
	started bool
	host    string
	// step is the usual sampling interval seen so far (for matching the
	// files' timestamps of one sample).
	step time.Duration
}

// OpenReplay opens paths (files, or directories as for ExpandPaths). Files
// must each be in time order, as the recorder writes them.
func OpenReplay(paths []string, m ColumnMap) (*Replay, error) {
	files, err := ExpandPaths(paths)
	if err != nil {
		return nil, err
	}
	r := &Replay{}
	for _, p := range files {
		sr, err := OpenFile(p, m)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.readers = append(r.readers, sr)
	}
	r.heads = make([]Sample, len(r.readers))
	r.live = make([]bool, len(r.readers))
	r.counts = make([]int, len(r.readers))
	return r, nil
}

// advance reads reader i's next Sample into heads[i], copying its slices
// (the reader reuses them).
func (r *Replay) advance(i int) error {
	s, err := r.readers[i].Next()
	if err == io.EOF {
		r.live[i] = false
		return nil
	}
	if err != nil {
		return err
	}
	h := &r.heads[i]
	procs, files, disks := h.Procs[:0], h.Files[:0], h.Disks[:0]
	*h = s
	h.Procs = append(procs, s.Procs...)
	h.Files = append(files, s.Files...)
	h.Disks = append(disks, s.Disks...)
	r.live[i] = true
	return nil
}

// Next returns the next merged Sample, valid until the following call, or
// io.EOF after the last one.
//
// The files of one sample are matched by the recorder's Sample column
// when they have it; their timestamps can differ by a few milliseconds
// (FileStats is written after HVRStats and ProcStats), so a part is merged
// with the earliest part still waiting when it lies within half a
// sampling interval of it and does not carry another sample number. The
// merged sample has HVRStats' time (else ProcStats', else the earliest).
func (r *Replay) Next() (Sample, error) {
	if !r.started {
		r.started = true
		for i := range r.readers {
			if err := r.advance(i); err != nil {
				return Sample{}, err
			}
		}
	}
	lead := -1
	for i, h := range r.heads {
		if r.live[i] && (lead < 0 || h.Time.Before(r.heads[lead].Time)) {
			lead = i
		}
	}
	if lead < 0 {
		return Sample{}, io.EOF
	}
	t0 := r.heads[lead].Time
	tol := r.tolerance()
	// Parts carrying the lead's sample number belong to it even when their
	// timestamps are further apart (within two intervals: the numbers
	// restart with each recording N).
	seq := r.heads[lead].Seq
	take := make([]bool, len(r.heads))
	for i := range r.heads {
		h := &r.heads[i]
		if !r.live[i] {
			continue
		}
		dt := h.Time.Sub(t0)
		switch {
		case seq > 0 && h.Seq > 0:
			take[i] = h.Seq == seq && dt <= max(4*tol, tol+time.Second)
		default:
			take[i] = dt <= tol
		}
		if take[i] && seq == 0 && h.Seq > 0 {
			seq = h.Seq
		}
	}
	o := &r.out
	o.Time, o.Elapsed, o.HasDisks, o.Seq = t0, 0, false, seq
	o.Host = ""
	o.DiskWriteRate, o.DiskReadRate = 0, 0
	o.Procs, o.Files, o.Disks = o.Procs[:0], o.Files[:0], o.Disks[:0]
	timeRank := 3 // HVRStats 0, ProcStats 1, other 2
	for i := range r.heads {
		if !take[i] {
			continue
		}
		h := &r.heads[i]
		rank := 2
		switch r.readers[i].Kind() {
		case KindHVRStats:
			rank = 0
		case KindProcStats:
			rank = 1
		}
		if rank < timeRank {
			o.Time, timeRank = h.Time, rank
		}
		// The interval from a file that records it (HVRStats) wins.
		if h.Elapsed > 0 && (o.Elapsed == 0 || r.readers[i].Kind() == KindHVRStats) {
			o.Elapsed = h.Elapsed
		}
		if h.Host != "" {
			o.Host = h.Host
			r.host = h.Host
		}
		if h.HasDisks {
			o.HasDisks = true
			o.DiskWriteRate += h.DiskWriteRate
			o.DiskReadRate += h.DiskReadRate
			o.Disks = append(o.Disks, h.Disks...)
		}
		o.Procs = append(o.Procs, h.Procs...)
		o.Files = append(o.Files, h.Files...)
		r.counts[i]++
		if err := r.advance(i); err != nil {
			return Sample{}, err
		}
	}
	if o.Elapsed > 0 && (r.step == 0 || o.Elapsed < r.step) {
		r.step = o.Elapsed
	}
	return *o, nil
}

// tolerance is how far apart the files' timestamps of one sample may be:
// under half the sampling interval (known from HVRStats' interval column,
// else from the gaps between samples).
func (r *Replay) tolerance() time.Duration {
	step := r.step
	for i, h := range r.heads {
		if r.live[i] && h.Elapsed > 0 && (step == 0 || h.Elapsed < step) {
			step = h.Elapsed
		}
	}
	if step <= 0 {
		return 0
	}
	return step/2 - time.Millisecond
}

// Notes are the readers' remarks on how they read their files (the column
// mapping of a generic CSV), one line each.
func (r *Replay) Notes() []string {
	var out []string
	for _, sr := range r.readers {
		if n, ok := sr.(interface{ Note() string }); ok && n.Note() != "" {
			out = append(out, n.Note())
		}
	}
	return out
}

// Host is the host name the recording names (its HVRStats Host column),
// "" when it has none; known once the samples naming it were read.
func (r *Replay) Host() string { return r.host }

// Inputs describes each file: its kind, the samples taken from it and the
// rows skipped so far.
func (r *Replay) Inputs() []Input {
	out := make([]Input, len(r.readers))
	for i, sr := range r.readers {
		out[i] = Input{Path: sr.Path(), Kind: sr.Kind(), Samples: r.counts[i], Skipped: sr.Skipped()}
	}
	return out
}

// Skipped reports the rows skipped so far, per file with skips.
func (r *Replay) Skipped() []Skipped {
	var out []Skipped
	for _, sr := range r.readers {
		if s := sr.Skipped(); s.Count > 0 {
			out = append(out, s)
		}
	}
	return out
}

// MissingColumns are the per-disk time columns (<disk>.ActiveTimePercent,
// .AvgQueueLength, .AvgResponseMs) the recording's HVRStats headers lack,
// in header order: every one of an older recording's disks, none of a
// newer one's.
func (r *Replay) MissingColumns() []string {
	var out []string
	for _, sr := range r.readers {
		if m, ok := sr.(interface{ MissingColumns() []string }); ok {
			out = append(out, m.MissingColumns()...)
		}
	}
	return out
}

// Paths lists the files being replayed.
func (r *Replay) Paths() []string {
	out := make([]string, len(r.readers))
	for i, sr := range r.readers {
		out[i] = sr.Path()
	}
	return out
}

// Close closes every file.
func (r *Replay) Close() error {
	var errs []error
	for _, sr := range r.readers {
		errs = append(errs, sr.Close())
	}
	return errors.Join(errs...)
}

// ReplaySource adapts a Replay to sampler.Source, so the sampler Engine
// (and the TUI on top of it) can run on a recording instead of the live
// system. Each Snapshot is one recorded sample, timed by the recording.
// Cumulative counters come from ProcStats' totals where present, else they
// are summed from the recorded bytes; disk counters are summed from the
// recorded rates. A process is introduced one snapshot before its first
// row with its counters at that time, marked Preexisting (the engine takes
// them as its baseline, not as bytes of that interval), so its first
// interval's rate is right; processes stay in every later snapshot (with unchanged counters
// once idle) until the end of the replay.
type ReplaySource struct {
	r       *Replay
	name    string
	procs   map[sampler.ProcKey]*sampler.ProcessCounters
	order   []sampler.ProcKey
	disks   map[string]*sampler.DiskCounters
	dorder  []string
	next    Sample // the sample the next Snapshot applies
	hasNext bool
	started bool
	// recorded and recordedEl are the per-disk figures and the interval
	// as recorded at the sample the last Snapshot ended (Recorded).
	recorded   []sampler.DiskRates
	recordedEl time.Duration
}

// NewReplaySource returns a Source over r. The Replay is owned by the
// source; close it when done.
func NewReplaySource(r *Replay) *ReplaySource {
	name := "recording"
	if p := r.Paths(); len(p) > 0 {
		name = filepath.Dir(p[0])
	}
	return &ReplaySource{r: r, name: name, procs: map[sampler.ProcKey]*sampler.ProcessCounters{}, disks: map[string]*sampler.DiskCounters{}}
}

// Info says the counters are a recording's, and of which host when the
// recording names it.
func (s *ReplaySource) Info() sampler.SourceInfo {
	note := "replay of " + s.name
	if h := s.r.Host(); h != "" {
		note += " (host " + h + ")"
	}
	return sampler.SourceInfo{Name: "replay", WriteLabel: "recorded writes", Note: note, Privileged: true}
}

// fetch reads the next merged sample into s.next (a private copy).
func (s *ReplaySource) fetch() error {
	smp, err := s.r.Next()
	if err == io.EOF {
		s.hasNext = false
		return nil
	}
	if err != nil {
		return err
	}
	procs, files, disks := s.next.Procs[:0], s.next.Files[:0], s.next.Disks[:0]
	s.next = smp
	s.next.Procs = append(procs, smp.Procs...)
	s.next.Files = append(files, smp.Files...)
	s.next.Disks = append(disks, smp.Disks...)
	s.hasNext = true
	return nil
}

// introduce adds the processes of the upcoming sample that are not known
// yet, with their counters before that sample.
func (s *ReplaySource) introduce(next *Sample) {
	for _, p := range next.Procs {
		k := sampler.ProcKey{PID: p.PID, Start: p.Start}
		if _, ok := s.procs[k]; ok {
			continue
		}
		pc := &sampler.ProcessCounters{Key: k, Name: p.Name, Preexisting: true}
		if p.HasTotals {
			pc.WriteBytes = p.WriteTotal - min(p.WriteTotal, uint64(p.WriteBytes))
			pc.ReadBytes = p.ReadTotal - min(p.ReadTotal, uint64(p.ReadBytes))
		}
		pc.LogicalWriteBytes, pc.LogicalReadBytes = pc.WriteBytes, pc.ReadBytes
		s.procs[k] = pc
		s.order = append(s.order, k)
	}
	for _, d := range next.Disks {
		if _, ok := s.disks[d.Name]; !ok {
			s.disks[d.Name] = &sampler.DiskCounters{Name: d.Name}
			s.dorder = append(s.dorder, d.Name)
		}
	}
}

// apply moves the counters to the end of sample smp.
func (s *ReplaySource) apply(smp *Sample) {
	el := smp.Elapsed.Seconds()
	if el <= 0 {
		el = defaultElapsed.Seconds()
	}
	for _, p := range smp.Procs {
		pc := s.procs[sampler.ProcKey{PID: p.PID, Start: p.Start}]
		if p.HasTotals {
			pc.WriteBytes, pc.ReadBytes = p.WriteTotal, p.ReadTotal
		} else {
			pc.WriteBytes += uint64(p.WriteBytes + 0.5)
			pc.ReadBytes += uint64(p.ReadBytes + 0.5)
		}
		pc.LogicalWriteBytes, pc.LogicalReadBytes = pc.WriteBytes, pc.ReadBytes
	}
	for _, d := range smp.Disks {
		dc := s.disks[d.Name]
		dc.WriteBytes += uint64(d.WriteRate*el + 0.5)
		dc.ReadBytes += uint64(d.ReadRate*el + 0.5)
	}
}

func (s *ReplaySource) snapshot(t time.Time) sampler.Snapshot {
	snap := sampler.Snapshot{Time: t, Processes: make([]sampler.ProcessCounters, 0, len(s.order)), Disks: make([]sampler.DiskCounters, 0, len(s.dorder))}
	for _, k := range s.order {
		snap.Processes = append(snap.Processes, *s.procs[k])
	}
	for _, n := range s.dorder {
		snap.Disks = append(snap.Disks, *s.disks[n])
	}
	return snap
}

// Snapshot returns the counters at the next recorded sample; the first
// call returns the state just before the first sample. io.EOF at the end.
func (s *ReplaySource) Snapshot(ctx context.Context) (sampler.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return sampler.Snapshot{}, err
	}
	if !s.started {
		s.started = true
		if err := s.fetch(); err != nil {
			return sampler.Snapshot{}, fmt.Errorf("replay: %w", err)
		}
		if !s.hasNext {
			return sampler.Snapshot{}, io.EOF
		}
		s.introduce(&s.next)
		el := s.next.Elapsed
		if el <= 0 {
			el = defaultElapsed
		}
		return s.snapshot(s.next.Time.Add(-el)), nil
	}
	if !s.hasNext {
		return sampler.Snapshot{}, io.EOF
	}
	cur := s.next
	// cur's slices alias s.next's buffers: apply and copy before
	// fetching again.
	s.apply(&cur)
	s.recorded, s.recordedEl = append(s.recorded[:0], cur.Disks...), cur.Elapsed
	t := cur.Time
	if err := s.fetch(); err != nil {
		return sampler.Snapshot{}, fmt.Errorf("replay: %w", err)
	}
	if s.hasNext {
		s.introduce(&s.next)
	}
	return s.snapshot(t), nil
}

// Recorded are the per-disk figures the recording holds for the sample
// the last Snapshot ended at, as recorded: write and read rates and, where
// the recording has them (DiskRates.HasTimes), active time, queue length
// and response time, which counters cannot carry; and the interval they
// are over (the recording's IntervalSeconds, else the gap to the previous
// sample). Nil after the first Snapshot (the state before the first
// sample); valid until the next Snapshot.
func (s *ReplaySource) Recorded() (disks []sampler.DiskRates, elapsed time.Duration) {
	return s.recorded, s.recordedEl
}

// Skipped reports rows the replay skipped so far.
func (s *ReplaySource) Skipped() []Skipped { return s.r.Skipped() }
