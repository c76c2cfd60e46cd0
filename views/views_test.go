package views

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

const (
	kib = 1024.0
	mib = 1024 * kib
)

// testRows is a small process list with a long name and every class.
func testRows() []sampler.ProcessRates {
	return []sampler.ProcessRates{
		{Key: sampler.ProcKey{PID: 4242, Start: 1}, Name: "sqlservr.exe", User: "NT SERVICE\\MSSQLSERVER",
			Cmdline:   `"C:\Program Files\Microsoft SQL Server\sqlservr.exe" -sMSSQLSERVER`,
			Class:     sampler.Classification{Class: sampler.ClassWorkload, Rule: "no rule matched"},
			WriteRate: 48 * mib, ReadRate: 2 * mib, WriteTotal: 9 << 30},
		{Key: sampler.ProcKey{PID: 812, Start: 2}, Name: "MsMpEng.exe",
			Class:     sampler.Classification{Class: sampler.ClassThirdParty, Rule: "MsMpEng*: Defender anti-virus"},
			WriteRate: 3 * mib, ReadRate: 40 * mib, WriteTotal: 1 << 30},
		{Key: sampler.ProcKey{PID: 1, Start: 3}, Name: "svchost.exe",
			Class:     sampler.Classification{Class: sampler.ClassInbox, Rule: "svchost*: Windows service host"},
			WriteRate: 120 * kib, WriteTotal: 77 << 20},
		{Key: sampler.ProcKey{PID: 1234567, Start: 4}, Name: "a-very-long-process-image-name-that-never-ends.exe",
			Class: sampler.Classification{Class: sampler.ClassWorkload}, WriteRate: 0, Exited: true},
	}
}

func testSeries(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i%17) * 300 * kib
	}
	return s
}

// checkBlock fails when any line of out is wider than w or when out has
// more than h lines.
func checkBlock(t *testing.T, what string, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if h >= 0 && len(lines) > h {
		t.Fatalf("%s at %dx%d: %d lines, more than %d", what, w, h, len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%s at %dx%d: line %d is %d cells wide: %q", what, w, h, i, lw, ansi.Strip(l))
		}
	}
}

func themes() map[string]Theme {
	return map[string]Theme{"unicode": NewTheme(false), "ascii": NewTheme(true)}
}

func TestEveryViewFitsItsBox(t *testing.T) {
	rows := testRows()
	series := testSeries(500)
	hist := func(sampler.ProcKey) []float64 { return series }
	for name, th := range themes() {
		for w := 1; w <= 220; w += 3 {
			for _, h := range []int{1, 2, 3, 4, 5, 8, 13, 24, 50} {
				for _, mode := range []GraphMode{Braille, Blocks, ASCII} {
					g := Graph(GraphData{Title: "Total writes (storage-layer writes)", Series: series, Interval: time.Second, Mode: mode}, w, h, th)
					checkBlock(t, name+" graph "+mode.String(), g, w, h)
					if n := len(strings.Split(g, "\n")); n != h {
						t.Fatalf("graph at %dx%d has %d lines, want exactly %d", w, h, n, h)
					}
				}
				tbl := ProcessTable(TableData{Rows: rows, Selected: 1, History: hist}, w, h, th)
				checkBlock(t, name+" table", tbl, w, h)
				d := Detail(DetailData{Process: rows[0], Series: series, Interval: time.Second, WriteLabel: "storage-layer writes"}, w, h, th)
				checkBlock(t, name+" detail", d, w, h)
				hd := Header(HeaderData{Host: "replica-vm-01.lab.test", Interval: time.Second, Hidden: 37, Paused: true,
					Now: time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC), Filter: "sql",
					Info: sampler.SourceInfo{WriteLabel: "storage-layer writes", Note: "per-file bytes need root"}}, w, th)
				checkBlock(t, name+" header", hd, w, 2)
				hd = Header(HeaderData{Host: "h", Interval: time.Second, Err: errors.New("sample: permission denied")}, w, th)
				checkBlock(t, name+" header with error", hd, w, 2)
				hp := Help(HelpData{Sections: []HelpSection{{Title: "Move", Entries: []HelpEntry{{"up/k", "up"}, {"pgdn", "page down"}}},
					{Title: "Sort", Entries: []HelpEntry{{"s", "next sort column"}}}}, WriteLabel: "storage-layer writes"}, 0, w, h, th)
				checkBlock(t, name+" help", hp, w, h)
				checkBlock(t, name+" too small", TooSmall(w, h, th), w, h)
				checkBlock(t, name+" sparkline", Sparkline(series, w, Blocks), w, 1)
			}
		}
	}
}

