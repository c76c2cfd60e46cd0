package views

import (
	"fmt"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/sampler"
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

// Help draws the full help screen in exactly h lines of at most w cells,
// from line offset of HelpLines (clamped so the last page is full). When
// the help is taller than h, the last line says which lines are shown and
// how to scroll, so a small console reaches every key.
func Help(d HelpData, offset, w, h int, t Theme) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := HelpLines(d, w, t)
	if len(lines) <= h {
		return Fit(strings.Join(lines, "\n"), w, h)
	}
	view := h - 1 // the last line says where we are
	offset = HelpOffset(offset, len(lines), h)
	end := min(len(lines), offset+view)
	shown := append(append([]string(nil), lines[offset:end]...), make([]string, view-(end-offset))...)
	move := "↑↓ pgup/pgdn"
	if t.Glyphs.ASCII {
		move = "j/k pgup/pgdn"
	}
	more := fmt.Sprintf(" help lines %d-%d of %d: %s scroll ", offset+1, end, len(lines), move)
	shown = append(shown, PadLeft(t.Muted.Render(Truncate(more, w, t.Glyphs.Ellipsis)), w))
	return Fit(strings.Join(shown, "\n"), w, h)
}

// HelpOffset clamps a help screen's scroll offset for n lines of help in h
// screen lines (one of them the position line): 0 when it all fits.
func HelpOffset(offset, n, h int) int {
	if n <= h {
		return 0
	}
	return max(0, min(offset, n-(h-1)))
}

// HelpLines lays out the whole help as lines of at most w cells: the key
// sections side by side when the width allows, then what the columns and
// classes mean.
func HelpLines(d HelpData, w int, t Theme) []string {
	var blocks []string
	for _, s := range d.Sections {
		keyW := 0
		for _, e := range s.Entries {
			keyW = max(keyW, Width(e.Key))
		}
		lines := []string{t.Heading.Render(s.Title)}
		for _, e := range s.Entries {
			lines = append(lines, Truncate(t.Key.Render(PadRight(e.Key, keyW))+"  "+e.Desc, w, t.Glyphs.Ellipsis))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	keys := flow(blocks, w)

	writes := d.WriteLabel
	if writes == "" {
		writes = "bytes written"
	}
	about := []string{t.Heading.Render("What the screen shows")}
	counts := "Write/s, Read/s: bytes per second over the last interval, from the OS counters (" + writes + "); Written: since the process started; History: one mark per sample."
	if d.WriteLabel == sampler.DiskWriteLabel {
		counts = "Write/s: bytes that reached the disk per second over the last interval, from the block layer: what the process submitted (fsync, O_DIRECT, O_SYNC) plus its share of the kernel's writeback of files it dirtied; journal and metadata have rows of their own, so the rows add up to the disks' writes. Read/s: the OS counters. Written: on disk since hvrdoctor started; the process page shows write_bytes as " + sampler.DirtiedLabel + ". History: one mark per sample. Files: Disk/s reached the disk; ms/req, mean response time of the file's own requests (from when the block layer made each request to its completion, as /proc/diskstats times them); I/O pri, the process's I/O priority (be/4, idle; ~ when the level comes from nice). D on one disk limits both lists to it, at that disk's figures (Written too); m averages them over the last minute as it does all disks. A process or kernel row active in the last minute stays listed, idle, when an interval carries nothing for it (an exited process marked so)."
	}
	for _, para := range []string{
		"Class: workload (the guest's own job, and any process no rule names), inbox (part of the OS) or third-party (backup, anti-virus, updaters); enter on a process shows the rule that matched.",
		counts,
		"Wizard: each step shows what it checks, the evidence, why it matters and the fixes; c copies the selected fix's command (also printed when you quit).",
	} {
		about = append(about, wrapText(para, w)...)
	}
	if d.Note != "" {
		about = append(about, wrapText("Note: "+d.Note, w)...)
	}
	out := strings.Split(keys, "\n")
	out = append(out, "")
	return append(out, about...)
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
