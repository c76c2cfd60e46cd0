package tui

import (
	"context"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// sparkPoints is how much of each process's history the table keeps for
// sparklines: enough for the widest terminal.
const sparkPoints = 400

// sparkTop is how many of the busiest processes get a sparkline history on
// every sample, besides those on screen.
const sparkTop = 64

// driver runs the sampler in commands. The mutex serialises every call, so
// an engine that is not safe for concurrent use is still safe here; the UI
// goroutine never takes it.
type driver struct {
	mu  sync.Mutex
	s   Sampler
	ctx context.Context
	// files is read right after each process sample, in the same command
	// (files.go); nil when per-file data is not collected. mergeFiles
	// merges the processes it saw exit within the interval into the frame.
	files      FileSource
	mergeFiles bool
	// ioprio reads the I/O priority of the processes in each per-file
	// reading, for the Files tab's column (files_prio.go); nil: none read
	// (a recording, tests).
	ioprio func(int32) (sampler.IOPriority, error)
}

// sample returns a command that takes one sample and reads the histories
// of the busiest processes, of those in want (the rows on screen) and the
// full history of detail when it is set.
func (d *driver) sample(gen int, want []sampler.ProcKey, detail *sampler.ProcKey) tea.Cmd {
	return func() tea.Msg {
		d.mu.Lock()
		defer d.mu.Unlock()
		f, err := d.s.Sample(d.ctx)
		if err != nil {
			return sampleMsg{gen: gen, err: fmt.Errorf("sample: %w", err)}
		}
		var files *filesSample
		if d.files != nil {
			files = d.readFiles(&f)
		}
		m := sampleMsg{gen: gen, frame: f, files: files, total: d.s.TotalSeries(), times: d.s.SeriesTimes(),
			series: make(map[sampler.ProcKey][]float64, sparkTop+len(want)+1)}
		if c, ok := d.s.(*replayCursor); ok {
			m.replay = c.view()
		}
		add := func(k sampler.ProcKey, limit int) {
			if _, ok := m.series[k]; ok && limit > 0 {
				return
			}
			s := d.s.ProcessSeries(k)
			if limit > 0 && len(s) > limit {
				s = append([]float64(nil), s[len(s)-limit:]...)
			}
			m.series[k] = s
		}
		for i, p := range f.Processes {
			if i >= sparkTop {
				break
			}
			add(p.Key, sparkPoints)
		}
		for _, k := range want {
			add(k, sparkPoints)
		}
		if detail != nil {
			add(*detail, 0)
		}
		return m
	}
}

// series returns a command that reads one process's full history.
func (d *driver) series(k sampler.ProcKey) tea.Cmd {
	return func() tea.Msg {
		d.mu.Lock()
		defer d.mu.Unlock()
		return seriesMsg{key: k, series: d.s.ProcessSeries(k), times: d.s.SeriesTimes()}
	}
}

// setInterval returns a command that tells the engine the new interval.
func (d *driver) setInterval(iv time.Duration) tea.Cmd {
	return func() tea.Msg {
		d.mu.Lock()
		defer d.mu.Unlock()
		if err := d.s.SetInterval(iv); err != nil {
			return intervalMsg{d: iv, err: fmt.Errorf("set interval %s: %w", iv, err)}
		}
		return intervalMsg{d: iv}
	}
}

// tick returns a command that asks for the next sample of loop gen after iv.
func tick(gen int, iv time.Duration) tea.Cmd {
	return tea.Tick(iv, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
}