func TestTableAt80ColumnsShowsEveryColumn(t *testing.T) {
	th := NewTheme(false)
	out := ansi.Strip(ProcessTable(TableData{Rows: testRows(), Selected: 0, Sort: SortWrite, Desc: true,
		History: func(sampler.ProcKey) []float64 { return testSeries(40) }}, 80, 10, th))
	lines := strings.Split(out, "\n")
	for _, title := range []string{"Image", "PID", "Class", "Write/s▼", "Read/s", "Written", "History"} {
		if !strings.Contains(lines[0], title) {
			t.Errorf("header %q lacks %q", lines[0], title)
		}
	}
	if !strings.HasPrefix(lines[1], ">") || !strings.Contains(lines[1], "sqlservr.exe") {
		t.Errorf("selected first row not marked with '>': %q", lines[1])
	}
	for _, want := range []string{"4242", "workload", "48.0 MiB/s", "2.0 MiB/s", "9.0 GiB"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row %q lacks %q", lines[1], want)
		}
	}
	if !strings.Contains(lines[2], "third-party") || !strings.Contains(lines[3], "inbox") {
		t.Errorf("classes missing: %q / %q", lines[2], lines[3])
	}
	if !strings.Contains(lines[4], "…") || !strings.Contains(lines[4], "a-very-long") {
		t.Errorf("long name not cut with an ellipsis: %q", lines[4])
	}
	if len(lines) != 5 {
		t.Errorf("want header and 4 rows, got %d lines", len(lines))
	}
}

func TestTableDropsColumnsByPriority(t *testing.T) {
	th := NewTheme(false)
	head := func(w int) string {
		return strings.Split(ansi.Strip(ProcessTable(TableData{Rows: testRows(), Sort: SortWrite}, w, 3, th)), "\n")[0]
	}
	if h := head(64); strings.Contains(h, "History") || !strings.Contains(h, "Read/s") || !strings.Contains(h, "Write/s") {
		t.Errorf("at 64 columns the sparkline should go first: %q", h)
	}
	if h := head(60); strings.Contains(h, "Read/s") || !strings.Contains(h, "Written") || !strings.Contains(h, "Class") {
		t.Errorf("at 60 columns Read/s should go next: %q", h)
	}
	if h := head(45); strings.Contains(h, "Written") || !strings.Contains(h, "PID") {
		t.Errorf("at 45 columns Written should go next: %q", h)
	}
	if h := head(30); !strings.Contains(h, "Image") || !strings.Contains(h, "Write/s") {
		t.Errorf("at 30 columns Image and Write/s must stay: %q", h)
	}
	// Wide terminals give the sparkline the room.
	wide := ProcessTable(TableData{Rows: testRows(), History: func(sampler.ProcKey) []float64 { return testSeries(200) }}, 200, 3, th)
	row := strings.Split(ansi.Strip(wide), "\n")[1]
	if n := ansi.StringWidth(strings.TrimRight(row, " ")); n < 195 {
		t.Errorf("at 200 columns the row uses only %d cells: %q", n, row)
	}
}

func TestTableScrollsFromOffset(t *testing.T) {
	rows := testRows()
	out := ansi.Strip(ProcessTable(TableData{Rows: rows, Selected: 3, Offset: 2}, 80, 3, NewTheme(false)))
	lines := strings.Split(out, "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "svchost") || !strings.HasPrefix(lines[2], ">") {
		t.Fatalf("offset 2, 2 rows, selected 3: got\n%s", out)
	}
	for _, c := range []struct{ off, sel, rows, total, want int }{
		{0, 0, 10, 100, 0}, {0, 10, 10, 100, 1}, {5, 3, 10, 100, 3}, {95, 99, 10, 100, 90}, {50, 5, 10, 8, 0},
	} {
		if got := ScrollOffset(c.off, c.sel, c.rows, c.total); got != c.want {
			t.Errorf("ScrollOffset(%d,%d,%d,%d) = %d, want %d", c.off, c.sel, c.rows, c.total, got, c.want)
		}
	}
}

