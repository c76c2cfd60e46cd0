package views

import (
	"fmt"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/storage"
)

// StorageData is what the Storage view shows: Resource Monitor's Storage
// section, per disk and per mounted volume.
type StorageData struct {
	Disks   []storage.DiskStats
	Volumes []storage.Volume
	// Source names where the figures come from ("/proc/diskstats, statfs").
	Source string
	// Span is what the disk figures average over: the last interval, or
	// the last minute when Averaged.
	Span     time.Duration
	Averaged bool
	// Pending is true before the second reading: no disk rates yet.
	Pending bool
	// Note is a one-line reason the view is empty or partial ("not
	// available on this OS", a volume that could not be read), or "".
	Note string
	// Hint is a key hint for the title's end ("v: back"), or "".
	Hint string
	// Recorded is set on a recording: its disks replace Disks, and one
	// line says volumes are not recorded in place of the volume table.
	Recorded *RecordedStorage
}

// RecordedStorage is the Storage view's data on a recording: the disks'
// figures as HVRStats' per-disk columns hold them.
type RecordedStorage struct {
	// Disks have one response time for reads and writes together and no
	// request counts; HasTimes is false for a disk whose active time,
	// queue and response time the recording lacks.
	Disks []sampler.DiskRates
}

// storageDiskCols are the disk table's columns: name, then fixed widths.
var storageDiskCols = []struct {
	title string
	w     int
}{{"Active", 7}, {"Queue", 6}, {"Read/s", RateWidth}, {"Write/s", RateWidth}, {"Read ms", 8}, {"Write ms", 8}}

// StorageLines draws the view as lines of at most w cells: a title, the
// disk table, then the volume table. The caller fits them to its height.
func StorageLines(d StorageData, w int, t Theme) []string {
	sep := t.Muted.Render(t.Glyphs.Separator)
	span := "last " + units.Interval(d.Span)
	if d.Averaged {
		// The window fills during the first minute: say what it holds.
		span = "average of the last " + units.Interval(d.Span) + " (1-minute window)"
	}
	title := t.Heading.Render("Storage") + sep + t.Label.Render(span)
	if d.Source != "" {
		title += sep + t.Muted.Render(d.Source)
	}
	if d.Hint != "" {
		title += t.Muted.Render("  (" + d.Hint + ")")
	}
	lines := []string{Truncate(title, w, t.Glyphs.Ellipsis)}
	if d.Note != "" && d.Recorded != nil {
		// What a recording lacks reads whole, on as many lines as it takes.
		for _, l := range wrapText(d.Note, max(1, w-1)) {
			lines = append(lines, t.Warn.Render(" "+l))
		}
	} else if d.Note != "" {
		lines = append(lines, Truncate(t.Warn.Render(" "+d.Note), w, t.Glyphs.Ellipsis))
	}
	if d.Recorded != nil {
		return append(lines, recordedStorageLines(d, w, t)...)
	}

	fixed := 0
	for _, c := range storageDiskCols {
		fixed += c.w + 1
	}
	nameW := min(max(6, w-fixed-2), 16)
	head := " " + PadRight("Disk", nameW)
	for _, c := range storageDiskCols {
		head += " " + PadLeft(c.title, c.w)
	}
	lines = append(lines, Truncate(t.TableHead.Render(head), w, ""))
	switch {
	case d.Pending:
		lines = append(lines, t.Muted.Render(" "+t.Glyphs.Pending+" disk rates need a second reading"))
	case len(d.Disks) == 0:
		lines = append(lines, t.Muted.Render(" no disk did any I/O since boot"))
	}
	for _, s := range d.Disks {
		if d.Pending {
			break
		}
		row := " " + PadRight(Truncate(s.Name, nameW, t.Glyphs.Ellipsis), nameW) +
			" " + PadLeft(fmt.Sprintf("%.0f%%", s.ActivePercent), 7) +
			" " + PadLeft(fmt.Sprintf("%.2f", s.QueueLength), 6) +
			" " + PadLeft(Rate(s.ReadBytesPerSec), RateWidth) +
			" " + PadLeft(Rate(s.WriteBytesPerSec), RateWidth) +
			" " + PadLeft(responseCell(s.ReadResponseMs, s.ReadIOPS), 8) +
			" " + PadLeft(responseCell(s.WriteResponseMs, s.WriteIOPS), 8)
		lines = append(lines, Truncate(row, w, t.Glyphs.Ellipsis))
	}

	sizeW := BytesWidth
	fsW := 6
	mountW := min(max(8, w-1-2*(sizeW+1)-(fsW+1)-6), 40)
	lines = append(lines, Truncate(t.TableHead.Render(" "+PadRight("Volume", mountW)+" "+PadRight("FS", fsW)+
		" "+PadLeft("Total", sizeW)+" "+PadLeft("Available", sizeW+6)), w, ""))
	if len(d.Volumes) == 0 {
		lines = append(lines, t.Muted.Render(" no mounted block-device filesystem"))
	}
	for _, v := range d.Volumes {
		pct := ""
		if v.Total > 0 {
			pct = fmt.Sprintf(" %3.0f%%", float64(v.Available)/float64(v.Total)*100)
		}
		row := " " + PadRight(Truncate(Printable(v.Mount), mountW, t.Glyphs.Ellipsis), mountW) +
			" " + PadRight(Truncate(v.FSType, fsW, t.Glyphs.Ellipsis), fsW) +
			" " + PadLeft(Bytes(v.Total), sizeW) + " " + PadLeft(Bytes(v.Available)+pct, sizeW+6)
		lines = append(lines, Truncate(row, w, t.Glyphs.Ellipsis))
	}
	return lines
}

