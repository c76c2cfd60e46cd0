package views

import (
	"strconv"
	"strings"

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

// tableCol is a column with its current width.
type tableCol struct {
	id    colID
	title string
	width int
	right bool
	sort  SortKey
	// drop is the order in which columns go when the width is short: the
	// lowest number goes first; 0 never goes.
	drop int
}

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
		lowest := -1
		for i, c := range cols {
			if c.drop > 0 && (lowest < 0 || c.drop < cols[lowest].drop) {
				lowest = i
			}
		}
		if lowest < 0 {
			break
		}
		cols = append(cols[:lowest], cols[lowest+1:]...)
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
		if len(r.Name) > longest {
			longest = max(longest, Width(r.Name))
		}
	}
	cols := tableColumns(w, longest)
	lines := make([]string, 0, h)
	if d.Title != "" {
		lines = append(lines, Truncate(d.Title, w, t.Glyphs.Ellipsis))
	}

	var head strings.Builder
	head.WriteString(" ")
	for i, c := range cols {
		if i > 0 {
			head.WriteString(" ")
		}
		title := c.title
		st := t.TableHead
		if c.sort == d.Sort {
			arrow := t.Glyphs.SortAsc
			if d.Desc {
				arrow = t.Glyphs.SortDesc
			}
			title += arrow
			st = t.SortHead
		}
		if c.right {
			title = PadLeft(title, c.width)
		} else {
			title = PadRight(title, c.width)
		}
		head.WriteString(st.Render(title))
	}
	lines = append(lines, head.String())

	if len(d.Rows) == 0 {
		empty := d.Empty
		if empty == "" {
			empty = "no processes to show"
		}
		lines = append(lines, t.Muted.Render(" "+empty))
		return Fit(strings.Join(lines, "\n"), w, min(h, len(lines)))
	}
	paints := tablePaints(t)
	end := min(len(d.Rows), d.Offset+h-len(lines))
	for i := max(0, d.Offset); i < end; i++ {
		lines = append(lines, tableRow(d, d.Rows[i], i == d.Selected, cols, t, paints))
	}
	return Fit(strings.Join(lines, "\n"), w, len(lines))
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

// tableRow renders one process. Cells are padded before styling so every row
// lines up whatever the style.
func tableRow(d TableData, p sampler.ProcessRates, selected bool, cols []tableCol, t Theme, paints rowPaints) string {
	var b strings.Builder
	marker := " "
	if selected {
		marker = t.Glyphs.Marker
	}
	b.WriteString(marker)
	for i, c := range cols {
		if i > 0 {
			b.WriteString(" ")
		}
		var cell string
		var st paint
		switch c.id {
		case colImage:
			name := p.Name
			if p.Exited {
				name += " (exited)"
			}
			cell = PadRight(Truncate(name, c.width, t.Glyphs.Ellipsis), c.width)
		case colPID:
			cell = PadLeft(strconv.Itoa(int(p.Key.PID)), c.width)
		case colClass:
			cell = PadRight(string(p.Class.Class), c.width)
			st = paints.class[p.Class.Class]
		case colWrite:
			cell = PadLeft(Rate(p.WriteRate), c.width)
			if p.WriteRate > 0 {
				st = paints.bold
			}
		case colRead:
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
		if selected {
			// One style for the whole row keeps reverse video unbroken.
			b.WriteString(cell)
		} else {
			b.WriteString(st.apply(cell))
		}
	}
	if selected {
		return paints.selected.apply(b.String())
	}
	return b.String()
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
