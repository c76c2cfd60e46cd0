package views

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Rows from the first reading have names, PIDs, classes and totals but no
// rates: every rate cell, the process page and the graph's title say the
// rate is pending, in both glyph sets, and never show a 0 not measured.
func TestPendingRatesAreNeverShownAsZero(t *testing.T) {
	rows := testRows()
	for i := range rows {
		rows[i].WriteRate, rows[i].ReadRate, rows[i].LogicalWriteRate, rows[i].CancelledWriteRate = 0, 0, 0, 0
	}
	for name, th := range themes() {
		mark := th.Glyphs.Pending
		tbl := ansi.Strip(ProcessTable(TableData{Rows: rows, Selected: -1, RatesPending: true}, 80, 8, th))
		for _, l := range strings.Split(tbl, "\n")[1:] {
			if strings.Contains(l, "B/s") || strings.Count(l, mark) < 2 {
				t.Errorf("%s: a row from the first reading shows a rate or lacks the pending mark %q: %q", name, mark, l)
			}
		}
		if !strings.Contains(tbl, "9.0 GiB") {
			t.Errorf("%s: the totals are known from the first reading:\n%s", name, tbl)
		}
		det := ansi.Strip(Detail(DetailData{Process: rows[1], Interval: time.Second, Cancelled: true, RatesPending: true}, 100, 20, th))
		for _, want := range []string{"Write/s  " + mark + "   read/s " + mark, "Cancel/s " + mark, "written 1.0 GiB", "now " + mark + "  peak " + mark} {
			if !strings.Contains(det, want) {
				t.Errorf("%s: the process page from the first reading lacks %q:\n%s", name, want, det)
			}
		}
		if strings.Contains(det, "0 B/s") {
			t.Errorf("%s: the process page shows a rate not measured:\n%s", name, det)
		}
	}
	// Measured rates (also a measured 0) show as rates.
	tbl := ansi.Strip(ProcessTable(TableData{Rows: rows, Selected: -1}, 80, 8, NewTheme(false)))
	if strings.Count(tbl, "0 B/s") != 2*len(rows) {
		t.Errorf("measured zero rates should show as 0 B/s:\n%s", tbl)
	}
}

// Before the rates arrive, a rate sort orders by the matching total.
func TestSortProcessesByTotals(t *testing.T) {
	rows := []sampler.ProcessRates{
		{Key: sampler.ProcKey{PID: 1}, Name: "a", WriteTotal: 10, ReadTotal: 300},
		{Key: sampler.ProcKey{PID: 2}, Name: "b", WriteTotal: 30, ReadTotal: 100},
		{Key: sampler.ProcKey{PID: 3}, Name: "c", WriteTotal: 20, ReadTotal: 200},
	}
	order := func() string {
		var s string
		for _, r := range rows {
			s += r.Name
		}
		return s
	}
	for _, c := range []struct {
		key  SortKey
		desc bool
		want string
	}{{SortWrite, true, "bca"}, {SortRead, true, "acb"}, {SortWrite, false, "acb"}, {SortName, false, "abc"}} {
		SortProcessesByTotals(rows, c.key, c.desc)
		if got := order(); got != c.want {
			t.Errorf("by totals, key %s desc %v: %s, want %s", c.key, c.desc, got, c.want)
		}
	}
}
