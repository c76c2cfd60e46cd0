package views

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// testSteps is a plan's worth of steps: a pass, a failure with long
// evidence and fixes, a running step and one not run yet.
func testSteps() []StepView {
	return []StepView{
		{ID: "tcp", Title: "TCP reach", About: "Connects to the listener port.", Result: probes.Result{Status: probes.StatusPass, Summary: "Port 80 accepts connections."}},
		{ID: "proxy-large-upload", Title: "Proxy large upload", About: "Sends a POST announcing a ~500 GB body through the proxy, headers only.",
			Result: probes.Result{Status: probes.StatusFail, Summary: "The proxy refuses large uploads: 413 Payload Too Large.",
				Evidence: []string{"large   POST Content-Length 536870912000 (500 GiB, headers only): HTTP/1.1 413 Payload Too Large (Server: squid/5.7) in 6.9 ms"},
				Reason:   "Proxies such as Forefront TMG terminate uploads over 4 GB.", Codes: []string{"0x00002EE2"},
				Fixes: []probes.Fix{
					{Text: "Bypass the proxy.", Command: "Enable-VMReplication -VMName SQL01 -ReplicaServerName replica1.contoso.com -ReplicaServerPort 80 -AuthenticationType Kerberos -BypassProxyServer $true", Where: "primary"},
					{Text: "Let the proxy pass large uploads.", Where: "proxy"},
				}}},
		{ID: "spn", Title: "Replica SPNs (Kerberos)", Result: probes.Result{Status: probes.StatusRunning}},
		{ID: "clock-skew", Title: "Clock skew", Result: probes.Result{Status: probes.StatusPending}},
	}
}

func TestWizardViewsFitTheirBox(t *testing.T) {
	steps := testSteps()
	for name, th := range themes() {
		for w := 1; w <= 200; w += 7 {
			for _, h := range []int{1, 2, 3, 5, 9, 20, 46} {
				for sel := range steps {
					out := Wizard(WizardData{Target: "replica1.contoso.com:80, kerberos, via proxy proxy:3128", Steps: steps, Selected: sel,
						Spinner: "|", Fix: 1, CardOffset: 3, Focused: true}, w, h, th)
					checkBlock(t, name+" wizard", out, w, h)
					if n := len(strings.Split(out, "\n")); n != h {
						t.Fatalf("wizard at %dx%d: %d lines", w, h, n)
					}
				}
				f := Form(FormData{Fields: []FormField{{Label: "Replica server", Flag: "--replica", Input: "replica1", Hint: "the FQDN", Focused: true}},
					Err: "--port 70000: must be between 1 and 65535", Editing: true}, w, h, th)
				checkBlock(t, name+" form", f, w, h)
				v := VMChoice([]string{"SQL01 -> replica1.contoso.com:80 (Kerberos, Primary, Replicating, Normal)", "FILE01 -> r2:443"}, 1, w, h, th)
				checkBlock(t, name+" vm choice", v, w, h)
			}
			line, spans := Tabs([]TabView{{Key: "1", Title: "Processes", Active: true}, {Key: "2", Title: "Wizard", Shown: true}, {Key: "3", Title: "Report"}},
				"report saved: ./hvrdoctor-incident-vm-20261124-143005.md", w, th)
			checkBlock(t, name+" tabs", line, w, 1)
			for _, s := range spans {
				if s.X1 > w {
					t.Fatalf("tab span %v past %d", s, w)
				}
			}
		}
	}
}

