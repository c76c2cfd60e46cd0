package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// marks are the processes marked in the Processes tab (space), by PID with
// their names, as Resource Monitor's ticked processes: the Files tab then
// shows only their files. The root model owns them in the Context.
type marks map[int32]string

// toggleMark marks or unmarks the selected process.
func (p *samplerPane) toggleMark() {
	if len(p.rows) == 0 {
		return
	}
	r := p.rows[p.sel]
	if p.ctx.Marked == nil {
		p.ctx.Marked = marks{}
	}
	if _, ok := p.ctx.Marked[r.Key.PID]; ok {
		delete(p.ctx.Marked, r.Key.PID)
		p.setStatus(fmt.Sprintf("unmarked %s (PID %d)%s", r.Name, r.Key.PID, p.ctx.Marked.left()))
		return
	}
	p.ctx.Marked[r.Key.PID] = r.Name
	p.setStatus(fmt.Sprintf("marked %s (PID %d): the Files tab shows the marked processes' files", r.Name, r.Key.PID))
}

// left says what unmarking left: the others still marked, or none.
func (ms marks) left() string {
	if len(ms) == 0 {
		return ": the Files tab shows every process's files"
	}
	return fmt.Sprintf(": %d still marked", len(ms))
}

// isMarked is the process table's mark test, nil when nothing is marked.
func (p *samplerPane) isMarked() func(sampler.ProcKey) bool {
	if len(p.ctx.Marked) == 0 {
		return nil
	}
	return func(k sampler.ProcKey) bool { _, ok := p.ctx.Marked[k.PID]; return ok }
}

// keepMarked keeps the rows of marked processes when any is marked.
func keepMarked(rows []views.FileTableRow, ms marks) []views.FileTableRow {
	if len(ms) == 0 {
		return rows
	}
	kept := rows[:0]
	for _, r := range rows {
		if _, ok := ms[r.Key.Proc.PID]; ok {
			kept = append(kept, r)
		}
	}
	return kept
}

// describe names the marked processes for the header: "marked sqlservr
// 4242, dd 77" (at most three, then how many more).
func (ms marks) describe() string {
	if len(ms) == 0 {
		return ""
	}
	pids := make([]int32, 0, len(ms))
	for pid := range ms {
		pids = append(pids, pid)
	}
	slices.Sort(pids)
	var parts []string
	for i, pid := range pids {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("%d more", len(pids)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", ms[pid], pid))
	}
	return "files of marked " + strings.Join(parts, ", ")
}

// marking says whether space marks a process: on the Processes list, not
// on a process's page or the Storage page.
func (p *samplerPane) marking() bool { return !p.detail && !p.storagePage }
