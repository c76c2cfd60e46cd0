package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/train"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// TrainOptions configure the training program (`hvrdoctor train`).
type TrainOptions struct {
	Trainer *train.Trainer
	// Notes are the scenario files that did not load (one line each).
	Notes []string
	ASCII bool
	Mode  views.GraphMode
	// Context cancels the labs' start and the tool; nil = background.
	Context context.Context
	// Host names this machine in the tool's header.
	Host string
	// OpenFiles opens the per-file backend for the tool's Files tab (as
	// `hvrdoctor ui` does); it returns the source (nil: none), the note
	// the tab shows without one, and how to close it. nil: no Files tab.
	OpenFiles func() (FileSource, string, func())
}

// trainScreen is what the training program shows.
type trainScreen int

const (
	screenCatalogue trainScreen = iota
	screenScenario
	screenTool
)

// wideTrainWidth is the width from which the scenario stays beside the
// real tool; narrower, a one-line banner sits above it.
const (
	wideTrainWidth = 130
	sidePanelWidth = 38
)

// TrainModel is the training program: the scenario catalogue, a
// scenario's story, task, questions and lab, and the real wizard and
// sampler (the same Model as `hvrdoctor ui`) against the lab's targets
// with the scenario beside them. Lab actions run as commands; the program
// never waits on them.
type TrainModel struct {
	opt        TrainOptions
	ctx        context.Context
	theme      views.Theme
	w, h       int
	screen     trainScreen
	cursor     int
	sc         *train.Scenario
	st         *train.State // nil when the scenario's lab is not started
	qsel       int
	scroll     int
	msg        []string
	busy       string
	tool       *Model
	cancel     context.CancelFunc // ends the tool's sampling and probes
	closeFiles func()
	story      bool // ctrl+t: the scenario over the tool
}

// NewTrain builds the training program.
func NewTrain(o TrainOptions) *TrainModel {
	if o.Context == nil {
		o.Context = context.Background()
	}
	return &TrainModel{opt: o, ctx: o.Context, theme: views.NewTheme(o.ASCII)}
}

// trainDoneMsg is the outcome of a lab action.
type trainDoneMsg struct {
	id    string
	lines []string
	err   error
	st    *train.State
	// stateChanged: reread the scenario's state (start, stop).
	stateChanged bool
}

// toolQuitMsg replaces the tool's quit: it returns to the scenario.
type toolQuitMsg struct{}

func (m *TrainModel) Init() tea.Cmd { return nil }

func (m *TrainModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		if m.tool != nil {
			return m, m.forwardTool(m.toolSize())
		}
		return m, nil
	case trainDoneMsg:
		if m.sc == nil || msg.id != m.sc.ID {
			return m, nil
		}
		m.busy = ""
		m.msg = msg.lines
		if msg.err != nil {
			m.msg = []string{"error: " + msg.err.Error()}
		}
		if msg.stateChanged {
			m.st = msg.st
			if m.st == nil {
				m.closeTool()
			}
		}
		m.toBottom()
		return m, nil
	case toolQuitMsg:
		m.closeTool()
		m.screen = screenScenario
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case tea.MouseMsg:
		if m.tool == nil || m.screen != screenTool || m.story {
			return m, nil
		}
		if moved, ok := m.toolMouse(msg); ok {
			return m, m.forwardTool(moved)
		}
		return m, nil
	}
	if m.tool != nil {
		return m, m.forwardTool(msg)
	}
	return m, nil
}

func (m *TrainModel) key(k tea.KeyPressMsg) tea.Cmd {
	if k.String() == "ctrl+c" {
		m.closeTool()
		return tea.Quit
	}
	switch m.screen {
	case screenCatalogue:
		return m.catalogueKey(k)
	case screenScenario:
		return m.scenarioKey(k)
	}
	switch k.String() {
	case "ctrl+t":
		m.story, m.scroll = !m.story, 0
		return nil
	case "ctrl+o":
		m.screen = screenScenario
		return nil
	}
	if m.story {
		switch k.String() {
		case "esc":
			m.story = false
		case "up", "k":
			m.scroll = max(0, m.scroll-1)
		case "down", "j":
			m.scroll = min(m.scroll+1, m.maxScroll())
		}
		return nil
	}
	return m.forwardTool(k)
}

