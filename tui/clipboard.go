package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
)

// nativeClipboard puts text on the operating system's clipboard where the
// program can call it itself (Windows: clipboard_windows.go), and
// nativeClipboardName names it in messages. Elsewhere it is nil and c asks
// the terminal with OSC 52, which the terminal may ignore without a word.
var (
	nativeClipboard     func(string) error
	nativeClipboardName string
)

// clipboardMsg is the native clipboard's answer for fix n (1-based).
type clipboardMsg struct {
	fix int
	cmd string
	err error
}

// copyCommand returns the command that copies cmd, fix n of the card, and
// the status line that says how, claiming no more than the method can
// know: the native clipboard answers (clipboardMsg), OSC 52 does not.
func copyCommand(native func(string) error, n int, cmd string) (tea.Cmd, string) {
	if native != nil {
		return func() tea.Msg { return clipboardMsg{fix: n, cmd: cmd, err: native(cmd)} },
			fmt.Sprintf("copying fix %d to %s...", n, nativeClipboardName)
	}
	return tea.SetClipboard(cmd), osc52Status(n)
}

// osc52Status is the status line after asking the terminal to copy fix n.
func osc52Status(n int) string {
	return fmt.Sprintf("fix %d sent to the terminal's clipboard (OSC 52); your terminal may ignore it", n)
}

// copied is the status line once the native clipboard answered, and the
// command to run next: OSC 52 when the native clipboard refused.
func (m clipboardMsg) result() (tea.Cmd, string) {
	if m.err == nil {
		return nil, fmt.Sprintf("copied fix %d to %s", m.fix, nativeClipboardName)
	}
	return tea.SetClipboard(m.cmd), fmt.Sprintf("%s refused fix %d (%v); %s", nativeClipboardName, m.fix, m.err, osc52Status(m.fix))
}
