package tui

import (
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// Lists limited to one disk: while the Processes tab's graph shows one
// disk (D), the Processes and Files lists show only the processes and
// files whose requests went to that disk in the last interval, at that
// disk's figures, when the block layer tells disks apart (its per-disk
// split, sampler.ProcessRates.OnDisk and fileio.FileActivity.OnDisk).
// Without it the lists stay on all disks and say so.

// listDisk is the disk the lists are limited to, "" for all disks (and
// for a pane without a shared context, as tests build them).
func listDisk(c *Context) string {
	if c == nil {
		return ""
	}
	return c.Disk
}

// selectedDisk is the disk of the selected graph, "" for all disks.
func (g *diskGraphs) selectedDisk() string {
	if g.sel < 2 || g.sel >= 2+2*len(g.names) {
		return ""
	}
	return g.names[(g.sel-2)/2]
}

// onDiskProcesses keeps the rows with requests on disk, with that disk's
// write and read rates and response time (the writeback share scaled to
// the disk's part of the row's writes); ok is false, and rows are
// unchanged, when no disk is chosen or the rows have no per-disk split
// (no block layer).
func onDiskProcesses(rows []sampler.ProcessRates, disk string, f sampler.Frame) (_ []sampler.ProcessRates, ok bool) {
	if disk == "" || !f.DiskBytes || f.Elapsed <= 0 {
		return rows, false
	}
	secs := f.Elapsed.Seconds()
	kept := rows[:0]
	for _, r := range rows {
		d, on := r.OnDisk[disk]
		if !on {
			continue
		}
		w := float64(d.WriteBytes) / secs
		if r.WriteRate > 0 {
			r.WritebackRate *= w / r.WriteRate
		}
		r.WriteRate, r.ReadRate, r.DiskReadRate = w, float64(d.ReadBytes)/secs, float64(d.ReadBytes)/secs
		r.DiskIONanos, r.DiskIOCount = d.IONanos, d.IOCount
		kept = append(kept, r)
	}
	return kept, true
}

// onDiskFiles keeps the files with requests on disk, with that disk's
// Disk/s and ms/req (Write/s and Read/s, page-cache bytes, stay); ok is
// false, and rows are unchanged, when no disk is chosen or the block
// layer does not run.
func onDiskFiles(rows []views.FileTableRow, disk string, disks bool, elapsed time.Duration) (_ []views.FileTableRow, ok bool) {
	if disk == "" || !disks || elapsed <= 0 {
		return rows, false
	}
	secs := elapsed.Seconds()
	kept := rows[:0]
	for _, r := range rows {
		d, on := r.OnDisk[disk]
		if !on {
			continue
		}
		r.DiskRate = float64(d.WriteBytes) / secs
		r.DiskIONanos, r.DiskIOCount = d.IONanos, d.IOCount
		kept = append(kept, r)
	}
	return kept, true
}

// onDiskTitle is the list title's "on sda" part, with the separator
// after it; "" when the list is not limited.
func onDiskTitle(disk string, limited, averaged bool, t views.Theme) string {
	if !limited {
		return ""
	}
	s := t.Label.Render("on ") + t.Value.Render(disk)
	if averaged {
		s += t.Muted.Render(" (last interval)")
	}
	return s + t.Muted.Render(t.Glyphs.Separator)
}

// diskListNote sets ctx.Disk from the graph just chosen and says what the
// lists show: limited to the disk, or all disks without the block layer.
func (p *samplerPane) diskListNote() string {
	p.ctx.Disk = p.disks.selectedDisk()
	switch {
	case p.ctx.Disk == "":
		return ""
	case p.frame.DiskBytes:
		p.refreshRows()
		return "; lists: on " + p.ctx.Disk
	}
	if p.disks.off {
		return "; lists: all disks (not split in recordings)"
	}
	return "; lists stay on all disks (per-disk lists need the block layer)"
}
