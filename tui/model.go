package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/storage"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// Options configure the program.
type Options struct {
	// Sampler is the engine to drive; required.
	Sampler Sampler
	// Interval is the starting sampling interval; 0 means 1 s.
	Interval time.Duration
	// Host is the machine name in the header and the report.
	Host string
	// ASCII draws with 7-bit characters only.
	ASCII bool
	// Mode is the starting graph style (Braille unless ASCII).
	Mode views.GraphMode
	// Context cancels sampling and probes when done; nil means background.
	Context context.Context
	// Wizard configures the wizard pane (form prefill, target parser).
	Wizard WizardOptions
	// Files gives the report's top files; nil when per-file data is not
	// collected. With FileSource set and Files nil, the Files tab's own
	// session totals give them.
	Files TopFiles
	// FileSource is the per-file backend the Files tab reads at each
	// sample (files.go); FilesNote says why there is none (--files off, no
	// backend), shown in the Files tab. Both empty: no Files tab.
	FileSource FileSource
	FilesNote  string
	// ReportDir is where r saves the incident report; "" = the current
	// directory.
	ReportDir string
	// Clock dates the report and times the probes; nil = the wall clock.
	Clock sampler.Clock
	// Tool names the program and version in reports ("hvrdoctor 1.2.0").
	Tool string
	// Analysis sets the churn analysis of the Churn tab and the report
	// (spike factor, replication intervals, compression, link); zero
	// fields take the defaults.
	Analysis analysis.Options
	// Replay opens the screens on a recording (OpenRecording) instead of
	// the live system: Sampler is not used, a time cursor moves through
	// the recording, and there is no wizard (no probes run on a replay).
	Replay *Recording
	// Replication is Hyper-V Replica's own view (hvrdoctor --from FILES)
	// for the Replication tab; nil: no such tab.
	Replication *views.ReplicationData
	// ReplicationLoad reads the host's replication in the background for
	// the Replication tab (a Hyper-V host without --from); nil: no live
	// read.
	ReplicationLoad func(context.Context) (*views.ReplicationData, error)
	// Storage reads the disks and volumes for the Storage view (v);
	// StorageNote says why there is none. Both empty: no Storage view.
	Storage     storage.Sampler
	StorageNote string
	// IOPriority reads a process's I/O priority for its page
	// (sampler.ReadIOPriority); nil: the page shows none.
	IOPriority func(pid int32) (sampler.IOPriority, error)
}

// Model is the root model: it owns the shared context, the sampling loop
// and the panes, routes keys by priority (a text input first, then the
// help screen, then the global keys, then the active pane), hands every
// reading and frame to the panes as messages, and draws the header, the
// tab bar, the panes and the footer. Panes never refer to each other:
// what one asks of another (f: a process's files, w: the wizard on a
// replica) goes through the root as a message. From WideWidth columns the sampler (or another
// left pane) and the wizard are side by side; narrower, one pane at a
// time. Under views.MinWidth x views.MinHeight it draws the "terminal too
// small" screen instead.
type Model struct {
	ctx      *Context
	sampling *sampling // also ctx.sampling
	sampler  *samplerPane
	wizard   *wizardPane
	report   *reportPane
	churn    *churnPane
	replay   *replayCtl    // nil live
	filesTab *filesPane    // nil without a Files tab
	storage  *storageState // nil without a Storage view
	sess     *session
	files    TopFiles
	clock    sampler.Clock
	host     string
	tool     string
	help     help.Model
	showHelp bool
	helpOff  int // the first help line shown: the help scrolls on a small screen

	tabs     []tab
	active   int // the tab with the keyboard
	lastLeft int // the left tab shown beside the wizard on a wide screen
	spans    []views.TabSpan
}

