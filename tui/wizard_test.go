package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// shiftHeadings moves every Markdown heading one level down.
func shiftHeadings(md string) string {
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "#") {
			lines[i] = "#" + l
		}
	}
	return strings.Join(lines, "\n")
}

const uploadFix2 = "Set-VMReplication -VMName SQL01 -BypassProxyServer $true"

// The "done when" on an 80x24 console, with the keys on screen
// only: the top writer is on the first tab; 2 opens the wizard's form;
// filling it and enter runs the checks; the failing step's card opens by
// itself with the cause; f and c copy a fix; r saves the report.
func TestWizardAt80x24FormToFixToReport(t *testing.T) {
	m := newWizardModel(t, 80, 24, TargetFields{})
	start(m)
	step(m, 3)
	scr := strings.Join(screen(m), "\n")
	for _, want := range []string{"sqlservr.exe", "[1 Processes]", "2 Wizard", "3 Report", "? help  q quit"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("first screen lacks %q:\n%s", want, scr)
		}
	}

	pressAll(m, "2")
	scr = strings.Join(screen(m), "\n")
	if !strings.Contains(scr, "[2 Wizard]") || !strings.Contains(scr, "> Replica server") || !strings.Contains(scr, "(same as --replica)") {
		t.Fatalf("2 should open the wizard's form with the replica field focused:\n%s", scr)
	}
	typeText(m, "127.0.0.1")
	pressAll(m, "tab")
	typeText(m, "43713")
	pressAll(m, "tab", "tab")
	typeText(m, "http://127.0.0.1:41285")
	pressAll(m, "enter")
	checkFits(t, m, 80, 24)
	lines := screen(m)
	scr = strings.Join(lines, "\n")
	for _, want := range []string{"Wizard 127.0.0.1:43713, kerberos, via proxy 127.0.0.1:41285", "✗ Proxy large upload",
		"Proxy large upload  FAIL", "The proxy refuses large uploads", "checks done: 1 failed"} {
		if !strings.Contains(scr, want) {
			t.Errorf("after the run the screen lacks %q:\n%s", want, scr)
		}
	}
	if sel := lines[rowOf(lines, ">")]; !strings.Contains(sel, "Proxy large upload") {
		t.Errorf("the first failure should be selected: %q", sel)
	}

	// No fix is selected before the first f; the first f selects fix 1
	// (it used to skip to fix 2), the second fix 2.
	if strings.Contains(strings.Join(screen(m), "\n"), "> 1.") {
		t.Errorf("no fix should be selected before f")
	}
	pressAll(m, "f")
	scr = strings.Join(screen(m), "\n")
	if !strings.Contains(scr, "> 1. [on primary] New replication") {
		t.Fatalf("the first f should select fix 1:\n%s", scr)
	}
	pressAll(m, "f")
	scr = strings.Join(screen(m), "\n")
	if !strings.Contains(scr, "> 2. [on primary] Existing replication") || !strings.Contains(scr, uploadFix2) {
		t.Fatalf("the second f should select fix 2 and scroll it into view:\n%s", scr)
	}
	m.wizard.clip = nil // OSC 52, as everywhere but Windows
	_, cmd := m.Update(keyMsg("c"))
	if cmd == nil {
		t.Fatal("c returned no clipboard command")
	}
	if got := m.Copied(); len(got) != 1 || got[0] != uploadFix2 {
		t.Errorf("copied %q, want the fix command", got)
	}
	// OSC 52 gets no answer: the message says how it was sent and that
	// the terminal may ignore it, never that it was copied.
	scr = strings.Join(screen(m), "\n")
	if !strings.Contains(scr, "fix 2 sent to the terminal's clipboard (OSC 52); your terminal may ignore it") || strings.Contains(scr, "copied fix") {
		t.Errorf("the copy message should name OSC 52 without claiming success:\n%s", scr)
	}

	pressAll(m, "r")
	scr = strings.Join(screen(m), "\n")
	if !strings.Contains(scr, "report saved: ") {
		t.Fatalf("r should say where the report went:\n%s", scr)
	}
	path := filepath.Join(m.report.dir, "hvrdoctor-incident-lab-vm-20261124-143005.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("report file: %v", err)
	}
	rep := string(data)
	for _, want := range []string{
		"# Hyper-V Replica incident report: lab-vm", "- Written: 2026-11-24 14:30:05 UTC",
		"- 127.0.0.1 port 43713, kerberos authentication: **FAIL**",
		"## Hyper-V Replica check: 127.0.0.1 port 43713 (kerberos)", "### FAIL: Proxy large upload",
		"413 Payload Too Large (Server: squid/5.7)", "**Why:** With Kerberos", "   " + uploadFix2,
		"### Top writing processes", "| sqlservr.exe | 4242 | workload |", "| VeeamAgent.exe | 3100 | third-party |",
		"### Top files", "Per-file data was not collected in this session.",
		"### Spikes", "### Replication impact", "30 s",
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The same renderer as check --format markdown, one level down.
	if check := shiftHeadings(views.FindingsMarkdown(m.wizard.reports[0])); !strings.Contains(rep, check) {
		t.Errorf("the report's findings differ from check's Markdown:\n%s", check)
	}
	if strings.Contains(rep, "\x1b[") {
		t.Errorf("the report must carry no escape sequences")
	}

	// A second save in the same second gets its own file.
	pressAll(m, "r")
	if _, err := os.Stat(strings.TrimSuffix(path, ".md") + "-2.md"); err != nil {
		t.Errorf("second report: %v", err)
	}
}

