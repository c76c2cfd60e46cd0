package views

import (
	"strconv"

	"charm.land/lipgloss/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// TableData is what the process table shows.
type TableData struct {
	// Title is a line above the column titles ("Processes · active only ·
	// 12 of 384"); "" draws none.
	Title string
	// Empty is the line shown when Rows is empty; "" says "no processes
	// to show".
	Empty string
	// Rows are already filtered and sorted.
	Rows []sampler.ProcessRates
	// Selected is the index in Rows of the highlighted row, -1 for none.
	Selected int
	// Offset is the index of the first row drawn (scrolling).
	Offset int
	Sort   SortKey
	Desc   bool
	// History returns a process's write-rate series, oldest first, for its
	// sparkline; nil draws no sparklines.
	History func(sampler.ProcKey) []float64
	Mode    GraphMode
	// RatesPending says the rows come from the first reading only: a rate
	// needs a second one, so the rate cells show Glyphs.Pending (never a
	// 0 that was not measured) and the totals are the only figures.
	RatesPending bool
	// Marked reports the processes marked for the Files tab, drawn with
	// a "* " before the name; nil when none is.
	Marked func(sampler.ProcKey) bool
}

// column ids of the process table.
type colID int

const (
	colImage colID = iota
	colPID
	colClass
	colWrite
	colRead
	colWritten
	colSpark
)

// tableCol is a column of the process table with its current width.
type tableCol = column[colID, SortKey]

// Minimum and preferred widths of the flexible columns.
const (
	imageMin   = 10
	imageMax   = 40
	sparkMin   = 7  // "History"
	classWidth = 11 // "third-party"
	pidWidth   = 7
)

// tableColumns chooses the columns that fit in w cells (one cell for the
// selection marker, one space between columns) and their widths. The name
// column gets room first, up to the longest name; the sparkline takes what
// is left, however wide. Columns go in this order when space is short: sparkline, Read/s,
// Written, PID, Class.
func tableColumns(w, longestName int) []tableCol {
	cols := []tableCol{
		{id: colImage, title: "Image", sort: SortName},
		{id: colPID, title: "PID", width: pidWidth, right: true, sort: SortPID, drop: 4},
		{id: colClass, title: "Class", width: classWidth, sort: SortClass, drop: 5},
		{id: colWrite, title: "Write/s", width: RateWidth, right: true, sort: SortWrite},
		{id: colRead, title: "Read/s", width: RateWidth, right: true, sort: SortRead, drop: 2},
		{id: colWritten, title: "Written", width: BytesWidth + 1, right: true, sort: SortWritten, drop: 3},
		{id: colSpark, title: "History", sort: -1, drop: 1},
	}
	used := func() int {
		n := 1 // marker
		for _, c := range cols {
			n += c.width + 1
		}
		return n - 1
	}
	need := func() int {
		n := used() + imageMin
		for _, c := range cols {
			if c.id == colSpark {
				n += sparkMin
			}
		}
		return n
	}
	for need() > w {
		var ok bool
		if cols, ok = dropLowest(cols); !ok {
			break
		}
	}
	free := max(0, w-used())
	hasSpark := false
	for _, c := range cols {
		hasSpark = hasSpark || c.id == colSpark
	}
	img := free
	if hasSpark {
		img = min(free-sparkMin, max(imageMin+2, min(imageMax, longestName+1)))
	}
	img = max(1, img)
	for i := range cols {
		switch cols[i].id {
		case colImage:
			cols[i].width = img
		case colSpark:
			cols[i].width = max(0, free-img)
		}
	}
	return cols
}

// ProcessTable draws the title (when set), the column titles and as many
// rows as fit in the rest of h lines, starting at d.Offset, each line at
// most w cells. The sort column's title
// carries an arrow; the selected row is marked with Glyphs.Marker and drawn
// in reverse video. Long image names end with an ellipsis.
func ProcessTable(d TableData, w, h int, t Theme) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	longest := 0
	for _, r := range d.Rows {
		// A name is never wider than its length in bytes: measure only
		// those that could beat the longest so far.
		note := 0
		if r.ChildrenWriteBytes > 0 {
			note = len(childrenNote)
		}
		if len(r.Name)+note > longest {
			longest = max(longest, Width(r.Name)+note)
		}
	}
	cols := tableColumns(w, longest)
	lines := make([]string, 0, h)
	if d.Title != "" {
		lines = append(lines, Truncate(d.Title, w, t.Glyphs.Ellipsis))
	}
	lines = append(lines, headLine(cols, d.Sort, d.Desc, t))

	empty := d.Empty
	if empty == "" {
		empty = "no processes to show"
	}
	paints := tablePaints(t)
	return tableBody(lines, len(d.Rows), d.Offset, d.Selected, w, h, empty, t, func(i int, selected bool) string {
		return tableRow(d, d.Rows[i], selected, cols, t, paints)
	})
}

