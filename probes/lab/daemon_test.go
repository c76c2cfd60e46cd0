package lab

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDaemonStartFailureKeepsDirAndSaysWhy: a program that exits before it
// listens gives an error with its exit status and the end of its log, and
// the directory is left for the caller (which may read more logs there).
func TestDaemonStartFailureKeepsDirAndSaysWhy(t *testing.T) {
	dir := t.TempDir()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cmd := exec.Command("sh", "-c", "echo 'bad config line 7'; exit 3")
	_, err = startDaemon(context.Background(), "demo", cmd, dir, filepath.Join(dir, "demo.out"), addr, 10*time.Second)
	if err == nil {
		t.Fatal("startDaemon of a program that exits: no error")
	}
	for _, want := range []string{"lab demo:", "exited before listening on " + addr, "exit status 3", "bad config line 7"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, serr := os.Stat(filepath.Join(dir, "demo.out")); serr != nil {
		t.Errorf("startDaemon removed the caller's directory on failure: %v", serr)
	}
}

// TestDaemonStopEndsByPIDAndRemovesOwnedDir: stop ends the process with
// SIGTERM, removes the directory it owns, and is safe to call twice.
func TestDaemonStopEndsByPIDAndRemovesOwnedDir(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir, err := os.MkdirTemp("", "hvrdoctor-daemon-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	d, err := startDaemon(context.Background(), "demo", exec.Command("sleep", "60"), dir, filepath.Join(dir, "demo.out"), l.Addr().String(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if d.pid() <= 0 {
		t.Fatalf("pid %d", d.pid())
	}
	if err := d.stop(); err != nil {
		t.Fatal(err)
	}
	ws, ok := d.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("process ended with %v, want SIGTERM", d.cmd.ProcessState)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("stop left %s behind: %v", dir, err)
	}
	if err := d.stop(); err != nil {
		t.Errorf("second stop: %v", err)
	}
	var none *daemon
	if none.stop() != nil || none.pid() != 0 {
		t.Error("a nil daemon must stop without error and have PID 0")
	}
}
