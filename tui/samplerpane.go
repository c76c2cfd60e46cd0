package tui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// samplerPane is the Processes tab: the total-writes graph over the process
// table, or one process's page. It owns the sort, the filter and the
// selection; the sampling loop is the root's (sampling), and the frames to
// show arrive as frameMsg. Selection follows the process (its ProcKey), not
// the row number, so re-sorting never jumps to another process.
type samplerPane struct {
	ctx  *Context
	have bool // a frame has arrived (maybe only the baseline: see pendingRates)

	frame  sampler.Frame
	total  []float64
	times  []time.Time
	series map[sampler.ProcKey][]float64

	sort   views.SortKey
	desc   bool
	rows   []sampler.ProcessRates // filtered and sorted frame.Processes
	sel    int
	selKey sampler.ProcKey
	// followTop keeps the selection on the first row (the top writer in the
	// default sort) until the user moves it; home sets it again.
	followTop bool
	offset    int
	tableH    int // rows the table shows, from the last resize
	w, h      int // the pane's size, from the last resize

	filterBox

	// activeOnly hides processes that neither read nor wrote within
	// activeSpan (like iotop -o); lastActive is when each process last
	// did, pruned past activeSpan. i toggles it.
	activeOnly bool
	lastActive map[sampler.ProcKey]time.Time
	// lastRow is each active process's row as last seen with activity, so
	// a row the frame no longer carries (a kernel row idle this interval,
	// a process that exited) stays listed, idle, within activeSpan, and
	// its 1-minute averages stay on screen (lingering.go).
	lastRow map[sampler.ProcKey]sampler.ProcessRates
	listed  int // processes in the frame, before the filters

	// files is set when there is a Files tab: f shows the selected
	// process's files there (showFilesMsg).
	files bool

	// storage gives the Storage view's data (storage.go); nil without a
	// storage source. storagePage shows it in place of the graph and
	// the table (v).
	storage     func() views.StorageData
	storagePage bool
	// avg holds the last minute's bytes per process for the 1-minute
	// averages (average.go); nil before the first interval.
	avg *sampler.RateWindow[avgKey[sampler.ProcKey]]
	// ioprio reads a process's I/O priority for its page (ioprio.go);
	// nil: the page shows none. detailPrio is the open page's.
	ioprio     func(int32) (sampler.IOPriority, error)
	detailPrio string
	// disks holds per-disk histories for the graph's disk selector (D).
	disks diskGraphs
	// onDisk is true while the list is limited to ctx.Disk.
	onDisk bool

	detail       bool
	detailProc   sampler.ProcessRates
	detailSeries []float64
	detailTimes  []time.Time
}

func newSamplerPane(c *Context) *samplerPane {
	return &samplerPane{ctx: c, sort: views.SortWrite, desc: true,
		filterBox: newFilterBox("name", 64), series: map[sampler.ProcKey][]float64{}, followTop: true,
		activeOnly: true, lastActive: map[sampler.ProcKey]time.Time{}}
}

// activeSpan is how recently a process must have read or written to be
// listed while activeOnly is on.
const activeSpan = time.Minute

// noteActivity records which processes read or wrote in f, and forgets
// those idle for longer than activeSpan, so the map stays bounded.
func (p *samplerPane) noteActivity(f sampler.Frame) {
	if f.Elapsed <= 0 {
		return
	}
	if p.lastRow == nil {
		p.lastRow = map[sampler.ProcKey]sampler.ProcessRates{}
	}
	for _, r := range f.Processes {
		if r.WriteRate > 0 || r.ReadRate > 0 {
			p.lastActive[r.Key] = f.Time
			p.lastRow[r.Key] = r
		}
	}
	for k, at := range p.lastActive {
		if f.Time.Sub(at) > activeSpan {
			delete(p.lastActive, k)
			delete(p.lastRow, k)
		}
	}
}