func (m *TrainModel) catalogueKey(k tea.KeyPressMsg) tea.Cmd {
	n := len(m.opt.Trainer.Cat.Scenarios)
	switch k.String() {
	case "q":
		return tea.Quit
	case "up", "k":
		m.cursor = max(0, m.cursor-1)
	case "down", "j":
		m.cursor = min(n-1, m.cursor+1)
	case "home", "g":
		m.cursor = 0
	case "end", "G":
		m.cursor = n - 1
	case "enter", "right", "l":
		if n > 0 {
			m.open(m.opt.Trainer.Cat.Scenarios[m.cursor])
		}
	}
	return nil
}

// open shows a scenario and picks up its lab when one runs.
func (m *TrainModel) open(sc *train.Scenario) {
	if m.sc != sc {
		m.closeTool()
		m.msg, m.qsel, m.scroll = nil, 0, 0
	}
	m.sc, m.screen = sc, screenScenario
	m.st, _ = m.opt.Trainer.Running(sc.ID)
}

func (m *TrainModel) scenarioKey(k tea.KeyPressMsg) tea.Cmd {
	sc, tr := m.sc, m.opt.Trainer
	if m.busy != "" && k.String() != "esc" && k.String() != "q" {
		return nil // one lab action at a time
	}
	switch s := k.String(); s {
	case "q":
		m.closeTool()
		return tea.Quit
	case "esc", "backspace":
		m.screen = screenCatalogue
	case "up", "k":
		m.scroll = max(0, m.scroll-1)
	case "down", "j":
		m.scroll = min(m.scroll+1, m.maxScroll())
	case "pgup":
		m.scroll = max(0, m.scroll-10)
	case "pgdown", "space":
		m.scroll = min(m.scroll+10, m.maxScroll())
	case "tab":
		m.qsel = (m.qsel + 1) % len(sc.Questions)
	case "shift+tab":
		m.qsel = (m.qsel + len(sc.Questions) - 1) % len(sc.Questions)
	case "a", "b", "c", "d", "e", "f":
		defer m.toBottom()
		if m.st == nil {
			m.msg = []string{"Start the scenario first (s)."}
			return nil
		}
		q := sc.Questions[m.qsel]
		r, err := tr.Answer(sc, q.ID, s)
		switch {
		case err != nil:
			m.msg = []string{"error: " + err.Error()}
		case r.Right:
			m.msg = []string{q.ID + ": right. " + strings.TrimSpace(r.Explain)}
			if m.qsel < len(sc.Questions)-1 {
				m.qsel++
			}
		default:
			m.msg = []string{q.ID + ": not right; look again with the wizard or sampler (a wrong answer costs 5 points)."}
		}
	case "s", "S":
		if m.st != nil {
			m.msg = []string{"The lab already runs; x stops it."}
			return nil
		}
		sim := s == "S"
		why := train.Available(sc)
		if why != nil {
			sim = true
		}
		m.busy = "starting the lab"
		if sim {
			m.busy = "starting SIMULATED"
		}
		ctx := m.ctx
		return func() tea.Msg {
			st, err := tr.Start(ctx, sc, sim)
			lines := []string{"Lab started: run the wizard and sampler with w."}
			if sim {
				lines = []string{"SIMULATED: no lab runs here; w shows the recorded results in the wizard."}
				if why != nil {
					lines = append(lines, "(the lab cannot run here: "+why.Error()+")")
				}
			}
			return trainDoneMsg{id: sc.ID, st: st, err: err, lines: lines, stateChanged: err == nil}
		}
	case "w", "enter":
		if m.st == nil {
			m.msg = []string{"Start the scenario first (s)."}
			return nil
		}
		return m.openTool()
	case "h":
		return m.action("getting a hint", func() ([]string, error) {
			h, err := tr.NextHint(sc)
			if err != nil {
				return nil, err
			}
			lines := []string{fmt.Sprintf("Hint %d of %d (each costs 10 points): %s", h.Level, h.Levels, strings.TrimSpace(h.Text))}
			if len(h.Fix) > 0 {
				lines = append(lines, "Fix the lab with:")
				lines = append(lines, h.Fix...)
			}
			return lines, nil
		})
	case "v":
		ctx := m.ctx
		return m.action("verifying the lab and the answers", func() ([]string, error) {
			v, err := tr.Verify(ctx, sc)
			if err != nil {
				return nil, err
			}
			return VerdictLines(sc, v), nil
		})
	case "r":
		return m.action("resetting the lab", func() ([]string, error) {
			if _, err := tr.Reset(sc.ID); err != nil {
				return nil, err
			}
			return []string{"The lab is broken again; answers and hints are kept."}, nil
		})
	case "x":
		if m.st == nil {
			return nil
		}
		m.closeTool()
		m.busy = "stopping the lab"
		done := "Lab stopped: its processes ended and its files removed."
		if m.st.Simulated {
			done = "Simulated run stopped; its files removed."
		}
		return func() tea.Msg {
			err := tr.Stop(sc.ID)
			return trainDoneMsg{id: sc.ID, err: err, lines: []string{done}, stateChanged: err == nil}
		}
	}
	return nil
}

