package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// textScroll is the scroll position of a pane that shows a page of text
// lines (Churn, Report). A pane embeds it, draws with scrollView and passes
// its keys to scrollKey.
type textScroll struct {
	offset int // the first line shown
}

// scrollView shows lines from the offset in w×h cells. The offset is
// clamped first so that the last page is full and it never passes the end.
func (s *textScroll) scrollView(lines []string, w, h int) string {
	s.offset = max(0, min(s.offset, len(lines)-h))
	return views.Fit(strings.Join(lines[s.offset:], "\n"), w, h)
}

// scrollKey moves the offset for up, down, page up and down (a page of h
// lines keeps one line of the last) and home; with toEnd, end goes to the
// last page too.
func (s *textScroll) scrollKey(msg tea.KeyPressMsg, k KeyMap, h int, toEnd bool) {
	switch {
	case key.Matches(msg, k.Up):
		s.offset = max(0, s.offset-1)
	case key.Matches(msg, k.Down):
		s.offset++
	case key.Matches(msg, k.PageUp):
		s.offset = max(0, s.offset-max(1, h-1))
	case key.Matches(msg, k.PageDown):
		s.offset += max(1, h-1)
	case key.Matches(msg, k.Home):
		s.offset = 0
	case toEnd && key.Matches(msg, k.End):
		s.offset = 1 << 30 // scrollView clamps it
	}
}
