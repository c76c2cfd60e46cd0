package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// FileSource is what the Files tab needs from per-file sampling:
// fileio.Source implements it (Close stays with the caller). It is read in
// the sampling command right after the process sample, so both cover the
// same interval.
type FileSource interface {
	Read(ctx context.Context) (fileio.Interval, error)
	Info() fileio.Info
}

// activityMerger is the engine's MergeActivity: processes a per-file
// backend saw start and exit between two samples join the frame.
type activityMerger interface {
	MergeActivity(f *sampler.Frame, acts []sampler.ExternalActivity) (int, error)
}

// diskApplier is the engine's ApplyDiskBytes: block-layer disk bytes
// become the frame's write figures.
type diskApplier interface {
	ApplyDiskBytes(f *sampler.Frame, acts []sampler.DiskActivity) error
}

// filesSample is one per-file reading, carried in sampleMsg.
type filesSample struct {
	iv   fileio.Interval
	info fileio.Info // the source's, at this reading (a backend may load late)
	err  error
	// prio is the I/O priority of the reading's processes, by PID, in a
	// column's short form; nil when none is read.
	prio map[int32]string
}

// readFiles reads the per-file source for the interval that ended with f
// and, when the backend counts processes that exited within it, merges
// them into f. Called by driver.sample with the driver's lock held.
func (d *driver) readFiles(f *sampler.Frame) *filesSample {
	iv, err := d.files.Read(d.ctx)
	info := d.files.Info()
	if err != nil {
		return &filesSample{info: info, err: fmt.Errorf("per-file reading (%s): %w", info.Backend, err)}
	}
	if d.mergeFiles || info.CountsExitedProcesses() {
		if mg, ok := d.s.(activityMerger); ok {
			if _, err := mg.MergeActivity(f, fileio.ExternalActivity(iv)); err != nil {
				return &filesSample{iv: iv, info: info, err: fmt.Errorf("merge short-lived writers: %w", err)}
			}
		}
	}
	if acts, ok := iv.DiskActivity(f); ok {
		if da, ok := d.s.(diskApplier); ok {
			if err := da.ApplyDiskBytes(f, acts); err != nil {
				return &filesSample{iv: iv, info: info, err: fmt.Errorf("disk bytes: %w", err)}
			}
		}
	}
	return &filesSample{iv: iv, info: info, prio: readPriorities(d.ioprio, iv)}
}

// filesPane is the Files tab (Resource Monitor's Disk Activity): per
// process and file, the write, read and total rates of the last interval,
// sortable and filterable, grouped by directory on t, one file's graph on
// enter, and one process's files when the Processes tab sends f.
type filesPane struct {
	ctx  *Context
	hist *fileHistory
	// avg holds the last minute's bytes per file for the 1-minute
	// averages (average.go); nil before the first interval.
	avg *sampler.RateWindow[fileio.FileKey]
	// diskAvg holds the last minute's bytes that reached the disks per
	// file, in all and per disk (average.go).
	diskAvg *sampler.RateWindow[avgKey[fileio.FileKey]]
	// prio is each listed process's I/O priority as last read
	// (files_prio.go).
	prio map[int32]string
	info fileio.Info
	// onDisk is true while the list is limited to ctx.Disk.
	onDisk bool
	// privileged is the process source's privilege at the last frame
	// shown: what the backend can see depends on it.
	privileged bool
	// note says why per-file data is not collected, when it is not.
	note string
	err  error
	have bool // an interval with rates has arrived

	sort    views.FileSortKey
	desc    bool
	grouped bool
	rows    []views.FileTableRow
	total   int // rows before the filters
	sel     int
	selKey  fileio.FileKey
	// followTop keeps the selection on the first row (the top file) until
	// the user moves it, as in the Processes tab.
	followTop bool
	offset    int
	tableH    int
	w, h      int

	filterBox
	// pid limits the table to one process (f in the Processes tab).
	pid     int32
	pidName string

	detail    bool
	detailRow views.FileTableRow
	series    []float64
	times     []time.Time
	written   uint64
}

func newFilesPane(c *Context, info fileio.Info, note string) *filesPane {
	return &filesPane{ctx: c, hist: newFileHistory(), info: info, note: note, sort: views.FileSortWrite,
		desc: true, filterBox: newFilterBox("image or path", 128), followTop: true}
}

