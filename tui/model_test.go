package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func TestTopWriterFirstAt80x24(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 4)
	checkFits(t, m, 80, 24)
	lines := screen(m)
	top := firstRow(t, lines)
	for _, want := range []string{">", "sqlservr.exe", "4242", "workload", "50.0 MiB/s", "2.0 MiB/s"} {
		if !strings.Contains(top, want) {
			t.Errorf("top row %q lacks %q", top, want)
		}
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"host lab-vm", "every 1s", "storage-layer writes", "14:30:04",
		"37 processes hidden: run as root/Administrator to see them",
		"Disk writes, all disks", "Write/s▼", "VeeamAgent.exe", "third-party",
		"? help", "q quit",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("screen lacks %q:\n%s", want, all)
		}
	}
	if i, j := rowOf(lines, "sqlservr.exe"), rowOf(lines, "VeeamAgent.exe"); i > j {
		t.Errorf("50 MiB/s writer below the 20 MiB/s one")
	}
}

func TestSortKeysCycleAndReverse(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 2)
	press(m, "s") // read/s
	if top := firstRow(t, screen(m)); !strings.Contains(top, "MsMpEng.exe") {
		t.Errorf("sorted by read/s, the top row should be the 30 MiB/s reader: %q", top)
	}
	if !strings.Contains(strings.Join(screen(m), "\n"), "Read/s▼") {
		t.Errorf("the Read/s title should carry the sort arrow")
	}
	press(m, "S") // lowest read first
	if top := firstRow(t, screen(m)); strings.Contains(top, "MsMpEng.exe") {
		t.Errorf("reversed, the reader should not be on top: %q", top)
	}
	press(m, "<") // back to write/s, highest first
	if top := firstRow(t, screen(m)); !strings.Contains(top, "sqlservr.exe") {
		t.Errorf("back on write/s: %q", top)
	}
	press(m, ">", ">", ">", ">") // written, PID, name
	if top := firstRow(t, screen(m)); !strings.Contains(top, "MsMpEng.exe") {
		t.Errorf("sorted by name A-Z ignoring case, MsMpEng.exe is the first active process: %q", top)
	}
	press(m, "i") // idle ones too
	if top := firstRow(t, screen(m)); !strings.Contains(top, "idle-00.exe") {
		t.Errorf("sorted by name A-Z ignoring case, idle-00.exe comes first: %q", top)
	}
}

func TestFilterByNameAndClear(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 2)
	press(m, "/", "s", "v", "c")
	lines := screen(m)
	if !strings.Contains(lines[len(lines)-1], "/svc") {
		t.Errorf("footer should show the filter being typed: %q", lines[len(lines)-1])
	}
	// Typing goes to the filter, not to the keys: "s" did not sort.
	if top := firstRow(t, lines); !strings.Contains(top, "svchost.exe") {
		t.Errorf("filtered top row: %q", top)
	}
	if rowOf(lines, "sqlservr.exe") >= 0 {
		t.Errorf("sqlservr.exe should be filtered out")
	}
	press(m, "enter") // keep the filter, keys work again
	step(m, 1)
	// The filter shows in the table's title and in the header, even with
	// a status message and the privilege warning on the same line (the
	// header used to cut it off), and on every other tab.
	press(m, "s")
	if lines = screen(m); rowOf(lines, "sqlservr.exe") >= 0 || !strings.Contains(lines[1], `filter processes "svc"`) ||
		rowOf(lines, "Processes · filter svc (esc clears)") < 0 {
		t.Errorf("after enter the filter stays and shows in the header and the title:\n%s", strings.Join(lines, "\n"))
	}
	// (The wizard's empty form takes the keyboard: switch tabs directly.)
	for _, tab := range []int{1, 2, 3, 0} {
		m.setActive(tab)
		if lines = screen(m); !strings.Contains(lines[1], `filter processes "svc"`) {
			t.Errorf("tab %d: the header should show the filter:\n%s", tab+1, strings.Join(lines, "\n"))
		}
	}
	press(m, "esc")
	if lines = screen(m); rowOf(lines, "sqlservr.exe") < 0 {
		t.Errorf("esc should clear the filter")
	}
	press(m, "/", "z", "z", "z")
	if lines = screen(m); rowOf(lines, `no process name contains "zzz"`) < 0 {
		t.Errorf("an empty result should say why:\n%s", strings.Join(lines, "\n"))
	}
	press(m, "esc")
	if m.sampler.filtering || m.sampler.filter.Value() != "" {
		t.Errorf("esc in the input should close and clear it")
	}
}

