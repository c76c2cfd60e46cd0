package views

import "strings"

// lineWriters return the two ways a scrolling screen (Churn, Report) adds
// to its lines: add appends one line cut to w cells with an ellipsis; wrap
// appends text wrapped to w under a first-line prefix and a hanging one,
// each line drawn by st (a lipgloss Render, or plain).
func lineWriters(lines *[]string, w int, t Theme) (add func(string), wrap func(st func(...string) string, first, rest, text string)) {
	add = func(s string) { *lines = append(*lines, Truncate(s, w, t.Glyphs.Ellipsis)) }
	wrap = func(st func(...string) string, first, rest, text string) {
		for _, l := range indentLines(first, rest, text, w) {
			*lines = append(*lines, st(l))
		}
	}
	return add, wrap
}

// plain draws text unstyled, for wrap.
func plain(s ...string) string { return strings.Join(s, "") }
