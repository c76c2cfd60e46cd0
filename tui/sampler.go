package tui

import (
	"context"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Sampler is what the screen needs from the sampler engine. The engine in
// package sampler implements it; tests may use it with a replay source.
type Sampler interface {
	// Sample reads the source once and returns the rates since the last
	// call.
	Sample(ctx context.Context) (sampler.Frame, error)
	// TotalSeries is the disk write rate history, oldest first.
	TotalSeries() []float64
	// ProcessSeries is one process's write rate history, oldest first,
	// aligned on the right with TotalSeries.
	ProcessSeries(sampler.ProcKey) []float64
	// SeriesTimes are the sample times matching TotalSeries.
	SeriesTimes() []time.Time
	// SetInterval tells the engine the new sampling interval so its history
	// window keeps its length in time.
	SetInterval(time.Duration) error
}

// Intervals are the sampling intervals + and - step through.
var Intervals = []time.Duration{
	250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second,
	5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute,
}

// stepInterval returns the interval dir steps (+1 or -1) from d in
// Intervals, staying at the ends. An interval between two steps moves to the
// next step in that direction.
func stepInterval(d time.Duration, dir int) time.Duration {
	if dir > 0 {
		for _, s := range Intervals {
			if s > d {
				return s
			}
		}
		return Intervals[len(Intervals)-1]
	}
	for i := len(Intervals) - 1; i >= 0; i-- {
		if Intervals[i] < d {
			return Intervals[i]
		}
	}
	return Intervals[0]
}