// recordedStorageLines are the disk table of a recording and the line
// that stands for the volume table: the recording has no volumes. The
// active time, queue and response time columns show only when the
// recording has them for some disk.
func recordedStorageLines(d StorageData, w int, t Theme) []string {
	disks := d.Recorded.Disks
	times := false
	for _, s := range disks {
		times = times || s.HasTimes
	}
	type col struct {
		title string
		w     int
		cell  func(sampler.DiskRates) string
	}
	na := func(s sampler.DiskRates, f func() string) string {
		if !s.HasTimes {
			return "n/a"
		}
		return f()
	}
	var cols []col
	if times {
		cols = append(cols, col{"Active", 7, func(s sampler.DiskRates) string {
			return na(s, func() string { return fmt.Sprintf("%.0f%%", s.ActivePercent) })
		}}, col{"Queue", 6, func(s sampler.DiskRates) string {
			return na(s, func() string { return fmt.Sprintf("%.2f", s.QueueLength) })
		}})
	}
	cols = append(cols, col{"Read/s", RateWidth, func(s sampler.DiskRates) string { return Rate(s.ReadRate) }},
		col{"Write/s", RateWidth, func(s sampler.DiskRates) string { return Rate(s.WriteRate) }})
	if times {
		// One response time for reads and writes: the recording keeps no
		// split and no request counts.
		cols = append(cols, col{"Resp ms", 8, func(s sampler.DiskRates) string {
			return na(s, func() string {
				if s.ResponseMs <= 0 && s.ReadRate <= 0 && s.WriteRate <= 0 {
					return "-"
				}
				return responseCell(s.ResponseMs, 1)
			})
		}})
	}
	fixed := 0
	for _, c := range cols {
		fixed += c.w + 1
	}
	nameW := min(max(6, w-fixed-2), 16)
	head := " " + PadRight("Disk", nameW)
	for _, c := range cols {
		head += " " + PadLeft(c.title, c.w)
	}
	lines := []string{Truncate(t.TableHead.Render(head), w, "")}
	switch {
	case d.Pending:
		lines = append(lines, t.Muted.Render(" "+t.Glyphs.Pending+" no sample with rates at the cursor yet"))
	case len(disks) == 0:
		lines = append(lines, t.Muted.Render(" the recording has no per-disk figures"))
	}
	for _, s := range disks {
		if d.Pending {
			break
		}
		row := " " + PadRight(Truncate(s.Name, nameW, t.Glyphs.Ellipsis), nameW)
		for _, c := range cols {
			row += " " + PadLeft(c.cell(s), c.w)
		}
		lines = append(lines, Truncate(row, w, t.Glyphs.Ellipsis))
	}
	return append(lines, Truncate(t.Muted.Render(" Volumes: not in recordings (live sampling shows their space)"),
		w, t.Glyphs.Ellipsis))
}

// responseCell is a response time in milliseconds, or "-" when no request
// completed in the span (there is no time to average).
func responseCell(ms, iops float64) string {
	if iops <= 0 {
		return "-"
	}
	if ms < 10 {
		return fmt.Sprintf("%.2f", ms)
	}
	return fmt.Sprintf("%.0f", ms)
}

// Storage draws the view in exactly h lines of w cells; when the disks
// and volumes do not fit, the last line says how many lines are missing.
func Storage(d StorageData, w, h int, t Theme) string {
	lines := StorageLines(d, w, t)
	if h > 1 && len(lines) > h {
		more := len(lines) - (h - 1)
		lines = append(lines[:h-1], Truncate(t.Muted.Render(fmt.Sprintf(" %s %d more lines of disks and volumes: a taller terminal shows them",
			t.Glyphs.Ellipsis, more)), w, t.Glyphs.Ellipsis))
	}
	return Fit(strings.Join(lines, "\n"), w, h)
}
