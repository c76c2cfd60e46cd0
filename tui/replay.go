package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// Recording is a recording opened for the screens: analysis.Index has read
// it once (the session's Analyzer holds the whole recording, so the Churn
// tab and the report say what `hvrdoctor analyze` prints; it counted the
// samples and knows where each minute and spike starts). The screens then
// move a time cursor over it (see replayCursor).
type Recording struct {
	// Source is the recording as the user named it, for the header.
	Source string
	paths  []string
	cols   analysis.ColumnMap
	cls    *sampler.Classifier
	idx    *analysis.Index
	// count, start and end are the index's, for the cursor.
	count      int
	start, end time.Time
	// interval is the recording's usual sampling interval (the graph's
	// time step), within the engine's 250 ms to 60 s.
	interval time.Duration
	skipped  []analysis.Skipped
}

// OpenRecording reads the recording's files once (paths as given to
// analysis.ExpandPaths) and returns it ready for replay. opt are the
// analysis options (spike factor, intervals, compression, link, classifier
// for inputs without a class); cls classifies processes in the sampler
// engine. Bad headers are errors naming the file; bad rows are skipped and
// listed on the Churn tab.
func OpenRecording(source string, paths []string, cols analysis.ColumnMap, opt analysis.Options, cls *sampler.Classifier) (*Recording, error) {
	if cls == nil {
		cls = sampler.DefaultClassifier()
	}
	idx, err := analysis.IndexRecording(paths, cols, opt)
	if err != nil {
		if errors.Is(err, analysis.ErrNoSamples) {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		return nil, err
	}
	rec := &Recording{Source: source, paths: paths, cols: cols, cls: cls, idx: idx, count: idx.Count, start: idx.Start, end: idx.End,
		skipped: idx.Skipped(), interval: sampler.DefaultInterval}
	if idx.Step > 0 {
		rec.interval = min(sampler.MaxInterval, max(sampler.MinInterval, idx.Step))
	}
	return rec, nil
}

// Count is the number of samples in the recording.
func (r *Recording) Count() int { return r.count }

// Interval is the recording's usual sampling interval.
func (r *Recording) Interval() time.Duration { return r.interval }

// Host is the host the recording names, "" when it has no Host column.
func (r *Recording) Host() string { return r.idx.Host }

// Skipped reports the rows that could not be read.
func (r *Recording) Skipped() []analysis.Skipped { return r.skipped }

// Report is the analysis of the whole recording.
func (r *Recording) Report() analysis.Report { return r.idx.Analyzer().Report() }

// session is a session over the whole recording: the report and the
// Churn tab read its Analyzer; no frame is added to it on replay.
func (r *Recording) session() *session {
	return &session{an: r.idx.Analyzer(), start: r.start, frames: r.count, cacheAt: -1}
}

// The replay cursor's cost bounds.
const (
	// replayWarm is how many samples before the cursor an engine is fed
	// after a jump, so the graph and sparklines have their history.
	replayWarm = 400
	// replayCache is how many frames behind the engine's newest are kept:
	// stepping back within them is instant.
	replayCache = 120
)

// replayCursor is the Sampler the screens use on a recording: Sample
// returns the frame at the cursor, not the next one. It runs the real
// sampler Engine over analysis.ReplaySource, streaming the files:
//
//   - forward: the engine reads on (a jump of more than replayWarm samples
//     skips through the source without the engine, then warms a new engine
//     up over the last replayWarm samples);
//   - back within the last replayCache frames: the cached frame is shown
//     and the histories are cut at the cursor, nothing is read;
//   - further back: the files are opened again and read from their start
//     up to the cursor (parsing only, about a million rows a second), the
//     engine is warmed up over the last replayWarm samples.
//
// Memory is bounded by replayCache frames and the engine's replayWarm
// history points, whatever the recording's length.
type replayCursor struct {
	rec *Recording
	mu  sync.Mutex

	target int // the sample to show next (1-based)

	rp     *analysis.Replay
	src    *analysis.ReplaySource
	srcPos int // position of the source's last snapshot: 0 is before sample 1; -1 none yet
	eng    *sampler.Engine
	head   int // the engine's newest frame's position
	cur    int // the position on screen
	ring   []cachedFrame
	// points are the last replayPoints samples' disks and process bytes,
	// up to head (replay_disks.go).
	points []replayPoint
}

type cachedFrame struct {
	pos int
	f   sampler.Frame
}

func newReplayCursor(rec *Recording) *replayCursor {
	return &replayCursor{rec: rec, target: 1, srcPos: -1}
}

// setTarget moves the cursor; the next Sample reads up to it.
func (c *replayCursor) setTarget(i int) {
	c.mu.Lock()
	c.target = max(1, min(c.rec.count, i))
	c.mu.Unlock()
}

// indexOf is the sample number of the frame at t among the cached frames,
// or of the cursor when t is not cached.
func (c *replayCursor) indexOf(t time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cf := range c.ring {
		if cf.f.Time.Equal(t) {
			return cf.pos
		}
	}
	return c.cur
}

// Close closes the files.
func (c *replayCursor) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rp != nil {
		return c.rp.Close()
	}
	return nil
}

