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
)

// storageTmux starts the built binary in tmux at w x h on a socket of its
// own (name), with NO_COLOR as a user on a plain console, and waits for
// the process table.
func storageTmux(t *testing.T, name string, w, h int, env ...string) tmuxSession {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("reads Linux /proc/diskstats")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		needIntegration(t, "tmux is not installed: apt-get install tmux (scripts/test.sh installs it)")
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux; skipped with -short")
	}
	storageBin := testutil.Binary(t)
	s := tmuxSession{t: t, socket: fmt.Sprintf("hvr-%s-%d", name, os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	args := []string{"new-session", "-d", "-s", "hvr", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h),
		"env", "LANG=C.UTF-8", "TERM=xterm-256color", "NO_COLOR=1"}
	args = append(append(args, env...), storageBin, "--interval", "1s")
	if out, err := s.run(args...); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	if scr, ok := s.waitScreen(15*time.Second, func(scr string) bool { return strings.Contains(scr, " Image") }); !ok {
		t.Fatalf("no process table within 15 s:\n%s", scr)
	}
	return s
}

var diskTitleRE = regexp.MustCompile(`Disk (writes|reads), (\S+)`)

// TestTmuxDiskSelectorAndStorage presses D until the graph shows each
// disk and back to all disks, then v for the Storage page, at 80x24, and
// looks at the Storage panel at 200x50.
func TestTmuxDiskSelectorAndStorage(t *testing.T) {
	s := storageTmux(t, "disksel", 80, 24)
	// Wait for a frame with rates, so the disks are known.
	s.waitScreen(5*time.Second, func(scr string) bool { return strings.Contains(scr, "now ") && !strings.Contains(scr, "now …") })
	seen := []string{}
	prev := "writes all"
	for i := 0; i < 12; i++ {
		s.keys("D")
		var m []string
		scr, ok := s.waitScreen(5*time.Second, func(scr string) bool {
			m = diskTitleRE.FindStringSubmatch(strings.Split(scr, "\n")[3])
			return m != nil && m[1]+" "+m[2] != prev
		})
		if !ok {
			t.Fatalf("the graph title did not change from %q after D:\n%s", prev, scr)
		}
		prev = m[1] + " " + m[2]
		seen = append(seen, prev)
		if m[1] == "writes" && m[2] == "all" {
			break
		}
	}
	t.Logf("D cycled: %s", strings.Join(seen, " -> "))
	if len(seen) < 4 || seen[0] != "reads all" || !strings.HasPrefix(seen[1], "writes ") || seen[1] == "writes all" ||
		seen[len(seen)-1] != "writes all" {
		t.Errorf("D should go all disks' reads, then each disk's writes and reads, then back to all disks: %v", seen)
	}
	s.keys("v")
	scr, ok := s.waitScreen(5*time.Second, func(scr string) bool {
		return strings.Contains(scr, "Storage · last") && strings.Contains(scr, " Disk ") && strings.Contains(scr, " Volume")
	})
	if !ok {
		t.Fatalf("v should show the Storage page:\n%s", scr)
	}
	if !strings.Contains(scr, "/proc/diskstats, statfs") {
		t.Errorf("the Storage page should name its source:\n%s", scr)
	}
	for i, l := range strings.Split(scr, "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("line %d is %d wide: %q", i, n, l)
		}
	}
	t.Logf("80x24 Storage page:\n%s", scr)
	s.keys("v")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return strings.Contains(scr, " Image") }); !ok {
		t.Errorf("v again should show the processes:\n%s", scr)
	}

	wide := storageTmux(t, "storage-wide", 200, 50)
	scr, ok = wide.waitScreen(5*time.Second, func(scr string) bool {
		return strings.Contains(scr, "Storage · last") && strings.Contains(scr, " Image")
	})
	if !ok {
		t.Errorf("at 200x50 the Storage panel should be under the process table:\n%s", scr)
	}
}

// TestTmuxAverageToggle presses m: the header says the lists show
// 1-minute averages, and m again takes it back.
func TestTmuxAverageToggle(t *testing.T) {
	s := storageTmux(t, "average", 80, 24)
	s.keys("m")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool {
		return strings.Contains(strings.Split(scr, "\n")[0], "1-min avg")
	}); !ok {
		t.Fatalf("m should mark the header with 1-min averages:\n%s", scr)
	}
	s.keys("v")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return strings.Contains(scr, "Storage · average of the last") }); !ok {
		t.Errorf("the Storage page should say it averages:\n%s", scr)
	}
	s.keys("v", "m")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool {
		return !strings.Contains(strings.Split(scr, "\n")[0], "1-min av")
	}); !ok {
		t.Errorf("m again should drop the mark:\n%s", scr)
	}
}