// New builds the program's root model.
func New(o Options) *Model {
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Clock == nil {
		o.Clock = sampler.SystemClock{}
	}
	if o.Tool == "" {
		o.Tool = "hvrdoctor"
	}
	if o.ReportDir == "" {
		o.ReportDir = "."
	}
	c := newContext(o.ASCII, o.Mode)
	m := &Model{ctx: c, help: newHelp(c), sess: newSession(o.Analysis), files: o.Files, clock: o.Clock, host: o.Host, tool: o.Tool}
	smp := o.Sampler
	if o.Replay != nil {
		m.replay, m.sess, o.Interval = newReplayCtl(o.Replay), o.Replay.session(), o.Replay.interval
		smp = m.replay.cursor
	}
	m.sampling = newSampling(&driver{s: smp, ctx: o.Context}, o.Interval)
	c.sampling = m.sampling
	if m.replay != nil {
		// The session already holds the whole recording; frames come when
		// the cursor moves, not on a timer.
		m.sampling.tick = func(int, time.Duration) tea.Cmd { return nil }
	}
	m.sampler = newSamplerPane(c)
	m.sampler.disks.off = m.replay != nil // a replay gives the per-disk histories at its cursor
	m.churn = &churnPane{ctx: c, sess: m.sess, replay: o.Replay, files: func() TopFiles { return m.files }}
	m.wizard = newWizardPane(c, o.Wizard, o.Context, o.Clock, o.Host, o.Tool)
	dir := o.ReportDir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	m.report = &reportPane{ctx: c, data: m.incident, dir: dir}
	m.initStorage(o)
	m.initIOPrio(o)
	m.addTab(m.sampler, true)
	m.addFilesTab(o) // 2 Files, when per-file data is collected or explained
	if m.replay != nil {
		// No wizard on a recording: the Churn tab takes the right half.
		m.addTab(m.churn, false)
		m.addTab(m.report, true)
		return m
	}
	m.addTab(m.wizard, false)
	m.addTab(m.report, true)
	m.addTab(m.churn, true)
	m.addReplicationTab(o)
	return m
}

// Init starts the sampling loop and the wizard (its checks when the flags
// named a replica).
func (m *Model) Init() tea.Cmd {
	if m.replay != nil {
		return m.sampling.start() // no probes on a recording
	}
	return tea.Batch(m.sampling.start(), m.wizard.init(), m.replicationInit())
}

// Copied returns the fix commands copied during the session, to print on
// exit: not every terminal honours the clipboard request.
func (m *Model) Copied() []string { return append([]string(nil), m.wizard.copied...) }

// Update routes messages: sizes to everyone, keys and clicks by priority,
// the sampling loop's to the loop (and its readings and frames on to every
// pane), requests between panes to their pane, and every other message to
// every pane.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		m.resize()
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.MouseClickMsg:
		return m, m.handleClick(msg.Mouse())
	case tea.MouseWheelMsg:
		mo := msg.Mouse()
		switch mo.Button {
		case tea.MouseWheelUp:
			return m, m.handleKey(tea.KeyPressMsg{Code: tea.KeyUp})
		case tea.MouseWheelDown:
			return m, m.handleKey(tea.KeyPressMsg{Code: tea.KeyDown})
		}
		return m, nil
	case reportSavedMsg:
		if msg.err != nil {
			m.setStatus(msg.err.Error())
		} else {
			m.setStatus("report saved: " + relPath(msg.path))
		}
	case sampleMsg:
		return m, m.sampled(msg)
	case tickMsg:
		keys, detail := m.wantSeries()
		return m, m.sampling.ticked(msg, keys, detail)
	case intervalMsg:
		m.sampling.intervalSet(msg)
		return m, nil
	case showFilesMsg:
		return m, m.showFiles(msg)
	case openWizardMsg:
		return m, tea.Batch(m.setActive(m.rightTab()), m.wizard.prefill(msg.fields, msg.note))
	}
	return m, m.broadcast(msg)
}

