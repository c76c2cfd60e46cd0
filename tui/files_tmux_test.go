package tui

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestTmuxFilesTabShowsDD is issue 3's "done when": the built binary, as
// root, in tmux at 80x24 with NO_COLOR; the user opens the Files tab and
// starts dd writing with O_DIRECT; within 2 s the tab shows dd's file, its
// PID and a write rate.
func TestTmuxFilesTabShowsDD(t *testing.T) {
	s := startRootFilesUI(t, "files")
	target := fmt.Sprintf("/var/tmp/hvr-x-%d.dat", os.Getpid())
	t.Cleanup(func() { _ = os.Remove(target) })

	if scr, ok := s.waitScreen(8*time.Second, func(scr string) bool { return strings.Contains(scr, "2 Files") }); !ok {
		t.Fatalf("the UI should start with a Files tab; last screen:\n%s", scr)
	}
	s.keys("2")
	if scr, ok := s.waitScreen(5*time.Second, func(scr string) bool {
		return strings.Contains(scr, "[2 Files]") && strings.Contains(scr, "Disk activity")
	}); !ok {
		t.Fatalf("2 should open the Files tab; last screen:\n%s", scr)
	}
	if scr, ok := s.waitScreen(5*time.Second, func(scr string) bool {
		return strings.Contains(scr, "eBPF (not seen: ") || strings.Contains(scr, "fanotify")
	}); !ok {
		t.Errorf("the Files tab's title should name the per-file backend and its limit:\n%s", scr)
	}

	// Filter on dd's file first: other processes' long image names would
	// narrow the table at 80 columns until the PID column goes.
	name := target[strings.LastIndexByte(target, '/')+1:]
	s.keys("/")
	s.keys("-l", name)
	s.keys("Enter")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return strings.Contains(scr, "filter "+name) }); !ok {
		t.Fatalf("/ should filter the Files tab on %s; last screen:\n%s", name, scr)
	}

	dd := exec.Command("dd", "if=/dev/zero", "of="+target, "bs=1M", "count=400", "oflag=direct")
	if err := dd.Start(); err != nil {
		t.Fatalf("start dd: %v", err)
	}
	started := time.Now()
	t.Cleanup(func() { _ = dd.Process.Kill(); _ = dd.Wait() })
	pid := strconv.Itoa(dd.Process.Pid)
	var row string
	screen, ok := s.waitScreen(2*time.Second, func(scr string) bool {
		for _, l := range strings.Split(scr, "\n") {
			f := strings.Fields(l)
			if len(f) >= 4 && strings.TrimPrefix(f[0], ">") == "dd" && f[1] == pid && strings.Contains(l, name) {
				if m := rateRE.FindStringSubmatch(l); m != nil && m[1] != "0" {
					row = l
					return true
				}
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("within 2 s of dd starting (PID %s) the Files tab should show %s with a write rate; last screen:\n%s", pid, target, screen)
	}
	t.Logf("dd's file on screen %s after dd started: %s", time.Since(started).Round(100*time.Millisecond), strings.TrimSpace(row))
	for i, l := range strings.Split(screen, "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("line %d is %d wide: %q", i, n, l)
		}
	}

	// enter opens the file's graph (the filter is on dd's file); q quits.
	s.keys("Enter")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool {
		return strings.Contains(scr, "Writes to this file") && strings.Contains(scr, target) && strings.Contains(scr, "PID "+pid)
	}); !ok {
		t.Errorf("filter and enter should open dd's file page:\n%s", scr)
	}
	s.keys("q")
	if !s.waitQuit(5 * time.Second) {
		t.Fatalf("q did not quit; screen:\n%s", s.capture())
	}
}

// startRootFilesUI runs the built binary as root with the per-file
// backend on (--files on: eBPF here), in tmux at 80x24 with NO_COLOR on a
// socket of its own (name), after checking what that needs: Linux, root,
// tmux and dd (the tests' writer).
func startRootFilesUI(t *testing.T, name string) tmuxSession {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the per-file backends of this test are Linux's (eBPF)")
	}
	if os.Geteuid() != 0 {
		needIntegration(t, "seeing every process's files (eBPF) needs root: run the tests as root")
	}
	for _, tool := range []string{"tmux", "dd"} {
		if _, err := exec.LookPath(tool); err != nil {
			needIntegration(t, tool+" is not installed: apt-get install tmux coreutils (scripts/test.sh installs them)")
		}
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux; skipped with -short")
	}
	bin := testutil.Binary(t)
	s := tmuxSession{t: t, socket: fmt.Sprintf("hvrdoctor-%s-%d", name, os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	if out, err := s.run("new-session", "-d", "-s", "hvr", "-x", "80", "-y", "24",
		"env", "LANG=C.UTF-8", "TERM=xterm-256color", "NO_COLOR=1", bin, "--interval", "1s", "--files", "on"); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	return s
}
