package views

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

func fileRows() []FileTableRow {
	k := func(pid int32, path string) fileio.FileKey {
		return fileio.FileKey{Proc: sampler.ProcKey{PID: pid, Start: 1}, Path: path}
	}
	return []FileTableRow{
		{Key: k(4242, `D:\SQLData\MSSQL16.MSSQLSERVER\MSSQL\DATA\tempdb.mdf`), Name: "sqlservr.exe", WriteRate: 40 << 20},
		{Key: k(4242, `D:\SQLData\MSSQL16.MSSQLSERVER\MSSQL\DATA\templog.ldf`), Name: "sqlservr.exe", WriteRate: 10 << 20, ReadRate: 1 << 20},
		{Key: k(812, `C:\Windows\SoftwareDistribution\Download\5d2a\windows11.0-kb5046617-x64.cab`), Name: "MsMpEng.exe", ReadRate: 30 << 20},
		{Key: k(77, "/var/lib/postgresql/16/main/pg_wal/000000010000000000000042"), Name: "postgres", WriteRate: 5 << 20},
		{Key: k(78, "/home/admin/notes.txt"), Name: "vim", Unknown: true},
	}
}

// Every line of the table fits its box at every width, no row wraps, and
// the columns go in order (Read, Total, PID) as the width shrinks.
func TestFileTableFitsAndDropsColumns(t *testing.T) {
	th := NewTheme(false)
	for w := 20; w <= 200; w++ {
		out := FileTable(FileTableData{Title: "Disk activity · 5 files", Rows: fileRows(), Selected: 1}, w, 8, th)
		lines := strings.Split(out, "\n")
		full := len(SelectedPathLines(fileRows(), 1, w, th))
		if len(lines) > 8 || (len(lines) != 7+full && !(7+full > 8 && len(lines) == 8)) {
			t.Fatalf("at %d: %d lines, want title, column titles, 5 rows and %d of full path", w, len(lines), full)
		}
		for i, l := range lines {
			if n := ansi.StringWidth(l); n > w {
				t.Fatalf("at %d line %d is %d wide: %q", w, i, n, ansi.Strip(l))
			}
		}
	}
	head := func(w int) string {
		return ansi.Strip(strings.Split(FileTable(FileTableData{Rows: fileRows()}, w, 8, th), "\n")[0])
	}
	for _, c := range []struct {
		w          int
		has, lacks []string
	}{
		{80, []string{"Image", "PID", "File", "Write/s", "Read/s", "Total/s"}, nil},
		{60, []string{"Image", "PID", "File", "Write/s"}, []string{"Read/s", "Total/s"}},
		{40, []string{"Image", "File", "Write/s"}, []string{"PID", "Read/s", "Total/s"}},
	} {
		h := head(c.w)
		for _, s := range c.has {
			if !strings.Contains(h, s) {
				t.Errorf("at %d columns the titles %q lack %q", c.w, h, s)
			}
		}
		for _, s := range c.lacks {
			if strings.Contains(h, s) {
				t.Errorf("at %d columns the titles %q should have dropped %q", c.w, h, s)
			}
		}
	}
	row := ansi.Strip(strings.Split(FileTable(FileTableData{Rows: fileRows(), Selected: -1}, 80, 8, th), "\n")[1])
	for _, want := range []string{"sqlservr.exe", "4242", `D:\…\DATA\tempdb.mdf`, "40.0 MiB/s", "0 B/s"} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}
	if last := ansi.Strip(strings.Split(FileTable(FileTableData{Rows: fileRows()}, 80, 8, th), "\n")[5]); !strings.Contains(last, "?") {
		t.Errorf("a file whose bytes were not measured shows ?, not 0: %q", last)
	}
	empty := ansi.Strip(FileTable(FileTableData{Title: "t", Empty: "nothing here: esc clears"}, 80, 10, th))
	if !strings.Contains(empty, "nothing here: esc clears") {
		t.Errorf("empty table: %q", empty)
	}
}

