package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// avgKey is a row's key in a 1-minute window with the disk its bytes went
// to: "" for all disks (the list's own figures), a disk name for the
// block layer's split, so a list limited to one disk averages that disk's
// bytes.
type avgKey[K comparable] struct {
	key  K
	disk string
}

// noteAverage adds a frame's process bytes to the 1-minute window: each
// row's write and read bytes, and per disk when the block layer splits
// them.
func (p *samplerPane) noteAverage(f sampler.Frame) {
	if f.Elapsed <= 0 || p.disks.off {
		return // no rates, or a recording's frames, which come as its cursor moves
	}
	if p.avg == nil {
		p.avg = sampler.NewRateWindow[avgKey[sampler.ProcKey]](averageSpan)
	}
	sec := f.Elapsed.Seconds()
	b := make(map[avgKey[sampler.ProcKey]][2]float64)
	for _, r := range f.Processes {
		if r.WriteRate > 0 || r.ReadRate > 0 {
			b[avgKey[sampler.ProcKey]{key: r.Key}] = [2]float64{r.WriteRate * sec, r.ReadRate * sec}
		}
		for d, io := range r.OnDisk {
			if io.WriteBytes > 0 || io.ReadBytes > 0 {
				b[avgKey[sampler.ProcKey]{r.Key, d}] = [2]float64{float64(io.WriteBytes), float64(io.ReadBytes)}
			}
		}
	}
	p.avg.Add(f.Time, f.Elapsed, b)
}

// averaging says the lists show 1-minute averages now: m is on and the
// window has an interval.
func (p *samplerPane) averaging() bool {
	return p.avg != nil && p.ctx != nil && p.ctx.Average && !p.pendingRates()
}

// averaged puts the 1-minute averages in rows' rates when the averages
// are on (m).
func (p *samplerPane) averaged(rows []sampler.ProcessRates) {
	if !p.averaging() {
		return
	}
	for i := range rows {
		rows[i].WriteRate, rows[i].ReadRate = p.avg.Rates(avgKey[sampler.ProcKey]{key: rows[i].Key})
	}
}

// noteAverage adds an interval's file bytes to the 1-minute windows:
// page-cache writes and reads, and the bytes that reached the disks, in
// all and per disk.
func (p *filesPane) noteAverage(iv fileio.Interval) {
	if p.avg == nil {
		p.avg = sampler.NewRateWindow[fileio.FileKey](averageSpan)
		p.diskAvg = sampler.NewRateWindow[avgKey[fileio.FileKey]](averageSpan)
	}
	b := make(map[fileio.FileKey][2]float64, len(iv.Files))
	d := make(map[avgKey[fileio.FileKey]][2]float64)
	for _, a := range iv.Files {
		if a.WriteBytes > 0 || a.ReadBytes > 0 {
			b[a.Key] = [2]float64{float64(a.WriteBytes), float64(a.ReadBytes)}
		}
		if a.DiskWriteBytes > 0 {
			d[avgKey[fileio.FileKey]{key: a.Key}] = [2]float64{float64(a.DiskWriteBytes), 0}
		}
		for disk, io := range a.OnDisk {
			if io.WriteBytes > 0 || io.ReadBytes > 0 {
				d[avgKey[fileio.FileKey]{a.Key, disk}] = [2]float64{float64(io.WriteBytes), float64(io.ReadBytes)}
			}
		}
	}
	p.avg.Add(iv.Time, iv.Elapsed, b)
	p.diskAvg.Add(iv.Time, iv.Elapsed, d)
}

// averaging says the lists show 1-minute averages now.
func (p *filesPane) averaging() bool {
	return p.avg != nil && p.ctx != nil && p.ctx.Average
}

// averaged puts the 1-minute averages in rows' rates (Write/s, Read/s and
// Disk/s) when the averages are on (m).
func (p *filesPane) averaged(rows []views.FileTableRow) {
	if !p.averaging() {
		return
	}
	for i := range rows {
		rows[i].WriteRate, rows[i].ReadRate = p.avg.Rates(rows[i].Key)
		rows[i].DiskRate, _ = p.diskAvg.Rates(avgKey[fileio.FileKey]{key: rows[i].Key})
	}
}

// toggleAverage switches every list between the last interval's rates
// and 1-minute averages (m).
func (m *Model) toggleAverage() tea.Cmd {
	m.ctx.Average = !m.ctx.Average
	m.sampler.refreshRows()
	if m.filesTab != nil {
		m.filesTab.refresh()
	}
	switch {
	case m.ctx.Average && m.replay != nil:
		m.setStatus("lists show averages of the recorded minute up to the cursor (m: last interval)")
	case m.ctx.Average:
		m.setStatus("lists show 1-minute averages (m: last interval)")
	default:
		m.setStatus("lists show the last interval (m: 1-minute averages)")
	}
	return nil
}