func (p *filesPane) title() string { return "Files" }

func (p *filesPane) setFocus(on bool) tea.Cmd {
	if on && p.have && !p.ctx.sampling.paused {
		p.refresh() // the marked processes may have changed
	}
	return nil
}

// resize sets the table's row count: the pane less the title and the
// column titles.
func (p *filesPane) resize(w, h int) {
	p.w, p.h = w, h
	p.tableH = max(1, h-2)
	p.sizeFilter(w)
	p.clamp()
}

// update takes each sample's per-file reading into the history, which
// always grows; the rows on screen follow the frames shown (frameMsg), so
// they stay while the sampler is paused. showFilesMsg (f in the Processes
// tab) limits the table to one process.
func (p *filesPane) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case sampleMsg:
		p.sampled(msg)
	case frameMsg:
		p.privileged = msg.frame.Info.Privileged
		p.refresh()
	case showFilesMsg:
		p.showProcess(msg.proc)
	}
	return nil
}

// sampled adds one sample's per-file reading to the history.
func (p *filesPane) sampled(m sampleMsg) {
	if m.err != nil || m.files == nil {
		return
	}
	p.err = m.files.err
	if m.files.info.Backend != "" || m.files.info.Reason != "" {
		p.info = m.files.info
	}
	if m.files.err != nil && m.files.info.Backend == "" && m.files.info.Reason != "" {
		// A backend opened in the background could not run: as if none
		// had been given, the tab says why.
		p.note = m.files.info.Reason
		return
	}
	if m.files.err != nil && m.files.iv.Time.IsZero() {
		return
	}
	if m.frame.Elapsed <= 0 {
		return // the baseline: no rates yet
	}
	p.hist.add(m.files.iv, m.frame)
	p.notePriorities(m.files.prio)
	p.noteAverage(m.files.iv)
	p.have = true
}