func TestFilePathShortensInTheMiddle(t *testing.T) {
	u, a := NewTheme(false), NewTheme(true)
	r := FileTableRow{Key: fileio.FileKey{Path: "/var/lib/postgresql/16/main/pg_wal/000000010000000000000042"}}
	if got := FilePath(r, 40, u); Width(got) > 40 || !strings.HasPrefix(got, "/") || !strings.HasSuffix(got, "000000010000000000000042") || !strings.Contains(got, "…") {
		t.Errorf("the root and the file name stay, the middle goes: %q", got)
	}
	if got := FilePath(r, 40, a); strings.ContainsRune(got, '…') || !strings.Contains(got, "~") || Width(got) > 40 {
		t.Errorf("ASCII glyphs: %q", got)
	}
	d := FileTableRow{Key: fileio.FileKey{Path: `D:\SQLData\MSSQL16.MSSQLSERVER\MSSQL\DATA`}, Files: 3}
	if got := FilePath(d, 40, u); !strings.HasSuffix(got, `\DATA (3 files)`) || Width(got) > 40 {
		t.Errorf("directory row: %q", got)
	}
}

func TestSortFilterAndGroupFileRows(t *testing.T) {
	rows := fileRows()
	SortFileRows(rows, FileSortWrite, true)
	if rows[0].Name != "sqlservr.exe" || rows[0].WriteRate != 40<<20 {
		t.Errorf("by write/s: %v", rows[0])
	}
	SortFileRows(rows, FileSortTotal, true)
	if rows[0].WriteRate != 40<<20 || rows[1].Name != "MsMpEng.exe" {
		t.Errorf("by total/s: %v, %v", rows[0], rows[1])
	}
	SortFileRows(rows, FileSortPID, false)
	if rows[0].Key.Proc.PID != 77 {
		t.Errorf("by PID: %v", rows[0])
	}
	SortFileRows(rows, FileSortPath, false)
	if !strings.HasPrefix(rows[0].Key.Path, "/home") {
		t.Errorf("by path: %v", rows[0])
	}
	if k := FileSortPath.Next(); k != FileSortWrite || FileSortWrite.Prev() != FileSortPath || !FileSortTotal.DefaultDesc() || FileSortName.DefaultDesc() {
		t.Errorf("sort keys cycle like the process table's")
	}
	if got := FilterFileRows(fileRows(), "PG_WAL"); len(got) != 1 || got[0].Name != "postgres" {
		t.Errorf("the filter matches paths, ignoring case: %v", got)
	}
	if got := FilterFileRows(fileRows(), "msmp"); len(got) != 1 {
		t.Errorf("the filter matches image names: %v", got)
	}
	g := GroupFileRows(fileRows())
	if len(g) != 4 {
		t.Fatalf("groups: %v", g)
	}
	if g[0].Key.Path != `D:\SQLData\MSSQL16.MSSQLSERVER\MSSQL\DATA` || g[0].Files != 2 || g[0].WriteRate != 50<<20 || g[0].ReadRate != 1<<20 {
		t.Errorf("SQL Server's directory: %+v", g[0])
	}
}

func TestFilesStatusNamesBackendAndLimit(t *testing.T) {
	for _, c := range []struct {
		info       fileio.Info
		privileged bool
		want       string
	}{
		{fileio.Info{Backend: fileio.BackendEBPF, AllProcesses: true, Unseen: "AIO, 32-bit processes"}, true, "files: eBPF (not seen: AIO, 32-bit processes)"},
		{fileio.Info{Backend: fileio.BackendFanotify, AllProcesses: true}, true, "files: fanotify+/proc (pwrite and mmap not seen)"},
		{fileio.Info{Backend: fileio.BackendProc}, false, "files: your processes only: run as root to see all"},
		{fileio.Info{Backend: fileio.BackendProc}, true, "files: /proc scan (pwrite and mmap not seen)"},
		{fileio.Info{Backend: fileio.BackendETW, AllProcesses: true}, true, "files: ETW (paging I/O shown under System)"},
		{fileio.Info{}, false, ""},
	} {
		if got := FilesStatus(c.info, c.privileged); got != c.want {
			t.Errorf("%s privileged=%v: %q, want %q", c.info.Backend, c.privileged, got, c.want)
		}
	}
	h := ansi.Strip(Header(HeaderData{Host: "vm", Interval: time.Second, Info: sampler.SourceInfo{Privileged: true},
		Files: "files: eBPF (not seen: AIO)"}, 120, NewTheme(false)))
	if !strings.Contains(h, "all processes visible · files: eBPF (not seen: AIO)") {
		t.Errorf("header: %q", h)
	}
}