// rowPaints are the table's cell styles, captured once per table.
type rowPaints struct {
	selected, bold, spark paint
	class                 map[sampler.Class]paint
}

func tablePaints(t Theme) rowPaints {
	p := rowPaints{selected: newPaint(t.Selected), bold: newPaint(lipgloss.NewStyle().Bold(true)),
		spark: newPaint(t.Spark), class: map[sampler.Class]paint{}}
	for c, st := range t.Class {
		p.class[c] = newPaint(st)
	}
	return p
}

// childrenNote marks a process whose writes include those of children
// that exited between samples (ProcessRates.ChildrenWriteBytes).
const childrenNote = " +children"

// tableRow renders one process. Cells are padded before styling so every row
// lines up whatever the style.
func tableRow(d TableData, p sampler.ProcessRates, selected bool, cols []tableCol, t Theme, paints rowPaints) string {
	return rowLine(cols, selected, t, paints.selected, func(c tableCol) (cell string, st paint) {
		switch c.id {
		case colImage:
			name := p.Name
			if d.Marked != nil && d.Marked(p.Key) {
				name = "* " + name
			}
			if p.Exited {
				name += " (exited)"
			}
			// Its writes include exited children's (the process page
			// says how much): the note stays when the name is cut.
			if p.ChildrenWriteBytes > 0 && c.width > len(childrenNote)+3 {
				name = Truncate(name, c.width-len(childrenNote), t.Glyphs.Ellipsis) + childrenNote
			}
			cell = PadRight(Truncate(name, c.width, t.Glyphs.Ellipsis), c.width)
		case colPID:
			cell = PadLeft(strconv.Itoa(int(p.Key.PID)), c.width)
		case colClass:
			cell = PadRight(string(p.Class.Class), c.width)
			st = paints.class[p.Class.Class]
		case colWrite:
			if d.RatesPending {
				cell = PadLeft(t.Glyphs.Pending, c.width)
				break
			}
			cell = PadLeft(Rate(p.WriteRate), c.width)
			if p.WriteRate > 0 {
				st = paints.bold
			}
		case colRead:
			if d.RatesPending {
				cell = PadLeft(t.Glyphs.Pending, c.width)
				break
			}
			cell = PadLeft(Rate(p.ReadRate), c.width)
		case colWritten:
			cell = PadLeft(Bytes(p.WriteTotal), c.width)
		case colSpark:
			var h []float64
			if d.History != nil {
				h = d.History(p.Key)
			}
			cell = Sparkline(h, c.width, d.Mode)
			st = paints.spark
		}
		return cell, st
	})
}

// ScrollOffset returns the offset that keeps selected visible in a table of
// `rows` visible rows, moving the current offset as little as possible.
func ScrollOffset(offset, selected, rows, total int) int {
	if rows <= 0 || total <= 0 {
		return 0
	}
	if selected < offset {
		offset = selected
	}
	if selected >= offset+rows {
		offset = selected - rows + 1
	}
	return max(0, min(offset, total-rows))
}
