package views

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// StepView is one wizard step as drawn: the probe's names and its latest
// result (Status pending before it runs, running while it runs).
type StepView struct {
	ID, Title, About string
	Result           probes.Result
}

// WizardData is what the wizard pane shows: the target line, the step list
// with one selected step, and that step's card scrolled to CardOffset.
type WizardData struct {
	// Target describes what is checked, one line.
	Target string
	Steps  []StepView
	// Selected is the index of the step whose card is shown.
	Selected int
	// Spinner is the current frame of the running steps' spinner.
	Spinner string
	// Fix is the selected fix of the card (c copies its command), -1 for
	// none yet: the first f selects fix 1.
	Fix int
	// CmdOffset is how many cells the fix commands are scrolled to the
	// left: a command is drawn on one line, never wrapped, so that it
	// can be selected and copied whole.
	CmdOffset int
	// CanZoom says z would give the card the whole width of the screen.
	CanZoom bool
	// CardOffset is the first card line drawn.
	CardOffset int
	// Focused draws the selection in reverse video; an unfocused pane only
	// marks it.
	Focused bool
}

// StatusIcon is a status's one-cell icon: Unicode marks, or 7-bit
// characters in ASCII mode. The word follows in the card, so colour and
// shape are never the only cue.
func StatusIcon(s probes.Status, spinner string, t Theme) string {
	ascii := t.Glyphs.ASCII
	pick := func(u, a string) string {
		if ascii {
			return a
		}
		return u
	}
	switch s {
	case probes.StatusPass:
		return t.Pass.Render(pick("✓", "+"))
	case probes.StatusWarn:
		return t.Warn.Render("!")
	case probes.StatusFail:
		return t.Error.Render(pick("✗", "x"))
	case probes.StatusError:
		return t.Error.Render("?")
	case probes.StatusSkip:
		return t.Muted.Render("-")
	case probes.StatusRunning:
		if spinner == "" {
			spinner = "*"
		}
		return t.Key.Render(spinner)
	}
	return t.Muted.Render(pick("·", "."))
}

// statusWord is the upper-case status for cards.
func statusWord(s probes.Status, t Theme) string {
	word := strings.ToUpper(s.String())
	switch s {
	case probes.StatusPass:
		return t.Pass.Render(word)
	case probes.StatusWarn:
		return t.Warn.Render(word)
	case probes.StatusFail, probes.StatusError:
		return t.Error.Render(word)
	}
	return t.Muted.Render(word)
}

// WizardStepsHeight is how many lines the target line and the step list
// take for n steps in a pane h lines tall: the card keeps at least a third.
func WizardStepsHeight(n, h int) int {
	return max(1, min(n+1, h-max(4, h/3)))
}

// Wizard draws the target line, the step list and the selected step's card
// in exactly h lines of at most w cells.
func Wizard(d WizardData, w, h int, t Theme) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	listH := WizardStepsHeight(len(d.Steps), h)
	lines := make([]string, 0, h)
	lines = append(lines, Truncate(t.Heading.Render("Wizard")+" "+t.Muted.Render(d.Target), w, t.Glyphs.Ellipsis))

	titleW := 0
	for _, s := range d.Steps {
		titleW = max(titleW, Width(s.Title))
	}
	titleW = min(titleW, max(10, w/3))
	rows := listH - 1
	off := ScrollOffset(0, d.Selected, rows, len(d.Steps))
	for i := off; i < len(d.Steps) && i < off+rows; i++ {
		lines = append(lines, stepLine(d, i, titleW, w, t))
	}
	for len(lines) < listH {
		lines = append(lines, "")
	}
	if cardH := h - listH - 1; cardH > 0 && len(d.Steps) > 0 {
		lines = append(lines, t.Muted.Render(strings.Repeat(t.Glyphs.AxisH, w)))
		card, _ := WizardCard(d, w, t)
		off := max(0, min(d.CardOffset, len(card)-cardH))
		end := min(len(card), off+cardH)
		lines = append(lines, card[off:end]...)
		if off > 0 || end < len(card) {
			// Say that there is more, in the last line's place.
			more := fmt.Sprintf(" lines %d-%d of %d: pgup/pgdn scroll ", off+1, end, len(card))
			lines[len(lines)-1] = PadLeft(t.Muted.Render(more), w)
		}
	}
	return Fit(strings.Join(lines, "\n"), w, h)
}

// stepLine is one row of the step list: marker, icon, title, summary.
func stepLine(d WizardData, i, titleW, w int, t Theme) string {
	s := d.Steps[i]
	marker := " "
	if i == d.Selected {
		marker = t.Glyphs.Marker
	}
	summary := s.Result.Summary
	if s.Result.Status == probes.StatusPending {
		summary = "not run yet"
	}
	text := PadRight(Truncate(s.Title, titleW, t.Glyphs.Ellipsis), titleW) + "  " + summary
	if i == d.Selected && d.Focused {
		return marker + StatusIcon(s.Result.Status, d.Spinner, t) + " " +
			t.Selected.Render(PadRight(Truncate(text, w-3, t.Glyphs.Ellipsis), w-3))
	}
	return marker + StatusIcon(s.Result.Status, d.Spinner, t) + " " + Truncate(text, w-3, t.Glyphs.Ellipsis)
}

