package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// With the block-layer source the Files table has a ms/req column: the
// mean issue-to-complete time of each pair's requests, "-" for a pair with
// none timed; without the source it has none.
func TestFileTableResponseColumn(t *testing.T) {
	th := NewTheme(true)
	rows := fileRows()
	if h := ansi.Strip(FileTable(FileTableData{Rows: rows}, 200, 8, th)); strings.Contains(h, "ms/req") {
		t.Errorf("a table without the block layer has a ms/req column:\n%s", h)
	}
	for i := range rows {
		rows[i].DiskKnown = true
	}
	rows[0].DiskIONanos, rows[0].DiskIOCount = 3_000_000, 4
	out := ansi.Strip(FileTable(FileTableData{Rows: rows}, 200, 8, th))
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "ms/req") {
		t.Fatalf("at 200 columns the titles %q lack ms/req", lines[0])
	}
	if f := strings.Fields(lines[1]); !strings.Contains(lines[1], " 0.75") {
		t.Errorf("the first row %q lacks its mean 0.75 ms (fields %q)", lines[1], f)
	}
	if !strings.HasSuffix(strings.TrimRight(lines[2], " "), "-") && !strings.Contains(lines[2], "      -") {
		t.Errorf("the second row %q lacks \"-\" for no timed request", lines[2])
	}
}

// At 80 columns ms/req never takes the path's room: with short image
// names it fits beside Disk/s and a 30-character path shows whole; with
// long ones it goes before PID and Disk/s.
func TestFileTableResponseKeepsPathRoom(t *testing.T) {
	th := NewTheme(true)
	path := "/var/tmp/hvr-disk-12345678.dat"
	for _, tc := range []struct {
		name     string
		wantResp bool
	}{{"dd", true}, {"sqlservr.exe", false}} {
		rows := []FileTableRow{{Name: tc.name, DiskKnown: true, WriteRate: 1 << 20, DiskRate: 1 << 20, DiskIONanos: 1e6, DiskIOCount: 1}}
		rows[0].Key.Proc.PID = 4242
		rows[0].Key.Path = path
		out := ansi.Strip(FileTable(FileTableData{Rows: rows}, 80, 4, th))
		head := strings.Split(out, "\n")[0]
		if !strings.Contains(out, path) {
			t.Errorf("image %s: the 30-character path is shortened:\n%s", tc.name, out)
		}
		if strings.Contains(head, "ms/req") != tc.wantResp || !strings.Contains(head, "Disk/s") || !strings.Contains(head, "PID") {
			t.Errorf("image %s: titles %q; want Disk/s and PID, ms/req %v", tc.name, head, tc.wantResp)
		}
	}
}

// ResponseMs fits its 6-cell column at every magnitude.
func TestResponseMsFits(t *testing.T) {
	for _, c := range []struct {
		nanos, count uint64
		want         string
	}{{0, 0, "-"}, {270_000, 1, "0.27"}, {125_000_000, 10, "12.50"}, {123_456_000, 1, "123.5"}, {1_234_560_000, 1, "1235"}, {99_999_000_000, 1, "99999"}} {
		if got := ResponseMs(c.nanos, c.count); got != c.want || len(got) > respWidth {
			t.Errorf("ResponseMs(%d, %d) = %q, want %q within %d cells", c.nanos, c.count, got, c.want, respWidth)
		}
	}
}

// Grouping by directory keeps the block-layer figures: the disk rate and
// the requests' times are summed, so the columns stay (they were lost).
func TestGroupFileRowsKeepsDiskFigures(t *testing.T) {
	rows := fileRows()[:2]
	for i := range rows {
		rows[i].DiskKnown = true
		rows[i].DiskRate = 1 << 20
		rows[i].DiskIONanos, rows[i].DiskIOCount = uint64(i+1)*1e6, 1
	}
	g := GroupFileRows(rows)
	if len(g) != 1 {
		t.Fatalf("%d groups, want 1", len(g))
	}
	if !g[0].DiskKnown || g[0].DiskRate != 2<<20 || g[0].DiskIONanos != 3e6 || g[0].DiskIOCount != 2 {
		t.Errorf("group %+v: want DiskKnown, 2 MiB/s, 3 ms over 2 requests", g[0])
	}
	out := ansi.Strip(FileTable(FileTableData{Rows: g}, 200, 4, NewTheme(true)))
	if !strings.Contains(out, "Disk/s") || !strings.Contains(out, "1.50") {
		t.Errorf("grouped table lacks Disk/s or the mean 1.50 ms:\n%s", out)
	}
}

// With priorities read (live), the Files table ends with an "I/O pri"
// column, "-" for a process whose priority could not be read; it is the
// first column to go when the path needs the room (at 80 columns).
func TestFileTablePriorityColumn(t *testing.T) {
	th := NewTheme(true)
	rows := fileRows()
	if h := ansi.Strip(FileTable(FileTableData{Rows: rows}, 200, 8, th)); strings.Contains(h, "I/O pri") {
		t.Errorf("a table without priorities has an I/O pri column:\n%s", h)
	}
	for i := range rows {
		rows[i].PriorityKnown = true
	}
	rows[0].IOPriority = "idle"
	lines := strings.Split(ansi.Strip(FileTable(FileTableData{Rows: rows}, 200, 8, th)), "\n")
	if !strings.HasSuffix(strings.TrimRight(lines[0], " "), "I/O pri") {
		t.Fatalf("at 200 columns the titles %q do not end with I/O pri", lines[0])
	}
	if f := strings.Fields(lines[1]); f[len(f)-1] != "idle" {
		t.Errorf("the first row %q does not end with its priority idle", lines[1])
	}
	if f := strings.Fields(lines[2]); f[len(f)-1] != "-" {
		t.Errorf("the second row %q does not end with - (priority not read)", lines[2])
	}
	// Narrowing the table: the first title to go is I/O pri, with Read/s
	// still there.
	for w := 200; w > 40; w-- {
		h := strings.Split(ansi.Strip(FileTable(FileTableData{Rows: rows}, w, 8, th)), "\n")[0]
		if !strings.Contains(h, "I/O pri") {
			if !strings.Contains(h, "Read/s") || !strings.Contains(h, "Total/s") {
				t.Errorf("at %d columns I/O pri went with Read/s or Total/s: %q", w, h)
			}
			return
		}
	}
	t.Errorf("I/O pri never dropped down to 40 columns")
}
