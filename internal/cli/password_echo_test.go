//go:build !windows

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// TestPasswordStdinNoEchoOnTerminal: `--password-stdin` read its line with
// the terminal's echo on, so the password stood on the screen. In a real
// terminal (tmux), the typed password must not appear.
func TestPasswordStdinNoEchoOnTerminal(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		testutil.SkipOrFail(t, "tmux not installed (apt-get install tmux)")
	}
	closed, err := lab.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	bin := testutil.Binary(t)
	done := filepath.Join(testutil.TempDir(t), "done")
	socket := fmt.Sprintf("hvr-h13-pw-%d", os.Getpid())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", socket}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { tmux("kill-server") })
	shell := fmt.Sprintf("%s check --replica 127.0.0.1 --port %s --timeout 300ms --kdc %s --realm LAB.TEST --principal hvradmin --password-stdin; echo exit=$? > %s; sleep 30",
		bin, strings.Split(closed, ":")[1], closed, done)
	if out, err := tmux("new-session", "-d", "-x", "80", "-y", "24", "sh", "-c", shell); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	// Wait for the prompt (a version without one reads silently: type
	// after a second anyway).
	for prompt := time.Now().Add(time.Second); time.Now().Before(prompt); time.Sleep(50 * time.Millisecond) {
		if pane, _ := tmux("capture-pane", "-p"); strings.Contains(pane, "Password") {
			break
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	tmux("send-keys", "Typed-Secret-5", "Enter")
	for {
		if _, err := os.Stat(done); err == nil {
			break
		}
		if time.Now().After(deadline.Add(15 * time.Second)) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	pane, _ := tmux("capture-pane", "-p", "-S", "-200")
	if strings.Contains(pane, "Typed-Secret-5") {
		t.Errorf("the password typed for --password-stdin is echoed:\n%s", pane)
	}
}
