package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/train"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// openTool starts the real tool (the sampler beside the wizard, as
// `hvrdoctor ui`) with the wizard's form filled from the lab's targets and
// its checks running at once. In the simulated mode the wizard's plan
// replays the scenario's recorded results.
func (m *TrainModel) openTool() tea.Cmd {
	m.screen, m.story = screenTool, false
	if m.tool != nil {
		return m.forwardTool(m.toolSize())
	}
	if m.st.Simulated && train.IsChurn(m.sc) {
		return m.openReplay()
	}
	tg := m.st.Targets
	wo := WizardOptions{RunAtStart: true, Base: FormBase{Timeout: 5 * time.Second}}
	if m.st.Simulated {
		tg = train.SimulatedTargets(m.sc)
		wo.Plan = train.SimulatedPlan(m.sc)
	}
	wo.Fields = TargetFields{Replica: tg.Replica, Auth: tg.Auth, Proxy: tg.Proxy, Bypass: "no", CA: tg.CA, Cert: tg.Cert,
		CertName: tg.CertName, KDC: tg.KDC, Realm: tg.Realm, Principal: tg.Principal, Keytab: tg.Keytab, LDAP: tg.LDAP}
	if tg.Port != 0 {
		wo.Fields.Port = fmt.Sprint(tg.Port)
	}
	if tg.Proxy == "" && !m.st.Simulated {
		wo.Fields.Bypass = "yes" // as train start's check line: the lab names its proxy or has none
	}
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: time.Second, Classifier: sampler.DefaultClassifier()})
	if err != nil {
		m.screen = screenScenario
		m.msg = []string{"error: the sampler cannot start: " + err.Error()}
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	host := m.opt.Host
	if host == "" {
		host, _ = os.Hostname()
	}
	m.cancel = cancel
	o := Options{Sampler: eng, Host: host, ASCII: m.opt.ASCII, Mode: m.opt.Mode, Context: ctx, Tool: "hvrdoctor", Wizard: wo}
	if m.opt.OpenFiles != nil {
		o.FileSource, o.FilesNote, m.closeFiles = m.opt.OpenFiles()
	}
	m.tool = New(o)
	return tea.Batch(m.wrap(m.tool.Init()), m.forwardTool(m.toolSize()))
}

// openReplay opens the sampler's screens on a synthetic recording of the
// scenario's writer (the simulated mode of a churn scenario): the same
// screens as hvrdoctor analyze on a recording, with a time cursor.
func (m *TrainModel) openReplay() tea.Cmd {
	// train start wrote the recording into the scenario's state (stop
	// removes it).
	dir := m.st.Vars["recording"]
	files, _ := filepath.Glob(filepath.Join(dir, "*Stats-1.csv"))
	rec, err := OpenRecording("simulated "+m.sc.ID, files, analysis.ColumnMap{}, analysis.Options{}, sampler.DefaultClassifier())
	if dir == "" || err != nil {
		m.screen = screenScenario
		m.msg = []string{fmt.Sprintf("error: the simulated recording in %q: %v", dir, err)}
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	m.tool = New(Options{Replay: rec, Host: "simulated", ASCII: m.opt.ASCII, Mode: m.opt.Mode, Context: ctx, Tool: "hvrdoctor"})
	return tea.Batch(m.wrap(m.tool.Init()), m.forwardTool(m.toolSize()))
}

// toolSize is the room the tool gets: beside the side panel on a wide
// screen, under the banner line on a narrow one.
func (m *TrainModel) toolSize() tea.WindowSizeMsg {
	if m.w >= wideTrainWidth {
		return tea.WindowSizeMsg{Width: m.w - sidePanelWidth - 1, Height: m.h}
	}
	return tea.WindowSizeMsg{Width: m.w, Height: max(0, m.h-1)}
}

func (m *TrainModel) toolView() string {
	tool := m.tool.View().Content
	if m.w >= wideTrainWidth {
		side := views.TrainSidePanel(m.data(), sidePanelWidth, m.h, m.theme)
		sl, tl := strings.Split(side, "\n"), strings.Split(tool, "\n")
		var b strings.Builder
		for i := 0; i < m.h; i++ {
			l, r := "", ""
			if i < len(sl) {
				l = sl[i]
			}
			if i < len(tl) {
				r = tl[i]
			}
			b.WriteString(views.PadRight(l, sidePanelWidth) + "│" + r)
			if i < m.h-1 {
				b.WriteString("\n")
			}
		}
		return b.String()
	}
	return views.TrainBanner(m.data(), m.w, m.theme) + "\n" + tool
}

// forwardTool hands a message to the tool and wraps its command.
func (m *TrainModel) forwardTool(msg tea.Msg) tea.Cmd {
	if m.tool == nil {
		return nil
	}
	_, cmd := m.tool.Update(msg)
	return m.wrap(cmd)
}

// wrap turns the tool's quit into toolQuitMsg (back to the scenario),
// looking into batches.
func (m *TrainModel) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		switch msg := msg.(type) {
		case tea.QuitMsg:
			return toolQuitMsg{}
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = m.wrap(c)
			}
			return out
		}
		return msg
	}
}

// closeTool ends the tool's sampling and probes, and closes a simulated
// run's recording (Windows cannot remove an open file, so stop would fail).
func (m *TrainModel) closeTool() {
	if m.cancel != nil {
		m.cancel()
	}
	if m.tool != nil {
		_ = m.tool.Close()
	}
	if m.closeFiles != nil {
		m.closeFiles()
		m.closeFiles = nil
	}
	m.tool, m.cancel, m.story = nil, nil, false
	if m.screen == screenTool {
		m.screen = screenScenario
	}
}

// toolMouse moves a mouse event into the tool's coordinates (under the
// banner, or right of the side panel); ok is false for events outside the
// tool.
func (m *TrainModel) toolMouse(msg tea.MouseMsg) (tea.Msg, bool) {
	mo := msg.Mouse()
	if m.w >= wideTrainWidth {
		mo.X -= sidePanelWidth + 1
	} else {
		mo.Y--
	}
	if mo.X < 0 || mo.Y < 0 {
		return nil, false
	}
	switch msg.(type) {
	case tea.MouseClickMsg:
		return tea.MouseClickMsg(mo), true
	case tea.MouseReleaseMsg:
		return tea.MouseReleaseMsg(mo), true
	case tea.MouseWheelMsg:
		return tea.MouseWheelMsg(mo), true
	case tea.MouseMotionMsg:
		return tea.MouseMotionMsg(mo), true
	}
	return nil, false
}