// broadcast gives msg to every pane.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	if cmd := m.storageUpdate(msg); cmd != nil {
		cmds = append(cmds, cmd)
	}
	for _, t := range m.tabs {
		if cmd := t.p.update(msg); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// sampled takes one reading: the status counts it, the session's analysis
// takes it, every pane sees it (histories grow while paused), and unless
// the screen is paused every pane gets the frame to show.
func (m *Model) sampled(msg sampleMsg) tea.Cmd {
	m.ctx.status.sampled()
	if m.replay != nil {
		m.replay.sampled(msg, m.sampler)
	}
	if errors.Is(msg.err, io.EOF) {
		// A replay has ended: keep the last frame and stop sampling.
		m.ctx.status.lasting = "end of the recording"
		return nil
	}
	next, show := m.sampling.sampled(msg)
	if msg.err == nil {
		if msg.files != nil && msg.files.err == nil {
			m.sess.addFiles(msg.frame, msg.files.iv) // spike culprits name their files
		}
		if m.replay == nil {
			m.sess.add(msg.frame) // a replay's session holds the whole recording already
		}
	}
	cmds := []tea.Cmd{next, m.broadcast(msg)}
	if show != nil {
		cmds = append(cmds, m.broadcast(*show))
	}
	return tea.Batch(cmds...)
}

// wantSeries gathers the process histories the panes draw, for the next
// sampling command.
func (m *Model) wantSeries() (keys []sampler.ProcKey, detail *sampler.ProcKey) {
	for _, t := range m.tabs {
		if w, ok := t.p.(seriesWanter); ok {
			k, d := w.wantSeries()
			keys = append(keys, k...)
			if detail == nil {
				detail = d
			}
		}
	}
	return keys, detail
}

// showFiles passes f of the Processes tab to the Files tab and gives that
// tab the keyboard.
func (m *Model) showFiles(msg showFilesMsg) tea.Cmd {
	cmd := m.broadcast(msg)
	for i, t := range m.tabs {
		if t.p == pane(m.filesTab) {
			return tea.Batch(cmd, m.setActive(i))
		}
	}
	return cmd
}

// setStatus shows s in the header's second line for about ten samples.
func (m *Model) setStatus(s string) { m.ctx.setStatus(s, statusLong) }

// togglePause freezes or unfreezes the screen (p or space, on every tab):
// on resume the panes get the latest frame.
func (m *Model) togglePause() tea.Cmd {
	if show := m.sampling.togglePause(); show != nil {
		return m.broadcast(*show)
	}
	return nil
}

// stepInterval makes sampling slower (dir 1, +) or faster (dir -1, -), on
// every tab.
func (m *Model) stepInterval(dir int) tea.Cmd {
	cmd, status := m.sampling.step(dir)
	m.ctx.setStatus(status, statusBrief)
	return cmd
}

// wide reports whether the screen is split in two halves.
func (m *Model) wide() bool { return m.ctx.Width >= WideWidth && !m.zoomed() }

// zoomed reports whether the wizard has the whole width of a wide screen
// (z while it has the keyboard): its fix commands then show whole.
func (m *Model) zoomed() bool {
	return m.ctx.Width >= WideWidth && m.wizard.zoom && m.active == m.rightTab() && m.replay == nil
}

// bodyHeight is the screen less the two header lines, the tab bar and the
// footer.
func (m *Model) bodyHeight() int { return max(0, m.ctx.Height-4) }

// resize gives every pane its rectangle.
func (m *Model) resize() {
	w, h := m.ctx.Width, m.bodyHeight()
	lw, rw := w, w
	if m.wide() {
		lw, rw = split(w)
	}
	for _, t := range m.tabs {
		if t.left {
			t.p.resize(lw, h)
		} else {
			t.p.resize(rw, h)
		}
	}
}

// setActive gives tab i the keyboard.
func (m *Model) setActive(i int) tea.Cmd {
	i = ((i % len(m.tabs)) + len(m.tabs)) % len(m.tabs)
	if i == m.active {
		return nil
	}
	m.tabs[m.active].p.setFocus(false)
	zoomed := m.zoomed()
	m.active = i
	if m.tabs[i].left {
		m.lastLeft = i
	}
	if zoomed != m.zoomed() {
		m.resize() // the wizard leaves or takes back the whole width
	}
	return m.tabs[i].p.setFocus(true)
}

// handleKey applies the modal priority: ctrl+c always quits; a text input
// takes every other key; the help screen takes ?, esc and q; then the
// global keys (tabs, report, graph style), then the active pane.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	p := m.tabs[m.active].p
	if p.capturing() {
		return p.key(msg)
	}
	if m.replay != nil && !m.showHelp {
		if cmd, ok := m.replay.key(msg, m); ok {
			return cmd
		}
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp, m.helpOff = !m.showHelp, 0
		return nil
	case m.showHelp:
		m.helpKey(msg)
		return nil
	case key.Matches(msg, k.NextTab):
		return m.setActive(m.active + 1)
	case key.Matches(msg, k.PrevTab):
		return m.setActive(m.active - 1)
	case key.Matches(msg, k.Report):
		m.setStatus("saving the report...")
		return saveReport(m.incident(), m.report.dir)
	case key.Matches(msg, k.Graph):
		m.ctx.Mode = m.ctx.Mode.Next(m.ctx.ASCII)
		return nil
	case key.Matches(msg, k.Mark) && m.tabs[m.active].p == pane(m.sampler) && m.sampler.marking():
		// In the Processes list space marks (as ticking in Resource
		// Monitor); p still pauses there, and space everywhere else.
		return m.sampler.key(msg)
	case key.Matches(msg, k.Pause):
		return m.togglePause()
	case key.Matches(msg, k.Slower):
		return m.stepInterval(1)
	case key.Matches(msg, k.Faster):
		return m.stepInterval(-1)
	case key.Matches(msg, k.Average):
		return m.toggleAverage()
	case key.Matches(msg, k.Zoom) && m.active == m.rightTab() && m.replay == nil:
		if m.ctx.Width < WideWidth {
			m.setStatus("the wizard already has the whole width (z splits the screen from 140 columns)")
			return nil
		}
		m.wizard.zoom = !m.wizard.zoom
		m.resize()
		if m.wizard.zoom {
			m.setStatus("wizard at full width: z again shows the processes beside it")
		} else {
			m.setStatus("screen split: z gives the wizard the whole width")
		}
		return nil
	case key.Matches(msg, k.Edit) && m.active != m.rightTab() && m.replay == nil:
		// e opens the wizard's form from every pane.
		cmd := m.setActive(m.rightTab())
		if m.wizard.mode == modeEditing {
			return cmd // the form opened with the focus
		}
		return tea.Batch(cmd, m.wizard.key(msg))
	}
	if s := msg.String(); len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
		if n := int(s[0] - '1'); n < len(m.tabs) {
			return m.setActive(n)
		}
	}
	return p.key(msg)
}

