package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/train"
)

// TestTmuxTrainListenerOff drives `hvrdoctor train` in tmux at 80x24 as
// a learner would: the catalogue, the listener-off scenario, start, the
// real wizard against the lab (TCP reach fails), the answers, the hints
// up to the fix commands, the fix run in a shell, verify passes, the
// catalogue shows the pass, and stop leaves no process or file.
func TestTmuxTrainListenerOff(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the listener-off lab and tmux run on Linux; on Windows training is simulated")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		needIntegration(t, "tmux is not installed: apt-get install tmux (scripts/test.sh installs it)")
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux; skipped with -short")
	}
	dir := testutil.TempDir(t)
	bin := testutil.Binary(t)
	cfg, rt := filepath.Join(dir, "config"), filepath.Join(dir, "run")
	os.MkdirAll(rt, 0o700)
	env := []string{"env", "LANG=C.UTF-8", "TERM=xterm-256color", "NO_COLOR=1", "XDG_CONFIG_HOME=" + cfg, "XDG_RUNTIME_DIR=" + rt}
	statePath := filepath.Join(rt, "hvrdoctor-train", "listener-off.json")
	t.Cleanup(func() {
		// A failed run must not leave its lab behind: stop it with the
		// same per-user directories.
		if _, err := os.Stat(statePath); err == nil {
			stop := exec.Command(bin, "train", "stop", "listener-off")
			stop.Env = append(os.Environ(), "XDG_CONFIG_HOME="+cfg, "XDG_RUNTIME_DIR="+rt)
			if out, err := stop.CombinedOutput(); err != nil {
				t.Errorf("train stop at cleanup: %v: %s", err, out)
			}
		}
	})

	s := tmuxSession{t: t, socket: fmt.Sprintf("hvrdoctor-train-test-%d", os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	if out, err := s.run(append([]string{"new-session", "-d", "-s", "hvr", "-x", "80", "-y", "24"}, append(env, bin, "train")...)...); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	wait := func(what string, d time.Duration, ok func(string) bool) string {
		t.Helper()
		scr, good := s.waitScreen(d, ok)
		if !good {
			t.Fatalf("%s: screen:\n%s", what, scr)
		}
		for i, l := range strings.Split(strings.TrimRight(scr, "\n"), "\n") {
			if w := len([]rune(l)); w > 80 || i >= 24 {
				t.Fatalf("%s: line %d is %d wide (or past row 24):\n%s", what, i, w, scr)
			}
		}
		return scr
	}
	has := func(subs ...string) func(string) bool {
		return func(scr string) bool {
			for _, s := range subs {
				if !strings.Contains(scr, s) {
					return false
				}
			}
			return true
		}
	}

	wait("catalogue", 10*time.Second, has("hvrdoctor training", "listener-off", "proxy-4gb", "missing-spn", "cert-no-client-eku", "new"))
	cat, _ := train.LoadCatalogue("")
	for _, sc := range cat.Scenarios {
		if sc.ID == "listener-off" {
			break
		}
		s.keys("j")
	}
	s.keys("Enter")
	wait("scenario", 5*time.Second, has("listener-off", "Nothing listens", "What Windows shows", "0x00002EFD", "not started"))
	s.keys("s")
	wait("lab started", 60*time.Second, has("running (supervisor pid", "replica    127.0.0.1"))
	s.keys("w")
	scr := wait("the real tool", 20*time.Second, has("TRAINING listener-off", "checks done: 1 failed"))
	if !strings.Contains(scr, "first: TCP reach") {
		t.Errorf("the wizard's first failure is not TCP reach:\n%s", scr)
	}
	// The Wizard tab is 2, or 3 when the Files tab is there (eBPF).
	for i := 0; i < 6; i++ {
		if scr, ok := s.waitScreen(time.Second, has("TCP reach", "refused")); ok {
			break
		} else if i == 5 {
			t.Fatalf("no wizard tab with TCP reach refused:\n%s", scr)
		}
		s.keys("Tab")
	}
	s.keys("C-t")
	wait("the story over the tool", 5*time.Second, has("Story", "ctrl+t back to the wizard"))
	s.keys("C-t", "C-o")
	wait("back to the scenario", 5*time.Second, has("s start", "Questions"))

	// Answers: step b (TCP), then fix a; a wrong one first.
	s.keys("a")
	wait("a wrong answer", 5*time.Second, has("step: not right"))
	s.keys("b")
	wait("the right answer", 5*time.Second, has("step: right"))
	s.keys("a")
	wait("the second answer", 5*time.Second, has("fix: right"))
	s.keys("h")
	wait("hint 1", 5*time.Second, has("Hint 1 of 3"))
	s.keys("h")
	wait("hint 2", 5*time.Second, has("Hint 2 of 3"))
	s.keys("h")
	wait("hint 3", 5*time.Second, has("Hint 3 of 3", "Fix the lab with:", "kill -HUP"))
	s.keys("v")
	wait("verify before the fix", 20*time.Second, has("NOT YET", "lab: step tcp"))

	// The fix, as the last hint gives it, in a shell.
	var st train.State
	b, err := os.ReadFile(statePath)
	if err != nil || json.Unmarshal(b, &st) != nil {
		t.Fatalf("state file %s: %v", statePath, err)
	}
	sc, err := cat.Find("listener-off")
	if err != nil {
		t.Fatal(err)
	}
	var fix []string
	for _, c := range sc.Fix {
		fix = append(fix, train.Expand(c, st.Vars))
	}
	if out, err := exec.Command("sh", "-e", "-c", strings.Join(fix, "\n")).CombinedOutput(); err != nil {
		t.Fatalf("fix: %v: %s", err, out)
	}
	time.Sleep(500 * time.Millisecond) // the supervisor applies SIGHUP
	s.keys("v")
	wait("verify after the fix", 20*time.Second, has("PASS: score 65"))
	s.keys("Escape")
	wait("catalogue with progress", 5*time.Second, has("65 pts", "3 hints"))
	s.keys("Enter", "x")
	wait("stopped", 30*time.Second, has("Lab stopped"))
	if _, err := os.Stat(statePath); err == nil {
		t.Error("the state file is left after stop")
	}
	for _, d := range st.Dirs {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("%s left after stop", d)
		}
	}
	if err := exec.Command("kill", "-0", fmt.Sprint(st.SupervisorPID)).Run(); err == nil {
		if b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", st.SupervisorPID)); strings.Contains(string(b), "_lab") {
			t.Errorf("supervisor pid %d still runs after stop", st.SupervisorPID)
		}
	}
	s.keys("q")
	if !s.waitQuit(5 * time.Second) {
		t.Error("q did not quit")
	}
}
