package views

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Truncate cuts s (which may hold ANSI styles) to at most w cells, ending it
// with tail when something was cut.
func Truncate(s string, w int, tail string) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	if ansi.StringWidth(tail) >= w {
		return ansi.Truncate(s, w, "")
	}
	return ansi.Truncate(s, w, tail)
}

// PadRight pads plain or styled s with spaces to exactly w cells, truncating
// it first when it is wider.
func PadRight(s string, w int) string {
	s = ansi.Truncate(s, w, "")
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// PadLeft right-aligns s in w cells.
func PadLeft(s string, w int) string {
	s = ansi.Truncate(s, w, "")
	if n := ansi.StringWidth(s); n < w {
		s = strings.Repeat(" ", w-n) + s
	}
	return s
}

// Fit makes a block exactly h lines tall with no line wider than w: longer
// lines are cut, missing lines are blank, extra lines are dropped. Lines are
// not padded on the right, so the renderer sends fewer bytes.
func Fit(s string, w, h int) string {
	if h <= 0 || w <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// spread lays left and right on one line of width w, right-aligned, cutting
// left when both do not fit.
func spread(left, right string, w int) string {
	rw := lipgloss.Width(right)
	if rw >= w {
		return Truncate(right, w, "")
	}
	lw := w - rw - 1
	left = ansi.Truncate(left, lw, "")
	return left + strings.Repeat(" ", w-rw-lipgloss.Width(left)) + right
}

// blockWidth is the width of the widest line of s.
func blockWidth(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// joinHorizontal puts blocks side by side, top-aligned, two spaces apart.
func joinHorizontal(blocks []string) string {
	padded := make([]string, len(blocks))
	for i, b := range blocks {
		if i < len(blocks)-1 {
			b = lipgloss.NewStyle().PaddingRight(2).Render(b)
		}
		padded[i] = b
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, padded...)
}
