package tui

import (
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// replayPoint is what the replay keeps of each sample the engine read,
// for the per-disk graphs (D), the Storage view (v) and the 1-minute
// averages (m) at the cursor: live these grow with each frame, but a
// recording's frames come as the cursor moves, back and forth.
type replayPoint struct {
	pos     int
	t       time.Time
	elapsed time.Duration // the engine's, from the timestamps
	read    float64       // all disks' read rate
	// disks are the figures as recorded, over diskEl (the recording's
	// interval column).
	disks  []sampler.DiskRates
	diskEl time.Duration
	// procs are the bytes each active process wrote and read in the
	// interval (the 1-minute window's input), a slice: most points are
	// never averaged.
	procs []procBytes
}

// procBytes are one process's bytes in an interval.
type procBytes struct {
	key  sampler.ProcKey
	w, r float64
}

// replayPoints is how many points the cursor keeps: the engine's warm-up
// plus the cache, so the minute before any cached cursor is kept (a
// minute is at most 240 samples at the shortest interval, 250 ms).
const replayPoints = replayWarm + replayCache

// note sets f's disks to the figures as recorded (the engine's come from
// byte counters, which carry no active time, queue or response time, over
// the gaps between timestamps) and keeps the point. Called with c.mu
// held, after each engine sample at c.head.
func (c *replayCursor) note(f *sampler.Frame) {
	rec, el := c.src.Recorded()
	for i := range f.Disks {
		for _, r := range rec {
			if r.Name == f.Disks[i].Name {
				f.Disks[i] = r
			}
		}
	}
	if f.Elapsed <= 0 {
		return
	}
	if el <= 0 {
		el = f.Elapsed
	}
	sec := f.Elapsed.Seconds()
	p := replayPoint{pos: c.head, t: f.Time, elapsed: f.Elapsed, read: f.DiskReadRate,
		disks: append([]sampler.DiskRates(nil), f.Disks...), diskEl: el}
	for _, r := range f.Processes {
		if r.WriteRate > 0 || r.ReadRate > 0 {
			p.procs = append(p.procs, procBytes{key: r.Key, w: r.WriteRate * sec, r: r.ReadRate * sec})
		}
	}
	if len(c.points) >= replayPoints {
		copy(c.points, c.points[1:])
		c.points = c.points[:len(c.points)-1]
	}
	c.points = append(c.points, p)
}

// replayView is what the screens draw of the cursor's position besides
// its frame: the per-disk histories up to it, the disks at it, and the
// averages over the recording's minute before it.
type replayView struct {
	// times, read and perDisk are the histories for the disk selector,
	// as diskGraphs keeps them, oldest first, ending at the cursor.
	times   []time.Time
	read    []float64
	perDisk map[string]*[2][]float64
	names   []string
	// disks are the figures at the cursor over span (its interval).
	disks []sampler.DiskRates
	span  time.Duration
	// avg is the processes' 1-minute window ending at the cursor;
	// avgDisks the disks averaged over the same samples, avgSpan their
	// intervals summed.
	avg      *sampler.RateWindow[avgKey[sampler.ProcKey]]
	avgDisks []sampler.DiskRates
	avgSpan  time.Duration
	// active is when each process last read or wrote within the minute
	// up to the cursor, for the list's "active only": live it grows
	// frame by frame, a cursor jumps.
	active map[sampler.ProcKey]time.Time
}

// view is the replayView at the cursor, nil before a frame.
func (c *replayCursor) view() *replayView {
	c.mu.Lock()
	defer c.mu.Unlock()
	end := len(c.points)
	for end > 0 && c.points[end-1].pos > c.cur {
		end--
	}
	if end == 0 {
		return nil
	}
	pts := c.points[max(0, end-replayWarm):end]
	v := &replayView{perDisk: map[string]*[2][]float64{}, avg: sampler.NewRateWindow[avgKey[sampler.ProcKey]](averageSpan),
		active: map[sampler.ProcKey]time.Time{}}
	for i, p := range pts {
		v.times = append(v.times, p.t)
		v.read = append(v.read, p.read)
		for _, d := range p.disks {
			s := v.perDisk[d.Name]
			if s == nil {
				s = &[2][]float64{make([]float64, i), make([]float64, i)}
				v.perDisk[d.Name] = s
				v.names = append(v.names, d.Name)
			}
			s[0], s[1] = append(s[0], d.WriteRate), append(s[1], d.ReadRate)
		}
		for _, s := range v.perDisk {
			for j := range s {
				if len(s[j]) < i+1 {
					s[j] = append(s[j], 0) // the disk is not in this sample
				}
			}
		}
	}
	last := pts[len(pts)-1]
	v.disks, v.span = last.disks, last.diskEl
	// The minute before the cursor, in recording time: the samples that
	// ended within averageSpan of the cursor's, as sampler.RateWindow keeps
	// them live.
	var win []analysis.DiskSample
	for _, p := range pts {
		if last.t.Sub(p.t) <= activeSpan {
			for _, b := range p.procs {
				v.active[b.key] = p.t
			}
		}
		if last.t.Sub(p.t) < averageSpan {
			bytes := make(map[avgKey[sampler.ProcKey]][2]float64, len(p.procs))
			for _, b := range p.procs {
				bytes[avgKey[sampler.ProcKey]{key: b.key}] = [2]float64{b.w, b.r}
			}
			v.avg.Add(p.t, p.elapsed, bytes)
			win = append(win, analysis.DiskSample{Elapsed: p.diskEl, Disks: p.disks})
		}
	}
	v.avgDisks, v.avgSpan = analysis.AverageDisks(win)
	return v
}
