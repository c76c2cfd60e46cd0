package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// Options configure the program.
type Options struct {
	// Sampler is the engine to drive; required.
	Sampler Sampler
	// Interval is the starting sampling interval; 0 means 1 s.
	Interval time.Duration
	// Host is the machine name in the header.
	Host string
	// ASCII draws with 7-bit characters only.
	ASCII bool
	// Mode is the starting graph style (Braille unless ASCII).
	Mode views.GraphMode
	// Context cancels sampling when done; nil means background.
	Context context.Context
}

// Model is the root model: it owns the shared context, routes keys by
// priority (text input first, then the help screen, then the pane) and
// draws the header, the pane and the footer. Under views.MinWidth x
// views.MinHeight it draws the "terminal too small" screen instead.
type Model struct {
	ctx      *Context
	sampler  *samplerPane
	help     help.Model
	showHelp bool
}

// New builds the program's root model.
func New(o Options) *Model {
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	c := newContext(o.ASCII, o.Mode)
	return &Model{
		ctx:     c,
		sampler: newSamplerPane(c, &driver{s: o.Sampler, ctx: o.Context}, o.Host, o.Interval),
		help:    newHelp(c),
	}
}

// Init starts the sampling loop.
func (m *Model) Init() tea.Cmd { return m.sampler.init() }

// Update routes messages: sizes to everyone, keys by modal priority, and the
// sampler's messages to its pane.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		m.sampler.resize(msg.Width, m.bodyHeight())
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, m.sampler.update(msg)
}

// handleKey applies the modal priority: ctrl+c always quits; a focused text
// input takes every other key; the help screen takes ?, esc and q; then the
// global keys, then the pane.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	if m.sampler.capturing() {
		return m.sampler.key(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		return nil
	case m.showHelp:
		if key.Matches(msg, k.Back) {
			m.showHelp = false
		}
		return nil
	case key.Matches(msg, k.Graph):
		m.ctx.Mode = m.ctx.Mode.Next(m.ctx.ASCII)
		return nil
	}
	return m.sampler.key(msg)
}

// bodyHeight is the screen less the two header lines and the footer.
func (m *Model) bodyHeight() int { return max(0, m.ctx.Height-3) }

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
		b.WriteString(views.Header(m.sampler.headerData(), w, m.ctx.Theme))
		b.WriteString("\n")
		if m.showHelp {
			b.WriteString(views.Help(m.helpData(), w, m.bodyHeight(), m.ctx.Theme))
		} else {
			b.WriteString(m.sampler.view(w, m.bodyHeight()))
		}
		b.WriteString("\n")
		b.WriteString(m.footer())
		content = views.Fit(b.String(), w, h)
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "hvrdoctor"
	return v
}

// footer is the filter input while it has focus, else the short help.
func (m *Model) footer() string {
	if f := m.sampler.footer(); f != "" {
		return f
	}
	if m.showHelp {
		return m.ctx.Theme.Muted.Render("? or esc: back")
	}
	// ? and q first, on the right; the pane's keys take the room left.
	right := m.help.ShortHelpView(m.ctx.Keys.GlobalHelp())
	left := m.help
	left.SetWidth(max(0, m.ctx.Width-views.Width(right)-2))
	l := left.ShortHelpView(m.sampler.shortHelp())
	pad := max(2, m.ctx.Width-views.Width(l)-views.Width(right))
	return l + strings.Repeat(" ", pad) + right
}

// helpData turns the key map into the help screen's sections.
func (m *Model) helpData() views.HelpData {
	d := views.HelpData{WriteLabel: m.sampler.frame.Info.WriteLabel, Note: m.sampler.frame.Info.Note}
	for i, group := range m.ctx.Keys.FullHelp() {
		s := views.HelpSection{Title: helpTitles[i]}
		for _, b := range group {
			s.Entries = append(s.Entries, views.HelpEntry{Key: b.Help().Key, Desc: b.Help().Desc})
		}
		d.Sections = append(d.Sections, s)
	}
	return d
}
