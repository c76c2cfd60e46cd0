package tui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// filterBox is the "/" text filter of a table pane (Processes, Files). A pane
// embeds it; while filtering is set the box has the keyboard: esc clears the
// text and closes the box, enter closes it keeping the text, and any other
// key edits the text.
type filterBox struct {
	filter    textinput.Model
	filtering bool
}

// newFilterBox builds a closed, empty box with a "/" prompt.
func newFilterBox(placeholder string, limit int) filterBox {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = placeholder
	ti.CharLimit = limit
	return filterBox{filter: ti}
}

// capturing is true while the box has the keyboard.
func (f *filterBox) capturing() bool { return f.filtering }

// openFilter gives the box the keyboard (the pane's / key).
func (f *filterBox) openFilter() tea.Cmd {
	f.filtering = true
	return f.filter.Focus()
}

// sizeFilter fits the box to a pane w cells wide, leaving room for the hint
// after it.
func (f *filterBox) sizeFilter(w int) { f.filter.SetWidth(max(10, min(40, w-30))) }

// filterKey handles a key while the box is open: esc clears the text and
// refreshes the pane's rows; enter keeps the text; any other key edits it,
// puts the pane's selection (sel) and scroll offset back on the first row
// and refreshes.
func (f *filterBox) filterKey(msg tea.KeyPressMsg, refresh func(), sel, offset *int) tea.Cmd {
	switch msg.String() {
	case "esc":
		f.filter.SetValue("")
		f.filter.Blur()
		f.filtering = false
		refresh()
		return nil
	case "enter":
		f.filter.Blur()
		f.filtering = false
		return nil
	}
	var cmd tea.Cmd
	f.filter, cmd = f.filter.Update(msg)
	*sel, *offset = 0, 0
	refresh()
	return cmd
}

// filterFooter is the footer line while the box is open, else "".
func (f *filterBox) filterFooter(t views.Theme) string {
	if !f.filtering {
		return ""
	}
	return f.filter.View() + t.Muted.Render("   enter keeps it, esc clears it")
}
