package tui

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

// The built binary in tmux at 80x24: the form is filled with keys for
// certificate authentication against a real TLS listener, a PFX that
// needs a password is given, and the password is typed in the UI's own
// masked prompt (a wrong one first): the checks then run in the same
// session, and the password is never on screen nor printed on exit.
func TestTmuxFormPFXPassword(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("runs the Linux binary in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		needIntegration(t, "tmux is not installed: apt-get install tmux (scripts/test.sh installs it)")
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux; skipped with -short")
	}
	const pw = "Pfx-Secret-42"
	origin := labtest.TLSOrigin(t, lab.OriginOptions{})
	port := origin.Addr[strings.LastIndex(origin.Addr, ":")+1:]
	pfx := writePFX(t, pw)
	dir := testutil.TempDir(t)
	bin := testutil.Binary(t)

	s := tmuxSession{t: t, socket: fmt.Sprintf("hvrdoctor-form-%d", os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	if out, err := s.run("new-session", "-d", "-s", "hvr", "-x", "80", "-y", "24", "-c", dir,
		"env", "LANG=C.UTF-8", "TERM=xterm-256color", "HTTPS_PROXY=", "HTTP_PROXY=", "NO_COLOR=1", bin, "--interval", "1s"); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	if out, err := s.run("set-option", "-t", "hvr", "remain-on-exit", "on"); err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	var seen []string
	must := func(what string, d time.Duration, all ...string) string {
		t.Helper()
		scr, ok := s.waitScreen(d, func(scr string) bool {
			for _, w := range all {
				if !strings.Contains(scr, w) {
					return false
				}
			}
			return true
		})
		seen = append(seen, scr)
		if !ok {
			t.Fatalf("%s; last screen:\n%s", what, scr)
		}
		return scr
	}
	must("the sampler should start", 8*time.Second, " Image", "Wizard")
	s.keys("3")
	must("3 should open the form", 3*time.Second, "Replica server", "(•) kerberos")
	s.keys("127.0.0.1", "Tab", port, "Tab", "Right")
	must("right chooses certificate authentication and shows its fields", 3*time.Second, "(•) certificate", "CA bundle", "Certificate name")
	s.keys("Tab", "Tab", "Tab", "Tab", "Tab", pfx)
	s.keys("Enter")
	must("the PFX's password should be asked inside the UI", 5*time.Second, "Password for", "hv1.pfx", "typed text is not shown")
	s.keys("wrong-one")
	s.keys("Enter")
	must("a wrong password is asked again", 5*time.Second, "that password does not open")
	s.keys(pw)
	must("the password is masked", 3*time.Second, strings.Repeat("*", len(pw)))
	s.keys("Enter")
	must("the checks run with the certificate", 30*time.Second, "127.0.0.1:"+port+", certificate", "checks done")
	for _, scr := range seen {
		if strings.Contains(scr, pw) || strings.Contains(scr, "wrong-one") {
			t.Fatalf("a password was on screen:\n%s", scr)
		}
	}
	s.keys("q")
	if !s.waitQuit(5 * time.Second) {
		t.Fatalf("q should quit; screen:\n%s", s.capture())
	}
	out, _ := s.run("capture-pane", "-p", "-J", "-S", "-", "-t", "hvr")
	if strings.Contains(out, pw) {
		t.Errorf("the password was printed:\n%s", out)
	}
}
