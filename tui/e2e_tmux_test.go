package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

// writerRate is what the writer process writes, in bytes per second.
const writerRate = 40 << 20

func TestMain(m *testing.M) { testutil.Main(m, nil) }

// startRateWriter runs the shared rate writer (testutil.RateHelper) under
// the process name churnwriter, writing writerRate bytes per second into
// dir; the test's cleanup stops it.
func startRateWriter(t *testing.T, dir string) *testutil.Child {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	writerBin := filepath.Join(dir, "churnwriter")
	if err := os.Symlink(self, writerBin); err != nil {
		t.Fatal(err)
	}
	return testutil.StartRate(t, writerBin, filepath.Join(dir, "churn.dat"), writerRate)
}

// needIntegration skips the test with why, or fails it when
// HVRDOCTOR_REQUIRE_INTEGRATION=1 (CI) demands every component.
func needIntegration(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("HVRDOCTOR_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("HVRDOCTOR_REQUIRE_INTEGRATION=1 but %s", why)
	}
	t.Skip(why)
}

// tmuxSession is one tmux server on its own socket, killed at cleanup.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func (s tmuxSession) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", s.socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
	return string(out), err
}

func (s tmuxSession) capture() string {
	out, err := s.run("capture-pane", "-p", "-t", "hvr")
	if err != nil {
		s.t.Fatalf("tmux capture-pane: %v: %s", err, out)
	}
	return out
}

func (s tmuxSession) keys(keys ...string) {
	if out, err := s.run(append([]string{"send-keys", "-t", "hvr"}, keys...)...); err != nil {
		s.t.Fatalf("tmux send-keys %v: %v: %s", keys, err, out)
	}
}

// waitScreen polls the pane until ok accepts it, and returns the last
// screen and whether it was accepted.
func (s tmuxSession) waitScreen(d time.Duration, ok func(string) bool) (string, bool) {
	var last string
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if last = s.capture(); ok(last) {
			return last, true
		}
	}
	return last, false
}

// waitQuit waits until the program in the pane has exited and reports
// whether it did. tmux 3.3 sometimes leaves an exited program a zombie
// without marking its pane dead or closing its session, so the pane's
// process is checked directly too: gone or a zombie means it exited.
func (s tmuxSession) waitQuit(d time.Duration) bool {
	pid, _ := s.run("display-message", "-p", "-t", "hvr", "#{pane_pid}")
	pid = strings.TrimSpace(pid)
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if _, err := s.run("has-session", "-t", "hvr"); err != nil {
			return true // the session closed with the program
		}
		if dead, _ := s.run("display-message", "-p", "-t", "hvr", "#{pane_dead}"); strings.TrimSpace(dead) == "1" {
			return true
		}
		if pid != "" {
			stat, err := os.ReadFile("/proc/" + pid + "/stat")
			if err != nil {
				return true
			}
			if i := strings.LastIndexByte(string(stat), ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
				return true
			}
		}
	}
	return false
}

var rateRE = regexp.MustCompile(`([0-9.]+) (B|KiB|MiB|GiB)/s`)

