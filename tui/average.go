package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// noteAverage adds a frame's process bytes to the 1-minute window.
func (p *samplerPane) noteAverage(f sampler.Frame) {
	if f.Elapsed <= 0 || p.disks.off {
		return // no rates, or a recording's frames, which come as its cursor moves
	}
	if p.avg == nil {
		p.avg = sampler.NewRateWindow[sampler.ProcKey](averageSpan)
	}
	sec := f.Elapsed.Seconds()
	b := make(map[sampler.ProcKey][2]float64)
	for _, r := range f.Processes {
		if r.WriteRate > 0 || r.ReadRate > 0 {
			b[r.Key] = [2]float64{r.WriteRate * sec, r.ReadRate * sec}
		}
	}
	p.avg.Add(f.Time, f.Elapsed, b)
}

// averaged puts the 1-minute averages in rows' rates when the averages
// are on (m).
func (p *samplerPane) averaged(rows []sampler.ProcessRates) {
	if p.avg == nil || !p.ctx.Average || p.pendingRates() {
		return
	}
	for i := range rows {
		rows[i].WriteRate, rows[i].ReadRate = p.avg.Rates(rows[i].Key)
	}
}

// noteAverage adds an interval's file bytes to the 1-minute window.
func (p *filesPane) noteAverage(iv fileio.Interval) {
	if p.avg == nil {
		p.avg = sampler.NewRateWindow[fileio.FileKey](averageSpan)
	}
	b := make(map[fileio.FileKey][2]float64, len(iv.Files))
	for _, a := range iv.Files {
		if a.WriteBytes > 0 || a.ReadBytes > 0 {
			b[a.Key] = [2]float64{float64(a.WriteBytes), float64(a.ReadBytes)}
		}
	}
	p.avg.Add(iv.Time, iv.Elapsed, b)
}

// averaged puts the 1-minute averages in rows' rates when the averages
// are on (m).
func (p *filesPane) averaged(rows []views.FileTableRow) {
	if p.avg == nil || !p.ctx.Average {
		return
	}
	for i := range rows {
		rows[i].WriteRate, rows[i].ReadRate = p.avg.Rates(rows[i].Key)
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
