package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// filesFirstRow is the first line under the Files table's column titles.
func filesFirstRow(t *testing.T, lines []string) string {
	t.Helper()
	i := rowOf(lines, " Image")
	if i < 0 || i+1 >= len(lines) || !strings.Contains(lines[i], "File") {
		t.Fatalf("no Files table on screen:\n%s", strings.Join(lines, "\n"))
	}
	return lines[i+1]
}

func TestFilesTabShowsEachProcessFileAndRate(t *testing.T) {
	m, _ := newFilesModel(t, 10, 80, 24)
	start(m)
	step(m, 4)
	pressAll(m, "2")
	checkFits(t, m, 80, 24)
	lines := screen(m)
	all := strings.Join(lines, "\n")
	if !strings.Contains(lines[2], "[2 Files]") {
		t.Errorf("2 should select the Files tab: %q", lines[2])
	}
	top := filesFirstRow(t, lines)
	for _, want := range []string{">", "sqlservr.exe", "4242", "tempdb.mdf", "40.0 MiB/s"} {
		if !strings.Contains(top, want) {
			t.Errorf("top row %q lacks %q", top, want)
		}
	}
	// Long paths lose directories, then the middle of the name, keeping
	// the root and the extension; the title names the backend's limit.
	for _, want := range []string{"Write/s▼", "Read/s", "Total/s", "Disk activity · 8 files · ETW (paging I/O shown under System)",
		`D:\…\DATA\tempdb.mdf`, `E:\…\SQL01.…0_7F3A.vbk`, "VeeamAgent.exe", "20.0 MiB/s", "files: ETW"} {
		if !strings.Contains(all, want) {
			t.Errorf("Files tab lacks %q:\n%s", want, all)
		}
	}
	// The short-lived 7z.exe wrote in interval 3 only: it stays listed at
	// 0 B/s for a minute, at the bottom of the write order.
	if i, j := rowOf(lines, "7z.exe"), rowOf(lines, "EtwRTE"); i < 0 || j < 0 || i < j {
		t.Errorf("7z.exe's file should linger below the active files (rows %d, %d):\n%s", i, j, all)
	}
}

func TestFilesSortFilterAndGroupByDirectory(t *testing.T) {
	m, _ := newFilesModel(t, 10, 80, 24)
	start(m)
	step(m, 3)
	pressAll(m, "2", "s") // read/s
	if top := filesFirstRow(t, screen(m)); !strings.Contains(top, "MsMpEng.exe") || !strings.Contains(top, "30.0 MiB/s") {
		t.Errorf("by read/s the Defender cab comes first: %q", top)
	}
	pressAll(m, "S") // lowest read first
	if top := filesFirstRow(t, screen(m)); strings.Contains(top, "30.0 MiB/s") {
		t.Errorf("reversed, the reader should not be on top: %q", top)
	}
	pressAll(m, ">", ">") // total, PID (ascending)
	if top := filesFirstRow(t, screen(m)); !strings.Contains(top, " 812 ") {
		t.Errorf("by PID ascending, MsMpEng.exe (812) first: %q", top)
	}
	pressAll(m, "<", "<", "<", "/")
	typeText(m, "veeam")
	lines := screen(m)
	if top := filesFirstRow(t, lines); !strings.Contains(top, "VeeamAgent.exe") || rowOf(lines, "sqlservr.exe") >= 0 {
		t.Errorf("the filter should keep only Veeam's file:\n%s", strings.Join(lines, "\n"))
	}
	pressAll(m, "enter")
	if l := screen(m)[3]; !strings.Contains(l, "1 file of 8") || !strings.Contains(l, "filter veeam") || !strings.Contains(l, "(esc clears)") {
		t.Errorf("the title should show the filter and how to clear it: %q", l)
	}
	pressAll(m, "esc")
	if lines = screen(m); rowOf(lines, "sqlservr.exe") < 0 {
		t.Errorf("esc should clear the filter")
	}
	pressAll(m, "t")
	lines = screen(m)
	top := filesFirstRow(t, lines)
	for _, want := range []string{"sqlservr.exe", `\DATA (3 files)`, "50.0 MiB/s", "52.0 MiB/s"} {
		if !strings.Contains(top, want) {
			t.Errorf("grouped, SQL Server's data directory sums its three files: %q lacks %q", top, want)
		}
	}
	if !strings.Contains(lines[3], "directories") {
		t.Errorf("grouped, the title counts directories: %q", lines[3])
	}
	pressAll(m, "t")
	if top := filesFirstRow(t, screen(m)); !strings.Contains(top, "tempdb.mdf") {
		t.Errorf("t again shows files: %q", top)
	}
}

