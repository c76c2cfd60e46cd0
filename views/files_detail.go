package views

import (
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"strconv"
	"time"
	"unicode/utf8"
)

// FileDetailData is one file's page (or one directory's, grouped): its
// latest rates, what it has written this session and its write history.
type FileDetailData struct {
	Row FileTableRow
	// Written is what the process wrote to the file (or directory) since
	// the screen started, as far as the history kept it.
	Written uint64
	// Series is the write rate, oldest first; Times match it.
	Series   []float64
	Times    []time.Time
	Interval time.Duration
	Mode     GraphMode
	// Counts says what the backend's bytes are (fileio.Info.Counts).
	Counts string
}

// FileDetail draws a file's page in exactly h lines of at most w cells:
// the path (wrapped, never cut), the process, the rates and the write-rate
// graph in the rest.
func FileDetail(d FileDetailData, w, h int, t Theme) string {
	r := d.Row
	kind := "File"
	if r.Files > 0 {
		kind = "Directory"
	}
	field := func(label, value string) string { return t.Label.Render(PadRight(label, 10)) + value }
	var facts []string
	// The full path: the one place it is shown whole, wrapped at any
	// character since paths have no spaces to break at.
	for i, part := range chunk(r.Key.Path, max(1, w-10)) {
		label := ""
		if i == 0 {
			label = kind
		}
		facts = append(facts, field(label, t.Heading.Render(part)))
	}
	facts = facts[:min(len(facts), 3)]
	proc := t.Value.Render(r.Name) + t.Label.Render("  PID ") + t.Value.Render(strconv.Itoa(int(r.Key.Proc.PID)))
	if r.Files > 0 {
		proc += t.Muted.Render("  " + strconv.Itoa(r.Files) + " files active in the last minute")
	}
	facts = append(facts,
		field("Process", proc),
		field("Write/s", t.Value.Render(rateOrUnknown(r.WriteRate, r.Unknown))+t.Label.Render("   read/s ")+
			t.Value.Render(rateOrUnknown(r.ReadRate, r.Unknown))+t.Label.Render("   total/s ")+t.Value.Render(rateOrUnknown(r.Total(), r.Unknown))),
		field("Written", t.Value.Render(Bytes(d.Written))+t.Muted.Render("  since the screen started")))
	if r.Memory {
		facts = append(facts, field("Medium", t.Warn.Render(fileio.MemoryNote)))
	}
	if r.Deleted {
		facts = append(facts, field("Deleted", t.Warn.Render("deleted after it was written: these bytes may never reach the disk")))
	}
	if r.Via != "" {
		facts = append(facts, field("Via", t.Value.Render(r.Via)))
	}
	if d.Counts != "" {
		facts = append(facts, field("Counted", t.Muted.Render(d.Counts)))
	}
	label := "Writes to this file"
	if r.Files > 0 {
		label = "Writes to this directory"
	}
	return factsOverGraph(facts, GraphData{Title: label, Series: d.Series, Times: d.Times, Interval: d.Interval, Mode: d.Mode},
		w, h, t)
}

// chunk cuts s into pieces of at most w cells.
func chunk(s string, w int) []string {
	var out []string
	for s != "" {
		n, cut := 0, 0
		for i, r := range s {
			rw := Width(string(r))
			if n+rw > w {
				break
			}
			n += rw
			cut = i + utf8.RuneLen(r)
		}
		if cut == 0 {
			_, cut = utf8.DecodeRuneInString(s)
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return out
}
