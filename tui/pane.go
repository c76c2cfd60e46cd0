package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// pane is one tab of the screen: the processes, the files, the wizard,
// the report, the churn, the replication. The root model draws the header,
// the tab bar and the footer, and gives each pane a rectangle, the keys
// while it is active, every other message, and mouse clicks inside it.
// Sampling is the root's (sampling.go): a pane gets every reading as
// sampleMsg and the frame to show as frameMsg, and reads the interval and
// pause through its Context. A pane never holds another pane: what it asks
// of one goes to the root as a message (showFilesMsg, openWizardMsg).
//
// Adding a pane is two steps: implement pane (embed paneBase for the
// methods it does not need), and add it to the tab list in New with addTab
// (left panes share the left half at 140 columns and more; the wizard has
// the right half).
type pane interface {
	// title is the tab's name.
	title() string
	// view draws the pane in exactly h lines of at most w cells.
	view(w, h int) string
	// resize tells the pane its size before the next view.
	resize(w, h int)
	// key handles a key press while the pane is active and the root did
	// not take it.
	key(tea.KeyPressMsg) tea.Cmd
	// update handles every message that is not a key or a click; panes
	// ignore what is not theirs.
	update(tea.Msg) tea.Cmd
	// click handles a mouse click at x, y inside the pane.
	click(x, y int) tea.Cmd
	// setFocus tells the pane it has (or lost) the keyboard.
	setFocus(bool) tea.Cmd
	// capturing is true while a text input of the pane takes every key.
	capturing() bool
	// shortHelp are the pane's footer keys; footer replaces the whole
	// footer when not empty (a text input being typed in).
	shortHelp() []key.Binding
	footer() string
}

// tab is one entry of the tab bar.
type tab struct {
	p pane
	// left panes fill the left half of a wide screen; the others (the
	// wizard) the right half.
	left bool
}

// addTab appends a pane to the tab bar; number keys follow the order.
func (m *Model) addTab(p pane, left bool) { m.tabs = append(m.tabs, tab{p: p, left: left}) }

// WideWidth is the width from which the sampler and the wizard are side by
// side instead of in tabs.
const WideWidth = 140

// split returns the widths of the left and right halves of a wide screen,
// a one-cell rule between them.
func split(w int) (left, right int) {
	right = max(60, w*2/5)
	return w - right - 1, right
}

// paneBase gives a pane the methods it has no use for: no clicks, nothing
// to do on focus, no text input, no footer line. A pane embeds it and
// defines only what it does (every pane takes some message in update).
type paneBase struct{}

func (paneBase) click(int, int) tea.Cmd { return nil }
func (paneBase) setFocus(bool) tea.Cmd  { return nil }
func (paneBase) capturing() bool        { return false }
func (paneBase) footer() string         { return "" }