// TestTmuxMarkProcess marks a real writer with space in the Processes tab
// and checks that the Files tab then lists only its files and says so.
func TestTmuxMarkProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads Linux /proc/diskstats and runs the Linux binary in tmux")
	}
	if os.Geteuid() != 0 {
		needIntegration(t, "the Files tab needs a per-file backend, which needs root")
	}
	dir := testutil.TempDir(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	writerBin := filepath.Join(dir, "markwriter")
	if err := os.Symlink(self, writerBin); err != nil {
		t.Fatal(err)
	}
	w := testutil.StartRate(t, writerBin, filepath.Join(dir, "mark.dat"), writerRate)
	pid := strconv.Itoa(w.Cmd.Process.Pid)

	s := storageTmux(t, "mark", 120, 40)
	s.keys("/")
	s.keys("-l", "markwriter")
	s.keys("Enter")
	if scr, ok := s.waitScreen(10*time.Second, func(scr string) bool { return strings.Contains(scr, ">markwriter") }); !ok {
		t.Fatalf("the writer is not selected after filtering by its name:\n%s", scr)
	}
	s.keys("Space")
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return strings.Contains(scr, "* markwriter") }); !ok {
		t.Fatalf("space should mark the writer:\n%s", scr)
	}
	s.keys("Escape") // clear the process filter: the mark stays
	// Esc and 2 sent together would read as alt+2: one at a time.
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return !strings.Contains(scr, "filter markwriter") }); !ok {
		t.Fatalf("esc should clear the process filter:\n%s", scr)
	}
	s.keys("2")
	scr, ok := s.waitScreen(10*time.Second, func(scr string) bool {
		return strings.Contains(scr, "files of marked markwriter "+pid) && strings.Contains(scr, "mark.dat")
	})
	if !ok {
		t.Fatalf("the Files tab should show the marked writer's file and say it is limited:\n%s", scr)
	}
	lines := strings.Split(scr, "\n")
	head := rowOf(lines, " Image")
	for _, l := range lines[head+1 : len(lines)-1] {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "/") {
			break // the end of the rows, or the selected row's full path under them
		}
		if !strings.Contains(l, "markwriter") {
			t.Errorf("a row of another process in the Files tab while only markwriter is marked: %q", l)
		}
	}
	t.Logf("Files tab with markwriter marked:\n%s", scr)
}

// TestTmuxIOPriorityOnTheProcessPage opens the page of a real writer
// started under ionice -c 3 and reads its I/O priority there.
func TestTmuxIOPriorityOnTheProcessPage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads Linux /proc/diskstats and runs the Linux binary in tmux")
	}
	if _, err := exec.LookPath("ionice"); err != nil {
		needIntegration(t, "ionice is not installed: apt-get install util-linux")
	}
	dir := testutil.TempDir(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	writerBin := filepath.Join(dir, "idlewriter")
	if err := os.Symlink(self, writerBin); err != nil {
		t.Fatal(err)
	}
	w := testutil.HelperCommand(writerBin, testutil.RateHelper, filepath.Join(dir, "idle.dat"), strconv.Itoa(writerRate))
	ionice, err := exec.LookPath("ionice")
	if err != nil {
		t.Fatal(err)
	}
	w.Args = append([]string{"ionice", "-c", "3"}, w.Args...)
	w.Path = ionice
	testutil.StartChild(t, w) // the cleanup closes its stdin and waits

	s := storageTmux(t, "ioprio", 100, 30)
	s.keys("/")
	s.keys("-l", "idlewriter")
	s.keys("Enter")
	if scr, ok := s.waitScreen(10*time.Second, func(scr string) bool { return strings.Contains(scr, ">idlewriter") }); !ok {
		t.Fatalf("the writer is not selected after filtering by its name:\n%s", scr)
	}
	s.keys("Enter")
	scr, ok := s.waitScreen(5*time.Second, func(scr string) bool { return strings.Contains(scr, "I/O prio") })
	if !ok {
		t.Fatalf("the process page shows no I/O priority:\n%s", scr)
	}
	if !strings.Contains(scr, "I/O prio idle  (ioprio_get)") {
		t.Errorf("the writer runs under ionice -c 3 (idle):\n%s", scr)
	}
	// The Files tab has the priority on each row, as Resource Monitor's
	// Disk Activity list: the writer's file reads "idle" (at 200 columns:
	// the column is the first to go when the path needs the room).
	if out, err := s.run("resize-window", "-t", "hvr", "-x", "200", "-y", "50"); err != nil {
		t.Fatalf("resize-window: %v: %s", err, out)
	}
	s.keys("Escape")
	// Esc and 2 sent together would read as alt+2: one at a time.
	if scr, ok := s.waitScreen(3*time.Second, func(scr string) bool { return !strings.Contains(scr, "esc back") }); !ok {
		t.Fatalf("esc should close the process page:\n%s", scr)
	}
	s.keys("2")
	scr, ok = s.waitScreen(10*time.Second, func(scr string) bool {
		return strings.Contains(scr, "I/O pri") && strings.Contains(scr, "idlewriter")
	})
	if !ok {
		t.Fatalf("the Files tab at 200 columns has no I/O pri column or no row of the writer:\n%s", scr)
	}
	var row string
	for _, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, "idlewriter ") && strings.Contains(l, "idle.dat") {
			row = l
		}
	}
	if !strings.Contains(row, "/s idle ") { // Total/s, then the priority (the wizard is beside the table)
		t.Errorf("the writer's file row does not show its priority idle after Total/s: %q\n%s", row, scr)
	}
}
