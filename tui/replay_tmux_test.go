package tui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestTmuxAnalyzeReplay is the replay's end to end: `hvrdoctor analyze
// DIR` on a generated incident day, in tmux at 80x24, opens the screens on
// the recording; n moves the cursor to the 04:57 spike, the header says so
// and marks it, the Churn tab names the culprit; the cursor steps back a
// sample; a resize storm ends on a correct screen; q quits with status 0.
func TestTmuxAnalyzeReplay(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		needIntegration(t, "tmux is not installed: apt-get install tmux (scripts/test.sh installs it)")
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux; skipped with -short")
	}
	rec, _ := writeIncident(t)
	bin := testutil.Binary(t)

	s := tmuxSession{t: t, socket: fmt.Sprintf("hvrdoctor-replay-%d", os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	if out, err := s.run("new-session", "-d", "-s", "hvr", "-x", "80", "-y", "24",
		"env", "LANG=C.UTF-8", "TERM=xterm-256color", bin, "analyze", rec); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	if out, err := s.run("set-option", "-t", "hvr", "remain-on-exit", "on"); err != nil {
		t.Fatalf("tmux set-option: %v: %s", err, out)
	}
	must := func(what string, ok func(string) bool) string {
		t.Helper()
		scr, good := s.waitScreen(20*time.Second, ok) // 2 shared cores: generous
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
	fits := func(scr string, w int) {
		t.Helper()
		for i, l := range strings.Split(scr, "\n") {
			if n := len([]rune(l)); n > w {
				t.Errorf("line %d is %d wide: %q", i, n, l)
			}
		}
	}

	scr := must("the recording should open on its first sample", has("replay of", "00:00:00 (sample 1 of 8640)", " Image", "1 Processes", "2 Churn"))
	if strings.Contains(scr, "Wizard") {
		t.Errorf("no wizard on a replay:\n%s", scr)
	}
	s.keys("n")
	scr = must("n should reach the spike", has("04:57:00 (sample 1783 of 8640)", "spike: 30x baseline", "spike 1 of 3: 04:57"))
	fits(scr, 80)
	lines := strings.Split(scr, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, " Image") && (i+1 >= len(lines) || !strings.Contains(lines[i+1], "sqlservr.exe") || !strings.Contains(lines[i+1], "workload")) {
			t.Errorf("sqlservr.exe should be the top row at the spike:\n%s", scr)
		}
	}

	s.keys("2")
	must("the Churn tab should show the spike and its culprit", has("[2 Churn]", ">04:57", "SPIKE", "04:57: Factor 30.0x; Written 1.0 GiB", "sqlservr.exe (PID 1800,"))
	s.keys("Left")
	must("left should step back one sample", has("04:56:50 (sample 1782 of 8640)"))
	s.keys("S-Right")
	must("shift+right should step to the next minute", has("04:57:00 (sample 1783 of 8640)"))

	for _, sz := range [][2]int{{200, 50}, {20, 5}, {61, 21}, {33, 7}, {150, 40}, {59, 20}, {20, 5}, {80, 24}} {
		if out, err := s.run("resize-window", "-t", "hvr", "-x", fmt.Sprint(sz[0]), "-y", fmt.Sprint(sz[1])); err != nil {
			t.Fatalf("resize-window: %v: %s", err, out)
		}
		time.Sleep(150 * time.Millisecond)
	}
	scr = must("after the resizes the Churn tab should be back at 80x24", has("[2 Churn]", "04:57:00 (sample 1783 of 8640)", "? help  q quit"))
	fits(scr, 80)
	if strings.Contains(scr, "too small") {
		t.Errorf("too-small screen left over:\n%s", scr)
	}

	s.keys("q")
	if !s.waitQuit(20 * time.Second) {
		t.Fatalf("q did not quit; screen:\n%s", s.capture())
	}
	// tmux 3.3 sometimes leaves the exited program a zombie without its
	// status: check the status when tmux has it.
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if st, _ := s.run("display-message", "-p", "-t", "hvr", "#{pane_dead_status}"); strings.TrimSpace(st) != "" {
			if strings.TrimSpace(st) != "0" {
				t.Errorf("exit status %q, want 0", strings.TrimSpace(st))
			}
			return
		}
	}
	t.Log("tmux did not report the exit status (the program exited: its terminal closed)")
}