// Bad input in the form is a one-line error naming the field's flag; the
// form keeps the keyboard and esc leaves it.
func TestWizardFormRejectsBadInput(t *testing.T) {
	cases := []struct {
		field      int
		text, want string
	}{
		{0, "http://replica/", "--replica"},
		{1, "70000", "--port"},
		{3, "ftp//:garbage::", "--proxy"},
		{5, `a"b`, "--vm"},
		{6, "bad host", "--kdc"},
		{7, "a b", "--realm"},
		{9, "/nonexistent/k.keytab", "--keytab"},
		{11, "http://dc1", "--ldap"},
	}
	for _, c := range cases {
		m := newWizardModel(t, 80, 24, TargetFields{Replica: ""})
		start(m)
		pressAll(m, "2")
		if c.field > 0 {
			typeText(m, "replica1")
		}
		for i := 0; i < c.field; i++ {
			pressAll(m, "tab")
		}
		typeText(m, c.text)
		pressAll(m, "enter")
		scr := strings.Join(screen(m), "\n")
		if !strings.Contains(scr, c.want) || m.wizard.target != nil || m.wizard.mode != modeEditing {
			t.Errorf("%s %q: want an error naming %s and the form still open:\n%s", c.want, c.text, c.want, scr)
		}
		checkFits(t, m, 80, 24)
		pressAll(m, "esc")
		if m.wizard.capturing() {
			t.Errorf("esc should leave the form")
		}
		pressAll(m, "1")
		if m.active != 0 {
			t.Errorf("1 should go back to the processes once the form is left")
		}
	}
}

// enter reruns one step, a all of them; a rerun of one step leaves the
// others' results alone.
func TestWizardRerunOneAndAll(t *testing.T) {
	m := newWizardModel(t, 160, 48, TargetFields{Replica: "127.0.0.1", Port: "43713"})
	runAll(m, m.Init())
	if m.wizard.running || len(m.wizard.reports) != 1 {
		t.Fatalf("the run at start should be done: running %v, reports %d", m.wizard.running, len(m.wizard.reports))
	}
	pressAll(m, "tab") // to the wizard on the right
	pressAll(m, "home")
	m.wizard.steps[1].Result.Summary = "stale"
	m.wizard.steps[2].Result.Summary = "stale too"
	pressAll(m, "j", "enter")
	if got := m.wizard.steps[1].Result.Summary; got == "stale" {
		t.Errorf("enter should rerun the selected step")
	}
	if got := m.wizard.steps[2].Result.Summary; got != "stale too" {
		t.Errorf("enter should rerun only the selected step, step 3 says %q", got)
	}
	pressAll(m, "a")
	if got := m.wizard.steps[2].Result.Summary; got == "stale too" {
		t.Errorf("a should rerun every step")
	}
}

