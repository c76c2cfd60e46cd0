package views

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal cells s takes, escape sequences excluded.
// It is ansi.StringWidth with a fast path for what these views draw (ASCII,
// box drawing, blocks, braille, arrows, "…" and "·", SGR sequences): View
// runs after every message, and grapheme segmentation of every line was
// most of its cost. Anything else goes to ansi.StringWidth.
func Width(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			// CSI: ESC [ parameters final byte (0x40..0x7e).
			if i+1 >= len(s) || s[i+1] != '[' {
				return ansi.StringWidth(s)
			}
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j + 1
		case c >= 0x20 && c < 0x7f:
			w++
			i++
		case c < 0x80:
			return ansi.StringWidth(s) // control characters
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !narrow(r) {
				return ansi.StringWidth(s)
			}
			w++
			i += n
		}
	}
	return w
}

// narrow reports whether r is one of the one-cell characters the views use.
func narrow(r rune) bool {
	switch {
	case r >= 0x2500 && r <= 0x259f: // box drawing, block elements
		return true
	case r >= 0x2800 && r <= 0x28ff: // braille patterns
		return true
	case r >= 0x2190 && r <= 0x2193: // ←↑→↓
		return true
	case r == 0x25b2 || r == 0x25bc || r == 0x2026 || r == 0x00b7 || r == 0x2022: // ▲▼…·•
		return true
	case r == 0x2713 || r == 0x2717: // ✓✗
		return true
	}
	return false
}