// TestTmuxTopWriter runs the built binary in tmux at 80x24 while a real
// process writes 40 MiB/s with fsync, and reads the screen as a user would:
// the writer is the top row within a few seconds, classed as workload, with
// a write rate near the truth; q quits.
func TestTmuxTopWriter(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the end-to-end test reads storage-layer counters from Linux /proc")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		needIntegration(t, "tmux is not installed: apt-get install tmux (scripts/test.sh installs it)")
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux; skipped with -short")
	}
	dir := testutil.TempDir(t)
	bin := testutil.Binary(t)

	// The writer is this test binary under a name of its own.
	w := startRateWriter(t, dir)

	s := tmuxSession{t: t, socket: fmt.Sprintf("hvrdoctor-test-%d", os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	if out, err := s.run("new-session", "-d", "-s", "hvr", "-x", "80", "-y", "24",
		"env", "LANG=C.UTF-8", "TERM=xterm-256color", bin, "--interval", "1s"); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}

	started := time.Now()
	pid := strconv.Itoa(w.PID())
	var top string
	screen, ok := s.waitScreen(8*time.Second, func(scr string) bool {
		lines := strings.Split(scr, "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, " Image") && i+1 < len(lines) {
				top = lines[i+1]
				return strings.Contains(top, "churnwriter") && strings.Contains(top, " "+pid+" ")
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("the writer (PID %s) never reached the top row within 8 s; last screen:\n%s", pid, screen)
	}
	t.Logf("writer on top %s after the UI started: %s", time.Since(started).Round(100*time.Millisecond), strings.TrimSpace(top))
	// The first rows come from the first reading (rates pending, "…"),
	// the first rates from a 200 ms interval, which holds two or three of
	// the writer's 100 ms bursts: the rate is checked on a frame of the
	// chosen 1 s interval.
	screen, ok = s.waitScreen(8*time.Second, func(scr string) bool {
		lines := strings.Split(scr, "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, " Image") && i+1 < len(lines) {
				top = lines[i+1]
				return time.Since(started) > 1500*time.Millisecond && strings.Contains(top, " "+pid+" ") && rateRE.MatchString(top)
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("the writer (PID %s) has no write rate on the top row after the first 1 s interval; last screen:\n%s", pid, screen)
	}
	if !strings.Contains(top, "workload") {
		t.Errorf("the writer should be classed workload: %q", top)
	}
	m := rateRE.FindStringSubmatch(top)
	if m == nil {
		t.Fatalf("no write rate in the top row %q", top)
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	mult := map[string]float64{"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[m[2]]
	if got := v * mult; got < 0.75*writerRate || got > 1.25*writerRate {
		t.Errorf("write rate %s/s on screen, the writer does %d MiB/s", m[0], writerRate>>20)
	}
	for i, l := range strings.Split(screen, "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("line %d is %d wide: %q", i, n, l)
		}
	}
	if !strings.Contains(screen, "? help") || !strings.Contains(screen, "q quit") {
		t.Errorf("the footer should show ? and q:\n%s", screen)
	}

	s.keys("?")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return strings.Contains(scr, "help lines 1-") }); !ok {
		t.Errorf("? should open the help, saying it scrolls at 80x24:\n%s", scr)
	}
	// The help is taller than 80x24: pgdn reaches its last lines.
	s.keys("PageDown")
	s.keys("PageDown")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return strings.Contains(scr, "What the screen shows") }); !ok {
		t.Errorf("pgdn should scroll the help to its end:\n%s", scr)
	}
	// Esc and q sent together would read as alt+q: one at a time.
	s.keys("Escape")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return strings.Contains(scr, " Image") }); !ok {
		t.Errorf("esc should close the help:\n%s", scr)
	}
	s.keys("q")
	if !s.waitQuit(5 * time.Second) {
		t.Fatalf("q did not quit; screen:\n%s", s.capture())
	}
}

