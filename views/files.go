package views

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// FileTableRow is one row of the Disk Activity table: what one process did
// to one file over the last interval, or, grouped by directory, to the
// files of one directory.
type FileTableRow struct {
	// Key is the process and the full path (the directory when Files > 0).
	Key fileio.FileKey
	// Name is the process image name.
	Name string
	// WriteRate and ReadRate are bytes per second over the last interval;
	// zero for a file active earlier in the last minute but not now.
	WriteRate, ReadRate float64
	// Files is the number of files in a directory row, 0 for a file row.
	Files int
	// Unknown is true when the backend saw the file used but could not
	// measure the bytes (fanotify: opened, written and closed between
	// scans).
	Unknown bool
	// Memory is true for a file on a memory filesystem (tmpfs): its
	// writes do not reach the disk. The path is marked "mem:".
	Memory bool
	// Via says how the bytes moved (fileio.FileActivity.Via).
	Via string
	// Deleted is true for a file deleted after it was written: its bytes
	// may never reach the disk. The path is marked "del:".
	Deleted bool
	// DiskRate is the bytes per second of this (process, file) that
	// reached the disk, from the block layer (fileio.FileActivity.
	// DiskWriteBytes), beside WriteRate, the bytes written through the
	// page cache; DiskKnown is true when the block-layer source runs (the
	// table then has a Disk/s column).
	DiskRate  float64
	DiskKnown bool
	// DiskIONanos and DiskIOCount are the response time (request start to completion) of the
	// requests this (process, file) submitted in the interval, summed, and
	// their count (fileio.FileActivity.DiskIONanos): the ms/req column
	// shows their mean, "-" when none was timed.
	DiskIONanos, DiskIOCount uint64
	// OnDisk is the pair's block-layer figures split by disk
	// (fileio.FileActivity.OnDisk), for a list limited to one disk.
	OnDisk map[string]sampler.DiskIO
	// IOPriority is the process's I/O priority in short form
	// (sampler.IOPriority.Short: "be/4", "idle", "normal"), "" when it
	// could not be read (the process exited); PriorityKnown is true when
	// priorities are read at all (live), and the table then has an
	// "I/O pri" column, as Resource Monitor's Disk Activity list does.
	IOPriority    string
	PriorityKnown bool
}

// Total is the write and read rate together.
func (r FileTableRow) Total() float64 { return r.WriteRate + r.ReadRate }

// FileSortKey is the column the Disk Activity table is ordered by. It
// cycles with the same keys as the process table's SortKey.
type FileSortKey int

// The sortable columns of the Disk Activity table, in cycling order.
const (
	FileSortWrite FileSortKey = iota // write rate
	FileSortRead                     // read rate
	FileSortTotal                    // write + read rate
	FileSortPID
	FileSortName // image name
	FileSortPath
	fileSortKeys
)

// String names the key as the status line shows it.
func (k FileSortKey) String() string {
	return [...]string{"write/s", "read/s", "total/s", "PID", "image", "file"}[k]
}

// Next is the key after k, wrapping around.
func (k FileSortKey) Next() FileSortKey { return (k + 1) % fileSortKeys }

// Prev is the key before k, wrapping around.
func (k FileSortKey) Prev() FileSortKey { return (k + fileSortKeys - 1) % fileSortKeys }

// DefaultDesc says whether the key reads best highest first (the rates).
func (k FileSortKey) DefaultDesc() bool { return k <= FileSortTotal }