// From 140 columns both halves are on screen: the sampler on the left,
// the wizard on the right; tab moves the keyboard between them and the tab
// bar shows which half has it.
func TestWideScreenShowsBothHalves(t *testing.T) {
	m := newWizardModel(t, 200, 50, TargetFields{Replica: "127.0.0.1", Port: "43713"})
	runAll(m, m.Init())
	step(m, 3)
	checkFits(t, m, 200, 50)
	lines := screen(m)
	top := firstRow(t, lines)
	if !strings.Contains(top, "sqlservr.exe") || !strings.Contains(top, "Proxy large upload") && !strings.Contains(strings.Join(lines, "\n"), "✗ Proxy large upload") {
		t.Errorf("both halves expected:\n%s", strings.Join(lines, "\n"))
	}
	if !strings.Contains(lines[2], "[1 Processes]") || !strings.Contains(lines[2], "(2 Wizard)") {
		t.Errorf("tab bar: %q", lines[2])
	}
	pressAll(m, "tab")
	if l := screen(m)[2]; !strings.Contains(l, "(1 Processes)") || !strings.Contains(l, "[2 Wizard]") {
		t.Errorf("after tab: %q", l)
	}
	pressAll(m, "j")
	if m.wizard.sel != 5 || m.sampler.sel != 0 {
		t.Errorf("j moved the wrong half: wizard %d sampler %d", m.wizard.sel, m.sampler.sel)
	}
}

// Clicks on a tab, a step row and a process row select them.
func TestMouseClicksSelectTabsAndRows(t *testing.T) {
	m := newWizardModel(t, 80, 24, TargetFields{Replica: "127.0.0.1", Port: "43713"})
	runAll(m, m.Init())
	step(m, 3)
	click := func(x, y int) {
		_, cmd := m.Update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
		runAll(m, cmd)
	}
	lines := screen(m)
	click(strings.Index(lines[2], "2 Wizard")+1, 2)
	if m.active != 1 {
		t.Fatalf("click on the Wizard tab: active %d", m.active)
	}
	lines = screen(m)
	y := rowOf(lines, "Clock skew")
	click(5, y)
	if m.wizard.steps[m.wizard.sel].ID != "clock-skew" {
		t.Errorf("click on the clock skew row selected %s", m.wizard.steps[m.wizard.sel].ID)
	}
	click(strings.Index(lines[2], "1 Processes")+1, 2)
	lines = screen(m)
	y = rowOf(lines, "MsMpEng.exe")
	click(3, y)
	if m.sampler.rows[m.sampler.sel].Name != "MsMpEng.exe" {
		t.Errorf("click on MsMpEng.exe selected %s", m.sampler.rows[m.sampler.sel].Name)
	}
}

// Several VMs replicate from the host: the wizard asks which one, and the
// choice fills the form.
func TestWizardPicksAVMFromGetVMReplication(t *testing.T) {
	m := newWizardModel(t, 80, 24, TargetFields{})
	vms, err := ParseVMReplicationJSON([]byte(fixtureTwoVMs))
	if err != nil {
		t.Fatal(err)
	}
	m.Update(vmsMsg{vms: vms})
	pressAll(m, "2")
	scr := strings.Join(screen(m), "\n")
	if !strings.Contains(scr, "which VM's replication to check?") || !strings.Contains(scr, "SQL01 -> replica1.contoso.com:80") {
		t.Fatalf("VM choice expected:\n%s", scr)
	}
	pressAll(m, "j", "enter")
	f := m.wizard.form.values()
	if f.Replica != "replica2.contoso.com" || f.Port != "443" || f.Auth != "certificate" || f.VM != "FILE01" {
		t.Errorf("form from the second VM: %+v", f)
	}
}

// The wizard goldens pin the screen with the recorded run, at 80x24 on
// the wizard tab (card of the failing step) and at 160x48 with both
// halves, in 16 colours and without colour.
func TestWizardGolden(t *testing.T) {
	for _, c := range []struct {
		name    string
		w, h    int
		keys    []string
		profile colorprofile.Profile
	}{
		{"80x24_wizard_ansi16", 80, 24, []string{"2"}, colorprofile.ANSI},
		{"80x24_wizard_no_color", 80, 24, []string{"2", "f"}, colorprofile.ASCII},
		{"80x24_report_ansi16", 80, 24, []string{"3"}, colorprofile.ANSI},
		{"160x48_split_ansi16", 160, 48, []string{"tab"}, colorprofile.ANSI},
		{"160x48_split_no_color", 160, 48, nil, colorprofile.ASCII},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newWizardModel(t, c.w, c.h, TargetFields{Replica: "127.0.0.1", Port: "43713", Proxy: "http://127.0.0.1:41285"})
			runAll(m, m.Init())
			step(m, 5)
			m.ctx.setStatus("", 0)
			m.report.dir = "/srv/incidents" // a temporary directory's name would change every run
			pressAll(m, c.keys...)
			checkFits(t, m, c.w, c.h)
			golden.RequireEqual(t, render(t, m, c.profile))
		})
	}
}

