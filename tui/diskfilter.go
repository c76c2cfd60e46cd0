package tui

import (
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
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

// onDiskProcesses keeps the rows with requests on the list's disk, with
// that disk's write and read rates, response time and Written (the
// writeback share scaled to the disk's part of the row's writes): in the
// last interval, or with the averages on (m) over the last minute (rows
// with requests there within it). ok is false, and rows are unchanged,
// when no disk is chosen or the rows have no per-disk split (no block
// layer).
func (p *samplerPane) onDiskProcesses(rows []sampler.ProcessRates, disk string) (_ []sampler.ProcessRates, ok bool) {
	f := p.frame
	if disk == "" || !f.DiskBytes || f.Elapsed <= 0 {
		return rows, false
	}
	secs := f.Elapsed.Seconds()
	avg := p.averaging()
	kept := rows[:0]
	for _, r := range rows {
		d, on := r.OnDisk[disk]
		w, rd := float64(d.WriteBytes)/secs, float64(d.ReadBytes)/secs
		if avg {
			w, rd = p.avg.Rates(avgKey[sampler.ProcKey]{r.Key, disk})
			on = w > 0 || rd > 0
		}
		if !on {
			continue
		}
		if r.WriteRate > 0 {
			r.WritebackRate *= min(1, w/r.WriteRate)
		}
		r.WriteRate, r.ReadRate, r.DiskReadRate = w, rd, rd
		r.DiskIONanos, r.DiskIOCount = d.IONanos, d.IOCount
		r.WriteTotal = r.WrittenOnDisk[disk]
		kept = append(kept, r)
	}
	return kept, true
}

// onDiskFiles keeps the files with requests on the list's disk, with that
// disk's Disk/s and ms/req (Write/s and Read/s, page-cache bytes, stay):
// in the last interval, or with the averages on (m) over the last minute.
// ok is false, and rows are unchanged, when no disk is chosen or the block
// layer does not run.
func (p *filesPane) onDiskFiles(rows []views.FileTableRow, disk string) (_ []views.FileTableRow, ok bool) {
	elapsed := p.hist.elapsed
	if disk == "" || !p.hist.disk || elapsed <= 0 {
		return rows, false
	}
	secs := elapsed.Seconds()
	avg := p.averaging()
	kept := rows[:0]
	for _, r := range rows {
		d, on := r.OnDisk[disk]
		r.DiskRate = float64(d.WriteBytes) / secs
		if avg {
			var rd float64
			r.DiskRate, rd = p.diskAvg.Rates(avgKey[fileio.FileKey]{r.Key, disk})
			on = r.DiskRate > 0 || rd > 0
		}
		if !on {
			continue
		}
		r.DiskIONanos, r.DiskIOCount = d.IONanos, d.IOCount
		kept = append(kept, r)
	}
	return kept, true
}

// onDiskTitle is the list title's "on sda" part, with the separator
// after it; "" when the list is not limited.
func onDiskTitle(disk string, limited bool, t views.Theme) string {
	if !limited {
		return ""
	}
	return t.Label.Render("on ") + t.Value.Render(disk) + t.Muted.Render(t.Glyphs.Separator)
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