func TestFileDetailFitsAndShowsThePathWhole(t *testing.T) {
	r := fileRows()[2]
	series := []float64{0, 10 << 20, 30 << 20}
	for _, sz := range [][2]int{{80, 20}, {60, 16}, {200, 46}, {30, 5}, {10, 3}} {
		out := FileDetail(FileDetailData{Row: r, Written: 3 << 30, Series: series, Interval: time.Second, Counts: "bytes of ETW read and write requests"},
			sz[0], sz[1], NewTheme(false))
		lines := strings.Split(out, "\n")
		if len(lines) != sz[1] {
			t.Fatalf("at %v: %d lines", sz, len(lines))
		}
		for i, l := range lines {
			if n := ansi.StringWidth(l); n > sz[0] {
				t.Fatalf("at %v line %d is %d wide", sz, i, n)
			}
		}
	}
	out := ansi.Strip(FileDetail(FileDetailData{Row: r, Written: 3 << 30, Series: series, Interval: time.Second}, 60, 20, NewTheme(false)))
	joined := strings.ReplaceAll(out, "\n          ", "")
	for _, want := range []string{r.Key.Path, "MsMpEng.exe  PID 812", "read/s 30.0 MiB/s", "3.0 GiB", "Writes to this file", "now 30.0 MiB/s"} {
		if !strings.Contains(joined, want) {
			t.Errorf("file page lacks %q:\n%s", want, out)
		}
	}
}

// In ASCII the sort mark stands apart from its column's title in both
// tables, for every sort column and direction: "Write/s v", never
// "Write/sv" (a letter run into the title).
func TestASCIISortMarkIsNotALetterOfTheTitle(t *testing.T) {
	th := NewTheme(true)
	mark := func(desc bool) string {
		if desc {
			return th.Glyphs.SortDesc
		}
		return th.Glyphs.SortAsc
	}
	for _, desc := range []bool{true, false} {
		for k := SortKey(0); k < sortKeys; k++ {
			head := ansi.Strip(strings.Split(ProcessTable(TableData{Rows: testRows(), Sort: k, Desc: desc}, 100, 10, th), "\n")[0])
			if !strings.Contains(head, " "+mark(desc)) {
				t.Errorf("process table sorted by %s: %q", k, head)
			}
		}
		for k := FileSortKey(0); k < fileSortKeys; k++ {
			head := ansi.Strip(strings.Split(FileTable(FileTableData{Rows: fileRows(), Sort: k, Desc: desc}, 100, 10, th), "\n")[0])
			if !strings.Contains(head, " "+mark(desc)) {
				t.Errorf("file table sorted by %s: %q", k, head)
			}
		}
	}
}

// The header's second line reads whole at 80 columns: the warnings take
// their short forms instead of being cut mid-word (it was always cut).
func TestHeaderSecondLineReadableAt80(t *testing.T) {
	th := NewTheme(false)
	d := HeaderData{Host: "vm", Interval: time.Second, Hidden: 37, Filter: `processes "sql"`,
		Files: "files: eBPF (mmap writes not seen)", Info: sampler.SourceInfo{Note: "per-process bytes are storage-layer writes"}}
	line := ansi.Strip(strings.Split(Header(d, 80, th), "\n")[1])
	if strings.Contains(line, th.Glyphs.Ellipsis) || ansi.StringWidth(line) > 80 {
		t.Errorf("line 2 is cut: %q", line)
	}
	for _, want := range []string{`filter processes "sql"`, "37 hidden (need root)", "files: eBPF", "note in ? help"} {
		if !strings.Contains(line, want) {
			t.Errorf("line 2 lacks %q: %q", want, line)
		}
	}
	// Wide, every item in full.
	line = ansi.Strip(strings.Split(Header(d, 200, th), "\n")[1])
	for _, want := range []string{HiddenText(37), "files: eBPF (mmap writes not seen)", "per-process bytes are storage-layer writes"} {
		if !strings.Contains(line, want) {
			t.Errorf("at 200 line 2 lacks %q: %q", want, line)
		}
	}
}
