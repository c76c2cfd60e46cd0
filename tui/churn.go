package tui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// churnPane is the Churn tab: the minute pivot of the session (live) or of
// the recording (replay) around the current minute, the baseline, the
// spikes with their culprits, persistent churn and bursts, and the
// replication impact with its basis. It reads the session's one Analyzer,
// the same the report uses, so the tab and the report never disagree.
type churnPane struct {
	paneBase
	ctx  *Context
	sess *session
	// now is the time the pivot is drawn around: the frame on screen (the
	// last one live, the cursor's on a replay).
	now    time.Time
	replay *Recording // nil live
	// files gives the live per-file top files the report uses; it
	// returns nil while no per-file source runs (--files off, none could
	// start, or it is still loading).
	files func() TopFiles
	textScroll
	w, h int
}

func (p *churnPane) title() string { return "Churn" }

func (p *churnPane) resize(w, h int) { p.w, p.h = w, h }

// pivotRows is how many minutes the pivot shows in a pane h lines tall:
// half the pane, 4 to 30, the rest scrolls.
func pivotRows(h int) int { return max(4, min(30, h/2-2)) }

// data is what the tab shows now.
func (p *churnPane) data(h int) views.ChurnData {
	rep := p.sess.report()
	d := views.ChurnData{Report: rep, Replay: p.replay != nil}
	d.Minutes, d.Current = rep.Pivot.Window(p.now, pivotRows(h), p.replay != nil)
	if p.replay != nil {
		d.Host = p.replay.Host()
		d.Notes = p.replay.idx.Notes
		for _, s := range p.replay.skipped {
			d.Skipped = append(d.Skipped, s.String())
		}
	} else if fs := p.files(); fs != nil && len(rep.Files) == 0 {
		// Live with a per-file source: its top files, or why none show,
		// as the incident report says it (never "not collected").
		d.Files = fs.TopFiles(reportTopFiles)
		if len(d.Files) == 0 {
			d.FilesNote = noFileWrites
		}
	}
	return d
}

func (p *churnPane) view(w, h int) string {
	return p.scrollView(views.Churn(p.data(h), w, p.ctx.Theme), w, h)
}

// update follows the frame on screen.
func (p *churnPane) update(msg tea.Msg) tea.Cmd {
	if f, ok := msg.(frameMsg); ok {
		p.now = f.frame.Time
	}
	return nil
}

func (p *churnPane) key(msg tea.KeyPressMsg) tea.Cmd {
	p.scrollKey(msg, p.ctx.Keys, p.h, true)
	return nil
}

func (p *churnPane) shortHelp() []key.Binding {
	if p.replay != nil {
		return p.ctx.Keys.ReplayHelp()
	}
	return p.ctx.Keys.ChurnHelp()
}

// spikeMark is the header's spike mark for the minute of t: its total so
// far (live) or in the recording (replay) over the baseline, when above
// the spike factor; "" otherwise.
func (s *session) spikeMark(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	pv := s.report().Pivot
	if !pv.SpikeAt(t) {
		return ""
	}
	return views.SpikeText(pv.FactorAt(t))
}

// addFiles adds a per-file reading of the interval that ended with f to
// the analysis, so a spike's culprits name the files they wrote. Bytes a
// backend could not measure are left out.
func (s *session) addFiles(f sampler.Frame, iv fileio.Interval) {
	if f.Elapsed <= 0 || len(iv.Files) == 0 {
		return
	}
	files := make([]analysis.FileSample, 0, len(iv.Files))
	for _, fa := range iv.Files {
		if fa.WriteBytes == 0 && fa.ReadBytes == 0 {
			continue
		}
		files = append(files, analysis.FileSample{Process: fa.Name, PID: fa.Key.Proc.PID, Path: fa.Key.Path,
			WriteBytes: float64(fa.WriteBytes), ReadBytes: float64(fa.ReadBytes)})
	}
	s.an.AddFiles(f.Time, f.Elapsed, files)
	s.cacheAt = -1
}
