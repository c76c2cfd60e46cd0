package analysis

import (
	"strconv"
	"strings"
	"unicode"
)

// maxHeaderText bounds the header quoted in an error message, so a wrong
// file (a log, a binary) gives a one-line message, not its first line.
const maxHeaderText = 200

// headerText renders a header for an error message: the cells joined with
// commas, control and invalid characters escaped, cut at maxHeaderText
// bytes with "...".
func headerText(header []string) string {
	s := strings.Join(header, ",")
	printable := true
	for _, r := range s {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) {
			printable = false
			break
		}
	}
	if !printable {
		q := strconv.Quote(s)
		s = q[1 : len(q)-1]
	}
	if len(s) > maxHeaderText {
		cut := maxHeaderText
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// utf8Start reports whether b begins a UTF-8 sequence.
func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
