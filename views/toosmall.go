package views

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
)

// Minimum terminal size for the full screen.
const (
	MinWidth  = 60
	MinHeight = 20
)

// TooSmall is the screen shown when the terminal is under MinWidth x
// MinHeight: it names both sizes and how to leave, wrapped to w and cut to
// h lines so it never scrolls even at 20x5.
func TooSmall(w, h int, t Theme) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	msg := fmt.Sprintf("terminal too small (need %dx%d, have %dx%d)", MinWidth, MinHeight, w, h)
	hint := "enlarge the window or press q to quit"
	body := lipgloss.NewStyle().Width(w).Render(t.Warn.Render(msg)) + "\n" +
		lipgloss.NewStyle().Width(w).Render(t.Muted.Render(hint))
	lines := strings.Split(body, "\n")
	if len(lines) < h {
		pad := (h - len(lines)) / 2
		lines = append(make([]string, pad), lines...)
	}
	return Fit(strings.Join(lines, "\n"), w, h)
}