func TestDetailShowsHistoryClassAndRule(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 3)
	press(m, "down") // VeeamAgent.exe
	_, cmd := m.Update(keyMsg("enter"))
	run(m, cmd)
	checkFits(t, m, 80, 24)
	all := strings.Join(screen(m), "\n")
	for _, want := range []string{"VeeamAgent.exe", "PID 3100", "third-party", "rule: Veeam", `Endpoint Backup\VeeamAgent.exe`,
		"LAB\\svc-sql", "20.0 MiB/s", "Writes of this process", "now 20.0 MiB/s"} {
		if !strings.Contains(all, want) {
			t.Errorf("detail lacks %q:\n%s", want, all)
		}
	}
	step(m, 1) // the detail follows new samples
	if n := len(m.sampler.detailSeries); n != 4 {
		t.Errorf("detail history has %d points after 4 intervals", n)
	}
	press(m, "esc")
	if top := firstRow(t, screen(m)); !strings.Contains(top, "sqlservr.exe") {
		t.Errorf("esc goes back to the table: %q", top)
	}
}

func TestPauseFreezesTheScreenNotTheSampling(t *testing.T) {
	m, e := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 2)
	press(m, "p")
	before := strings.Join(screen(m), "\n")
	if !strings.Contains(before, "PAUSED") {
		t.Fatalf("no PAUSED badge:\n%s", before)
	}
	step(m, 2)
	if got := strings.Join(screen(m), "\n"); got != before {
		t.Errorf("screen changed while paused")
	}
	if n := len(e.TotalSeries()); n != 4 {
		t.Errorf("sampling should go on while paused: %d points", n)
	}
	press(m, "space")
	if got := strings.Join(screen(m), "\n"); !strings.Contains(got, "14:30:04") || strings.Contains(got, "PAUSED") {
		t.Errorf("resume should show the latest sample:\n%s", got)
	}
}

func TestIntervalKeysStepAndTellTheEngine(t *testing.T) {
	m, e := newSceneModel(t, 10, 80, 24, false)
	start(m)
	gen := m.sampling.gen
	_, cmd := m.Update(keyMsg("+"))
	run(m, cmd)
	if m.sampling.interval != 2*time.Second || e.Interval() != 2*time.Second {
		t.Errorf("+ from 1s: screen %s, engine %s; want 2s", m.sampling.interval, e.Interval())
	}
	if m.sampling.gen == gen {
		t.Errorf("a new interval must start a new sampling loop")
	}
	if !strings.Contains(strings.Join(screen(m), "\n"), "every 2s") {
		t.Errorf("header should say every 2s")
	}
	// A tick of the old loop is dropped.
	if _, cmd := m.Update(tickMsg{gen: gen}); cmd != nil {
		t.Errorf("stale tick started a sample")
	}
	for i := 0; i < 5; i++ {
		_, cmd = m.Update(keyMsg("-"))
		run(m, cmd)
	}
	if m.sampling.interval != 250*time.Millisecond {
		t.Errorf("- five times from 2s: %s, want 250ms", m.sampling.interval)
	}
	if !strings.Contains(strings.Join(screen(m), "\n"), "interval stays 250ms") {
		t.Errorf("the bottom of the range should be said:\n%s", strings.Join(screen(m), "\n"))
	}
	for d, want := range map[time.Duration]time.Duration{time.Minute: time.Minute, 3 * time.Second: 5 * time.Second, 400 * time.Millisecond: 500 * time.Millisecond} {
		if got := stepInterval(d, 1); got != want {
			t.Errorf("stepInterval(%s, +1) = %s", d, got)
		}
	}
}

