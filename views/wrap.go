package views

import (
	"strings"
	"unicode/utf8"
)

// wrapText breaks plain text (no escape sequences) into lines of at most w
// cells at spaces. A word longer than w is cut into pieces of w, so nothing
// is ever hidden past the right edge: commands and paths stay readable in
// full on a narrow console.
func wrapText(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		lineW := 0
		for _, word := range strings.Fields(para) {
			ww := Width(word)
			for ww > w {
				// Cut the long word: fill the current line first.
				room := w - lineW
				if lineW > 0 {
					room-- // the space
				}
				if room <= 0 {
					lines = append(lines, line)
					line, lineW = "", 0
					continue
				}
				head, tail := cutCells(word, room)
				if lineW > 0 {
					line += " "
				}
				lines = append(lines, line+head)
				line, lineW = "", 0
				word, ww = tail, Width(tail)
			}
			switch {
			case lineW == 0:
				line, lineW = word, ww
			case lineW+1+ww <= w:
				line += " " + word
				lineW += 1 + ww
			default:
				lines = append(lines, line)
				line, lineW = word, ww
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// cutCells splits plain s after n cells.
func cutCells(s string, n int) (string, string) {
	w := 0
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		if w+1 > n {
			return s[:i], s[i:]
		}
		w++
		i += size
	}
	return s, ""
}

// indentLines wraps text to fit w after the wider of the two prefixes and
// prefixes the first line with first and the others with rest.
func indentLines(first, rest, text string, w int) []string {
	lines := wrapText(text, w-max(Width(first), Width(rest)))
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return lines
}
