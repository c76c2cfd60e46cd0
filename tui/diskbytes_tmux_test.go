package tui

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTmuxDiskBytesSource is issue 19's screen: the built binary as root,
// in tmux at 80x24 with NO_COLOR. The header names the write source
// ("disk writes (block layer)") once eBPF is loaded, and the Files tab has
// a Disk/s column beside Write/s showing a synced writer's file with a
// disk rate.
func TestTmuxDiskBytesSource(t *testing.T) {
	s := startRootFilesUI(t, "disk")
	target := fmt.Sprintf("/var/tmp/hvr-disk-%d.dat", os.Getpid())
	t.Cleanup(func() { _ = os.Remove(target) })
	if scr, ok := s.waitScreen(20*time.Second, func(scr string) bool { return strings.Contains(scr, "disk writes (block layer)") }); !ok {
		t.Fatalf("the header should name the write source, disk writes (block layer); last screen:\n%s", scr)
	}
	// A synced writer: each 8 KiB write reaches the disk at once.
	dd := exec.Command("dd", "if=/dev/zero", "of="+target, "bs=8k", "count=20000", "oflag=dsync", "status=none")
	if err := dd.Start(); err != nil {
		t.Fatalf("start dd: %v", err)
	}
	t.Cleanup(func() { _ = dd.Process.Kill(); _ = dd.Wait() })
	s.keys("2")
	pid := strconv.Itoa(dd.Process.Pid)
	scr, ok := s.waitScreen(20*time.Second, func(scr string) bool {
		lines := strings.Split(scr, "\n")
		head := -1
		for i, l := range lines {
			if strings.Contains(l, "Write/s") && strings.Contains(l, "Disk/s") {
				head = i
			}
		}
		if head < 0 {
			return false
		}
		for _, l := range lines[head+1:] {
			f := strings.Fields(l)
			if len(f) < 3 || strings.TrimPrefix(f[0], ">") != "dd" || f[1] != pid {
				continue
			}
			if m := rateRE.FindAllStringSubmatch(l, -1); len(m) >= 2 && m[1][1] != "0" {
				return true // the Disk/s cell, after Write/s
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("the Files tab should show Disk/s beside Write/s and dd's (PID %s) file %s with a disk rate; last screen:\n%s", pid, target, scr)
	}
}