func TestSelectionMovesAndFollowsItsProcess(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 2)
	press(m, "i")      // every process, so there is more than a page
	press(m, "j", "j") // MsMpEng.exe (1 MiB/s)
	if sel := m.sampler.rows[m.sampler.sel].Name; sel != "MsMpEng.exe" {
		t.Fatalf("j j selects %s", sel)
	}
	press(m, "s") // by read/s: MsMpEng.exe moves to the top and stays selected
	if sel := m.sampler.rows[m.sampler.sel].Name; sel != "MsMpEng.exe" || m.sampler.sel != 0 {
		t.Errorf("selection should follow the process: %s at %d", sel, m.sampler.sel)
	}
	press(m, "end")
	if m.sampler.sel != len(m.sampler.rows)-1 {
		t.Errorf("end: %d of %d", m.sampler.sel, len(m.sampler.rows))
	}
	lines := screen(m)
	if rowOf(lines, ">") < 0 {
		t.Errorf("the selected last row must be scrolled into view:\n%s", strings.Join(lines, "\n"))
	}
	checkFits(t, m, 80, 24)
	press(m, "home", "pgdown")
	if m.sampler.sel != m.sampler.tableH-1 {
		t.Errorf("pgdn from the top: row %d, table shows %d", m.sampler.sel, m.sampler.tableH)
	}
}

func TestHelpScreenAndQuit(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	press(m, "?")
	checkFits(t, m, 80, 24)
	// At 80x24 the help is taller than the screen: it says so and scrolls
	// (it used to be cut, the last keys and notes out of reach).
	first := strings.Join(screen(m), "\n")
	if !strings.Contains(first, "help lines 1-") || !strings.Contains(first, "pgup/pgdn scroll") {
		t.Fatalf("the help should say it scrolls:\n%s", first)
	}
	all := first
	for i := 0; i < 10; i++ {
		press(m, "pgdown")
		checkFits(t, m, 80, 24)
		all += "\n" + strings.Join(screen(m), "\n")
	}
	for _, want := range []string{"Move", "Processes", "Wizard", "Screen", "next sort", "filter", "copy its command", "save the report",
		"What the screen shows", "inbox", "also printed when you quit"} {
		if !strings.Contains(all, want) {
			t.Errorf("help lacks %q:\n%s", want, all)
		}
	}
	press(m, "home")
	if got := strings.Join(screen(m), "\n"); got != first {
		t.Errorf("home should go back to the first page:\n%s", got)
	}
	press(m, "down")
	if m.helpOff != 1 {
		t.Errorf("down should scroll one line: offset %d", m.helpOff)
	}
	press(m, "esc")
	if m.showHelp {
		t.Errorf("esc should close the help")
	}
	for _, k := range []string{"q", "ctrl+c"} {
		_, cmd := m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s should quit", k)
		}
	}
}

func TestTooSmallScreenAndResizeStorm(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 3)
	press(m, "end")
	sizes := [][2]int{{200, 50}, {59, 20}, {60, 19}, {20, 5}, {1, 1}, {0, 0}, {300, 10}, {61, 21}, {140, 40}, {60, 20}, {79, 23}, {33, 7}}
	for w := 200; w >= 20; w -= 9 {
		sizes = append(sizes, [2]int{w, max(5, w/4)})
	}
	sizes = append(sizes, [2]int{80, 24})
	for _, s := range sizes {
		m.Update(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		checkFits(t, m, s[0], s[1])
		small := s[0] < 60 || s[1] < 20
		got := strings.Join(screen(m), "\n")
		if small && s[0] >= 45 && !strings.Contains(got, "terminal too small (need 60x20, have") {
			t.Errorf("at %dx%d expected the too-small screen:\n%s", s[0], s[1], got)
		}
		if !small && (!strings.Contains(got, "Disk writes") || !strings.Contains(got, "? help  q quit")) {
			t.Errorf("at %dx%d expected the sampler with ? and q in the footer:\n%s", s[0], s[1], got)
		}
		step(m, 1)
	}
	// The storm ends on a correct 80x24 screen with the selection in view.
	checkFits(t, m, 80, 24)
	if rowOf(screen(m), ">") < 0 {
		t.Errorf("selection lost after the resizes")
	}
	m.Update(tea.WindowSizeMsg{Width: 59, Height: 20})
	if got := strings.Join(screen(m), "\n"); !strings.Contains(got, "terminal too small (need 60x20, have 59x20)") {
		t.Errorf("59x20:\n%s", got)
	}
}