// SortFileRows orders rows in place by key; desc reverses it. Ties break by
// total rate (highest first), then process and path, a total order, so rows
// keep their place from one sample to the next without a stable sort.
func SortFileRows(rows []FileTableRow, key FileSortKey, desc bool) {
	slices.SortFunc(rows, func(a, b FileTableRow) int {
		c := 0
		switch key {
		case FileSortWrite:
			c = cmp.Compare(a.WriteRate, b.WriteRate)
		case FileSortRead:
			c = cmp.Compare(a.ReadRate, b.ReadRate)
		case FileSortTotal:
			c = cmp.Compare(a.Total(), b.Total())
		case FileSortPID:
			c = cmp.Compare(a.Key.Proc.PID, b.Key.Proc.PID)
		case FileSortName:
			c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case FileSortPath:
			c = cmp.Compare(a.Key.Path, b.Key.Path)
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c = cmp.Compare(b.Total(), a.Total()); c != 0 {
			return c
		}
		if c = cmp.Compare(a.Key.Proc.PID, b.Key.Proc.PID); c != 0 {
			return c
		}
		if c = cmp.Compare(a.Key.Proc.Start, b.Key.Proc.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Key.Path, b.Key.Path)
	})
}

// FilterFileRows returns the rows whose image name or path contains
// substr, ignoring case; an empty substr keeps every row.
func FilterFileRows(rows []FileTableRow, substr string) []FileTableRow {
	return filterRows(rows, substr, func(r FileTableRow, lower string) bool {
		return containsLower(r.Name, lower) || containsLower(r.Key.Path, lower)
	})
}

// GroupFileRows sums rows by process and directory: one row per (PID,
// directory) with the directory as its path and Files the number of files
// summed. The result is not sorted.
func GroupFileRows(rows []FileTableRow) []FileTableRow {
	idx := make(map[fileio.FileKey]int)
	var out []FileTableRow
	for _, r := range rows {
		k := fileio.FileKey{Proc: r.Key.Proc, Path: fileio.Dir(r.Key.Path)}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, FileTableRow{Key: k, Name: r.Name})
		}
		g := &out[i]
		g.WriteRate += r.WriteRate
		g.ReadRate += r.ReadRate
		g.DiskRate += r.DiskRate
		g.DiskKnown = g.DiskKnown || r.DiskKnown
		g.DiskIONanos += r.DiskIONanos
		g.DiskIOCount += r.DiskIOCount
		g.Files++
		g.Unknown = g.Unknown || r.Unknown
		g.IOPriority, g.PriorityKnown = r.IOPriority, r.PriorityKnown // one process per group
	}
	return out
}

// FileTableData is what the Disk Activity table shows.
type FileTableData struct {
	// Title is the line above the column titles ("Disk activity · 12
	// files"); "" draws none.
	Title string
	// Rows are already filtered, grouped and sorted.
	Rows []FileTableRow
	// Selected is the index in Rows of the highlighted row, -1 for none.
	Selected int
	// Offset is the index of the first row drawn.
	Offset int
	Sort   FileSortKey
	Desc   bool
	// Empty is the line shown when Rows is empty.
	Empty string
}

// fileCol is one column of the Disk Activity table.
type fileCol = column[int, FileSortKey]

// Columns of the Disk Activity table.
const (
	fcImage = iota
	fcPID
	fcFile
	fcWrite
	fcRead
	fcTotal
	fcDisk
	fcResp
	fcPrio
)

// Widths of the Disk Activity table's columns.
const (
	fileImageMin = 8
	fileImageMax = 16
	filePathMin  = 16
	// filePathDisk is the narrowest path before columns go when the
	// table has a Disk/s column.
	filePathDisk = 32
	// respWidth fits "ms/req" and every ResponseMs up to 999999 ms.
	respWidth = 6
	// prioWidth fits "I/O pri" and every sampler.IOPriority.Short.
	prioWidth = 7
)