// Sample moves to the target and returns the frame there.
func (c *replayCursor) Sample(ctx context.Context) (sampler.Frame, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.seek(ctx, c.target); err != nil {
		return sampler.Frame{}, err
	}
	for _, cf := range c.ring {
		if cf.pos == c.cur {
			return cf.f, nil
		}
	}
	return sampler.Frame{}, fmt.Errorf("replay: sample %d is not cached", c.cur)
}

func (c *replayCursor) cached(t int) bool {
	return len(c.ring) > 0 && t >= c.ring[0].pos && t <= c.head
}

// seek positions the engine so that sample t is cached.
func (c *replayCursor) seek(ctx context.Context, t int) error {
	if c.eng != nil && c.cached(t) {
		c.cur = t
		return nil
	}
	if c.eng == nil || t < c.head || t-c.head > replayWarm {
		if err := c.restart(ctx, max(0, t-replayWarm)); err != nil {
			return err
		}
	}
	for c.head < t {
		f, err := c.eng.Sample(ctx)
		if err != nil {
			return c.readErr(err)
		}
		c.head++
		c.srcPos++
		c.note(&f)
		c.push(c.head, f)
	}
	c.cur = t
	return nil
}

// restart builds a new engine whose baseline is the snapshot at position
// b, reading the files again from their start when they are past it.
func (c *replayCursor) restart(ctx context.Context, b int) error {
	if c.src == nil || c.srcPos > b-1 {
		if c.rp != nil {
			c.rp.Close()
		}
		rp, err := analysis.OpenReplay(c.rec.paths, c.rec.cols)
		if err != nil {
			return fmt.Errorf("replay: reopen %s: %w", c.rec.Source, err)
		}
		c.rp, c.src, c.srcPos = rp, analysis.NewReplaySource(rp), -1
	}
	for c.srcPos < b-1 {
		if _, err := c.src.Snapshot(ctx); err != nil {
			return c.readErr(err)
		}
		c.srcPos++
	}
	iv := c.rec.interval
	eng, err := sampler.NewEngine(c.src, sampler.Config{Interval: iv, Window: replayWarm * iv, Classifier: c.rec.cls,
		ProcessAlive: func(sampler.ProcKey) bool { return true }})
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if _, err := eng.Sample(ctx); err != nil { // the baseline at b
		return c.readErr(err)
	}
	c.eng, c.srcPos, c.head, c.ring, c.points = eng, b, b, c.ring[:0], c.points[:0]
	return nil
}

// readErr words a read failure; the end of the files before the counted
// samples means they changed since they were opened.
func (c *replayCursor) readErr(err error) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("replay of %s: the files ended before sample %d of %d; were they changed since they were opened?", c.rec.Source, c.head+1, c.rec.count)
	}
	return fmt.Errorf("replay of %s: %w", c.rec.Source, err)
}

func (c *replayCursor) push(pos int, f sampler.Frame) {
	if len(c.ring) >= replayCache {
		copy(c.ring, c.ring[1:])
		c.ring = c.ring[:len(c.ring)-1]
	}
	c.ring = append(c.ring, cachedFrame{pos: pos, f: f})
}

// behind is how many engine points lie after the cursor.
func (c *replayCursor) behind() int { return c.head - c.cur }

func cutEnd[T any](s []T, n int) []T {
	if n <= 0 {
		return s
	}
	if n >= len(s) {
		return nil
	}
	return s[:len(s)-n]
}

// TotalSeries is the disk write history up to the cursor.
func (c *replayCursor) TotalSeries() []float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.eng == nil {
		return nil
	}
	return cutEnd(c.eng.TotalSeries(), c.behind())
}

// ProcessSeries is one process's history up to the cursor.
func (c *replayCursor) ProcessSeries(k sampler.ProcKey) []float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.eng == nil {
		return nil
	}
	return cutEnd(c.eng.ProcessSeries(k), c.behind())
}

// SeriesTimes are the times of TotalSeries.
func (c *replayCursor) SeriesTimes() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.eng == nil {
		return nil
	}
	return cutEnd(c.eng.SeriesTimes(), c.behind())
}

// SetInterval does nothing: a recording's interval is what it was.
func (c *replayCursor) SetInterval(time.Duration) error { return nil }