// resize recomputes the table height for a body of h lines.
func (p *samplerPane) resize(w, h int) {
	p.w, p.h = w, h
	_, tableH, _ := p.paneLayout(h)
	if p.detail {
		tableH = 0
	}
	p.tableH = max(1, tableH-2) // less the title and the column titles
	p.sizeFilter(w)
	p.clampSelection()
}

// update takes every reading (which processes were active, paused or
// not), the frames to show, and a process's history for its page.
func (p *samplerPane) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case sampleMsg:
		if msg.err == nil {
			p.noteActivity(msg.frame)
			p.noteAverage(msg.frame)
			p.disks.add(msg.frame)
		}
	case frameMsg:
		p.apply(msg)
	case seriesMsg:
		if p.detail && msg.key == p.detailProc.Key {
			p.detailSeries, p.detailTimes = msg.series, msg.times
		}
	case ioprioMsg:
		if p.detail && msg.key == p.detailProc.Key {
			p.detailPrio = msg.text
		}
	}
	return nil
}

// wantSeries are the rows on screen, whose sparklines need history, and
// the process whose page is open.
func (p *samplerPane) wantSeries() ([]sampler.ProcKey, *sampler.ProcKey) {
	var detail *sampler.ProcKey
	if p.detail {
		k := p.detailProc.Key
		detail = &k
	}
	return p.visibleKeys(), detail
}

// apply shows a frame.
func (p *samplerPane) apply(msg frameMsg) {
	p.have = true
	p.frame, p.total, p.times, p.series = msg.frame, msg.total, msg.times, msg.series
	p.disks.shown = len(p.disks.times)
	if p.detail {
		for _, r := range msg.frame.Processes {
			if r.Key == p.detailProc.Key {
				p.detailProc = r
			}
		}
		if s, ok := msg.series[p.detailProc.Key]; ok {
			p.detailSeries, p.detailTimes = s, msg.times
		}
	}
	p.refreshRows()
}

// refreshRows filters and sorts the frame's processes and keeps the
// selection on the same process when it is still listed.
func (p *samplerPane) refreshRows() {
	rows := make([]sampler.ProcessRates, 0, len(p.frame.Processes))
	pending := p.pendingRates()
	for _, r := range p.frame.Processes {
		// Which processes are active is not known before the second
		// reading: the first one lists them all.
		if pending || !p.activeOnly || r.WriteRate > 0 || r.ReadRate > 0 {
			rows = append(rows, r)
		} else if at, ok := p.lastActive[r.Key]; ok && p.frame.Time.Sub(at) <= activeSpan {
			rows = append(rows, r)
		}
	}
	if !pending {
		rows = p.lingering(rows)
	}
	p.listed = len(p.frame.Processes)
	p.averaged(rows)
	rows, p.onDisk = p.onDiskProcesses(rows, listDisk(p.ctx))
	rows = views.FilterProcesses(rows, p.filter.Value())
	if pending {
		views.SortProcessesByTotals(rows, p.sort, p.desc)
	} else {
		views.SortProcesses(rows, p.sort, p.desc)
	}
	p.rows = rows
	if p.followTop {
		p.sel = 0
		p.clampSelection()
		return
	}
	for i, r := range rows {
		if r.Key == p.selKey {
			p.sel = i
			break
		}
	}
	p.clampSelection()
}

// pendingRates says the frame on screen is the first reading (or a
// re-baseline after the clock stepped back): it has names and totals but
// no rates, which need a second reading.
func (p *samplerPane) pendingRates() bool { return p.frame.Elapsed <= 0 }

func (p *samplerPane) clampSelection() {
	p.sel = max(0, min(p.sel, len(p.rows)-1))
	if len(p.rows) > 0 {
		p.selKey = p.rows[p.sel].Key
	}
	p.offset = views.ScrollOffset(p.offset, p.sel, p.tableH, len(p.rows))
}

// visibleKeys are the processes on screen, whose sparklines need history.
func (p *samplerPane) visibleKeys() []sampler.ProcKey {
	end := min(len(p.rows), p.offset+p.tableH)
	keys := make([]sampler.ProcKey, 0, max(0, end-p.offset))
	for i := p.offset; i < end; i++ {
		keys = append(keys, p.rows[i].Key)
	}
	return keys
}