// fileColumns chooses the columns that fit w cells and their widths: the
// path takes what the others leave; I/O pri, Read, Total, ms/req, PID and
// Disk/s go, in that order, before the path gets narrower than
// filePathMin (filePathDisk with the block-layer columns).
func fileColumns(w, longestName int, disk, prio bool) []fileCol {
	cols := []fileCol{
		{id: fcImage, title: "Image", sort: FileSortName},
		{id: fcPID, title: "PID", width: pidWidth, right: true, sort: FileSortPID, drop: 5},
		{id: fcFile, title: "File", sort: FileSortPath},
		{id: fcWrite, title: "Write/s", width: RateWidth, right: true, sort: FileSortWrite},
	}
	if disk {
		// Bytes that reached the disk, beside the page-cache bytes
		// (Write/s); kept longer than PID. Then the mean response time
		// of the requests the pair submitted, which goes before PID.
		cols = append(cols,
			fileCol{id: fcDisk, title: "Disk/s", width: RateWidth, right: true, sort: -1, drop: 6},
			fileCol{id: fcResp, title: "ms/req", width: respWidth, right: true, sort: -1, drop: 4})
	}
	cols = append(cols,
		fileCol{id: fcRead, title: "Read/s", width: RateWidth, right: true, sort: FileSortRead, drop: 2},
		fileCol{id: fcTotal, title: "Total/s", width: RateWidth, right: true, sort: FileSortTotal, drop: 3})
	if prio {
		cols = append(cols, fileCol{id: fcPrio, title: "I/O pri", width: prioWidth, sort: -1, drop: 1})
	}
	img := max(fileImageMin, min(fileImageMax, longestName))
	used := func() int {
		n := 1 + img // marker and image
		for _, c := range cols {
			if c.id != fcImage {
				n += 1 + c.width
			}
		}
		return n + 1 // the space before the path
	}
	// With a Disk/s column the path keeps the room it had without it:
	// Read/s and Total/s go first (at 80 columns both), before the path
	// gets narrower than filePathDisk.
	min := filePathMin
	if disk {
		min = filePathDisk
	}
	for w-used() < min {
		var ok bool
		if cols, ok = dropLowest(cols); !ok {
			break
		}
	}
	if w-used() < filePathMin {
		img = max(1, img-(filePathMin-(w-used())))
	}
	path := max(1, w-used())
	for i := range cols {
		switch cols[i].id {
		case fcImage:
			cols[i].width = img
		case fcFile:
			cols[i].width = path
		}
	}
	return cols
}

// FileTable draws the title, the column titles and as many rows as fit in
// h lines, each at most w cells. Long paths are shortened in the middle,
// keeping the root and the file name, and, among the rows on screen, the
// directories that tell two files apart (fileio.ShortenPaths), so no line
// wraps and distinct files never look the same; a directory row ends with
// its number of files. When the selected row's path is shortened, its
// full path is under the table (SelectedPathLines).
func FileTable(d FileTableData, w, h int, t Theme) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := make([]string, 0, h)
	if d.Title != "" {
		lines = append(lines, Truncate(d.Title, w, t.Glyphs.Ellipsis))
	}
	cols := fileColumns(w, longestName(d.Rows), diskKnown(d.Rows), priorityKnown(d.Rows))
	lines = append(lines, headLine(cols, d.Sort, d.Desc, t))
	empty := d.Empty
	if empty == "" {
		empty = "no file activity yet"
	}
	full := SelectedPathLines(d.Rows, d.Selected, w, t)
	if len(lines)+1+len(full) > h {
		full = nil // no room: the rows come first
	}
	rows := max(0, h-len(lines)-len(full))
	paths := visiblePaths(d.Rows, d.Offset, rows, pathWidth(cols), t)
	sel, bold := newPaint(t.Selected), newPaint(t.Value)
	body := tableBody(lines, len(d.Rows), d.Offset, d.Selected, w, h-len(full), empty, t, func(i int, selected bool) string {
		return fileRow(d.Rows[i], paths[i-d.Offset], selected, cols, t, sel, bold)
	})
	if len(full) == 0 || len(d.Rows) == 0 {
		return body
	}
	// The full path sits right under the rows.
	return body + "\n" + strings.Join(full, "\n")
}

// FileTableRows is how many rows FileTable shows in w x h for rows with
// sel selected, title line included or not: what a pane scrolls by.
func FileTableRows(rows []FileTableRow, sel int, titled bool, w, h int, t Theme) int {
	used := 1 // the column titles
	if titled {
		used++
	}
	full := len(SelectedPathLines(rows, sel, w, t))
	if used+1+full > h {
		full = 0
	}
	return max(1, h-used-full)
}