func (m *TrainModel) maxScroll() int {
	return max(0, len(views.TrainScenarioLines(m.data(), m.w, m.theme))-(m.h-1))
}

// toBottom scrolls the scenario screen to its end, where the last
// message is.
func (m *TrainModel) toBottom() {
	if m.sc == nil {
		return
	}
	m.scroll = m.maxScroll()
}

// action runs a lab action as a command.
func (m *TrainModel) action(busy string, f func() ([]string, error)) tea.Cmd {
	if m.st == nil {
		m.msg = []string{"Start the scenario first (s)."}
		return nil
	}
	m.busy = busy
	m.toBottom()
	id := m.sc.ID
	return func() tea.Msg {
		lines, err := f()
		return trainDoneMsg{id: id, lines: lines, err: err}
	}
}

// VerdictLines say what verify found.
func VerdictLines(sc *train.Scenario, v train.Verdict) []string {
	if v.Passed {
		s := fmt.Sprintf("PASS: score %d (%d hint levels).", v.Score, v.Hints)
		if v.Simulated {
			s += " Simulated: answers graded, no lab checked."
		}
		return []string{s}
	}
	lines := []string{"NOT YET:"}
	if v.Simulated {
		lines = append(lines, "(simulated: the lab is not checked)")
	}
	for _, p := range v.Lab {
		lines = append(lines, "lab: "+p)
	}
	for _, q := range v.Questions {
		lines = append(lines, "question "+q+": not answered right yet")
	}
	return lines
}

func (m *TrainModel) data() views.TrainScenarioData {
	sc := m.sc
	d := views.TrainScenarioData{ID: sc.ID, Title: sc.Title, Level: sc.Level, Story: sc.Story, Symptoms: sc.Symptoms, Task: sc.Task,
		Message: m.msg, Busy: m.busy, State: "not started (s starts it)"}
	if m.st != nil {
		d.Simulated = m.st.Simulated
		if m.st.Simulated {
			d.State = "SIMULATED (no lab runs; recorded results)"
		} else {
			d.State = fmt.Sprintf("running (supervisor pid %d)", m.st.SupervisorPID)
			d.Targets = train.TargetRows(m.st.Targets)
		}
	}
	att := m.opt.Trainer.Attempt(sc.ID)
	for i, q := range sc.Questions {
		g := att.Answers[q.ID]
		d.Questions = append(d.Questions, views.TrainQuestion{ID: q.ID, Text: q.Text, Choices: q.Choices, Given: g, Right: g != "" && g == q.Answer, Selected: i == m.qsel})
	}
	return d
}

func (m *TrainModel) View() tea.View {
	var content string
	switch {
	case m.w <= 0 || m.h <= 0:
	case m.w < views.MinWidth || m.h < views.MinHeight:
		content = views.TooSmall(m.w, m.h, m.theme)
	case m.screen == screenCatalogue:
		content = views.TrainCatalogue(m.rows(), m.cursor, m.opt.Notes, m.w, m.h, m.theme)
	case m.screen == screenScenario || m.tool == nil:
		content = views.TrainScenario(m.data(), m.scroll, m.w, m.h, m.theme)
	case m.story:
		d := m.data()
		d.Keys = "↑/↓ scroll · ctrl+t back to the wizard and sampler · ctrl+o scenario"
		content = views.TrainScenario(d, m.scroll, m.w, m.h, m.theme)
	default:
		content = m.toolView()
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "hvrdoctor training"
	if m.screen == screenTool && m.tool != nil {
		v.MouseMode = tea.MouseModeCellMotion
	}
	return v
}

func (m *TrainModel) rows() []views.TrainRow {
	prog, err := train.LoadProgress(m.opt.Trainer.Dirs.Progress)
	if err != nil {
		prog = train.Progress{}
	}
	var rows []views.TrainRow
	for _, s := range m.opt.Trainer.Cat.Scenarios {
		r := views.TrainRow{ID: s.ID, Title: s.Title, Level: s.Level, Progress: train.ProgressLine(prog[s.ID])}
		if st, err := m.opt.Trainer.Running(s.ID); err == nil {
			r.State = "lab"
			if st.Simulated {
				r.State = "sim"
			}
		}
		rows = append(rows, r)
	}
	return rows
}