func TestFileGraphOnEnter(t *testing.T) {
	m, _ := newFilesModel(t, 10, 80, 24)
	start(m)
	step(m, 4)
	pressAll(m, "2", "j", "enter") // VeeamAgent.exe's backup file
	checkFits(t, m, 80, 24)
	all := strings.Join(screen(m), "\n")
	for _, want := range []string{"File", `E:\VeeamBackup\Jobs\Daily SQL01 image-level backup\SQL01.vm-1042D2026-`, "11-24T143000_7F3A.vbk",
		"VeeamAgent.exe  PID 3100", "Writes to this file", "now 20.0 MiB/s", "80.0 MiB", "since the screen started"} {
		if !strings.Contains(all, want) {
			t.Errorf("file page lacks %q:\n%s", want, all)
		}
	}
	step(m, 1)
	if n := len(m.filesTab.series); n != 5 || m.filesTab.series[4] != 20*mib {
		t.Errorf("the graph follows new samples: %v", m.filesTab.series)
	}
	pressAll(m, "esc")
	if top := filesFirstRow(t, screen(m)); !strings.Contains(top, "tempdb.mdf") {
		t.Errorf("esc goes back to the table: %q", top)
	}
	// A directory's page sums its files' histories.
	pressAll(m, "t", "home", "enter")
	all = strings.Join(screen(m), "\n")
	if !strings.Contains(all, "Writes to this directory") || !strings.Contains(all, "now 50.0 MiB/s") || !strings.Contains(all, "3 files") {
		t.Errorf("directory page:\n%s", all)
	}
}

func TestFKeyShowsTheSelectedProcessFiles(t *testing.T) {
	m, _ := newFilesModel(t, 10, 80, 24)
	start(m)
	step(m, 3)
	pressAll(m, "j") // VeeamAgent.exe in the Processes tab
	if !strings.Contains(screen(m)[len(screen(m))-1], "f files") {
		t.Errorf("the Processes footer should offer f: %q", screen(m)[len(screen(m))-1])
	}
	pressAll(m, "f")
	lines := screen(m)
	if !strings.Contains(lines[2], "[2 Files]") {
		t.Fatalf("f should switch to the Files tab: %q", lines[2])
	}
	if !strings.Contains(lines[3], "process VeeamAgent.exe (PID 3100)") || !strings.Contains(lines[3], "(esc clears)") {
		t.Errorf("the title should name the process and how to clear it: %q", lines[3])
	}
	if rowOf(lines, "sqlservr.exe") >= 0 || !strings.Contains(filesFirstRow(t, lines), "VeeamAgent.exe") {
		t.Errorf("only VeeamAgent.exe's files should be listed:\n%s", strings.Join(lines, "\n"))
	}
	pressAll(m, "esc")
	if lines = screen(m); rowOf(lines, "sqlservr.exe") < 0 || strings.Contains(lines[3], "PID 3100") {
		t.Errorf("esc should show every process's files again:\n%s", strings.Join(lines, "\n"))
	}
	// From a process's page too.
	pressAll(m, "1", "home", "enter", "f")
	if lines = screen(m); !strings.Contains(lines[3], "sqlservr.exe (PID 4242)") {
		t.Errorf("f on sqlservr.exe's page: %q", lines[3])
	}
}