// SelectedPathLines is the selected row's full path, wrapped to w cells
// (at most 3 lines, the last cut), when its File cell cannot show it
// whole; nil when it can or nothing is selected.
func SelectedPathLines(rows []FileTableRow, sel, w int, t Theme) []string {
	if sel < 0 || sel >= len(rows) || w < 10 {
		return nil
	}
	r := rows[sel]
	cw := pathWidth(fileColumns(w, longestName(rows), diskKnown(rows), priorityKnown(rows)))
	if Width(r.Key.Path)+dirSuffixWidth(r, cw) <= cw {
		return nil
	}
	const lead = "  "
	text := r.Key.Path
	var out []string
	for text != "" && len(out) < 3 {
		line, rest := cutCells(text, w-len(lead))
		if len(out) == 2 && rest != "" {
			line = Truncate(text, w-len(lead), t.Glyphs.Ellipsis)
			rest = ""
		}
		out = append(out, t.Muted.Render(lead)+t.Value.Render(line))
		text = rest
	}
	return out
}

// diskKnown reports whether rows carry block-layer disk bytes.
func diskKnown(rows []FileTableRow) bool {
	for i := range rows {
		if rows[i].DiskKnown {
			return true
		}
	}
	return false
}

// priorityKnown says the rows carry I/O priorities (read live).
func priorityKnown(rows []FileTableRow) bool {
	for i := range rows {
		if rows[i].PriorityKnown {
			return true
		}
	}
	return false
}

// longestName is the widest image name of rows.
func longestName(rows []FileTableRow) int {
	longest := 0
	for _, r := range rows {
		longest = max(longest, Width(r.Name))
	}
	return longest
}

// pathWidth is the File column's width.
func pathWidth(cols []fileCol) int {
	for _, c := range cols {
		if c.id == fcFile {
			return c.width
		}
	}
	return 0
}

// visiblePaths shortens the paths of rows[offset:offset+n] together, so
// that the rows on screen that name different files look different.
func visiblePaths(rows []FileTableRow, offset, n, w int, t Theme) []string {
	offset = max(0, offset)
	end := min(len(rows), offset+n)
	if offset >= end {
		return nil
	}
	sub := rows[offset:end]
	paths := make([]string, len(sub))
	for i, r := range sub {
		paths[i] = r.Key.Path
	}
	// A directory row's suffix takes part of the cell.
	// The widest mark (mem:, del:) on screen is taken off every path's
	// room, so the paths are still shortened together and stay distinct.
	marks := 0
	for _, r := range sub {
		marks = max(marks, len(memPrefix(r, w)))
	}
	out := make([]string, len(sub))
	short := fileio.ShortenPaths(paths, w-marks)
	for i, r := range sub {
		suffix := dirSuffix(r, w)
		prefix := memPrefix(r, w)
		p := short[i]
		if suffix != "" {
			p = fileio.ShortenPath(r.Key.Path, w-len(suffix)-len(prefix))
		}
		if t.Glyphs.ASCII {
			p = strings.ReplaceAll(p, fileio.Ellipsis, t.Glyphs.Ellipsis)
		}
		out[i] = prefix + p + suffix
	}
	return out
}

// fileRow renders one file or directory.
func fileRow(r FileTableRow, path string, selected bool, cols []fileCol, t Theme, sel, bold paint) string {
	return rowLine(cols, selected, t, sel, func(c fileCol) (cell string, st paint) {
		switch c.id {
		case fcImage:
			cell = PadRight(Truncate(r.Name, c.width, t.Glyphs.Ellipsis), c.width)
		case fcPID:
			cell = PadLeft(strconv.Itoa(int(r.Key.Proc.PID)), c.width)
		case fcFile:
			cell = PadRight(path, c.width)
		case fcWrite:
			cell = PadLeft(rateOrUnknown(r.WriteRate, r.Unknown), c.width)
			if r.WriteRate > 0 {
				st = bold
			}
		case fcRead:
			cell = PadLeft(rateOrUnknown(r.ReadRate, r.Unknown), c.width)
		case fcTotal:
			cell = PadLeft(rateOrUnknown(r.Total(), r.Unknown), c.width)
		case fcDisk:
			cell = PadLeft(Rate(r.DiskRate), c.width)
		case fcResp:
			cell = PadLeft(ResponseMs(r.DiskIONanos, r.DiskIOCount), c.width)
		case fcPrio:
			pr := r.IOPriority
			if pr == "" {
				pr = "-"
			}
			cell = PadRight(Truncate(pr, c.width, t.Glyphs.Ellipsis), c.width)
		}
		return cell, st
	})
}

