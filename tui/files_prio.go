package tui

import (
	"errors"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// maxPrioReads bounds the processes whose I/O priority one reading looks
// up (one system call each), however many the interval names.
const maxPrioReads = 512

// readPriorities reads the I/O priority of each process in iv, in the
// sampling command (off the UI goroutine), as Resource Monitor's Disk
// Activity list shows it per row. A process that exited in the interval
// has none (the read fails): its rows show "-".
func readPriorities(read func(int32) (sampler.IOPriority, error), iv fileio.Interval) map[int32]string {
	if read == nil || len(iv.Files) == 0 {
		return nil
	}
	out := make(map[int32]string)
	tried := make(map[int32]bool)
	for _, a := range iv.Files {
		pid := a.Key.Proc.PID
		if pid <= 0 || tried[pid] || len(tried) >= maxPrioReads {
			continue
		}
		tried[pid] = true
		p, err := read(pid)
		if errors.Is(err, sampler.ErrIOPriorityUnsupported) {
			return nil // the OS gives none: no column of "-"
		}
		if err == nil {
			out[pid] = p.Short()
		}
	}
	return out
}

// notePriorities keeps the latest priorities, and those of processes the
// reading did not name (rows idle within the last minute) as last read.
func (p *filesPane) notePriorities(prio map[int32]string) {
	if prio == nil {
		return
	}
	if p.prio == nil || len(p.prio) > 4*maxPrioReads {
		p.prio = make(map[int32]string, len(prio))
	}
	for pid, s := range prio {
		p.prio[pid] = s
	}
}

// setPriorities puts each row's process priority in it.
func (p *filesPane) setPriorities(rows []views.FileTableRow) {
	if p.prio == nil {
		return
	}
	for i := range rows {
		rows[i].IOPriority = p.prio[rows[i].Key.Proc.PID]
		rows[i].PriorityKnown = true
	}
}