// The backend sees the short-lived 7z.exe (started and exited within
// interval 3) that the process sampler cannot: it is merged into the
// Processes tab, and its file reaches the report.
func TestShortLivedWriterMergedAndTopFilesInReport(t *testing.T) {
	m, _ := newFilesModel(t, 10, 80, 24)
	start(m)
	step(m, 3)
	all := strings.Join(screen(m), "\n")
	if !strings.Contains(all, "7z.exe (exited)") || !strings.Contains(all, "8.0 MiB/s") {
		t.Errorf("the merged short-lived writer should be listed:\n%s", all)
	}
	step(m, 2)
	d := m.incident()
	if len(d.Files) != 6 {
		t.Fatalf("report top files: %+v", d.Files)
	}
	f := d.Files[0]
	if f.Path != tempdbPath || f.Process != "sqlservr.exe" || f.PID != 4242 || f.Class != sampler.ClassWorkload || f.Bytes != 5*40*mib {
		t.Errorf("top file %+v: want tempdb.mdf, sqlservr.exe 4242, workload, 200 MiB", f)
	}
	var zip bool
	for _, f := range d.Files {
		zip = zip || (f.Path == zipPath && f.Bytes == 8*mib && f.PID == zipPID)
	}
	if !zip {
		t.Errorf("the short-lived writer's file should be in the report: %+v", d.Files)
	}
}

func TestFilesPauseFreezesRowsNotHistory(t *testing.T) {
	m, _ := newFilesModel(t, 10, 80, 24)
	start(m)
	step(m, 2)
	pressAll(m, "2", "p")
	before := strings.Join(screen(m)[3:], "\n")
	step(m, 2) // interval 3 brings 7z.exe
	if after := strings.Join(screen(m)[3:], "\n"); after != before || strings.Contains(after, "7z") {
		t.Errorf("paused, the table should not change:\n%s\n---\n%s", before, after)
	}
	pressAll(m, "p")
	if all := strings.Join(screen(m), "\n"); !strings.Contains(all, "7z.exe") {
		t.Errorf("resumed, the table shows what arrived meanwhile:\n%s", all)
	}
}

func TestFilesNoteWhenNotCollected(t *testing.T) {
	e := sceneEngine(t, 10)
	m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm",
		FilesNote: "per-file activity: no backend works: eBPF: operation not permitted"})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(m)
	step(m, 2)
	pressAll(m, "2")
	checkFits(t, m, 80, 24)
	all := strings.Join(screen(m), "\n")
	if !strings.Contains(all, "Per-file activity is not collected: per-file activity: no backend works") {
		t.Errorf("the Files tab should say why it is empty:\n%s", all)
	}
	if m.incident().Files != nil || m.files != nil {
		t.Errorf("without a source the report has no top files")
	}
}