func TestReplayEndKeepsLastFrame(t *testing.T) {
	m, _ := newSceneModel(t, 4, 80, 24, false)
	start(m)
	step(m, 5)
	all := strings.Join(screen(m), "\n")
	if !strings.Contains(all, "end of the recording") || !strings.Contains(all, "sqlservr.exe") {
		t.Errorf("after the last snapshot the screen should keep the data and say so:\n%s", all)
	}
}

func TestBaselineShowsRowsWithPendingRatesAndLongIntervalsStartFast(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	var waited []time.Duration
	m.sampling.tick = func(gen int, iv time.Duration) tea.Cmd {
		waited = append(waited, iv)
		return func() tea.Msg { return tickMsg{gen: gen} }
	}
	m.sampling.interval = 30 * time.Second
	start(m)
	scr := screen(m)
	all := strings.Join(scr, "\n")
	// The first reading already has the processes, their classes and
	// totals: rows at once, every process (which are active is not known
	// yet), by bytes written.
	if !strings.Contains(all, "Processes · all 44 · rates (…) within 200ms; sorted by bytes written until then") {
		t.Errorf("after the baseline the table title should say the rates are pending:\n%s", all)
	}
	top := firstRow(t, scr)
	if f := strings.Fields(strings.TrimPrefix(top, ">")); len(f) < 6 || f[0] != "sqlservr.exe" || f[1] != "4242" ||
		f[2] != "workload" || f[3] != "…" || f[4] != "…" || f[5]+" "+f[6] != "9.0 GiB" {
		t.Errorf("first row after the baseline: %q; want sqlservr.exe with pending rates (…) and its 9.0 GiB written", top)
	}
	// Never a rate of 0 that was not measured: not in the rows, not in
	// the graph's title.
	if !strings.Contains(all, "now …  peak …") {
		t.Errorf("the graph's title should show pending rates:\n%s", all)
	}
	for _, l := range scr {
		if strings.Contains(l, ".exe") && strings.Contains(l, "0 B/s") {
			t.Errorf("a row shows a rate before two readings: %q", l)
		}
	}
	if !strings.Contains(all, "37 processes hidden") {
		t.Errorf("the privilege state is known from the baseline already:\n%s", all)
	}
	step(m, 1)
	all = strings.Join(screen(m), "\n")
	if top := firstRow(t, screen(m)); !strings.Contains(top, "sqlservr.exe") || strings.Contains(top, "…") {
		t.Errorf("first real sample: %q", top)
	}
	if strings.Contains(all, "rates (…)") || !strings.Contains(all, "active only") {
		t.Errorf("after the first real sample the table lists the active processes with their rates:\n%s", all)
	}
	if len(waited) != 2 || waited[0] != 200*time.Millisecond || waited[1] != 30*time.Second {
		t.Errorf("waits %v: want 200ms after the baseline (rates within about 250 ms of start), then the 30s interval", waited)
	}
}

// With --ascii (or a non-UTF-8 locale) every page is 7-bit: list, detail,
// help, filter and the too-small screen.
func TestASCIIModeDrawsOnly7Bit(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, true)
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
	check("list")
	press(m, "enter")
	check("detail")
	press(m, "esc", "?")
	check("help")
	press(m, "esc", "/", "s", "q")
	check("filter")
	press(m, "esc")
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 10})
	check("too small")
}

// The end of a recording stays on the header while the program shows a
// message of its own (a wizard run started late, after the form's
// validation in the background).
func TestEndOfRecordingStaysBesideAMessage(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	m.ctx.status.lasting = "end of the recording"
	m.setStatus("running 7 checks")
	if l := screen(m)[1]; !strings.Contains(l, "end of the recording") || !strings.Contains(l, "running 7 checks") {
		t.Errorf("header line 2: %q", l)
	}
}