// TestTmuxWizardAgainstSquid is the end to end: the built binary in
// tmux at 80x24; a user fills the wizard's form with keys, runs it against
// squid with the 4 GB limit and a loopback origin as the replica, reads the
// failure and its fix, copies the fix (tmux takes OSC 52 into its paste
// buffer), saves the report, resizes the window down to 20x5 and back,
// and quits; the copied command is printed on exit.
func TestTmuxWizardAgainstSquid(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the lab components (squid) and the writer's storage-layer counters are Linux's")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		needIntegration(t, "tmux is not installed: apt-get install tmux (scripts/test.sh installs it)")
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux; skipped with -short")
	}
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	squid := labtest.Squid(t, lab.SquidOptions{RequestBodyMaxSize: "4 GB"})
	port := origin.Addr[strings.LastIndex(origin.Addr, ":")+1:]
	dir := testutil.TempDir(t)
	bin := testutil.Binary(t)
	work := filepath.Join(dir, "incident")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	// A real writer, so the report's top writing processes have a culprit
	// to name: this test binary under a name of its own.
	w := startRateWriter(t, dir)

	s := tmuxSession{t: t, socket: fmt.Sprintf("hvrdoctor-wizard-%d", os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	if out, err := s.run("new-session", "-d", "-s", "hvr", "-x", "80", "-y", "24", "-c", work,
		"env", "LANG=C.UTF-8", "TERM=xterm-256color", "HTTPS_PROXY=", "HTTP_PROXY=", bin, "--interval", "1s"); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	// Keep the pane after the program exits, to read what it printed; let
	// programs in it set tmux's paste buffer with OSC 52.
	for _, opt := range [][]string{{"set-option", "-t", "hvr", "remain-on-exit", "on"}, {"set-option", "-s", "set-clipboard", "on"}} {
		if out, err := s.run(opt...); err != nil {
			t.Fatalf("tmux %v: %v: %s", opt, err, out)
		}
	}
	must := func(what string, d time.Duration, ok func(string) bool) string {
		t.Helper()
		scr, good := s.waitScreen(d, ok)
		if !good {
			t.Fatalf("%s; last screen:\n%s", what, scr)
		}
		return scr
	}
	has := func(all ...string) func(string) bool {
		return func(scr string) bool {
			for _, w := range all {
				if !strings.Contains(scr, w) {
					return false
				}
			}
			return true
		}
	}
	must("the sampler should start", 8*time.Second, has(" Image", "3 Wizard"))

	s.keys("3")
	must("3 should open the form", 3*time.Second, has("Replica server", "(same as --replica)"))
	s.keys("127.0.0.1", "Tab", port, "Tab", "Tab", squid.URL, "Tab", "Tab", "SQL01")
	must("the form should hold what was typed", 3*time.Second, has("127.0.0.1", port, squid.URL, "SQL01"))
	s.keys("Enter")
	scr := must("the run should end on the large upload failure", 30*time.Second,
		has("checks done", "✗ Proxy large upload", "Proxy large upload  FAIL", "The proxy refuses large uploads"))
	for i, l := range strings.Split(scr, "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("line %d is %d wide: %q", i, n, l)
		}
	}

	// The first f selects fix 1, whose long command is one line, never
	// wrapped: its start on screen, its end after scrolling right.
	s.keys("f")
	scr = must("the first f should select fix 1", 3*time.Second, has("> 1. [on primary]", "Enable-VMReplication -VMName 'SQL01'"))
	checkOneCommandLine(t, scr, 80)
	s.keys("Right")
	s.keys("Right")
	s.keys("Right")
	scr = must("right should scroll the command to its end", 3*time.Second, has("-BypassProxyServer $true\n"))
	checkOneCommandLine(t, scr, 80)
	s.keys("f")
	must("f should show fix 2", 3*time.Second, has("> 2. [on primary]", "Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true"))
	s.keys("c")
	must("c should say how it copied, not that it did", 3*time.Second,
		has("fix 2 sent to the terminal's clipboard (OSC 52); your terminal may ignore it"))
	var buf string
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if buf, _ = s.run("show-buffer"); strings.TrimSpace(buf) == "Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true" {
			break
		}
	}
	if strings.TrimSpace(buf) != "Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true" {
		t.Errorf("tmux paste buffer after c: %q", buf)
	}

	s.keys("r")
	must("r should say where the report went", 5*time.Second, has("report saved: ./hvrdoctor-incident-"))
	files, _ := filepath.Glob(filepath.Join(work, "hvrdoctor-incident-*.md"))
	if len(files) != 1 {
		t.Fatalf("report files in %s: %v", work, files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	rep := string(data)
	for _, want := range []string{"# Hyper-V Replica incident report: ", "## Targets", "- 127.0.0.1 port " + port + ", kerberos authentication: **FAIL**",
		"### FAIL: Proxy large upload", "413 Payload Too Large", "**Why:**", "Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true",
		"### Top writing processes", "| Process | PID | Class |", fmt.Sprintf("| churnwriter | %d | workload |", w.PID()),
		"### Top files", "### Spikes", "### Replication impact", "30 s"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q", want)
		}
	}

	// At 200x50 the card is beside the processes, the command still on
	// one line; z gives the wizard the whole width and the command shows
	// whole, ready to select with the mouse.
	if out, err := s.run("resize-window", "-t", "hvr", "-x", "200", "-y", "50"); err != nil {
		t.Fatalf("resize-window: %v: %s", err, out)
	}
	s.keys("Up")
	s.keys("Down", "f") // the step again: no fix selected, f selects fix 1
	scr = must("200x50: fix 1 in the right half", 5*time.Second, has("> 1. [on primary]", " Image"))
	checkOneCommandLine(t, scr, 200)
	s.keys("z")
	scr = must("z: the wizard at full width shows fix 1 whole", 5*time.Second,
		has("Enable-VMReplication -VMName 'SQL01' -ReplicaServerName '127.0.0.1' -ReplicaServerPort "+port+" -AuthenticationType Kerberos -BypassProxyServer $true"))
	checkOneCommandLine(t, scr, 200)
	s.keys("z")
	must("z again: both halves", 5*time.Second, has(" Image", "> 1. [on primary]"))

	// A resize storm down to 20x5 ends on a correct screen.
	for _, sz := range [][2]int{{200, 50}, {20, 5}, {61, 21}, {33, 7}, {150, 40}, {59, 20}, {20, 5}, {80, 24}} {
		if out, err := s.run("resize-window", "-t", "hvr", "-x", fmt.Sprint(sz[0]), "-y", fmt.Sprint(sz[1])); err != nil {
			t.Fatalf("resize-window: %v: %s", err, out)
		}
		time.Sleep(150 * time.Millisecond)
	}
	scr = must("after the resizes the wizard should be back at 80x24", 5*time.Second,
		has("[3 Wizard]", "✗ Proxy large upload", "? help  q quit"))
	if strings.Contains(scr, "terminal too small") {
		t.Errorf("too-small screen left over:\n%s", scr)
	}

	s.keys("q")
	if !s.waitQuit(5 * time.Second) {
		t.Fatalf("q should quit; screen:\n%s", s.capture())
	}
	// What the program printed on exit, with the scrollback (the pane
	// shrank to 20x5 on the way) and wrapped lines joined.
	out, err := s.run("capture-pane", "-p", "-J", "-S", "-", "-t", "hvr")
	if err != nil {
		t.Fatalf("capture-pane: %v: %s", err, out)
	}
	if !strings.Contains(out, "Fix commands copied in hvrdoctor") || !strings.Contains(out, "\n  Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true\n") {
		t.Errorf("the copied command should be printed on exit:\n%s", out)
	}
}

// checkOneCommandLine fails when fix 1's command (the card's lines
// between fix 1's title and fix 2's indented as a command) is not exactly
// one screen line, or a line passes w cells. On a split screen the
// wizard is the part right of the rule.
func checkOneCommandLine(t *testing.T, scr string, w int) {
	t.Helper()
	in, n := false, 0
	for i, l := range strings.Split(scr, "\n") {
		if c := len([]rune(l)); c > w {
			t.Errorf("line %d is %d wide: %q", i, c, l)
		}
		if j := strings.LastIndex(l, "│"); j >= 0 {
			l = l[j+len("│"):]
		}
		switch {
		case strings.Contains(l, "1. [on primary] New replication"):
			in = true
		case strings.Contains(l, "2. [on primary]"):
			in = false
		case in && strings.HasPrefix(l, "       ") && len(l) > 7 && l[7] != ' ':
			n++
		}
	}
	if n != 1 {
		t.Errorf("fix 1's command should be on exactly one line, found on %d:\n%s", n, scr)
	}
}