// Every line fits the terminal at every size of a resize storm, on the
// table, grouped, filtered to a process and on a file's page.
func TestFilesResizeStorm(t *testing.T) {
	m, _ := newFilesModel(t, 40, 80, 24)
	start(m)
	step(m, 3)
	sizes := [][2]int{{200, 50}, {59, 20}, {60, 20}, {20, 5}, {1, 1}, {0, 0}, {300, 10}, {61, 21}, {139, 40}, {140, 40}, {79, 23}}
	for w := 200; w >= 20; w -= 7 {
		sizes = append(sizes, [2]int{w, max(5, w/4)})
	}
	pages := [][]string{{"2"}, {"t"}, {"t", "enter"}, {"esc", "1", "f"}, {"esc", "2", "j", "enter"}}
	for _, keys := range pages {
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		pressAll(m, keys...)
		for _, s := range sizes {
			m.Update(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
			checkFits(t, m, s[0], s[1])
			step(m, 1)
		}
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	checkFits(t, m, 80, 24)
	if all := strings.Join(screen(m), "\n"); !strings.Contains(all, "Writes to this file") {
		t.Errorf("the storm should end on the file page:\n%s", all)
	}
}

// At 140 columns and more the Files tab shares the left half with
// Processes, the wizard on the right.
func TestFilesOnTheLeftOfAWideScreen(t *testing.T) {
	m, _ := newFilesModel(t, 10, 160, 48)
	start(m)
	step(m, 3)
	pressAll(m, "2")
	checkFits(t, m, 160, 48)
	lines := screen(m)
	lw, _ := split(160)
	row := filesFirstRow(t, lines)
	if !strings.Contains(row[:min(len(row), lw)], "tempdb.mdf") || !strings.Contains(strings.Join(lines, "\n"), "Replica server") {
		t.Errorf("Files on the left, wizard on the right:\n%s", strings.Join(lines, "\n"))
	}
	if !strings.Contains(lines[2], "[2 Files]") || !strings.Contains(lines[2], "(3 Wizard)") {
		t.Errorf("tab bar: %q", lines[2])
	}
	if !strings.Contains(lines[1], "files: ETW (paging I/O shown under System)") {
		t.Errorf("the header names the per-file backend: %q", lines[1])
	}
}

// The per-file history stays bounded however many files a session
// touches, and keeps the busiest.
func TestFileHistoryBounded(t *testing.T) {
	h := newFileHistory()
	at := sceneStart
	for i := 0; i < 50; i++ {
		at = at.Add(time.Second)
		iv := fileio.Interval{Time: at, Elapsed: time.Second}
		iv.Files = append(iv.Files, fileio.FileActivity{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: 1}, Path: "/data/big"}, Name: "db", WriteBytes: 1 << 30})
		for j := 0; j < 1000; j++ {
			iv.Files = append(iv.Files, fileio.FileActivity{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: 2}, Path: fmt.Sprintf("/tmp/churn/%d-%d", i, j)},
				Name: "churn", WriteBytes: 4096})
		}
		h.add(iv, sampler.Frame{})
	}
	if n := len(h.tracked); n > fileTracked {
		t.Errorf("%d files tracked, limit %d", n, fileTracked)
	}
	if n := len(h.totals); n > fileTotalsLimit {
		t.Errorf("%d totals kept, limit %d", n, fileTotalsLimit)
	}
	s, _ := h.series([]fileio.FileKey{{Proc: sampler.ProcKey{PID: 1}, Path: "/data/big"}})
	if len(s) != 50 || s[49] != 1<<30 {
		t.Errorf("the busiest file keeps its whole series: %d points, last %v", len(s), s[len(s)-1])
	}
	if top := h.TopFiles(1); len(top) != 1 || top[0].Path != "/data/big" || top[0].Bytes != 50<<30 {
		t.Errorf("top file %+v", top)
	}
}

// With --ascii every page of the Files tab is 7-bit: shortened paths end
// their cut with "~", not "…".
func TestFilesASCIIOnly7Bit(t *testing.T) {
	m, _ := newFilesModelASCII(t, 10, 80, 24, true)
	start(m)
	step(m, 4)
	check := func(page string) {
		t.Helper()
		for i, l := range screen(m) {
			for _, r := range l {
				if r > 127 {
					t.Fatalf("%s: line %d has %q: %q", page, i, r, l)
				}
			}
		}
	}
	pressAll(m, "2")
	check("table")
	if all := strings.Join(screen(m), "\n"); !strings.Contains(all, `D:\~\DATA\tempdb.mdf`) {
		t.Errorf("ASCII path shortening:\n%s", all)
	}
	pressAll(m, "t")
	check("grouped")
	pressAll(m, "enter")
	check("directory page")
	pressAll(m, "esc", "t", "j", "enter")
	check("file page")
	pressAll(m, "esc", "/", "v")
	check("filter")
}
