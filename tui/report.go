package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// TopFiles is what the report needs from per-file sampling: the files
// written most over the session, most bytes first. Options.Files is nil
// when per-file data is not collected, and the report says so.
type TopFiles interface {
	TopFiles(n int) []views.FileRow
}

// reportTopFiles is how many files the report lists.
const reportTopFiles = 10

// noFileWrites is what the Churn tab and the report say when a per-file
// source runs and no file was written yet.
const noFileWrites = "No file writes were recorded in this session."

// session accumulates every frame the screen receives into the churn
// analysis, for the report's top processes, spikes and impact.
type session struct {
	an      *analysis.Analyzer
	start   time.Time
	frames  int
	cached  analysis.Report
	cacheAt int // frames when cached was computed; -1 for none
}

// newSession starts an empty analysis with opt (spike factor, intervals,
// compression, link); frames carry their classes.
func newSession(opt analysis.Options) *session {
	return &session{an: analysis.NewAnalyzer(opt), cacheAt: -1}
}

// add feeds one frame; frames without rates (the baseline) are skipped.
func (s *session) add(f sampler.Frame) {
	if f.Elapsed <= 0 {
		return
	}
	if s.start.IsZero() {
		s.start = f.Time.Add(-f.Elapsed)
	}
	s.an.AddFrame(f)
	s.frames++
}

// report is the analysis so far, computed at most once per frame.
func (s *session) report() analysis.Report {
	if s.cacheAt != s.frames {
		s.cached, s.cacheAt = s.an.Report(), s.frames
	}
	return s.cached
}

// reportSavedMsg says where the report went, or why it could not.
type reportSavedMsg struct {
	path string
	err  error
}

// saveReport renders the report and writes it to dir as
// hvrdoctor-incident-HOST-YYYYMMDD-HHMMSS.md, never over an existing file.
func saveReport(d views.IncidentData, dir string) tea.Cmd {
	return func() tea.Msg {
		text := views.IncidentMarkdown(d)
		base := fmt.Sprintf("hvrdoctor-incident-%s-%s", fileSafe(d.Host), d.Time.Format("20060102-150405"))
		for i := 1; i < 100; i++ {
			name := base + ".md"
			if i > 1 {
				name = fmt.Sprintf("%s-%d.md", base, i)
			}
			path := filepath.Join(dir, name)
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			if err != nil {
				return reportSavedMsg{err: fmt.Errorf("save the report in %s: %w", dir, err)}
			}
			_, err = f.WriteString(text)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return reportSavedMsg{err: fmt.Errorf("write the report %s: %w", path, err)}
			}
			if abs, err := filepath.Abs(path); err == nil {
				path = abs
			}
			return reportSavedMsg{path: path}
		}
		return reportSavedMsg{err: fmt.Errorf("save the report in %s: 99 reports named %s already", dir, base)}
	}
}

// fileSafe keeps letters, digits, dots and hyphens of a host name.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, s)
	if s == "" {
		return "host"
	}
	return s
}

// reportPane is the Report tab: what the report will say, and where the
// last one was saved. r saves it from every pane.
type reportPane struct {
	paneBase
	ctx   *Context
	data  func() views.IncidentData
	dir   string
	saved string
	textScroll
	w, h int
}

func (p *reportPane) title() string { return "Report" }

func (p *reportPane) resize(w, h int) { p.w, p.h = w, h }

func (p *reportPane) lines(w int) []string {
	return views.ReportScreen(p.data(), p.dir, p.saved, w, p.ctx.Theme)
}

func (p *reportPane) view(w, h int) string {
	return p.scrollView(p.lines(w), w, h)
}

func (p *reportPane) key(msg tea.KeyPressMsg) tea.Cmd {
	// The Report tab keeps the keys it had: end does not move it.
	p.scrollKey(msg, p.ctx.Keys, p.h, false)
	return nil
}

func (p *reportPane) update(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(reportSavedMsg); ok && m.err == nil {
		p.saved = m.path
	}
	return nil
}

func (p *reportPane) shortHelp() []key.Binding { return p.ctx.Keys.ReportHelp() }
