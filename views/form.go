package views

import (
	"fmt"
	"strings"
)

// FormField is one input of the wizard's target form.
type FormField struct {
	// Label names the field; Flag the command-line flag that sets it too.
	Label, Flag string
	// Input is the rendered text input (bubbles textinput View).
	Input string
	// Hint says what to type; shown for the focused field.
	Hint    string
	Focused bool
}

// FormData is the target form: its fields, the last validation error and
// a choice of VMs when the host's replication settings name several.
type FormData struct {
	Fields []FormField
	// Err is the validation error of the last attempt to run, one line.
	Err string
	// Note is a line under the title: where the values came from.
	Note string
	// Editing is true while the form has the keyboard.
	Editing bool
	// Secret, when set, is the password prompt the checks wait for.
	Secret *FormSecret
}

// FormSecret is a masked password prompt under the form's fields.
type FormSecret struct {
	// Label says whose password ("Password for /etc/hv1.pfx"); Input is
	// the masked text input; Err the last attempt's problem.
	Label, Input, Err string
}

// Form draws the target form in exactly h lines of at most w cells: a
// title, the fields with their flags (scrolled so the focused one shows
// when they do not all fit), the focused field's hint or the password
// prompt, the error, and the keys that work in the form.
func Form(d FormData, w, h int, t Theme) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	top := []string{Truncate(t.Heading.Render("Wizard: replica server to check"), w, t.Glyphs.Ellipsis)}
	if d.Note != "" {
		top = append(top, Truncate(t.Muted.Render(d.Note), w, t.Glyphs.Ellipsis))
	}
	bottom := formBottom(d, w, t)
	labelW := 0
	for _, f := range d.Fields {
		labelW = max(labelW, Width(f.Label))
	}
	rows := max(1, h-len(top)-len(bottom))
	off := formOffset(d, rows)
	lines := top
	for i := off; i < len(d.Fields) && i < off+rows; i++ {
		f := d.Fields[i]
		marker := " "
		label := PadRight(f.Label, labelW)
		if f.Focused && d.Editing {
			marker = t.Glyphs.Marker
			label = t.Value.Render(label)
		}
		lines = append(lines, Truncate(marker+" "+label+"  "+f.Input, w, ""))
	}
	if off > 0 || off+rows < len(d.Fields) {
		more := fmt.Sprintf(" fields %d-%d of %d ", off+1, min(len(d.Fields), off+rows), len(d.Fields))
		lines[len(lines)-1] = Truncate(lines[len(lines)-1], max(0, w-Width(more)), "")
		lines[len(lines)-1] = PadRight(lines[len(lines)-1], w-Width(more)) + t.Muted.Render(more)
	}
	lines = append(lines, bottom...)
	return Fit(strings.Join(lines, "\n"), w, h)
}

// formBottom is what follows the fields: a blank line, the focused
// field's hint or the password prompt, the error and the keys.
func formBottom(d FormData, w int, t Theme) []string {
	lines := []string{""}
	hint := ""
	for _, f := range d.Fields {
		if f.Focused && d.Editing {
			hint = f.Hint
			if f.Flag != "" {
				hint += " (same as " + f.Flag + ")"
			}
		}
	}
	if s := d.Secret; s != nil {
		lines = append(lines, Truncate("  "+t.Value.Render(s.Label+":"), w, t.Glyphs.Ellipsis),
			Truncate("  "+t.Glyphs.Marker+" "+s.Input, w, ""))
		if s.Err != "" {
			for _, l := range wrapText(s.Err, w-2) {
				lines = append(lines, t.Error.Render("  "+l))
			}
		}
		hint = ""
	}
	if hint != "" {
		for _, l := range wrapText(hint, w-2) {
			lines = append(lines, t.Muted.Render("  "+l))
		}
	}
	if d.Err != "" && d.Secret == nil {
		for _, l := range wrapText(d.Err, w-2) {
			lines = append(lines, t.Error.Render("  "+l))
		}
	}
	var keys string
	switch {
	case d.Secret != nil:
		keys = "typed text is not shown  enter uses it  esc back to the form"
	case d.Editing:
		keys = "tab/" + arrowsUpDown(t) + " field  enter run the checks  esc leave the form"
	default:
		keys = "e: fill in the replica server, then enter runs the checks"
	}
	return append(lines, t.Muted.Render(Truncate("  "+keys, w, t.Glyphs.Ellipsis)))
}

// formOffset is the first field shown when rows lines are left for the
// fields: 0 when all fit, else so that the focused field shows.
func formOffset(d FormData, rows int) int {
	focused := 0
	for i, f := range d.Fields {
		if f.Focused {
			focused = i
		}
	}
	return ScrollOffset(0, focused, rows, len(d.Fields))
}

// arrowsUpDown names the up and down keys in the theme's characters.
func arrowsUpDown(t Theme) string {
	if t.Glyphs.ASCII {
		return "up/down"
	}
	return "↑↓"
}

// FormFieldLine is the line (from the top of the form) of field i in a
// form h lines tall, -1 when it is scrolled out of sight: for mouse
// clicks.
func FormFieldLine(d FormData, i, w, h int, t Theme) int {
	top := 1
	if d.Note != "" {
		top++
	}
	rows := max(1, h-top-len(formBottom(d, w, t)))
	off := formOffset(d, rows)
	if i < off || i >= off+rows {
		return -1
	}
	return top + i - off
}

// VMChoice lists the VMs that replicate from this host (from
// Get-VMReplication) to pick the one to check, in h lines of w cells.
func VMChoice(vms []string, sel, w, h int, t Theme) string {
	lines := []string{
		Truncate(t.Heading.Render("Wizard: which VM's replication to check?"), w, t.Glyphs.Ellipsis),
		Truncate(t.Muted.Render("From Get-VMReplication on this host: enter uses it, esc types a replica instead"), w, t.Glyphs.Ellipsis),
	}
	rows := max(1, h-2)
	off := ScrollOffset(0, sel, rows, len(vms))
	for i := off; i < len(vms) && i < off+rows; i++ {
		if i == sel {
			lines = append(lines, t.Selected.Render(PadRight(t.Glyphs.Marker+" "+Truncate(vms[i], w-2, t.Glyphs.Ellipsis), w)))
		} else {
			lines = append(lines, "  "+Truncate(vms[i], w-2, t.Glyphs.Ellipsis))
		}
	}
	return Fit(strings.Join(lines, "\n"), w, h)
}
