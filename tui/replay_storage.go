package tui

import (
	"strings"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// replayStorageSource names where a recording's Storage view comes from.
const replayStorageSource = "recorded per-disk figures"

// storageData is the Storage view on a recording: the disks at the
// cursor, or averaged over the recorded minute up to it, and a note on
// what the recording lacks.
func (c *replayCtl) storageData(averaged bool) views.StorageData {
	d := views.StorageData{Source: replayStorageSource, Averaged: averaged, Recorded: &views.RecordedStorage{}}
	v := c.view
	if v == nil {
		d.Pending = true
		return d
	}
	d.Recorded.Disks, d.Span = v.disks, v.span
	if averaged {
		d.Recorded.Disks, d.Span = v.avgDisks, v.avgSpan
	}
	d.Note = c.storageNote(d.Recorded.Disks)
	return d
}

// storageNote says which figures the recording lacks for the disks
// shown: the time columns its HVRStats header does not have (an older
// recording), or the disks it holds no times for (empty cells of a source
// that did not measure them, or an input without such counters, such as
// a perfmon log).
func (c *replayCtl) storageNote(disks []sampler.DiskRates) string {
	var without []string
	for _, d := range disks {
		if !d.HasTimes {
			without = append(without, d.Name)
		}
	}
	if len(without) == 0 {
		return ""
	}
	prefix := "n/a: "
	if len(without) == len(disks) {
		prefix = "read and write B/s only: "
	}
	if missing := c.rec.idx.MissingColumns; len(missing) > 0 {
		return prefix + "the recording has no columns " + missingText(missing)
	}
	return prefix + "the recording has no active time, queue length or response time for " + strings.Join(without, ", ")
}

// missingText names missing columns compactly: "sda.ActiveTimePercent,
// sda.AvgQueueLength, sda.AvgResponseMs" for one disk,
// "<disk>.ActiveTimePercent, .AvgQueueLength, .AvgResponseMs (sda, sdb)"
// for several disks that lack all three.
func missingText(cols []string) string {
	suffixes := []string{sampler.DiskActiveSuffix, sampler.DiskQueueSuffix, sampler.DiskResponseSuffix}
	var disks []string
	whole := len(cols)%3 == 0
	for i := 0; whole && i < len(cols); i += 3 {
		name, ok := strings.CutSuffix(cols[i], suffixes[0])
		whole = ok && cols[i+1] == name+suffixes[1] && cols[i+2] == name+suffixes[2]
		disks = append(disks, name)
	}
	if !whole || len(disks) < 2 {
		return strings.Join(cols, ", ")
	}
	return "<disk>" + strings.Join(suffixes, ", ") + " (" + strings.Join(disks, ", ") + ")"
}
