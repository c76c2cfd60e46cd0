package tui

import (
	"errors"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/storage"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// averageSpan is what the 1-minute averages (Context.Average) average over.
const averageSpan = time.Minute

// storageState holds the Storage view's readings: the latest and those of
// the last minute, for the 1-minute average. The root model owns it and
// reads storage after each process sample, in a command.
type storageState struct {
	mu    sync.Mutex // serialises Sample: commands may overlap
	src   storage.Sampler
	clock sampler.Clock
	busy  bool // a read is under way (UI goroutine only)

	last storage.Stats
	have bool
	hist []storage.Stats // readings with rates, newest last, within averageSpan
	err  error
	note string // why there is no source, or ""
}

// storageMsg carries one storage reading.
type storageMsg struct {
	st  storage.Stats
	err error
}

// newStorageState wraps src; with src nil the view says why (note).
func newStorageState(src storage.Sampler, note string, clock sampler.Clock) *storageState {
	return &storageState{src: src, note: note, clock: clock}
}

// read returns a command that takes one reading, or nil while one is
// under way or there is no source.
func (s *storageState) read() tea.Cmd {
	if s == nil || s.src == nil || s.busy {
		return nil
	}
	s.busy = true
	return func() tea.Msg {
		s.mu.Lock()
		defer s.mu.Unlock()
		st, err := s.src.Sample(s.clock.Now())
		return storageMsg{st: st, err: err}
	}
}

// apply keeps a reading.
func (s *storageState) apply(msg storageMsg) {
	s.busy = false
	if msg.err != nil {
		s.err = msg.err
		return
	}
	s.err, s.last, s.have = nil, msg.st, true
	if msg.st.Interval > 0 {
		s.hist = append(s.hist, msg.st)
	}
	for len(s.hist) > 0 && msg.st.Time.Sub(s.hist[0].Time) >= averageSpan {
		s.hist = s.hist[1:]
	}
}

// data is what views.Storage draws, for the last interval or averaged.
func (s *storageState) data(averaged bool) views.StorageData {
	d := views.StorageData{Source: s.last.Source, Volumes: s.last.Volumes, Disks: s.last.Disks,
		Span: s.last.Interval, Averaged: averaged, Pending: s.last.Interval <= 0}
	if averaged && len(s.hist) > 0 {
		d.Disks, d.Span = storage.Average(s.hist)
		d.Pending = false
	}
	switch {
	case s.src == nil:
		d.Note = s.note
	case s.err != nil:
		d.Note = s.err.Error()
	case !s.have:
		d.Note = "reading the disks"
	case s.last.VolumeErr != nil:
		d.Note = "some volumes missing: " + s.last.VolumeErr.Error()
	}
	if errors.Is(s.err, storage.ErrUnsupported) {
		d.Note = storage.ErrUnsupported.Error()
	}
	return d
}

// storagePanelLines is the height of the Storage panel under the process
// table when the body is at least storagePanelMinBody lines high.
const (
	storagePanelLines   = 12
	storagePanelMinBody = 40
)

// paneLayout splits the Processes tab's body: the graph, the table and,
// on a tall screen, the Storage panel below the table.
func (p *samplerPane) paneLayout(h int) (graphH, tableH, panelH int) {
	graphH, tableH = layout(h)
	if p.storage != nil && h >= storagePanelMinBody {
		panelH = storagePanelLines
		tableH -= panelH
	}
	return graphH, tableH, panelH
}

// storageView draws the Storage view in w x h.
func (p *samplerPane) storageView(w, h int) string {
	d := p.storage()
	if p.storagePage {
		d.Hint = "v: back to the processes"
	} else {
		d.Hint = "v: whole page"
	}
	return views.Storage(d, w, h, p.ctx.Theme)
}

// initStorage sets up the Storage view: on a recording from its per-disk
// columns at the cursor (replay_storage.go), live from the options'
// storage source.
func (m *Model) initStorage(o Options) {
	if m.replay != nil {
		m.sampler.storage = func() views.StorageData { return m.replay.storageData(m.ctx.Average) }
		return
	}
	if o.Storage == nil && o.StorageNote == "" {
		return
	}
	m.storage = newStorageState(o.Storage, o.StorageNote, o.Clock)
	m.sampler.storage = func() views.StorageData { return m.storage.data(m.ctx.Average) }
}

// storageUpdate reads storage after each process sample and keeps the
// readings.
func (m *Model) storageUpdate(msg tea.Msg) tea.Cmd {
	if m.storage == nil {
		return nil
	}
	switch msg := msg.(type) {
	case sampleMsg:
		return m.storage.read()
	case storageMsg:
		m.storage.apply(msg)
	}
	return nil
}

// DefaultStorage is this OS's storage source for Options.Storage, or nil
// and the reason to show in its place.
func DefaultStorage() (storage.Sampler, string) {
	s, err := storage.New()
	if err != nil {
		return nil, err.Error()
	}
	return s, ""
}

// storageHint ends the process table's title with the Storage view's key
// where there is one and no panel shows it already.
func (p *samplerPane) storageHint() string {
	if p.storage == nil {
		return ""
	}
	if _, _, panelH := p.paneLayout(p.h); panelH > 0 {
		return ""
	}
	return p.ctx.Theme.Muted.Render("  v: storage")
}
