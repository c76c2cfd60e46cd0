package views

import (
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
}

// Form draws the target form in exactly h lines of at most w cells: a
// title, the fields with their flags, the focused field's hint, the error,
// and the keys that work in the form.
func Form(d FormData, w, h int, t Theme) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := []string{Truncate(t.Heading.Render("Wizard: replica server to check"), w, t.Glyphs.Ellipsis)}
	if d.Note != "" {
		lines = append(lines, Truncate(t.Muted.Render(d.Note), w, t.Glyphs.Ellipsis))
	}
	labelW := 0
	for _, f := range d.Fields {
		labelW = max(labelW, Width(f.Label))
	}
	hint := ""
	for _, f := range d.Fields {
		marker := " "
		label := PadRight(f.Label, labelW)
		if f.Focused && d.Editing {
			marker = t.Glyphs.Marker
			label = t.Value.Render(label)
			hint = f.Hint
			if f.Flag != "" {
				hint += " (same as " + f.Flag + ")"
			}
		}
		lines = append(lines, Truncate(marker+" "+label+"  "+f.Input, w, ""))
	}
	lines = append(lines, "")
	if hint != "" {
		for _, l := range wrapText(hint, w-2) {
			lines = append(lines, t.Muted.Render("  "+l))
		}
	}
	if d.Err != "" {
		for _, l := range wrapText(d.Err, w-2) {
			lines = append(lines, t.Error.Render("  "+l))
		}
	}
	var keys string
	if d.Editing {
		keys = "tab/" + arrowsUpDown(t) + " field  enter run the checks  esc leave the form"
	} else {
		keys = "e: fill in the replica server, then enter runs the checks"
	}
	lines = append(lines, t.Muted.Render(Truncate("  "+keys, w, t.Glyphs.Ellipsis)))
	return Fit(strings.Join(lines, "\n"), w, h)
}

// arrowsUpDown names the up and down keys in the theme's characters.
func arrowsUpDown(t Theme) string {
	if t.Glyphs.ASCII {
		return "up/down"
	}
	return "↑↓"
}

// FormFieldLine is the line (from the top of the form) of field i, for
// mouse clicks.
func FormFieldLine(d FormData, i int) int {
	top := 1
	if d.Note != "" {
		top++
	}
	return top + i
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
