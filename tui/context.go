package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// Context is what every pane shares: the terminal size, the theme, the key
// map, the graph drawing mode, the sampling loop and the status line. The
// root model owns it; panes read it and set the status.
type Context struct {
	Width, Height int
	Theme         views.Theme
	Keys          KeyMap
	Mode          views.GraphMode
	// ASCII is set by --ascii (or a console that cannot show UTF-8): the
	// theme's glyphs and the graphs use 7-bit characters only.
	ASCII bool

	// sampling is the sampling loop (the root handles its messages and
	// keys); panes read its interval and pause, and ask it for histories.
	sampling *sampling
	// status is the header's message, set by any pane or the root.
	status statusLine
	// Average shows 1-minute averages instead of the last interval's
	// rates in every list (m).
	Average bool
	// Marked are the processes marked in the Processes tab (space): the
	// Files tab shows only their files while any is marked.
	Marked marks
	// Disk is the disk the Processes tab's graph shows (D), "" for all
	// disks: the lists are limited to it where the block layer tells
	// disks apart (diskfilter.go).
	Disk string
}

// setStatus shows text in the header's second line for n samples
// (statusBrief, statusLong).
func (c *Context) setStatus(text string, n int) { c.status.set(text, n) }

// newContext builds the shared context for the ascii setting.
func newContext(ascii bool, mode views.GraphMode) *Context {
	keys := DefaultKeyMap()
	if ascii {
		mode = views.ASCII
		keys.Up.SetHelp("up/k", "up")
		keys.Down.SetHelp("down/j", "down")
		keys.ascii = true
	}
	return &Context{Theme: views.NewTheme(ascii), Keys: keys, Mode: mode, ASCII: ascii}
}

// newHelp builds the footer's help bubble in the theme's style.
func newHelp(c *Context) help.Model {
	h := help.New()
	t := c.Theme
	h.Styles = help.Styles{
		Ellipsis:       t.Muted,
		ShortKey:       t.Key,
		ShortDesc:      lipgloss.NewStyle(),
		ShortSeparator: t.Muted,
		FullKey:        t.Key,
		FullDesc:       lipgloss.NewStyle(),
		FullSeparator:  t.Muted,
	}
	h.ShortSeparator = "  "
	if c.ASCII {
		h.Ellipsis = "~"
	}
	return h
}

// layout splits the body (the screen less header and footer) between the
// total-writes graph and the process table: a third for the graph, at least
// 5 lines and at most 20, the table gets the rest.
func layout(bodyH int) (graphH, tableH int) {
	graphH = min(20, max(5, bodyH/3))
	if graphH > bodyH-3 {
		graphH = max(0, bodyH-3)
	}
	return graphH, bodyH - graphH
}