// setStatus shows msg in the header for a few samples.
func (p *samplerPane) setStatus(msg string) { p.ctx.setStatus(msg, statusBrief) }

// key handles a key the root did not take.
func (p *samplerPane) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.ctx.Keys
	if p.filtering {
		return p.filterKey(msg, p.refreshRows, &p.sel, &p.offset)
	}
	step, isStep := rowStep(msg, k, p.tableH, len(p.rows))
	sorted, desc, isSort := sortStep(msg, k, p.sort)
	switch {
	case key.Matches(msg, k.Back):
		if p.detail {
			p.detail = false
			p.resize(p.w, p.h)
		} else if p.filter.Value() != "" {
			p.filter.SetValue("")
			p.refreshRows()
		}
	case key.Matches(msg, k.Mark) && !p.detail && !p.storagePage:
		p.toggleMark()
	case key.Matches(msg, k.Storage) && !p.detail:
		if p.storage == nil {
			p.setStatus("no Storage view in this session: no disk statistics source was given")
			return nil
		}
		p.storagePage = !p.storagePage
		return nil
	case key.Matches(msg, k.Disk) && !p.detail:
		p.setStatus("graph: " + p.disks.next() + " (D: next)" + p.diskListNote())
	case key.Matches(msg, k.Files) && p.files:
		switch {
		case p.detail:
			return showFiles(p.detailProc)
		case len(p.rows) > 0:
			return showFiles(p.rows[p.sel])
		}
	case p.detail:
		// The list keys do nothing on a process's page.
	case key.Matches(msg, k.Idle):
		p.activeOnly = !p.activeOnly
		p.refreshRows()
		if p.activeOnly {
			p.setStatus("active processes only (read or wrote in the last minute)")
		} else {
			p.setStatus("every process, idle ones too")
		}
	case isStep:
		p.move(step)
	case isSort:
		p.sort, p.desc = sorted, desc
		p.refreshRows()
		p.setStatus("sorted by " + p.sort.String())
	case key.Matches(msg, k.SortReverse):
		p.desc = !p.desc
		p.refreshRows()
	case key.Matches(msg, k.Filter):
		return p.openFilter()
	case key.Matches(msg, k.Open):
		if len(p.rows) == 0 {
			return nil
		}
		p.detail = true
		p.detailProc = p.rows[p.sel]
		p.detailSeries, p.detailTimes, p.detailPrio = nil, nil, ""
		return tea.Batch(p.ctx.sampling.series(p.detailProc.Key), p.readIOPrio(p.detailProc.Key))
	}
	return nil
}

// move moves the selection by n rows. Reaching the first row makes the
// selection follow the top row again.
func (p *samplerPane) move(n int) {
	p.sel += n
	p.clampSelection()
	p.followTop = p.sel == 0
}

// shortHelp are the pane's footer keys for its current page.
func (p *samplerPane) shortHelp() []key.Binding {
	if p.detail {
		return p.ctx.Keys.DetailHelp()
	}
	if p.storagePage {
		return p.ctx.Keys.StorageHelp()
	}
	return p.ctx.Keys.ProcessHelp(p.files, p.activeOnly)
}

// footer is the filter line while typing, else "" for the short help.
func (p *samplerPane) footer() string {
	return p.filterFooter(p.ctx.Theme)
}