func TestSortProcesses(t *testing.T) {
	names := func(rs []sampler.ProcessRates) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Name[:3])
		}
		return strings.Join(s, ",")
	}
	cases := []struct {
		key  SortKey
		desc bool
		want string
	}{
		{SortWrite, true, "sql,MsM,svc,a-v"},
		{SortWrite, false, "a-v,svc,MsM,sql"},
		{SortRead, true, "MsM,sql,svc,a-v"},
		{SortWritten, true, "sql,MsM,svc,a-v"},
		{SortPID, false, "svc,MsM,sql,a-v"},
		{SortName, false, "a-v,MsM,sql,svc"},
		{SortClass, false, "svc,MsM,sql,a-v"}, // inbox, third-party, workload by write rate
	}
	for _, c := range cases {
		rows := testRows()
		SortProcesses(rows, c.key, c.desc)
		if got := names(rows); got != c.want {
			t.Errorf("sort by %s desc=%v: %s, want %s", c.key, c.desc, got, c.want)
		}
	}
	if k := SortClass.Next(); k != SortWrite {
		t.Errorf("Next wraps to %s", k)
	}
	if k := SortWrite.Prev(); k != SortClass {
		t.Errorf("Prev wraps to %s", k)
	}
	if got := FilterProcesses(testRows(), "SQL"); len(got) != 1 || got[0].Key.PID != 4242 {
		t.Errorf("filter SQL: %v", got)
	}
}

func TestGraphScaleAndAxis(t *testing.T) {
	series := make([]float64, 120)
	for i := range series {
		series[i] = 2 * mib
	}
	series[119] = 3.7 * mib
	out := ansi.Strip(Graph(GraphData{Title: "Total writes", Series: series, Interval: time.Second, Mode: Braille}, 80, 8, NewTheme(false)))
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "now 3.7 MiB/s") || !strings.Contains(lines[0], "peak 3.7 MiB/s") {
		t.Errorf("title lacks current and peak: %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], " 5.0 MiB/s┤") {
		t.Errorf("top of scale should be 5.0 MiB/s: %q", lines[1])
	}
	if !strings.HasPrefix(lines[6], "         0┤") {
		t.Errorf("bottom of scale should be 0: %q", lines[6])
	}
	axis := lines[7]
	if !strings.HasSuffix(axis, "now") || !strings.Contains(axis, "-30s") || !strings.Contains(axis, "-1m") {
		t.Errorf("time axis should end with now and count back 2 samples per column with round ticks: %q", axis)
	}
	// 2 MiB/s of 5 fills 40% of 6 rows x 4 dots = 9.6 -> 10 dots: rows 5
	// and 4 full, row 3 half.
	if !strings.Contains(lines[6], "⣿⣿⣿") || !strings.Contains(lines[5], "⣿⣿⣿") || !strings.Contains(lines[4], "⣤⣤⣤") {
		t.Errorf("area fill wrong:\n%s", out)
	}
	if strings.Contains(lines[2], "⣿") {
		t.Errorf("row 2 should be empty at 40%%:\n%s", out)
	}
}

func TestGraphModes(t *testing.T) {
	series := []float64{0, 1 * mib, 2 * mib}
	for _, c := range []struct {
		mode GraphMode
		want string
	}{{Blocks, "▄█"}, {ASCII, ".#"}} {
		out := ansi.Strip(Graph(GraphData{Title: "t", Series: series, Mode: c.mode}, 40, 3, NewTheme(c.mode == ASCII)))
		lines := strings.Split(out, "\n")
		if !strings.HasSuffix(lines[1], c.want) {
			t.Errorf("%s: plot row %q should end with %q", c.mode, lines[1], c.want)
		}
		if c.mode == ASCII {
			for _, r := range out {
				if r > 127 {
					t.Fatalf("ascii graph has %q:\n%s", r, out)
				}
			}
		}
	}
}

