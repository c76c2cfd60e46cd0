package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// ioprioMsg carries a process's I/O priority for its page.
type ioprioMsg struct {
	key  sampler.ProcKey
	text string
}

// readIOPrio returns a command that reads k's I/O priority, or nil when
// the program reads none (a recording, tests).
func (p *samplerPane) readIOPrio(k sampler.ProcKey) tea.Cmd {
	if p.ioprio == nil || k.PID <= 0 {
		return nil // a kernel row (journal, metadata, writeback) has none
	}
	read := p.ioprio
	return func() tea.Msg {
		pr, err := read(k.PID)
		if err != nil {
			return ioprioMsg{key: k, text: "not available: " + err.Error()}
		}
		return ioprioMsg{key: k, text: pr.String() + "  (" + pr.Source + ")"}
	}
}

// initIOPrio sets the reader of the I/O priority on the process page and
// in the Files tab's column: live only, a recording has none.
func (m *Model) initIOPrio(o Options) {
	if m.replay == nil {
		m.sampler.ioprio = o.IOPriority
		m.sampling.drv.ioprio = o.IOPriority
	}
}
