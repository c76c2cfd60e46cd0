package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// The built binary in tmux at 80x24 with --from on the status fixtures
// (hyperv/testdata/status/ps7: typed from the documented property names
// and enums, not recorded on a Hyper-V host): the Replication tab lists
// every VM with its health, enter opens SQL01's page with the rule that
// fired and the event chain, and w opens the wizard's form on SQL01's
// replica server and port.
func TestTmuxReplicationTabFromFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("runs the Linux binary in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		needIntegration(t, "tmux is not installed: apt-get install tmux (scripts/test.sh installs it)")
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux; skipped with -short")
	}
	dir := testutil.TempDir(t)
	bin := testutil.Binary(t)
	fixtures, err := filepath.Abs(filepath.Join("..", "hyperv", "testdata", "status", "ps7"))
	if err != nil {
		t.Fatal(err)
	}
	s := tmuxSession{t: t, socket: fmt.Sprintf("hvrdoctor-repl-%d", os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	if out, err := s.run("new-session", "-d", "-s", "hvr", "-x", "80", "-y", "24", "-c", dir,
		"env", "LANG=C.UTF-8", "TERM=xterm-256color", "NO_COLOR=1", bin, "--files", "off", "--from", fixtures); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	must := func(what string, all ...string) string {
		t.Helper()
		scr, ok := s.waitScreen(5*time.Second, func(scr string) bool {
			for _, w := range all {
				if !strings.Contains(scr, w) {
					return false
				}
			}
			return true
		})
		if !ok {
			t.Fatalf("%s; last screen:\n%s", what, scr)
		}
		return scr
	}
	scr := must("the tab bar should offer Replication", "Replication")
	tabKey := ""
	for _, n := range []string{"5", "6", "7"} {
		if strings.Contains(scr, n+" Replication") {
			tabKey = n
		}
	}
	if tabKey == "" {
		t.Fatalf("no number for the Replication tab:\n%s", scr)
	}
	s.keys(tabKey)
	must("the list should name every VM with its health",
		"> Critical APP01", "Critical SQL01", "Warning  FILE01", "Normal   LOG01", "Normal   SQL01 (ext)", "Normal   WEB01", "enter open")
	s.keys("?")
	must("? should open the help", "? or esc: back")
	s.keys("PageDown")
	must("the help should list the Replication tab's keys", "wizard on the VM's replica")
	s.keys("?")
	must("? again should close the help", "enter open")
	s.keys("Down", "Enter")
	must("enter should open SQL01's page with the rules and the chain",
		"SQL01 (primary relationship): Critical", "suspended-event: Event 32086", "esc back")
	// The chain's summary line wraps at 80 columns and a page keeps one
	// line of the last, so the first page down may start inside it: the
	// events of the chain are what must be on screen.
	s.keys("PageDown")
	must("the page should scroll to the event chain", "event 32315 Warning", "event 32022 Error")
	s.keys("w")
	must("w should open the wizard's form on SQL01's replica",
		"From the Replication tab: SQL01 -> hv-dr01.contoso.com:80", "hv-dr01.contoso.com", "SQL01")
	s.keys("Escape")
	must("esc should leave the form", "? help  q quit")
	s.keys("q")
	if !s.waitQuit(5 * time.Second) {
		t.Fatalf("q did not quit; screen:\n%s", s.capture())
	}
}
