package views

import (
	"strings"
)

// HelpEntry is one key and what it does.
type HelpEntry struct{ Key, Desc string }

// HelpSection is a titled group of keys.
type HelpSection struct {
	Title   string
	Entries []HelpEntry
}

// HelpData is what the help screen explains: the keys, and the meaning of
// what is on screen.
type HelpData struct {
	Sections []HelpSection
	// WriteLabel and Note come from the source, so the help says what the
	// numbers really count on this machine.
	WriteLabel string
	Note       string
}

// Help draws the full help screen in exactly h lines of at most w cells: the
// key sections side by side when the width allows, then what the columns
// and classes mean.
func Help(d HelpData, w, h int, t Theme) string {
	var blocks []string
	for _, s := range d.Sections {
		keyW := 0
		for _, e := range s.Entries {
			keyW = max(keyW, len(e.Key))
		}
		lines := []string{t.Heading.Render(s.Title)}
		for _, e := range s.Entries {
			lines = append(lines, t.Key.Render(PadRight(e.Key, keyW))+"  "+e.Desc)
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	keys := flow(blocks, w)

	writes := d.WriteLabel
	if writes == "" {
		writes = "bytes written"
	}
	about := []string{t.Heading.Render("What the screen shows")}
	for _, para := range []string{
		"Class: workload (the guest's own job, and any process no rule names), inbox (part of the OS) or third-party (backup, anti-virus, updaters); enter on a process shows the rule that matched.",
		"Write/s, Read/s: bytes per second over the last interval, from the OS counters (" + writes + "); Written: since the process started; History: one mark per sample.",
		"Wizard: each step shows what it checks, the evidence, why it matters and the fixes; c copies the selected fix's command (also printed when you quit).",
	} {
		about = append(about, wrapText(para, w)...)
	}
	if d.Note != "" {
		about = append(about, wrapText("Note: "+d.Note, w)...)
	}
	return Fit(keys+"\n\n"+strings.Join(about, "\n"), w, h)
}

// flow places blocks side by side, two spaces apart, wrapping to a new band
// of blocks when the next one would pass w.
func flow(blocks []string, w int) string {
	var bands []string
	var row []string
	rowW := 0
	joinRow := func() {
		if len(row) > 0 {
			bands = append(bands, joinHorizontal(row))
		}
		row, rowW = nil, 0
	}
	for _, b := range blocks {
		bw := blockWidth(b)
		if len(row) > 0 && rowW+2+bw > w {
			joinRow()
		}
		if len(row) > 0 {
			rowW += 2
		}
		row = append(row, b)
		rowW += bw
	}
	joinRow()
	return strings.Join(bands, "\n\n")
}