// ResponseMs is the mean of count requests that took nanos in all, in
// milliseconds for a 6-cell column ("0.27", "123.4", "12345"), or "-"
// when no request was timed.
func ResponseMs(nanos, count uint64) string {
	if count == 0 {
		return "-"
	}
	ms := float64(nanos) / float64(count) / 1e6
	switch {
	case ms < 100:
		return strconv.FormatFloat(ms, 'f', 2, 64)
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 1, 64)
	}
	return strconv.FormatFloat(ms, 'f', 0, 64)
}

// rateOrUnknown is the rate, or "?" when the bytes were not measured.
func rateOrUnknown(v float64, unknown bool) string {
	if unknown && v == 0 {
		return "?"
	}
	return Rate(v)
}

// FilePath is a row's path shortened in the middle to w cells, in the
// theme's glyphs; a directory row ends with "(N files)" when there is room.
func FilePath(r FileTableRow, w int, t Theme) string {
	suffix := dirSuffix(r, w)
	prefix := memPrefix(r, w)
	p := prefix + fileio.ShortenPath(r.Key.Path, w-len(suffix)-len(prefix))
	if t.Glyphs.ASCII {
		p = strings.ReplaceAll(p, fileio.Ellipsis, t.Glyphs.Ellipsis)
	}
	return p + suffix
}

// memPrefix marks, when a cell of w cells has room, a file on a memory
// filesystem ("mem:", it does not reach the disk) and a file deleted
// after it was written ("del:"); "" otherwise.
func memPrefix(r FileTableRow, w int) string {
	if w <= 16 {
		return ""
	}
	prefix := ""
	if r.Memory {
		prefix = "mem:"
	}
	if r.Deleted {
		prefix += "del:"
	}
	return prefix
}

// dirSuffix is a directory row's " (N files)" when a cell of w cells has
// room for it, else "".
func dirSuffix(r FileTableRow, w int) string {
	if r.Files <= 0 {
		return ""
	}
	suffix := " (" + strconv.Itoa(r.Files) + " file"
	if r.Files != 1 {
		suffix += "s"
	}
	suffix += ")"
	if w-len(suffix) < 12 {
		return ""
	}
	return suffix
}

// dirSuffixWidth is the width dirSuffix takes in a cell of w cells.
func dirSuffixWidth(r FileTableRow, w int) int { return len(dirSuffix(r, w)) }

// FilesStatus is the header's short line naming the per-file backend and
// what it misses most: "files: eBPF (mmap writes not seen)". A backend
// that sees only the user's own processes, run without privilege, says how
// to see all.
func FilesStatus(i fileio.Info, privileged bool) string {
	if !i.AllProcesses && !privileged && i.Backend != "" {
		return "files: your processes only: run as root to see all"
	}
	switch i.Backend {
	case fileio.BackendEBPF:
		if i.Unseen == "" {
			return "files: eBPF"
		}
		return "files: eBPF (not seen: " + i.Unseen + ")"
	case fileio.BackendFanotify:
		return "files: fanotify+/proc (pwrite and mmap not seen)"
	case fileio.BackendProc:
		return "files: /proc scan (pwrite and mmap not seen)"
	case fileio.BackendETW:
		return "files: ETW (paging I/O shown under System)"
	case fileio.LoadingBackend:
		return "files: loading the per-file backend"
	case "":
		return ""
	}
	return "files: " + i.Backend
}
