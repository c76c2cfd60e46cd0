package tui

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// screenHas is a teatest condition on the program's output with the
// escape sequences removed.
func screenHas(all ...string) func([]byte) bool {
	var seen bytes.Buffer
	return func(b []byte) bool {
		seen.Write(b)
		s := ansi.Strip(seen.String())
		for _, w := range all {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}
}

func typeKeys(tm *teatest.TestModel, s string) {
	for _, r := range s {
		tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// TestProgramWizardAgainstSquid runs the real program with the real probes
// against squid with the 4 GB request body limit and a loopback origin as
// the replica: the form is filled with keys, the run fails on the large
// upload, a fix is copied and the report is saved with the finding.
func TestProgramWizardAgainstSquid(t *testing.T) {
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	squid := labtest.Squid(t, lab.SquidOptions{RequestBodyMaxSize: "4 GB"})
	port := origin.Addr[strings.LastIndex(origin.Addr, ":")+1:]
	dir := testutil.TempDir(t)

	e := sceneEngine(t, 1000)
	m := New(Options{Sampler: e, Interval: 250 * time.Millisecond, Host: "lab-vm", Mode: views.Braille, ReportDir: dir})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI)))
	wait := func(what string, cond func([]byte) bool) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), cond, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	}
	// A frame with rates, not only the baseline, so the report has a
	// session to show however slowly the machine runs the rest.
	wait("the sampler", screenHas("sqlservr.exe", "50.0 MiB/s"))
	tm.Send(tea.KeyPressMsg{Code: '2', Text: "2"})
	wait("the form", screenHas("Replica server"))
	typeKeys(tm, "127.0.0.1")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	typeKeys(tm, port)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	typeKeys(tm, squid.URL)
	for i := 0; i < 2; i++ { // bypass proxy, VM name
		tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	}
	typeKeys(tm, "SQL01")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("the failure", screenHas("checks", "FAIL", "refuses", "proxy-large-upload"))
	tm.Send(tea.KeyPressMsg{Code: 'f', Text: "f"}) // fix 1
	tm.Send(tea.KeyPressMsg{Code: 'f', Text: "f"}) // fix 2
	tm.Send(tea.KeyPressMsg{Code: 'c', Text: "c"})
	wait("the copy", screenHas("fix 2 sent to the terminal's clipboard (OSC 52)"))
	tm.Send(tea.KeyPressMsg{Code: 'r', Text: "r"})
	// The status line shows the path, cut at 80 columns for a temporary
	// directory's long name: wait for the file itself.
	var files []string
	for end := time.Now().Add(10 * time.Second); len(files) == 0 && time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		files, _ = filepath.Glob(filepath.Join(dir, "hvrdoctor-incident-lab-vm-*.md"))
	}
	wait("the report's status", screenHas("report saved"))
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)

	if got := final.Copied(); len(got) != 1 || got[0] != "Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true" {
		t.Errorf("copied %q", got)
	}
	if len(files) != 1 {
		t.Fatalf("report files: %v", files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	rep := string(data)
	for _, want := range []string{"### FAIL: Proxy large upload", "413 Payload Too Large", "(Server: squid/",
		"-BypassProxyServer $true", "| sqlservr.exe | 4242 | workload |"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
}

// blackhole accepts connections and never answers, like a replica whose
// listener hangs: the listener probe waits for its timeout.
func blackhole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// While a probe hangs on a replica that never answers, the sampler keeps
// sampling and drawing, and q quits at once (the probes are cancelled).
func TestProbesNeverBlockTheScreen(t *testing.T) {
	addr := blackhole(t)
	port := addr[strings.LastIndex(addr, ":")+1:]
	e := sceneEngine(t, 9)
	m := New(Options{Sampler: e, Interval: 250 * time.Millisecond, Host: "lab-vm", Mode: views.Braille, ReportDir: testutil.TempDir(t),
		Wizard: WizardOptions{Fields: TargetFields{Replica: "127.0.0.1", Port: port, Bypass: "yes"}, RunAtStart: true,
			StepTimeout: time.Minute}})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI)))
	// Eight intervals of the replay take two seconds; the listener probe
	// waits five seconds for an answer that never comes.
	teatest.WaitFor(t, tm.Output(), screenHas("end of the recording"),
		teatest.WithDuration(4500*time.Millisecond), teatest.WithCheckInterval(50*time.Millisecond))
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	// The program must end while the probe still hangs (its own timeout
	// is five seconds; FinalModel fails the test if the program does not
	// end).
	final := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(*Model)
	if n := len(e.TotalSeries()); n != 8 {
		t.Errorf("sampled %d intervals while the probe hung, want all 8", n)
	}
	if running := final.wizard.runningTitles(); len(running) == 0 {
		t.Errorf("the listener probe should still have been running when q was pressed")
	}
}
