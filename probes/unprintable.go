package probes

import "unicode"

// Unprintable reports whether r must not reach a terminal or a copied
// command as it is when it comes from outside input (a VM name, an event
// message, a scenario file): control characters (ESC starts the
// sequences that move the cursor, retitle the window or clear the
// screen), the bidirectional controls (U+202A-U+202E, U+2066-U+2069,
// U+200E, U+200F, U+061C) that make a line, or a fix command, read in
// another order than it runs, and the Unicode line and paragraph
// separators.
func Unprintable(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}