// view draws the pane in w x h.
func (p *samplerPane) view(w, h int) string {
	t := p.ctx.Theme
	if p.detail {
		times := p.detailTimes
		if len(times) >= len(p.detailSeries) {
			times = times[len(times)-len(p.detailSeries):]
		}
		return views.Detail(views.DetailData{Process: p.detailProc, Series: p.detailSeries, Times: times,
			Interval: p.ctx.sampling.interval, Mode: p.ctx.Mode, WriteLabel: p.frame.Info.WriteLabel, Cancelled: p.frame.Info.CancelledWrites,
			RatesPending: p.pendingRates(), IOPriority: p.detailPrio}, w, h, t)
	}
	if p.storagePage {
		return p.storageView(w, h)
	}
	graphH, tableH, panelH := p.paneLayout(h)
	gd := views.GraphData{Title: "Disk writes, all disks", Series: p.total, Times: p.times, Interval: p.ctx.sampling.interval, Pending: p.pendingRates(),
		Mode: p.ctx.Mode}
	p.disks.graph(&gd)
	g := views.Graph(gd, w, graphH, t)
	var tbl string
	if !p.have {
		tbl = t.Muted.Render(" sampling: reading the processes")
	} else {
		empty := ""
		switch {
		case p.filter.Value() != "":
			empty = "no process name contains " + fmt.Sprintf("%q", p.filter.Value()) + ": esc clears the filter"
		case p.activeOnly:
			empty = "no process read or wrote in the last minute: i shows idle ones too"
		}
		tbl = views.ProcessTable(views.TableData{Title: p.tableTitle(), Empty: empty, Rows: p.rows, Selected: p.sel,
			Offset: p.offset, Sort: p.sort, Desc: p.desc, Mode: p.ctx.Mode, RatesPending: p.pendingRates(), Marked: p.isMarked(),
			History: func(k sampler.ProcKey) []float64 { return p.series[k] }}, w, tableH, t)
	}
	out := views.Fit(g, w, graphH) + "\n" + views.Fit(tbl, w, tableH)
	if panelH > 0 {
		out += "\n" + p.storageView(w, panelH)
	}
	return out
}

func (p *samplerPane) title() string { return "Processes" }

// tableTitle names the table and what it lists: "Processes · filter sql
// (esc clears) · active only · 12 of 384 (i: all)" or "Processes · all 384
// (i: active only)".
func (p *samplerPane) tableTitle() string {
	t := p.ctx.Theme
	sep := t.Muted.Render(t.Glyphs.Separator)
	s := t.Heading.Render("Processes") + sep + onDiskTitle(p.ctx.Disk, p.onDisk, t)
	if v := p.filter.Value(); v != "" {
		// First, so a narrow screen never cuts it: rows are missing
		// because of it.
		s += t.Label.Render("filter ") + t.Value.Render(v) + t.Muted.Render(" (esc clears)") + sep
	}
	if p.pendingRates() {
		// The first reading: every process, by its totals, until the
		// rates arrive.
		s += "all " + t.Value.Render(fmt.Sprint(p.listed)) + sep + t.Muted.Render(p.pendingNote())
		return s
	}
	if p.activeOnly {
		s += "active only" + sep + t.Value.Render(fmt.Sprint(len(p.rows))) + " of " + fmt.Sprint(p.listed) +
			t.Muted.Render("  (i: all)")
	} else {
		s += "all " + t.Value.Render(fmt.Sprint(p.listed)) + t.Muted.Render("  (i: active only)")
	}
	return s + p.storageHint()
}

// pendingNote says when the first rates arrive and, under a rate sort,
// what orders the rows until then.
func (p *samplerPane) pendingNote() string {
	s := "rates (" + p.ctx.Theme.Glyphs.Pending + ") within " + views.FormatInterval(min(p.ctx.sampling.interval, firstInterval))
	switch p.sort {
	case views.SortWrite:
		s += "; sorted by bytes written until then"
	case views.SortRead:
		s += "; sorted by bytes read until then"
	}
	return s
}

func (p *samplerPane) setFocus(bool) tea.Cmd { return nil }

// click selects the process row under the pointer.
func (p *samplerPane) click(_, y int) tea.Cmd {
	if p.detail || !p.have || p.storagePage {
		return nil
	}
	graphH, _, _ := p.paneLayout(p.h)
	row := y - graphH - 2 // less the graph, the title and the column titles
	if row < 0 || row >= p.tableH || p.offset+row >= len(p.rows) {
		return nil
	}
	p.move(p.offset + row - p.sel)
	return nil
}
