package views

import "strings"

// column is one column of a sortable table (processes, files) with its
// current width. I names the table's columns, K is its sort key.
type column[I ~int, K comparable] struct {
	id    I
	title string
	width int
	right bool
	sort  K
	// drop is the order in which columns go when the width is short: the
	// lowest number goes first; 0 never goes.
	drop int
}

// dropLowest removes the column with the lowest non-zero drop; ok is false
// when every column left must stay.
func dropLowest[I ~int, K comparable](cols []column[I, K]) (_ []column[I, K], ok bool) {
	lowest := -1
	for i, c := range cols {
		if c.drop > 0 && (lowest < 0 || c.drop < cols[lowest].drop) {
			lowest = i
		}
	}
	if lowest < 0 {
		return cols, false
	}
	return append(cols[:lowest], cols[lowest+1:]...), true
}

// headLine is the column titles line: a cell for the selection marker, one
// space between columns, each title padded to its column; the title of the
// sort column carries the sort arrow and the SortHead style.
func headLine[I ~int, K comparable](cols []column[I, K], sort K, desc bool, t Theme) string {
	var head strings.Builder
	head.WriteString(" ")
	for i, c := range cols {
		if i > 0 {
			head.WriteString(" ")
		}
		title, st := c.title, t.TableHead
		if c.sort == sort {
			title += sortMark(title, c.width, desc, t)
			st = t.SortHead
		}
		if c.right {
			title = PadLeft(title, c.width)
		} else {
			title = PadRight(title, c.width)
		}
		head.WriteString(st.Render(title))
	}
	return head.String()
}

// rowLine joins one row's cells, each already padded to its column by cell,
// after the selection marker. A selected row takes sel as one style for the
// whole line, which keeps reverse video unbroken; other rows style each
// cell with the paint cell returns.
func rowLine[I ~int, K comparable](cols []column[I, K], selected bool, t Theme, sel paint, cell func(column[I, K]) (string, paint)) string {
	var b strings.Builder
	if selected {
		b.WriteString(t.Glyphs.Marker)
	} else {
		b.WriteString(" ")
	}
	for i, c := range cols {
		if i > 0 {
			b.WriteString(" ")
		}
		s, st := cell(c)
		if selected {
			b.WriteString(s)
		} else {
			b.WriteString(st.apply(s))
		}
	}
	if selected {
		return sel.apply(b.String())
	}
	return b.String()
}

// tableBody appends to lines (the title and column titles) the rows that
// fit in h lines from offset, drawn by row, or the muted empty line when
// there are none, and fits the whole to w cells.
func tableBody(lines []string, rows, offset, selected, w, h int, empty string, t Theme, row func(i int, selected bool) string) string {
	if rows == 0 {
		lines = append(lines, t.Muted.Render(" "+empty))
		return Fit(strings.Join(lines, "\n"), w, min(h, len(lines)))
	}
	end := min(rows, offset+h-len(lines))
	for i := max(0, offset); i < end; i++ {
		lines = append(lines, row(i, i == selected))
	}
	return Fit(strings.Join(lines, "\n"), w, len(lines))
}

// sortMark is the sort column's direction mark. In ASCII the marks are
// letters' look-alikes ("v", "^"), so a space keeps them apart from the
// title ("Write/s v", never "Write/sv"); a column too narrow for the space
// shows the mark alone.
func sortMark(title string, width int, desc bool, t Theme) string {
	mark := t.Glyphs.SortAsc
	if desc {
		mark = t.Glyphs.SortDesc
	}
	if t.Glyphs.ASCII && (width == 0 || Width(title)+2 <= width) {
		return " " + mark
	}
	return mark
}
