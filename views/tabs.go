package views

import "strings"

// TabView is one tab of the tab bar: the key that selects it and its title.
type TabView struct {
	Key, Title string
	// Active is the tab whose pane has the keyboard.
	Active bool
	// Shown marks a pane that is on screen without the keyboard (the other
	// half at 140 columns and more).
	Shown bool
}

// TabSpan is where a tab was drawn on the bar, for mouse clicks: cells
// [X0, X1).
type TabSpan struct{ X0, X1 int }

// Tabs draws the tab bar in one line of at most w cells, with right (a
// status message) at the right end when there is room. The active tab is
// in brackets and reverse video, so it reads without colour too; a tab
// shown without focus is underlined by brackets of its own style.
func Tabs(tabs []TabView, right string, w int, t Theme) (string, []TabSpan) {
	var b strings.Builder
	spans := make([]TabSpan, 0, len(tabs))
	x := 0
	for i, tab := range tabs {
		if i > 0 {
			b.WriteString(" ")
			x++
		}
		label := tab.Key + " " + tab.Title
		var cell string
		switch {
		case tab.Active:
			cell = t.Tab.Render("[" + label + "]")
		case tab.Shown:
			cell = t.Value.Render("(" + label + ")")
		default:
			cell = " " + t.Label.Render(label) + " "
		}
		cw := Width(cell)
		if x+cw > w {
			break
		}
		b.WriteString(cell)
		spans = append(spans, TabSpan{X0: x, X1: x + cw})
		x += cw
	}
	line := b.String()
	if room := w - x - 2; right != "" && room > 3 {
		right = Truncate(right, room, t.Glyphs.Ellipsis)
		line += strings.Repeat(" ", w-x-Width(right)) + right
	}
	return line, spans
}
