package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// On Windows the ETW backend gives per-file disk figures itself
// (Interval.DiskFiles, no block-layer reading): the Files tab shows the
// Disk/s and ms/req columns for them, as with the block layer on Linux.
func TestFilesShowETWDiskFigures(t *testing.T) {
	h := newFileHistory()
	iv := fileio.Interval{Time: sceneStart.Add(time.Second), Elapsed: time.Second, DiskFiles: true,
		Files: []fileio.FileActivity{{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: 2840, Start: 1}, Path: `C:\MSSQL\DATA\tempdb.mdf`},
			Name: "sqlservr.exe", WriteBytes: 9000, DiskWriteBytes: 3 << 20, DiskIONanos: 6_000_000, DiskIOCount: 2}}}
	h.add(iv, sampler.Frame{})
	rows := h.rows()
	if len(rows) != 1 || !rows[0].DiskKnown {
		t.Fatalf("rows %+v: want one row with its disk figures known", rows)
	}
	out := ansi.Strip(views.FileTable(views.FileTableData{Rows: rows}, 200, 6, views.NewTheme(true)))
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "Disk/s") || !strings.Contains(lines[0], "ms/req") {
		t.Fatalf("titles %q lack Disk/s and ms/req", lines[0])
	}
	if !strings.Contains(lines[1], "3.0 MiB/s") || !strings.Contains(lines[1], " 3.00") {
		t.Errorf("row %q lacks 3.0 MiB/s on disk and 3.00 ms per request", lines[1])
	}
}