// helpKey scrolls the help screen (up, down, pages, home, end) or closes
// it (esc).
func (m *Model) helpKey(msg tea.KeyPressMsg) {
	k := m.ctx.Keys
	page := max(1, m.bodyHeight()-2)
	switch {
	case key.Matches(msg, k.Back):
		m.showHelp = false
	case key.Matches(msg, k.Up):
		m.helpOff--
	case key.Matches(msg, k.Down):
		m.helpOff++
	case key.Matches(msg, k.PageUp):
		m.helpOff -= page
	case key.Matches(msg, k.PageDown), msg.String() == "space":
		m.helpOff += page
	case key.Matches(msg, k.Home):
		m.helpOff = 0
	case key.Matches(msg, k.End):
		m.helpOff = 1 << 20
	}
	n := len(views.HelpLines(m.helpData(), m.ctx.Width, m.ctx.Theme))
	m.helpOff = views.HelpOffset(m.helpOff, n, m.bodyHeight())
}

// handleClick selects a tab, or gives the pane under the pointer the
// keyboard and the click.
func (m *Model) handleClick(mo tea.Mouse) tea.Cmd {
	if mo.Button != tea.MouseLeft || m.showHelp {
		return nil
	}
	const tabY, bodyY = 2, 3
	if mo.Y == tabY {
		for i, s := range m.spans {
			if mo.X >= s.X0 && mo.X < s.X1 {
				return m.setActive(i)
			}
		}
		return nil
	}
	y := mo.Y - bodyY
	if y < 0 || y >= m.bodyHeight() {
		return nil
	}
	if !m.wide() {
		return m.tabs[m.active].p.click(mo.X, y)
	}
	lw, _ := split(m.ctx.Width)
	i, x := m.lastLeft, mo.X
	if mo.X > lw {
		i, x = m.rightTab(), mo.X-lw-1
	} else if mo.X == lw {
		return nil
	}
	return tea.Batch(m.setActive(i), m.tabs[i].p.click(x, y))
}

// rightTab is the index of the pane on the right half (the wizard).
func (m *Model) rightTab() int {
	for i, t := range m.tabs {
		if !t.left {
			return i
		}
	}
	return 0
}

