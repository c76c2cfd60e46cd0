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
	if fitsBytes(s, w) || Width(s) <= w {
		return s
	}
	if Width(tail) >= w {
		return ansi.Truncate(s, w, "")
	}
	return ansi.Truncate(s, w, tail)
}

// PadRight pads plain or styled s with spaces to exactly w cells, truncating
// it first when it is wider.
func PadRight(s string, w int) string {
	if !fitsBytes(s, w) && Width(s) > w {
		s = ansi.Truncate(s, w, "")
	}
	if n := Width(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// PadLeft right-aligns s in w cells.
func PadLeft(s string, w int) string {
	if !fitsBytes(s, w) && Width(s) > w {
		s = ansi.Truncate(s, w, "")
	}
	if n := Width(s); n < w {
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
		if !fitsBytes(l, w) && Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// spread lays left and right on one line of width w, right-aligned, cutting
// left with ellipsis when both do not fit.
func spread(left, right string, w int, ellipsis string) string {
	rw := Width(right)
	if rw >= w {
		return Truncate(right, w, "")
	}
	lw := w - rw - 1
	left = Truncate(left, lw, ellipsis)
	return left + strings.Repeat(" ", w-rw-Width(left)) + right
}

// blockWidth is the width of the widest line of s.
func blockWidth(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, Width(l))
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

// fitsBytes is a fast check that s is at most w cells wide: no character
// takes more cells than bytes, so a string of at most w bytes fits.
func fitsBytes(s string, w int) bool { return len(s) <= w }

// paint applies a style's colours and attributes by plain concatenation.
// lipgloss's Render measures and re-splits its input, which costs more than
// the rest of a table row; for styles without padding, borders or widths
// the result is the same.
type paint struct{ pre, post string }

// newPaint captures st's escape sequences around one character.
func newPaint(st lipgloss.Style) paint {
	out := st.Render("X")
	i := strings.Index(out, "X")
	if i < 0 {
		return paint{}
	}
	return paint{pre: out[:i], post: out[i+1:]}
}

func (p paint) apply(s string) string {
	if p.pre == "" || s == "" {
		return s
	}
	return p.pre + s + p.post
}
