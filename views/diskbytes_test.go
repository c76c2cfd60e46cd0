package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// With block-layer disk bytes the Files table has a Disk/s column beside
// Write/s (page-cache bytes), showing each file's disk rate; without them
// it has none.
func TestFileTableDiskColumn(t *testing.T) {
	th := NewTheme(true)
	rows := fileRows()
	if h := ansi.Strip(FileTable(FileTableData{Rows: rows}, 100, 8, th)); strings.Contains(h, "Disk/s") {
		t.Errorf("a table without disk bytes has a Disk/s column:\n%s", h)
	}
	for i := range rows {
		rows[i].DiskKnown = true
	}
	rows[0].DiskRate = 3 << 20
	for _, w := range []int{80, 100, 200} {
		out := ansi.Strip(FileTable(FileTableData{Rows: rows}, w, 8, th))
		lines := strings.Split(out, "\n")
		if !strings.Contains(lines[0], "Disk/s") || !strings.Contains(lines[0], "Write/s") {
			t.Errorf("at %d the titles %q lack Disk/s beside Write/s", w, lines[0])
		}
		if !strings.Contains(lines[1], "3.0 MiB/s") || !strings.Contains(lines[1], "40.0 MiB/s") {
			t.Errorf("at %d the first row %q lacks its disk rate 3.0 MiB/s beside 40.0 MiB/s", w, lines[1])
		}
		for i, l := range lines {
			if n := ansi.StringWidth(l); n > w {
				t.Fatalf("at %d line %d is %d wide", w, i, n)
			}
		}
	}
}

// The process page of a block-layer frame shows the dirtied figure and
// flags it when it is more than twice the disk bytes, with the writeback
// share and the mean response time.
func TestDetailShowsDirtiedBesideDiskBytes(t *testing.T) {
	p := sampler.ProcessRates{Key: sampler.ProcKey{PID: 7, Start: 1}, Name: "postgres", DiskBytes: true,
		WriteRate: 20 << 20, DirtiedRate: 200 << 20, WritebackRate: 15 << 20, DiskIONanos: 8e6, DiskIOCount: 4}
	out := ansi.Strip(Detail(DetailData{Process: p, WriteLabel: sampler.DiskWriteLabel}, 120, 20, NewTheme(true)))
	for _, want := range []string{"Dirtied", "200 MiB/s", "10.0x the disk bytes", "writeback share/s 15.0 MiB/s", "2.00 ms", "disk writes (block layer)"} {
		if !strings.Contains(out, want) {
			t.Errorf("process page lacks %q:\n%s", want, out)
		}
	}
}

// The Disk/s column does not take the path's room at 80 columns: Read/s
// and Total/s go first, and a 30-character path shows whole.
func TestFileTableDiskColumnKeepsPathRoom(t *testing.T) {
	rows := fileRows()
	for i := range rows {
		rows[i].DiskKnown = true
	}
	rows[3].Key.Path = "/var/tmp/hvr-disk-12345678.dat"
	out := ansi.Strip(FileTable(FileTableData{Rows: rows}, 80, 10, NewTheme(true)))
	if !strings.Contains(out, "/var/tmp/hvr-disk-12345678.dat") {
		t.Errorf("at 80 columns a 30-character path is shortened beside Disk/s:\n%s", out)
	}
	if head := strings.Split(out, "\n")[0]; !strings.Contains(head, "Disk/s") || strings.Contains(head, "Total/s") {
		t.Errorf("at 80 columns the titles are %q; want Disk/s kept and Total/s gone", head)
	}
}