// View draws the screen; every line fits the width and there are exactly
// Height lines, so resizing never leaves debris.
func (m *Model) View() tea.View {
	w, h := m.ctx.Width, m.ctx.Height
	var content string
	switch {
	case w <= 0 || h <= 0:
		content = ""
	case w < views.MinWidth || h < views.MinHeight:
		content = views.TooSmall(w, h, m.ctx.Theme)
	default:
		var b strings.Builder
		b.WriteString(m.header(w))
		b.WriteString("\n")
		b.WriteString(m.tabBar())
		b.WriteString("\n")
		bodyH := m.bodyHeight()
		switch {
		case m.showHelp:
			b.WriteString(views.Help(m.helpData(), m.helpOff, w, bodyH, m.ctx.Theme))
		case m.wide():
			b.WriteString(m.splitView(w, bodyH))
		default:
			b.WriteString(views.Fit(m.tabs[m.active].p.view(w, bodyH), w, bodyH))
		}
		b.WriteString("\n")
		b.WriteString(m.footer())
		content = views.Fit(b.String(), w, h)
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "hvrdoctor"
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

// filters names the filters in force for the header, on every tab: the
// Processes and Files tables each have their own, and rows missing
// because of one must never go unexplained.
func (m *Model) filters() string {
	var fs []string
	if v := m.sampler.filter.Value(); v != "" {
		fs = append(fs, "processes "+strconv.Quote(v))
	}
	if f := m.filesTab; f != nil {
		if v := f.filter.Value(); v != "" {
			fs = append(fs, "files "+strconv.Quote(v))
		}
		if f.pid != 0 {
			fs = append(fs, fmt.Sprintf("files of PID %d", f.pid))
		}
		if d := m.ctx.Marked.describe(); d != "" {
			fs = append(fs, d)
		}
	}
	return strings.Join(fs, ", ")
}

// splitView draws the left pane and the wizard side by side.
func (m *Model) splitView(w, h int) string {
	lw, rw := split(w)
	left := strings.Split(views.Fit(m.tabs[m.lastLeft].p.view(lw, h), lw, h), "\n")
	right := strings.Split(views.Fit(m.tabs[m.rightTab()].p.view(rw, h), rw, h), "\n")
	rule := m.ctx.Theme.Muted.Render(m.ctx.Theme.Glyphs.AxisV)
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(views.PadRight(left[i], lw))
		b.WriteString(rule)
		b.WriteString(right[i])
	}
	return b.String()
}

// tabBar draws the tabs with their number keys, and the status (or how to
// switch) on the right.
func (m *Model) tabBar() string {
	tabs := make([]views.TabView, len(m.tabs))
	wide := m.wide()
	for i, t := range m.tabs {
		tabs[i] = views.TabView{Key: strconv.Itoa(i + 1), Title: t.p.title(), Active: i == m.active}
		if wide && !tabs[i].Active && (i == m.lastLeft || !t.left) {
			tabs[i].Shown = true
		}
	}
	right := m.ctx.Theme.Muted.Render("tab or 1-" + strconv.Itoa(len(m.tabs)) + " switches")
	line, spans := views.Tabs(tabs, right, m.ctx.Width, m.ctx.Theme)
	m.spans = spans
	return line
}

// footer is the active pane's own line while it takes the keyboard (or
// another pane's, whose text input was left open by a click elsewhere),
// else the active pane's short help with ? and q at the right end.
func (m *Model) footer() string {
	p := m.tabs[m.active].p
	if f := p.footer(); f != "" {
		return f
	}
	for _, t := range m.tabs {
		if f := t.p.footer(); f != "" {
			return f
		}
	}
	if m.showHelp {
		move := "↑↓"
		if m.ctx.ASCII {
			move = "j/k"
		}
		return m.ctx.Theme.Muted.Render(move + " pgup/pgdn scroll   ? or esc: back")
	}
	// ? and q first, on the right; the pane's keys take the room left.
	right := m.help.ShortHelpView(m.ctx.Keys.GlobalHelp())
	left := m.help
	left.SetWidth(max(0, m.ctx.Width-views.Width(right)-2))
	keys := p.shortHelp()
	if m.replay != nil {
		keys = m.ctx.Keys.ReplayHelp()
	}
	l := left.ShortHelpView(keys)
	pad := max(2, m.ctx.Width-views.Width(l)-views.Width(right))
	return l + strings.Repeat(" ", pad) + right
}

// helpData turns the key map into the help screen's sections.
func (m *Model) helpData() views.HelpData {
	d := views.HelpData{WriteLabel: m.sampling.shown.frame.Info.WriteLabel, Note: m.sampling.shown.frame.Info.Note}
	for i, group := range m.ctx.Keys.FullHelp() {
		s := views.HelpSection{Title: helpTitles[i]}
		for _, b := range group {
			s.Entries = append(s.Entries, views.HelpEntry{Key: b.Help().Key, Desc: b.Help().Desc})
		}
		d.Sections = append(d.Sections, s)
	}
	if m.replay != nil {
		d.Sections = m.replay.helpSections(d.Sections, m.ctx.ASCII)
	}
	d.Sections = m.replicationHelp(d.Sections)
	return d
}

// incident gathers the report's data now.
func (m *Model) incident() views.IncidentData {
	d := views.IncidentData{
		Host: m.host, Tool: m.tool, Time: m.clock.Now(), Start: m.sess.start,
		Interval: m.sampling.interval, WriteLabel: m.sampling.shown.frame.Info.WriteLabel, Note: m.sampling.shown.frame.Info.Note,
		Findings: append([]probes.Report(nil), m.wizard.reports...), Running: m.wizard.runningTitles(),
		Analysis: m.sess.report(),
	}
	if m.files != nil {
		d.Files = m.files.TopFiles(reportTopFiles)
		if len(d.Files) == 0 {
			d.FilesNote = noFileWrites
		}
	}
	if m.replay != nil {
		m.replay.incident(&d)
	}
	return d
}

// relPath shows path relative to the current directory when it is inside
// it, so the status line says where the report went in few cells.
func relPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return "." + string(filepath.Separator) + rel
	}
	return path
}