// WizardCard lays out the selected step's card as lines of at most w cells:
// title and status, summary, what the step checks, evidence, reason, error
// codes and the fixes, each command on one line (CommandLine). It
// also returns the first line of each fix, so the pane can scroll the
// selected fix into view.
func WizardCard(d WizardData, w int, t Theme) ([]string, []int) {
	if d.Selected < 0 || d.Selected >= len(d.Steps) || w <= 4 {
		return nil, nil
	}
	s := d.Steps[d.Selected]
	r := s.Result
	var lines []string
	add := func(st lipgloss.Style, first, rest, text string) {
		for _, l := range indentLines(first, rest, text, w) {
			lines = append(lines, st.Render(l))
		}
	}
	lines = append(lines, Truncate(t.Heading.Render(s.Title)+"  "+statusWord(r.Status, t)+t.Muted.Render("  "+s.ID), w, t.Glyphs.Ellipsis))
	// Before a result, what the step checks comes first; after it, what
	// was found and the fixes come first and the description last.
	finished := true
	switch r.Status {
	case probes.StatusPending:
		add(t.Muted, "", "", "Not run yet: a runs every step, enter runs this one.")
		finished = false
	case probes.StatusRunning:
		add(t.Muted, "", "", "Running "+d.Spinner)
		finished = false
	default:
		add(lipgloss.NewStyle(), "", "", r.Summary)
	}
	if !finished {
		add(t.Muted, "Checks: ", "        ", s.About)
	}
	if len(r.Evidence) > 0 {
		lines = append(lines, t.Heading.Render("Evidence"))
		for _, e := range r.Evidence {
			add(lipgloss.NewStyle(), "  ", "    ", e)
		}
	}
	if r.Reason != "" {
		lines = append(lines, t.Heading.Render("Why"))
		add(lipgloss.NewStyle(), "  ", "  ", r.Reason)
	}
	if len(r.Codes) > 0 {
		add(lipgloss.NewStyle(), "Codes: ", "       ", strings.Join(r.Codes, ", ")+" (hvrdoctor explain "+r.Codes[0]+")")
	}
	var fixAt []int
	if len(r.Fixes) > 0 {
		hint := "  f next fix, c copies its command"
		if wizardCmdOverflow(r.Fixes, w) > 0 {
			hint = "  f next fix, c copies it whole, " + scrollKeys(t) + " scroll"
			if d.CanZoom {
				hint += ", z full width"
			}
		}
		lines = append(lines, Truncate(t.Heading.Render("Fixes")+t.Muted.Render(hint), w, t.Glyphs.Ellipsis))
		for i, f := range r.Fixes {
			fixAt = append(fixAt, len(lines))
			mark := "  "
			if i == d.Fix {
				mark = t.Glyphs.Marker + " "
			}
			where := ""
			if f.Where != "" {
				where = "[on " + f.Where + "] "
			}
			head := fmt.Sprintf("%s%d. ", mark, i+1)
			st := lipgloss.NewStyle()
			if i == d.Fix {
				st = t.Value
			}
			add(st, head, strings.Repeat(" ", Width(head)), where+f.Text)
			if f.Command != "" {
				lines = append(lines, fixCmdIndent+CommandLine(f.Command, d.CmdOffset, w-Width(fixCmdIndent), t))
			}
		}
	}
	if finished {
		add(t.Muted, "Checks: ", "        ", s.About)
	}
	return lines, fixAt
}

// fixCmdIndent is the room in front of a fix's command in the card.
const fixCmdIndent = "       "

// scrollKeys names the keys that scroll a command sideways.
func scrollKeys(t Theme) string {
	if t.Glyphs.ASCII {
		return "h/l"
	}
	return "←→"
}

// wizardCmdOverflow is how many cells the widest fix command of fixes
// passes the room a card w cells wide gives it; 0 when all fit.
func wizardCmdOverflow(fixes []probes.Fix, w int) int {
	room := w - Width(fixCmdIndent)
	over := 0
	for _, f := range fixes {
		over = max(over, Width(f.Command)-room)
	}
	return over
}

// WizardCmdScroll is the largest useful CmdOffset for the selected step's
// card at width w: the offset that shows the end of its widest command. 0
// when every command fits.
func WizardCmdScroll(d WizardData, w int, t Theme) int {
	if d.Selected < 0 || d.Selected >= len(d.Steps) {
		return 0
	}
	over := wizardCmdOverflow(d.Steps[d.Selected].Result.Fixes, w)
	if over <= 0 {
		return 0
	}
	return over + Width(t.Glyphs.Ellipsis)
}

// CommandLine draws a command on exactly one line of at most w cells,
// never wrapped: whole when it fits, else the cells from offset on, with
// the theme's ellipsis where a part is off screen on either side (the
// keys that scroll it are in the card's Fixes line; c copies it whole).
func CommandLine(cmd string, offset, w int, t Theme) string {
	if w <= 0 {
		return ""
	}
	cw := Width(cmd)
	if cw <= w {
		return t.Command.Render(cmd)
	}
	ell := t.Glyphs.Ellipsis
	ew := Width(ell)
	if w <= 2*ew {
		return t.Muted.Render(Truncate(ell, w, ""))
	}
	offset = max(0, min(offset, cw-w+ew))
	left := ""
	if offset > 0 {
		left = t.Muted.Render(ell)
	}
	room := w - Width(ell)*boolInt(offset > 0)
	rest := ansi.Cut(cmd, offset, cw)
	if Width(rest) <= room {
		return left + t.Command.Render(rest)
	}
	return left + t.Command.Render(ansi.Cut(rest, 0, room-ew)) + t.Muted.Render(ell)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