// The card shows a failure's evidence, reason, codes and every fix, each
// command on one line (never wrapped), and where each fix starts.
func TestWizardCardShowsEverythingOfAFailure(t *testing.T) {
	th := NewTheme(false)
	lines, fixAt := WizardCard(WizardData{Steps: testSteps(), Selected: 1, Fix: 0}, 60, th)
	text := ansi.Strip(strings.Join(lines, "\n"))
	for _, want := range []string{"Proxy large upload  FAIL", "Evidence", "413 Payload Too Large", "Why", "Forefront TMG",
		"Codes: 0x00002EE2 (hvrdoctor explain 0x00002EE2)", "> 1. [on primary] Bypass the proxy.", "2. [on proxy] Let the proxy",
		"       Enable-VMReplication -VMName SQL01 -Replica", "←→ scroll"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	if len(fixAt) != 2 || !strings.Contains(ansi.Strip(lines[fixAt[1]]), "2. [on proxy]") {
		t.Errorf("fix lines %v", fixAt)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 60 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
	// A step not run yet says what it checks first.
	lines, _ = WizardCard(WizardData{Steps: testSteps(), Selected: 3}, 60, th)
	if !strings.Contains(ansi.Strip(lines[1]), "Not run yet") {
		t.Errorf("pending card: %q", lines)
	}
}

func TestWrapTextKeepsEveryCharacter(t *testing.T) {
	in := "Enable-VMReplication -VMName SQL01 -ReplicaServerName a-very-long-replica-server-name.contoso.example.com -BypassProxyServer $true"
	for w := 1; w <= 40; w++ {
		lines := wrapText(in, w)
		for _, l := range lines {
			if Width(l) > w {
				t.Fatalf("w=%d: line %q too wide", w, l)
			}
		}
		if got := strings.ReplaceAll(strings.Join(lines, ""), " ", ""); got != strings.ReplaceAll(in, " ", "") {
			t.Fatalf("w=%d: lost characters: %q", w, got)
		}
	}
}

// Without a wizard run or per-file data the report says so; with spikes
// and files it lists them.
func TestIncidentMarkdownSections(t *testing.T) {
	at := time.Date(2026, 11, 24, 4, 59, 0, 0, time.UTC)
	empty := IncidentMarkdown(IncidentData{Host: "sql-vm", Tool: "hvrdoctor test", Time: at})
	for _, want := range []string{"# Hyper-V Replica incident report: sql-vm", "The wizard was not run in this session",
		"No samples yet: the minute pivot, spikes and replication impact start with the first interval."} {
		if !strings.Contains(empty, want) {
			t.Errorf("empty report lacks %q:\n%s", want, empty)
		}
	}
	d := IncidentData{Host: "sql-vm", Tool: "hvrdoctor test", Time: at, Start: at.Add(-10 * time.Minute), Interval: time.Second,
		Analysis: analysis.Report{Samples: 600, Minutes: 10, TotalSource: "disk writes", TotalBytes: 40 << 30, SpikeFactor: 10,
			Processes: []analysis.ProcessStat{{Name: "sqlservr.exe", PID: 4242, Class: sampler.ClassWorkload, Pattern: analysis.PatternPersistent, WriteBytes: 30 << 30, Share: 0.75, PeakLabel: "04:57", PeakBytes: 20 << 30}},
			Spikes: []analysis.MinuteStat{{Label: "04:57", Bytes: 20 << 30, Factor: 31.5,
				Culprits: []analysis.Culprit{{Name: "sqlservr.exe", PID: 4242, Class: sampler.ClassWorkload, Bytes: 19 << 30}}}},
			Impact: []analysis.Impact{{Interval: 30 * time.Second, PeakBytes: 10 << 30, TypicalBytes: 1 << 20, PeakRate: 350e6, TypicalRate: 35e3}}},
		Files: []FileRow{{Path: `D:\SQLData\tempdb.mdf`, Process: "sqlservr.exe", PID: 4242, Class: sampler.ClassWorkload, Bytes: 18 << 30}},
	}
	full := IncidentMarkdown(d)
	for _, want := range []string{"- Session: since 04:49:00 (10m0s), sampling every 1s", "| sqlservr.exe | 4242 | workload | persistent |",
		`| D:\\SQLData\\tempdb.mdf |`, "| 04:57 | 31.5x |", "sqlservr.exe (PID 4242, workload", "| 30 s |"} {
		if !strings.Contains(full, want) {
			t.Errorf("report lacks %q:\n%s", want, full)
		}
	}
}

// A fix command is never broken across lines, at any width: it is on one
// line, whole when it fits, else scrolled sideways (CmdOffset), and
// scrolling to WizardCmdScroll shows its end on that same line. Before,
// the card wrapped it at spaces ("-BypassProxyServer" / "$true" on the
// next line), which an RDP console copies as two commands.
func TestWizardCardNeverWrapsACommand(t *testing.T) {
	cmd := testSteps()[1].Result.Fixes[0].Command
	words := strings.Fields(cmd)
	for name, th := range themes() {
		for w := 20; w <= 200; w++ {
			d := WizardData{Steps: testSteps(), Selected: 1, Fix: -1}
			for _, off := range []int{0, 17, WizardCmdScroll(d, w, th)} {
				d.CmdOffset = off
				lines, _ := WizardCard(d, w, th)
				var cmdLines []string
				for _, l := range lines {
					l = ansi.Strip(l)
					if ansi.StringWidth(l) > w {
						t.Fatalf("%s w=%d: line %q is wider than %d", name, w, l, w)
					}
					for _, word := range words[1:] {
						if strings.Contains(l, word) && !strings.Contains(l, "[on ") {
							cmdLines = append(cmdLines, l)
							break
						}
					}
				}
				if len(cmdLines) > 1 {
					t.Fatalf("%s w=%d off=%d: the command spans %d lines:\n%s", name, w, off, len(cmdLines), strings.Join(cmdLines, "\n"))
				}
				if w >= len(cmd)+7 && (len(cmdLines) != 1 || !strings.Contains(cmdLines[0], cmd)) {
					t.Fatalf("%s w=%d: the command fits and must be whole: %q", name, w, cmdLines)
				}
				if off > 0 && off == WizardCmdScroll(d, w, th) && w > 30 && !strings.HasSuffix(strings.TrimSpace(cmdLines[0]), "BypassProxyServer $true") {
					t.Fatalf("%s w=%d: scrolled to the end, the line shows %q", name, w, cmdLines[0])
				}
			}
		}
	}
}

func TestCommandLineScrollsWithinItsWidth(t *testing.T) {
	th := NewTheme(true)
	cmd := "netsh winhttp set proxy proxy-server=127.0.0.1:3128"
	if got := ansi.Strip(CommandLine(cmd, 0, 20, th)); got != "netsh winhttp set p~" {
		t.Errorf("start: %q", got)
	}
	if got := ansi.Strip(CommandLine(cmd, 10, 20, th)); got != "~ttp set proxy prox~" {
		t.Errorf("middle: %q", got)
	}
	if got := ansi.Strip(CommandLine(cmd, 1000, 20, th)); got != "~-server=127.0.0.1:3128"[len("~-server=127.0.0.1:3128")-20:] && !strings.HasSuffix(got, "127.0.0.1:3128") {
		t.Errorf("end: %q", got)
	}
	if got := ansi.Strip(CommandLine(cmd, 5, 60, th)); got != cmd {
		t.Errorf("a command that fits is whole: %q", got)
	}
}
