package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// rowStep is how far a list key moves the selection of a table that shows
// page rows of total: up and down one row, page up and down a page less one
// row, home and end to the first and last row (the pane clamps). ok is
// false for any other key.
func rowStep(msg tea.KeyPressMsg, k KeyMap, page, total int) (n int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -max(1, page-1), true
	case key.Matches(msg, k.PageDown):
		return max(1, page-1), true
	case key.Matches(msg, k.Home):
		return -total, true
	case key.Matches(msg, k.End):
		return total, true
	}
	return 0, false
}

// sortKey is a table's sort column (views.SortKey, views.FileSortKey).
type sortKey[K any] interface {
	Next() K
	Prev() K
	DefaultDesc() bool
}

// sortStep is the sort column after the sort-next or sort-previous key and
// that column's default direction; ok is false for any other key.
func sortStep[K sortKey[K]](msg tea.KeyPressMsg, k KeyMap, cur K) (next K, desc, ok bool) {
	switch {
	case key.Matches(msg, k.SortNext):
		next = cur.Next()
	case key.Matches(msg, k.SortPrev):
		next = cur.Prev()
	default:
		return cur, false, false
	}
	return next, next.DefaultDesc(), true
}