func TestSparkline(t *testing.T) {
	if got := Sparkline([]float64{0, 1, 2, 4, 8}, 7, Blocks); got != "   ▁▂▄█" {
		t.Errorf("sparkline = %q", got)
	}
	if got := Sparkline([]float64{0, 0, 0}, 3, Blocks); got != "   " {
		t.Errorf("idle sparkline = %q, want blank", got)
	}
	if got := Sparkline([]float64{1, 2, 3, 4, 5}, 2, ASCII); got != "*#" {
		t.Errorf("ascii sparkline keeps the newest values = %q", got)
	}
}

func TestHeaderSaysWhatIsHidden(t *testing.T) {
	th := NewTheme(false)
	out := ansi.Strip(Header(HeaderData{Host: "vm1", Interval: 250 * time.Millisecond, Hidden: 37, Paused: true,
		Info: sampler.SourceInfo{WriteLabel: "storage-layer writes"}}, 120, th))
	for _, want := range []string{"host vm1", "every 250ms", "storage-layer writes", "PAUSED",
		"37 processes hidden: run as root/Administrator to see them"} {
		if !strings.Contains(out, want) {
			t.Errorf("header lacks %q:\n%s", want, out)
		}
	}
	if got := HiddenText(1); got != "1 process hidden: run as root/Administrator to see them" {
		t.Errorf("singular: %q", got)
	}
	// As root, a process the OS refuses anyway is no reason to tell the
	// user to run as root, nor are all processes visible.
	out = ansi.Strip(Header(HeaderData{Host: "vm1", Interval: time.Second, Unreadable: 1,
		Info: sampler.SourceInfo{Name: "procfs", Privileged: true}}, 120, th))
	if !strings.Contains(out, "1 OS-protected process not shown (unreadable even as root)") ||
		strings.Contains(out, "run as root") || strings.Contains(out, "all processes visible") {
		t.Errorf("header as root with 1 unreadable process:\n%s", out)
	}
	out = ansi.Strip(Header(HeaderData{Host: "vm1", Interval: time.Second,
		Info: sampler.SourceInfo{Name: "procfs", Privileged: true}}, 120, th))
	if !strings.Contains(out, "all processes visible") || strings.Contains(out, "hidden") || strings.Contains(out, "unreadable") {
		t.Errorf("header as root with nothing refused:\n%s", out)
	}
	if got := UnreadableText(2); got != "2 OS-protected processes not shown (unreadable even as root)" {
		t.Errorf("plural unreadable: %q", got)
	}
	for d, want := range map[time.Duration]string{250 * time.Millisecond: "250ms", time.Second: "1s", 30 * time.Second: "30s", time.Minute: "1m"} {
		if got := FormatInterval(d); got != want {
			t.Errorf("FormatInterval(%s) = %q", d, got)
		}
	}
}

func TestDetailShowsClassRuleAndCommand(t *testing.T) {
	p := testRows()[1]
	p.Cmdline = `"C:\ProgramData\Microsoft\Windows Defender\MsMpEng.exe"`
	p.User = "SYSTEM"
	out := ansi.Strip(Detail(DetailData{Process: p, Series: testSeries(30), Interval: time.Second}, 100, 20, NewTheme(false)))
	for _, want := range []string{"MsMpEng.exe", "PID 812", "third-party", "rule: MsMpEng*: Defender anti-virus",
		"SYSTEM", `Windows Defender\MsMpEng.exe`, "3.0 MiB/s", "written 1.0 GiB", "Writes of this process"} {
		if !strings.Contains(out, want) {
			t.Errorf("detail lacks %q:\n%s", want, out)
		}
	}
}

