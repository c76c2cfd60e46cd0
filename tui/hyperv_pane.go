package tui

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// replPane is the Replication tab: Hyper-V Replica's own view of each VM
// (from saved PowerShell output with --from), a VM's page with its rules,
// events, forecast and fixes, and w to open the wizard on the VM's replica
// server, port and authentication.
type replPane struct {
	paneBase
	ctx  *Context
	data views.ReplicationData
	sel  int
	page bool // a VM's page is open
	textScroll
	w, h int
	// load reads the data in the background (live on a host); loading is
	// true until it answers, note says why there is nothing to show.
	load    func(context.Context) (*views.ReplicationData, error)
	base    context.Context
	loading bool
	note    string
}

// openWizardMsg asks the root to fill the wizard's form with a
// relationship's replica, port and authentication and give the wizard the
// keyboard (w in the Replication tab).
type openWizardMsg struct {
	fields TargetFields
	note   string
}

// replLoadedMsg carries what the live read gave.
type replLoadedMsg struct {
	data *views.ReplicationData
	err  error
}

var replWizardKey = key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wizard on its replica"))

// addReplicationTab adds the Replication tab when o carries replication
// data.
func (m *Model) addReplicationTab(o Options) {
	if o.Replication == nil && o.ReplicationLoad == nil {
		return
	}
	p := &replPane{ctx: m.ctx, base: o.Context}
	if o.Replication != nil {
		p.data = *o.Replication
	} else {
		p.load, p.loading = o.ReplicationLoad, true
	}
	m.addTab(p, true)
}

// replicationInit starts the Replication tab's live read, if any.
func (m *Model) replicationInit() tea.Cmd {
	for _, t := range m.tabs {
		if p, ok := t.p.(*replPane); ok && p.load != nil {
			load, base := p.load, p.base
			return func() tea.Msg {
				d, err := load(base)
				return replLoadedMsg{data: d, err: err}
			}
		}
	}
	return nil
}

func (p *replPane) title() string { return "Replication" }

func (p *replPane) resize(w, h int) { p.w, p.h = w, h }

func (p *replPane) view(w, h int) string {
	if p.loading || p.note != "" {
		msg := p.note
		if p.loading {
			msg = "Reading Hyper-V Replica's state on this host..."
		}
		return views.Fit(strings.Join(views.WrapNote(msg, w), "\n"), w, h)
	}
	if p.page && p.sel < len(p.data.VMs) {
		return p.scrollView(views.ReplicationPage(p.data.VMs[p.sel], p.data.AsOf, w, p.ctx.Mode, p.ctx.Theme), w, h)
	}
	return views.ReplicationList(p.data, p.sel, w, h, p.ctx.Theme)
}

func (p *replPane) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.ctx.Keys
	n := len(p.data.VMs)
	switch {
	case key.Matches(msg, replWizardKey) && n > 0:
		v := p.data.VMs[p.sel]
		f := vmFields(hyperv.VMReplication{VMName: v.Name, ReplicaServer: v.ReplicaServer, ReplicaPort: v.ReplicaPort,
			AuthType: v.AuthType, Thumbprint: v.Thumbprint, BypassProxy: v.BypassProxy})
		port := ""
		if v.ReplicaPort > 0 {
			port = ":" + strconv.Itoa(v.ReplicaPort)
		}
		note := "From the Replication tab: " + v.Name + " -> " + v.ReplicaServer + port + " (" + v.Relationship + " relationship)"
		return func() tea.Msg { return openWizardMsg{fields: f, note: note} }
	case p.page && key.Matches(msg, k.Back):
		p.page = false
	case p.page:
		p.scrollKey(msg, k, p.h, true)
	case key.Matches(msg, k.Up):
		p.sel = max(0, p.sel-1)
	case key.Matches(msg, k.Down):
		p.sel = max(0, min(n-1, p.sel+1))
	case key.Matches(msg, k.Home):
		p.sel = 0
	case key.Matches(msg, k.End):
		p.sel = max(0, n-1)
	case key.Matches(msg, k.Open) && n > 0:
		p.page, p.offset = true, 0
	}
	return nil
}

func (p *replPane) update(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(replLoadedMsg); ok {
		p.loading = false
		switch {
		case m.err != nil:
			p.note = strings.Join(strings.Fields(m.err.Error()), " ")
		case m.data != nil:
			p.data = *m.data
		}
	}
	return nil
}

func (p *replPane) click(_, y int) tea.Cmd {
	// Rows start under the source line and the column titles; the list
	// scrolls as views.ReplicationList does.
	rows := p.h - 2
	first := 0
	if p.sel >= rows {
		first = p.sel - rows + 1
	}
	if i := first + y - 2; !p.page && y >= 2 && i < len(p.data.VMs) {
		p.sel = i
	}
	return nil
}

func (p *replPane) shortHelp() []key.Binding {
	k := p.ctx.Keys
	if p.page {
		return []key.Binding{short(k.Up, k.moveHelp(), "scroll"), short(k.Back, "esc", "back"), replWizardKey}
	}
	return []key.Binding{short(k.Up, k.moveHelp(), "move"), short(k.Open, "enter", "open"), replWizardKey}
}

// replicationHelp adds the Replication tab's keys to the help screen when
// the tab is there.
func (m *Model) replicationHelp(sections []views.HelpSection) []views.HelpSection {
	for _, t := range m.tabs {
		if _, ok := t.p.(*replPane); ok {
			return append(sections, views.HelpSection{Title: "Replication", Entries: []views.HelpEntry{
				{Key: "enter", Desc: "the VM's page"}, {Key: "esc", Desc: "back to the list"},
				{Key: "w", Desc: "wizard on the VM's replica"},
			}})
		}
	}
	return sections
}
