package tui

import "github.com/hvrdoctor/hvrdoctor/sampler"

// lingering adds to rows the processes active within activeSpan that the
// frame no longer carries: a kernel row (journal, metadata, writeback)
// idle this interval, or a process that exited. They are listed idle
// (0 B/s, their Written as last seen; a process marked exited), as idle
// processes the frame does carry are, so rows do not blink in and out
// between intervals, and the 1-minute averages of what was busy earlier
// in the minute stay on screen.
func (p *samplerPane) lingering(rows []sampler.ProcessRates) []sampler.ProcessRates {
	if len(p.lastRow) == 0 {
		return rows
	}
	inFrame := make(map[sampler.ProcKey]bool, len(p.frame.Processes))
	for _, r := range p.frame.Processes {
		inFrame[r.Key] = true
	}
	for k, r := range p.lastRow {
		if inFrame[k] {
			continue
		}
		if at, ok := p.lastActive[k]; !ok || p.frame.Time.Sub(at) > activeSpan {
			continue
		}
		r.WriteRate, r.ReadRate, r.DirtiedRate, r.WritebackRate = 0, 0, 0, 0
		r.DiskReadRate, r.DiscardRate, r.DiskIONanos, r.DiskIOCount, r.OnDisk = 0, 0, 0, 0, nil
		if !r.Kernel {
			r.Exited = true
		}
		rows = append(rows, r)
	}
	return rows
}