// The process page shows cancelled writes where the source counts them,
// and says when a row's writes are page-cache bytes.
func TestDetailShowsCancelledWritesAndBasis(t *testing.T) {
	p := testRows()[1]
	p.CancelledWriteRate = 4 << 20
	out := ansi.Strip(Detail(DetailData{Process: p, Series: testSeries(30), Interval: time.Second, Cancelled: true}, 100, 20, NewTheme(false)))
	if !strings.Contains(out, "Cancel/s 4.0 MiB/s") || !strings.Contains(out, "not in Write/s") {
		t.Errorf("detail lacks the cancelled writes:\n%s", out)
	}
	out = ansi.Strip(Detail(DetailData{Process: p, Series: testSeries(30), Interval: time.Second}, 100, 20, NewTheme(false)))
	if strings.Contains(out, "Cancel/s") {
		t.Errorf("detail shows cancelled writes for a source without them:\n%s", out)
	}
	p.Merged = true
	out = ansi.Strip(Detail(DetailData{Process: p, Series: testSeries(30), Interval: time.Second}, 100, 20, NewTheme(false)))
	if !strings.Contains(out, "page-cache bytes") {
		t.Errorf("a merged row's page does not say its writes are page-cache bytes:\n%s", out)
	}
	p.Merged, p.ChildrenWriteBytes = false, 2<<20
	out = ansi.Strip(Detail(DetailData{Process: p, Series: testSeries(30), Interval: time.Second}, 100, 20, NewTheme(false)))
	if !strings.Contains(out, "includes 2.0 MiB from exited children") {
		t.Errorf("the page of a parent whose writes include exited children's does not say so:\n%s", out)
	}
	row := ansi.Strip(ProcessTable(TableData{Rows: []sampler.ProcessRates{p}}, 80, 5, NewTheme(false)))
	if !strings.Contains(row, "+children") {
		t.Errorf("the row of a parent whose writes include exited children's has no note:\n%s", row)
	}
}

func TestTooSmallNamesSizes(t *testing.T) {
	out := ansi.Strip(TooSmall(59, 20, NewTheme(false)))
	if !strings.Contains(out, "terminal too small (need 60x20, have 59x20)") {
		t.Errorf("got:\n%s", out)
	}
}

func TestWidthMatchesAnsi(t *testing.T) {
	th := NewTheme(false)
	samples := []string{
		"", "plain", th.Title.Render("styled") + " · " + th.Warn.Render("…"), "⣿⣤ ▁▂█ │┤ ▼▲ ↑↓ •",
		"漢字 wide", "e\u0301 combining", "tab\there", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "😀 emoji",
		th.Selected.Render(">sqlservr.exe   4242 workload"),
	}
	for _, s := range samples {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
}

// After an interval change (+), the plot keeps a linear time axis: each
// column is Interval of wall time, so a minute of 1 s samples takes 12
// columns at 5 s, not 60, and the axis labels sit at their true ages. It
// used to draw one column per sample whatever its interval.
func TestGraphTimeAxisStaysLinearAfterIntervalChange(t *testing.T) {
	end := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	var series []float64
	var times []time.Time
	at := end.Add(-100*time.Second - 59*time.Second)
	for i := 0; i < 60; i++ { // a minute at 1 s, 1 MiB/s
		series, times = append(series, 1*mib), append(times, at)
		at = at.Add(time.Second)
	}
	at = at.Add(4 * time.Second)
	for i := 0; i < 20; i++ { // then 100 s at 5 s, 5 MiB/s
		series, times = append(series, 5*mib), append(times, at)
		at = at.Add(5 * time.Second)
	}
	if !times[len(times)-1].Equal(end) {
		t.Fatalf("test data ends at %s", times[len(times)-1])
	}
	out := ansi.Strip(Graph(GraphData{Title: "t", Series: series, Times: times, Interval: 5 * time.Second, Mode: Blocks}, 80, 3, NewTheme(false)))
	lines := strings.Split(out, "\n")
	row := []rune(lines[1])
	row = row[len(row)-40:]
	want := strings.Repeat(" ", 8) + strings.Repeat("▂", 12) + strings.Repeat("█", 20)
	if string(row) != want {
		t.Errorf("plot's last 40 columns:\n%q\nwant\n%q", string(row), want)
	}
	// Each label ends at the column of its age: 5 s per column.
	axis := []rune(lines[2])
	plotW := 80 - yLabelWidth - 1
	for _, m := range regexp.MustCompile(`-(\d+)(s|m)`).FindAllStringSubmatchIndex(string(axis), -1) {
		label := string(axis)[m[0]:m[1]]
		d, err := time.ParseDuration(strings.TrimPrefix(label, "-"))
		if err != nil {
			t.Fatal(err)
		}
		endCol := len([]rune(string(axis)[:m[1]])) - 1 - (yLabelWidth + 1)
		if wantCol := plotW - 1 - int(d/(5*time.Second)); endCol != wantCol {
			t.Errorf("label %s ends at column %d, want %d: %q", label, endCol, wantCol, lines[2])
		}
	}
}