// Resizes in a row, down to 20x5, with the wizard's card open, never
// panic and end on a correct screen.
func TestWizardResizeStorm(t *testing.T) {
	m := newWizardModel(t, 80, 24, TargetFields{Replica: "127.0.0.1", Port: "43713"})
	runAll(m, m.Init())
	pressAll(m, "2", "f", "f", "pgdown")
	sizes := [][2]int{{200, 50}, {139, 40}, {140, 40}, {20, 5}, {59, 20}, {60, 20}, {1, 1}, {0, 0}, {300, 60}, {61, 21}}
	for w := 220; w >= 20; w -= 13 {
		sizes = append(sizes, [2]int{w, max(5, w/5)})
	}
	sizes = append(sizes, [2]int{20, 5}, [2]int{200, 50})
	for _, s := range sizes {
		m.Update(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		checkFits(t, m, s[0], s[1])
		step(m, 1)
	}
	scr := strings.Join(screen(m), "\n")
	for _, want := range []string{"sqlservr.exe", "✗ Proxy large upload", "Fixes", "[2 Wizard]", "? help  q quit"} {
		if !strings.Contains(scr, want) {
			t.Errorf("after the storm at 200x50 the screen lacks %q:\n%s", want, scr)
		}
	}
}

// With --ascii every wizard page is 7-bit: form, steps with their icons
// and the spinner, card, report tab, and both halves at 160 columns.
func TestWizardASCIIModeDrawsOnly7Bit(t *testing.T) {
	e := sceneEngine(t, 12)
	m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm", ASCII: true, Mode: views.ASCII, ReportDir: testutil.TempDir(t),
		Clock: fixedClock{sceneStart}, Wizard: WizardOptions{Plan: recordedPlan,
			ReadVMs: func(context.Context) ([]VMReplication, error) { return nil, nil }}})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(m)
	step(m, 3)
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
	check("form")
	typeText(m, "127.0.0.1")
	// Mid-run: the steps are running and the spinner turns.
	_, cmd := m.Update(keyMsg("enter"))
	_, cmd = m.Update(cmd()) // the form's validation, from the background
	for _, i := range []int{0, 1} {
		m.wizard.steps[i].Result.Status = probes.StatusRunning
	}
	check("running")
	runAll(m, cmd)
	check("card")
	pressAll(m, "f", "pgdown", "?")
	check("help")
	pressAll(m, "esc", "3")
	check("report")
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	check("both halves")
}

// topFilesList is a TopFiles provider over a fixed list, standing in for
// the per-file sampler (sampler/fileio), which has its own tests.
type topFilesList []views.FileRow

func (l topFilesList) TopFiles(n int) []views.FileRow { return l[:min(n, len(l))] }

// With a per-file provider the report lists the top files; with one that
// has none it says no file writes were recorded.
func TestReportTopFilesFromTheProvider(t *testing.T) {
	for _, c := range []struct {
		files topFilesList
		want  string
	}{
		{topFilesList{{Path: `D:\SQLData\tempdb.mdf`, Process: "sqlservr.exe", PID: 4242, Class: "workload", Bytes: 3 << 30}},
			`| D:\\SQLData\\tempdb.mdf | 3.0 GiB | sqlservr.exe (PID 4242) | workload |`},
		{topFilesList{}, "No file writes were recorded in this session."},
	} {
		m := newWizardModel(t, 80, 24, TargetFields{})
		m.files = c.files
		start(m)
		step(m, 2)
		if got := views.IncidentMarkdown(m.incident()); !strings.Contains(got, c.want) {
			t.Errorf("report lacks %q:\n%s", c.want, got)
		}
	}
}
