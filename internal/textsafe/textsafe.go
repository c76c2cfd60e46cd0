// Package textsafe says which characters of outside input (a VM name, an
// event message, a process or file name in a recording, a scenario file)
// must not reach a terminal or a copied command as they are, and replaces
// them for display.
package textsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unprintable reports whether r must not reach a terminal or a copied
// command as it is: control characters (ESC starts the sequences that
// move the cursor, retitle the window or clear the screen; C1 controls
// such as U+009B do the same on some terminals), the bidirectional
// controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) that
// make a line, or a fix command, read in another order than it runs, and
// the Unicode line and paragraph separators.
func Unprintable(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

// Clean returns s with each unprintable character, and each byte that is
// not UTF-8, replaced by U+FFFD; s itself when it has none. The result is
// valid UTF-8 (which Prometheus label values must be).
func Clean(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, Unprintable) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if Unprintable(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// Escape returns s with each unprintable character written as a Go escape
// (\x1b, \u202e) and each byte that is not UTF-8 as \xNN; s itself when
// it has none. Unlike Clean it keeps names apart (two files whose names
// differ only in such characters stay two), so it suits keys such as file
// paths.
func Escape(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, Unprintable) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case Unprintable(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case Unprintable(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
