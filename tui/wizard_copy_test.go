package tui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
)

const uploadFix1 = "Enable-VMReplication -VMName SQL01 -ReplicaServerName 127.0.0.1 -ReplicaServerPort 43713 -AuthenticationType Kerberos -BypassProxyServer $true"

// wizardAtFailure is the recorded run's model at w x h on the wizard tab,
// the failing step's card open.
func wizardAtFailure(t *testing.T, w, h int) *Model {
	t.Helper()
	m := newWizardModel(t, w, h, TargetFields{Replica: "127.0.0.1", Port: "43713", Proxy: "http://127.0.0.1:41285", VM: "SQL01"})
	runAll(m, m.Init())
	step(m, 5)
	m.ctx.setStatus("", 0)
	m.report.dir = "/srv/incidents"
	if w >= WideWidth {
		pressAll(m, "tab") // the wizard takes the keyboard; both halves stay
	} else {
		pressAll(m, "2")
	}
	return m
}

// commandLines are the screen lines that hold a piece of uploadFix1: its
// parameters that no other fix command of the recorded run has.
func commandLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, w := range []string{"Enable-VMReplication", "-ReplicaServerName", "-ReplicaServerPort", "-AuthenticationType"} {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// A fix command is never broken across lines, at 80x24 (one pane) and
// 200x50 (split, then z for the whole width): it is one line, scrolled
// sideways with the arrows, and whole at full width. Before, the card
// wrapped it at ~80 columns even on a 200-column screen.
func TestWizardFixCommandsNeverWrap(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		m := wizardAtFailure(t, sz[0], sz[1])
		pressAll(m, "f") // fix 1, the long Enable-VMReplication
		checkFits(t, m, sz[0], sz[1])
		got := commandLines(screen(m))
		if len(got) != 1 || !strings.Contains(got[0], "Enable-VMReplication -VMName SQL01") {
			t.Fatalf("%dx%d: fix 1's command should be one line, got %d:\n%s", sz[0], sz[1], len(got), strings.Join(screen(m), "\n"))
		}
		// Scrolled to the right, the end shows on that same line.
		pressAll(m, "right", "right", "right", "right", "right", "right")
		got = commandLines(screen(m))
		if len(got) != 1 || !strings.HasSuffix(strings.TrimRight(got[0], " "), "-BypassProxyServer $true") {
			t.Fatalf("%dx%d: scrolled right, the command's end should show on one line: %q", sz[0], sz[1], got)
		}
		pressAll(m, "left", "left", "left", "left", "left", "left")
		if got = commandLines(screen(m)); len(got) != 1 || !strings.Contains(got[0], "Enable-VMReplication") {
			t.Fatalf("%dx%d: scrolled back left: %q", sz[0], sz[1], got)
		}
	}
	// At 200 columns z gives the wizard the whole width: the command is
	// whole on one line, ready to select with the mouse.
	m := wizardAtFailure(t, 200, 50)
	pressAll(m, "f", "z")
	checkFits(t, m, 200, 50)
	got := commandLines(screen(m))
	if len(got) != 1 || !strings.Contains(got[0], uploadFix1) {
		t.Fatalf("z: the command should be whole on one line: %q\n%s", got, strings.Join(screen(m), "\n"))
	}
	if strings.Contains(strings.Join(screen(m), "\n"), "sqlservr.exe") {
		t.Errorf("z should give the wizard the whole width")
	}
	pressAll(m, "z")
	if !strings.Contains(strings.Join(screen(m), "\n"), "sqlservr.exe") {
		t.Errorf("z again should split the screen")
	}
}

// c copies fix 1 when no fix is selected yet, and selects it.
func TestCopyWithoutSelectionCopiesFix1(t *testing.T) {
	m := wizardAtFailure(t, 80, 24)
	m.wizard.clip = nil
	pressAll(m, "c")
	if got := m.Copied(); len(got) != 1 || got[0] != uploadFix1 {
		t.Fatalf("copied %q", got)
	}
	if m.wizard.fix != 0 {
		t.Errorf("the copied fix should be selected: %d", m.wizard.fix)
	}
}

// With a native clipboard (Windows), c writes it and says so only once it
// answered; a refusal falls back to OSC 52 and says that. The Windows
// clipboard API cannot run here: a recording function stands in for
// clipboard.WriteAll, the real call is built and vetted for windows.
func TestCopyWithNativeClipboard(t *testing.T) {
	nativeClipboardName = "the Windows clipboard"
	t.Cleanup(func() { nativeClipboardName = "" })
	for _, fail := range []bool{false, true} {
		m := wizardAtFailure(t, 80, 24)
		var got []string
		m.wizard.clip = func(s string) error {
			got = append(got, s)
			if fail {
				return errors.New("OpenClipboard: access denied")
			}
			return nil
		}
		pressAll(m, "f", "f")
		_, cmd := m.Update(keyMsg("c"))
		if s := strings.Join(screen(m), "\n"); !strings.Contains(s, "copying fix 2 to the Windows clipboard") {
			t.Errorf("before the answer the status should say it is copying:\n%s", s)
		}
		msg := cmd()
		cb, ok := msg.(clipboardMsg)
		if !ok {
			t.Fatalf("c should write the native clipboard in a command, got %T", msg)
		}
		_, next := m.Update(cb)
		s := strings.Join(screen(m), "\n")
		if len(got) != 1 || got[0] != uploadFix2 {
			t.Errorf("native clipboard got %q", got)
		}
		if !fail {
			if !strings.Contains(s, "copied fix 2 to the Windows clipboard") || next != nil {
				t.Errorf("success should say copied, with nothing more to send:\n%s", s)
			}
			continue
		}
		if !strings.Contains(s, "the Windows clipboard refused fix 2") || next == nil {
			t.Errorf("a refusal should say so and fall back to OSC 52:\n%s", s)
		}
		if typ := fmt.Sprintf("%T", next()); typ != "tea.setClipboardMsg" {
			t.Errorf("the fallback should be OSC 52 (tea.SetClipboard), got %s", typ)
		}
	}
}

// The goldens pin the fix card with fix 1 selected at 80x24 and 200x50
// (split and zoomed): the long command is on one line.
func TestWizardFixGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		w, h int
		keys []string
	}{
		{"80x24_fix1_no_color", 80, 24, []string{"f"}},
		{"80x24_fix1_scrolled_no_color", 80, 24, []string{"f", "right"}},
		{"200x50_fix1_no_color", 200, 50, []string{"f"}},
		{"200x50_fix1_zoom_no_color", 200, 50, []string{"f", "z"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := wizardAtFailure(t, c.w, c.h)
			pressAll(m, c.keys...)
			m.ctx.setStatus("", 0)
			checkFits(t, m, c.w, c.h)
			golden.RequireEqual(t, render(t, m, colorprofile.ASCII))
		})
	}
}
