package tui

import "github.com/atotto/clipboard"

// On Windows c writes the Windows clipboard itself (OpenClipboard,
// SetClipboardData with CF_UNICODETEXT): consoles such as conhost ignore
// OSC 52, and an RDP session passes the Windows clipboard to the admin's
// machine.
func init() {
	nativeClipboard = clipboard.WriteAll
	nativeClipboardName = "the Windows clipboard"
}
