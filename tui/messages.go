package tui

import (
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// tickMsg asks for the next sample. gen is the sampling loop it belongs to:
// changing the interval or resuming starts a new loop, and ticks of an old
// loop are dropped, so there is never more than one loop.
type tickMsg struct{ gen int }

// sampleMsg carries one sample and the histories the screen draws, all read
// from the sampler in the command's goroutine, so View never calls the
// sampler.
type sampleMsg struct {
	gen    int
	frame  sampler.Frame
	err    error
	total  []float64
	times  []time.Time
	series map[sampler.ProcKey][]float64
	// files is the per-file reading of the same interval, nil when per-file
	// data is not collected.
	files *filesSample
	// replay is what a recording's cursor gives besides the frame (the
	// per-disk histories and the 1-minute averages at the cursor), nil
	// live.
	replay *replayView
}

// seriesMsg carries a process's full history for the detail page.
type seriesMsg struct {
	key    sampler.ProcKey
	series []float64
	times  []time.Time
}

// intervalMsg reports the engine's answer to a new interval.
type intervalMsg struct {
	d   time.Duration
	err error
}
