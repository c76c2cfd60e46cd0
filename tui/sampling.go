package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// sampling is the program's sampling loop: the interval, the loop
// generation, pause, and the frame on screen with its histories. The root
// model owns it and handles its messages and keys (p/space pause, +/- the
// interval, on every tab); panes reach it read-only through the shared
// Context (the interval, whether it is paused) and ask it for a process's
// history. Frames reach the panes as messages: sampleMsg for every reading
// (histories and the analysis go on while paused), frameMsg for the frame
// to show.
type sampling struct {
	drv *driver
	// tick schedules the next sample; tests replace it to drive time. On
	// a replay it schedules nothing: frames come when the cursor moves.
	tick func(gen int, iv time.Duration) tea.Cmd

	interval time.Duration
	gen      int  // current sampling loop
	paused   bool // the screen is frozen; sampling goes on
	pending  *frameMsg

	// shown is the frame on screen and the histories read with it; have
	// is set once one arrived (maybe only the baseline, without rates);
	// err is the last sampling error, shown in the header until a sample
	// is shown.
	shown frameMsg
	have  bool
	err   error
}

// frameMsg is the frame the screen shows, with the histories read with it:
// sent to every pane after each reading, except while paused; on resume,
// the latest reading.
type frameMsg struct {
	frame  sampler.Frame
	total  []float64
	times  []time.Time
	series map[sampler.ProcKey][]float64
}

func newSampling(d *driver, iv time.Duration) *sampling {
	return &sampling{drv: d, tick: tick, interval: iv}
}

// start takes the first sample at once.
func (s *sampling) start() tea.Cmd { return s.drv.sample(s.gen, nil, nil) }

// firstInterval is the time between the baseline and the first sample
// with rates, whatever the chosen interval.
const firstInterval = 200 * time.Millisecond

// sampled takes one reading (not the end of a replay): next schedules the
// reading after it when msg belongs to the current loop; show is the frame
// to show now, nil while paused or on an error.
func (s *sampling) sampled(msg sampleMsg) (next tea.Cmd, show *frameMsg) {
	if msg.gen == s.gen {
		iv := s.interval
		if msg.err == nil && msg.frame.Elapsed == 0 {
			// The baseline has no rates: take the first real sample
			// after a short first interval, so rates show within about
			// a quarter of a second of start.
			iv = min(iv, firstInterval)
		}
		next = s.tick(s.gen, iv)
	}
	if msg.err != nil {
		s.err = msg.err
		return next, nil
	}
	f := &frameMsg{frame: msg.frame, total: msg.total, times: msg.times, series: msg.series}
	if s.paused {
		s.pending = f
		return next, nil
	}
	return next, s.show(f)
}

// show makes f the frame on screen.
func (s *sampling) show(f *frameMsg) *frameMsg {
	s.err = nil
	s.have = true
	s.shown = *f
	return f
}

// ticked asks for the sample of loop gen, with the histories of want (the
// rows on screen) and the full history of detail when set.
func (s *sampling) ticked(msg tickMsg, want []sampler.ProcKey, detail *sampler.ProcKey) tea.Cmd {
	if msg.gen != s.gen {
		return nil
	}
	return s.drv.sample(s.gen, want, detail)
}

// resample asks for a frame now (a replay's cursor moved; it has no
// timer).
func (s *sampling) resample(want []sampler.ProcKey, detail *sampler.ProcKey) tea.Cmd {
	return s.drv.sample(s.gen, want, detail)
}

// togglePause freezes or unfreezes the screen; on resume it returns the
// latest reading to show, nil when none came while paused.
func (s *sampling) togglePause() *frameMsg {
	s.paused = !s.paused
	if s.paused || s.pending == nil {
		return nil
	}
	f := s.pending
	s.pending = nil
	return s.show(f)
}

// step moves the interval one step (dir +1 slower, -1 faster) and starts a
// new loop at it; status says what happened.
func (s *sampling) step(dir int) (cmd tea.Cmd, status string) {
	iv := stepInterval(s.interval, dir)
	if iv == s.interval {
		return nil, "interval stays " + views.FormatInterval(iv) + " (range 250ms to 60s)"
	}
	s.interval = iv
	s.gen++
	return tea.Batch(s.drv.setInterval(iv), s.tick(s.gen, iv)), "interval " + views.FormatInterval(iv)
}

// intervalSet takes the engine's answer to a new interval.
func (s *sampling) intervalSet(msg intervalMsg) {
	if msg.err != nil {
		s.err = msg.err
	}
}

// series asks for one process's full history (a seriesMsg).
func (s *sampling) series(k sampler.ProcKey) tea.Cmd { return s.drv.series(k) }

// seriesWanter is a pane that draws process histories: the sampling
// command reads them with each sample.
type seriesWanter interface {
	// wantSeries are the processes whose recent history the pane shows,
	// and the one whose whole history it shows (nil for none).
	wantSeries() (keys []sampler.ProcKey, detail *sampler.ProcKey)
}