// refresh rebuilds the rows from the history: filter by process and text,
// group, sort, and keep the selection on the same file.
func (p *filesPane) refresh() {
	rows := p.hist.rows()
	p.setPriorities(rows)
	p.averaged(rows)
	p.total = len(rows)
	rows = keepMarked(rows, p.ctx.Marked)
	rows, p.onDisk = p.onDiskFiles(rows, listDisk(p.ctx))
	if p.pid != 0 {
		kept := rows[:0]
		for _, r := range rows {
			if r.Key.Proc.PID == p.pid {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	rows = views.FilterFileRows(rows, p.filter.Value())
	if p.grouped {
		rows = views.GroupFileRows(rows)
	}
	views.SortFileRows(rows, p.sort, p.desc)
	p.rows = rows
	if p.followTop {
		p.sel = 0
	} else {
		for i, r := range rows {
			if r.Key == p.selKey {
				p.sel = i
				break
			}
		}
	}
	p.clamp()
	if p.detail {
		for _, r := range rows {
			if r.Key == p.detailRow.Key {
				p.detailRow = r
			}
		}
		p.loadDetail()
	}
}

// loadDetail reads the open file's (or directory's) history.
func (p *filesPane) loadDetail() {
	keys := []fileio.FileKey{p.detailRow.Key}
	if p.detailRow.Files > 0 {
		keys = p.hist.keysIn(p.detailRow.Key.Proc, p.detailRow.Key.Path)
	}
	p.series, p.times = p.hist.series(keys)
	p.written = p.hist.written(keys)
}

func (p *filesPane) clamp() {
	p.sel = max(0, min(p.sel, len(p.rows)-1))
	if len(p.rows) > 0 {
		p.selKey = p.rows[p.sel].Key
	}
	// The selected row's full path takes lines under the table when its
	// cell cannot show it whole.
	p.tableH = views.FileTableRows(p.rows, p.sel, true, p.w, p.h, p.ctx.Theme)
	p.offset = views.ScrollOffset(p.offset, p.sel, p.tableH, len(p.rows))
}

// move moves the selection by n rows. Reaching the first row makes the
// selection follow the top row again.
func (p *filesPane) move(n int) {
	p.sel += n
	p.clamp()
	p.followTop = p.sel == 0
}

// showProcess limits the table to one process's files (f in the Processes
// tab); esc clears it.
func (p *filesPane) showProcess(r sampler.ProcessRates) {
	p.pid, p.pidName = r.Key.PID, r.Name
	p.detail = false
	p.sel, p.offset = 0, 0
	p.refresh()
}

// key handles the Files tab's keys; pause and interval are the root's.
func (p *filesPane) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.ctx.Keys
	if p.filtering {
		return p.filterKey(msg, p.refresh, &p.sel, &p.offset)
	}
	step, isStep := rowStep(msg, k, p.tableH, len(p.rows))
	sorted, desc, isSort := sortStep(msg, k, p.sort)
	switch {
	case key.Matches(msg, k.Back):
		switch {
		case p.detail:
			p.detail = false
		case p.filter.Value() != "" || p.pid != 0:
			p.filter.SetValue("")
			p.pid, p.pidName = 0, ""
			p.refresh()
		}
	case p.note != "" || p.detail:
		// Nothing to move or sort.
	case isStep:
		p.move(step)
	case isSort:
		p.sort, p.desc = sorted, desc
		p.refresh()
	case key.Matches(msg, k.SortReverse):
		p.desc = !p.desc
		p.refresh()
	case key.Matches(msg, k.Group):
		p.grouped = !p.grouped
		p.sel, p.offset = 0, 0
		p.refresh()
	case key.Matches(msg, k.Filter):
		return p.openFilter()
	case key.Matches(msg, k.Open):
		if len(p.rows) == 0 {
			return nil
		}
		p.detail = true
		p.detailRow = p.rows[p.sel]
		p.loadDetail()
	}
	return nil
}

// click selects the row under the pointer.
func (p *filesPane) click(_, y int) tea.Cmd {
	if p.detail || p.note != "" {
		return nil
	}
	row := y - 2 // less the title and the column titles
	if row < 0 || row >= p.tableH || p.offset+row >= len(p.rows) {
		return nil
	}
	p.move(p.offset + row - p.sel)
	return nil
}

func (p *filesPane) shortHelp() []key.Binding {
	if p.detail {
		return p.ctx.Keys.DetailHelp()
	}
	return p.ctx.Keys.FilesHelp()
}

func (p *filesPane) footer() string {
	return p.filterFooter(p.ctx.Theme)
}

// view draws the table (or a file's page) in w x h.
func (p *filesPane) view(w, h int) string {
	t := p.ctx.Theme
	if p.note != "" {
		lines := []string{t.Heading.Render("Disk activity"), ""}
		for _, l := range wrapLines("Per-file activity is not collected: "+p.note, w) {
			lines = append(lines, t.Warn.Render(l))
		}
		return views.Fit(strings.Join(lines, "\n"), w, h)
	}
	if p.detail {
		return views.FileDetail(views.FileDetailData{Row: p.detailRow, Written: p.written, Series: p.series, Times: p.times,
			Interval: p.ctx.sampling.interval, Mode: p.ctx.Mode, Counts: p.info.Counts}, w, h, t)
	}
	if !p.have {
		title := t.Heading.Render("Disk activity") + t.Muted.Render(" · "+views.FilesStatus(p.info, p.privileged))
		return views.Fit(title+"\n"+t.Muted.Render(" sampling: the first file rates arrive with the next sample"), w, h)
	}
	return views.FileTable(views.FileTableData{Title: p.tableTitle(w), Rows: p.rows, Selected: p.sel, Offset: p.offset,
		Sort: p.sort, Desc: p.desc, Empty: p.emptyText()}, w, h, t)
}

// tableTitle is "Disk activity · 12 files", then the filters and grouping
// in force with how to clear them, then what the backend could not see.
func (p *filesPane) tableTitle(w int) string {
	t := p.ctx.Theme
	sep := t.Muted.Render(t.Glyphs.Separator)
	noun := "file"
	if p.grouped {
		noun = "director"
	}
	switch {
	case len(p.rows) == 1 && p.grouped:
		noun += "y"
	case p.grouped:
		noun += "ies"
	case len(p.rows) != 1:
		noun += "s"
	}
	s := t.Heading.Render("Disk activity") + sep + onDiskTitle(p.ctx.Disk, p.onDisk, t) + t.Value.Render(strconv.Itoa(len(p.rows))) + " " + noun
	if p.pid != 0 || p.filter.Value() != "" {
		s += t.Muted.Render(" of " + strconv.Itoa(p.total))
	}
	if p.pid != 0 {
		s += sep + t.Label.Render("process ") + t.Value.Render(fmt.Sprintf("%s (PID %d)", p.pidName, p.pid))
	}
	if v := p.filter.Value(); v != "" {
		s += sep + t.Label.Render("filter ") + t.Value.Render(v)
	}
	if p.pid != 0 || p.filter.Value() != "" {
		s += t.Muted.Render(" (esc clears)")
	}
	if p.err != nil {
		s += sep + t.Error.Render(p.err.Error())
	} else if p.hist.dropped > 0 {
		s += sep + t.Warn.Render(fmt.Sprintf("%d files counted as \"other files\" (table full)", p.hist.dropped))
	} else if p.hist.hidden > 0 {
		s += sep + t.Warn.Render(fmt.Sprintf("%d processes' files hidden: run as root to see them", p.hist.hidden))
	}
	// The backend and what it cannot see, last, cut at the width when a
	// useful part fits (the header keeps only its short form on a narrow
	// screen).
	if views.Width(s+sep)+16 <= w {
		s += sep + t.Muted.Render(strings.TrimPrefix(views.FilesStatus(p.info, p.privileged), "files: "))
	}
	return views.Truncate(s, w, t.Glyphs.Ellipsis)
}

// emptyText says why the table is empty and what to do.
func (p *filesPane) emptyText() string {
	switch {
	case p.pid != 0 && p.filter.Value() != "":
		return fmt.Sprintf("no file of %s (PID %d) matches %q: esc clears the filters", p.pidName, p.pid, p.filter.Value())
	case p.pid != 0:
		return fmt.Sprintf("%s (PID %d) read or wrote no file in the last minute: esc shows every process", p.pidName, p.pid)
	case p.filter.Value() != "":
		return fmt.Sprintf("no image or path contains %q: esc clears the filter", p.filter.Value())
	}
	return "no file was read or written in the last minute"
}

// wrapLines cuts plain s into lines of at most w cells
// at spaces.
func wrapLines(s string, w int) []string {
	var lines []string
	var cur strings.Builder
	for _, word := range strings.Fields(s) {
		if cur.Len() > 0 && views.Width(cur.String())+1+views.Width(word) > w {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteString(" ")
		}
		cur.WriteString(word)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// notCollected is the header's per-file line when no backend runs.
const notCollected = "files: not collected: writes of children that exit between samples count on their parent (+children)"

// headerLine is the header's per-file part: the backend and what it
// cannot see, or why nothing is collected.
func (p *filesPane) headerLine() string {
	if p.note != "" {
		return notCollected
	}
	st := views.FilesStatus(p.info, p.privileged)
	if n := p.hist.droppedTotal; n > 0 {
		st += fmt.Sprintf("; %d file pairs in \"other files\" (table full)", n)
	}
	return st
}

// showFilesMsg asks the Files tab for one process's files (f in the
// Processes tab); the root gives the tab the keyboard.
type showFilesMsg struct{ proc sampler.ProcessRates }

func showFiles(r sampler.ProcessRates) tea.Cmd {
	return func() tea.Msg { return showFilesMsg{proc: r} }
}

// addFilesTab adds the Files tab after Processes when per-file data is
// collected (o.FileSource) or explained (o.FilesNote): the driver reads
// the source with each sample, f in the Processes tab opens a process's
// files, the header names the backend, and the report's top files come
// from the tab's session totals unless o.Files gives them.
func (m *Model) addFilesTab(o Options) {
	if o.FileSource == nil && o.FilesNote == "" {
		return
	}
	var info fileio.Info
	note := o.FilesNote
	if o.FileSource != nil {
		info, note = o.FileSource.Info(), ""
	}
	fp := newFilesPane(m.ctx, info, note)
	m.filesTab = fp
	m.addTab(fp, true)
	m.sampler.files = true
	if o.FileSource != nil {
		d := m.ctx.sampling.drv
		d.files, d.mergeFiles = o.FileSource, info.CountsExitedProcesses()
		if m.files == nil {
			m.files = fp.hist
		}
	}
}
