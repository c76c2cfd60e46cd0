package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// WizardOptions configure the wizard pane.
type WizardOptions struct {
	// Fields prefill the target form (from flags and the environment).
	Fields TargetFields
	// Base is what the form keeps from the command line without showing
	// it (timeout, the proxy's password, secrets given at start).
	Base FormBase
	// Parse, when set, replaces the form's validation (ParseFields with
	// Base and the passwords typed in the form); tests use it.
	Parse func(TargetFields) (*probes.Target, error)
	// Plan returns the steps for a target; nil = probes.Plan.
	Plan func(*probes.Target) []probes.Step
	// RunAtStart runs the checks at once when Fields name a replica.
	RunAtStart bool
	// ProxyHint is the proxy field's placeholder: what an empty field
	// detects ("detect: HTTPS_PROXY=http://proxy:3128").
	ProxyHint string
	// ReadVMs reads the host's replication relationships to prefill the
	// form when no replica was given; nil = Get-VMReplication on Windows,
	// nothing elsewhere.
	ReadVMs func(context.Context) ([]VMReplication, error)
	// StepTimeout bounds each step; 0 = the runner's default.
	StepTimeout time.Duration
}

// wizardPane is the guided wizard: the target form, then the plan's steps
// with their status, and the selected step's card with the fixes. Probes
// run in the background; their events arrive as messages.
type wizardPane struct {
	ctx   *Context
	opt   WizardOptions
	base  context.Context
	clock probes.Clock
	host  string
	tool  string

	form targetForm
	// mode is what the pane shows and what its keys do.
	mode    wizardMode
	focused bool
	// secrets are the passwords typed in the form's prompt (or given at
	// start); prompt is the password the checks wait for, nil for none.
	secrets   formSecrets
	prompt    *secretPrompt
	promptIn  textinput.Model
	promptErr string
	formGen   int // the latest submission, whose validation counts

	vms   []VMReplication
	vmSel int

	target  *probes.Target
	plan    []probes.Step
	steps   []views.StepView
	sel     int
	fix     int // the selected fix, -1 for none yet
	cardOff int
	cmdOff  int // cells the fix commands are scrolled sideways
	w, h    int
	// zoom gives the wizard the whole width of a wide screen (z), so that
	// long fix commands show whole.
	zoom bool
	// clip is the native clipboard (nativeClipboard), nil for OSC 52.
	clip func(string) error

	gen     int
	cancel  context.CancelFunc
	running bool
	// moved is set when the user picks a step during a run: the end of
	// the run then leaves the selection alone.
	moved   bool
	started time.Time

	spin     spinner.Model
	spinning bool

	// reports keeps the latest complete report per target, in the order
	// targets were first checked, for the incident report.
	reports    []probes.Report
	reportKeys []string
	// copied are the fix commands copied this session, printed on exit in
	// case the terminal ignored the clipboard request.
	copied []string
}

func newWizardPane(c *Context, o WizardOptions, base context.Context, clock probes.Clock, host, tool string) *wizardPane {
	if o.Plan == nil {
		o.Plan = probes.Plan
	}
	if o.ReadVMs == nil {
		o.ReadVMs = readVMReplication
	}
	hint := o.ProxyHint
	if hint == "" {
		hint = "(detect)"
	}
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot))
	if c.ASCII {
		sp = spinner.New(spinner.WithSpinner(spinner.Line))
	}
	return &wizardPane{ctx: c, opt: o, base: base, clock: clock, host: host, tool: tool,
		form: newTargetForm(o.Fields, hint, c.Theme), spin: sp, fix: -1, clip: nativeClipboard, secrets: newFormSecrets(o.Base)}
}

func (p *wizardPane) title() string { return "Wizard" }

// notify shows s in the header's status line (a run's verdict, a copy).
func (p *wizardPane) notify(s string) { p.ctx.setStatus(s, statusLong) }

// prefill puts a relationship's replica, port and authentication into the
// form, open for editing: the admin checks it and presses enter.
func (p *wizardPane) prefill(f TargetFields, note string) tea.Cmd {
	p.form.set(f)
	p.form.note = note
	p.mode = modeEditing
	return p.form.focusField(0)
}

// init runs the checks when the flags named a replica, and asks the host
// for its replication relationships otherwise.
func (p *wizardPane) init() tea.Cmd {
	if strings.TrimSpace(p.opt.Fields.Replica) != "" {
		if p.opt.RunAtStart {
			return p.submit()
		}
		return nil
	}
	return loadVMs(p.base, p.opt.ReadVMs)
}

func (p *wizardPane) resize(w, h int) {
	p.w, p.h = w, h
	p.form.resize(w)
}

func (p *wizardPane) capturing() bool {
	return p.focused && (p.mode == modeEditing || p.mode == modePicking)
}

func (p *wizardPane) setFocus(f bool) tea.Cmd {
	p.focused = f
	if !f {
		if p.mode == modeEditing {
			p.leaveForm()
		}
		p.form.blur()
		p.prompt = nil
		return nil
	}
	if p.mode == modeForm {
		p.mode = modeEditing
		return p.form.focusField(p.form.focus)
	}
	return nil
}

// leaveForm stops typing in the form: the steps show when there is a
// target, else the form stays on screen, not typed in.
func (p *wizardPane) leaveForm() {
	if p.target != nil {
		p.mode = modeSteps
	} else {
		p.mode = modeForm
	}
}

// update handles probe events, the spinner and the VM list.
func (p *wizardPane) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case probeEventMsg:
		if msg.gen != p.gen {
			return nil
		}
		if msg.idx >= 0 && msg.idx < len(p.steps) {
			p.steps[msg.idx].Result = msg.res
		}
		return waitProbe(msg.ch)
	case probeDoneMsg:
		if msg.gen != p.gen {
			return nil
		}
		p.running = false
		p.cancel = nil
		p.keepReport()
		if !p.moved {
			// Show the cause at once: the first failure's card.
			for i, s := range p.steps {
				if s.Result.Status == probes.StatusFail || s.Result.Status == probes.StatusError {
					p.selectStep(i)
					break
				}
			}
		}
		p.notify(p.verdict())
		return nil
	case spinner.TickMsg:
		if !p.running {
			p.spinning = false
			return nil
		}
		var cmd tea.Cmd
		p.spin, cmd = p.spin.Update(msg)
		return cmd
	case vmsMsg:
		return p.gotVMs(msg)
	case clipboardMsg:
		cmd, status := msg.result()
		p.notify(status)
		return cmd
	case formCheckedMsg:
		return p.formChecked(msg)
	case pfxCheckedMsg:
		return p.pfxChecked(msg)
	}
	if p.mode == modeEditing && p.prompt != nil {
		var cmd tea.Cmd
		p.promptIn, cmd = p.promptIn.Update(msg)
		return cmd
	}
	if p.mode == modeEditing {
		// Cursor messages of the focused input.
		return p.form.input(msg)
	}
	return nil
}

// gotVMs prefills the form from Get-VMReplication: at once for one VM, by
// a choice for several. Values typed or given as flags win.
func (p *wizardPane) gotVMs(msg vmsMsg) tea.Cmd {
	if msg.err != nil {
		p.form.note = "Host replication settings not read: " + msg.err.Error()
		return nil
	}
	if len(msg.vms) == 0 || strings.TrimSpace(p.form.values().Replica) != "" {
		return nil
	}
	p.vms = msg.vms
	if len(msg.vms) == 1 {
		p.form.set(vmFields(msg.vms[0]))
		p.form.note = "From Get-VMReplication: " + msg.vms[0].Describe()
		return nil
	}
	if p.mode == modeEditing {
		p.form.blur()
	}
	p.mode, p.vmSel = modePicking, 0
	return nil
}

// key handles keys while the wizard is the active pane.
func (p *wizardPane) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.ctx.Keys
	switch p.mode {
	case modePicking:
		return p.pickKey(msg)
	case modeEditing:
		return p.formKey(msg)
	case modeForm:
		// The form is shown but not typed in: enter or e opens it.
		if key.Matches(msg, k.Open, k.Edit) {
			p.mode = modeEditing
			return p.form.focusField(p.form.focus)
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Up):
		p.moved = true
		p.selectStep(p.sel - 1)
	case key.Matches(msg, k.Down):
		p.moved = true
		p.selectStep(p.sel + 1)
	case key.Matches(msg, k.Home):
		p.moved = true
		p.selectStep(0)
	case key.Matches(msg, k.End):
		p.moved = true
		p.selectStep(len(p.steps) - 1)
	case key.Matches(msg, k.PageDown):
		p.cardOff += max(1, p.cardHeight()-1)
		p.clampCard()
	case key.Matches(msg, k.PageUp):
		p.cardOff = max(0, p.cardOff-max(1, p.cardHeight()-1))
	case key.Matches(msg, k.Open):
		if p.running {
			p.notify("checks are running: wait for them, or a restarts every step")
			return nil
		}
		return p.runSteps([]int{p.sel})
	case key.Matches(msg, k.RunAll):
		return p.runSteps(nil)
	case key.Matches(msg, k.Edit):
		if p.running {
			p.stop()
		}
		p.mode = modeEditing
		return p.form.focusField(0)
	case key.Matches(msg, k.NextFix):
		fixes := p.steps[p.sel].Result.Fixes
		if len(fixes) == 0 {
			p.notify("this step has no fixes")
			return nil
		}
		// From no selection (-1), the first f selects fix 1.
		p.fix = (p.fix + 1) % len(fixes)
		p.showFix()
	case key.Matches(msg, k.Left):
		p.scrollCmd(-1)
	case key.Matches(msg, k.Right):
		p.scrollCmd(1)
	case key.Matches(msg, k.Copy):
		return p.copyFix()
	}
	return nil
}

// formKey edits the form: tab and arrows move between fields, enter runs
// the checks, esc leaves the form.
func (p *wizardPane) formKey(msg tea.KeyPressMsg) tea.Cmd {
	if p.prompt != nil {
		return p.promptKey(msg)
	}
	switch msg.String() {
	case "esc":
		p.leaveForm()
		p.form.blur()
		p.form.err = ""
		return nil
	case "enter":
		return p.submit()
	case "tab", "down":
		return p.form.next()
	case "shift+tab", "up":
		return p.form.prev()
	}
	return p.form.input(msg)
}

// pfxChecked takes the answer of a PFX password check: a wrong password
// is asked again, the right one is kept and the form submitted again.
func (p *wizardPane) pfxChecked(msg pfxCheckedMsg) tea.Cmd {
	if p.prompt == nil || p.prompt.cert != msg.path {
		return nil // the prompt was left meanwhile
	}
	switch {
	case errors.Is(msg.err, probes.ErrPFXPassword):
		p.promptErr = "that password does not open " + probes.ShowValue(msg.path) + ": type it again, or esc"
		p.promptIn.SetValue("")
		return nil
	case msg.err != nil:
		p.prompt = nil
		p.form.err = msg.err.Error()
		return p.form.focusField(p.form.focus)
	}
	p.secrets.cert[msg.path] = msg.pw
	p.prompt = nil
	p.promptIn.SetValue("")
	return p.submit()
}

// askSecret opens the masked password prompt for s under the form.
func (p *wizardPane) askSecret(s secretPrompt) tea.Cmd {
	p.prompt, p.promptErr = &s, ""
	in := textinput.New()
	in.Prompt = ""
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '*'
	in.CharLimit = 1024
	st := textinput.StyleState{Text: p.ctx.Theme.Value, Placeholder: p.ctx.Theme.Muted, Prompt: p.ctx.Theme.Muted}
	in.SetStyles(textinput.Styles{Focused: st, Blurred: st, Cursor: textinput.CursorStyle{Blink: false}})
	in.SetWidth(max(8, p.w-6))
	p.promptIn = in
	p.mode = modeEditing
	p.form.blur()
	return p.promptIn.Focus()
}

// promptKey types into the password prompt: enter checks a PFX password
// at once (a wrong one is asked again) and runs the checks; esc goes back
// to the form without it.
func (p *wizardPane) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	s := *p.prompt
	switch msg.String() {
	case "esc":
		p.prompt = nil
		p.form.err = s.label() + " not given: the checks wait for it (enter asks again)"
		return p.form.focusField(p.form.focus)
	case "enter":
		pw := p.promptIn.Value()
		if s.cert != "" {
			// Deriving the PFX key takes time: in the background.
			p.promptErr = "checking the password..."
			return func() tea.Msg { return pfxCheckedMsg{path: s.cert, pw: pw, err: checkPFXPassword(s.cert, pw)} }
		}
		p.secrets.pass[s.user] = pw
		p.prompt = nil
		p.promptIn.SetValue("")
		return p.submit()
	}
	var cmd tea.Cmd
	p.promptIn, cmd = p.promptIn.Update(msg)
	return cmd
}

// pickKey chooses a VM among the host's replication relationships.
func (p *wizardPane) pickKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.ctx.Keys
	switch {
	case key.Matches(msg, k.Up):
		p.vmSel = max(0, p.vmSel-1)
	case key.Matches(msg, k.Down):
		p.vmSel = min(len(p.vms)-1, p.vmSel+1)
	case key.Matches(msg, k.Open):
		v := p.vms[p.vmSel]
		p.form.set(vmFields(v))
		p.form.note = "From Get-VMReplication: " + v.Describe()
		p.mode = modeEditing
		return p.form.focusField(0)
	case key.Matches(msg, k.Back):
		p.mode = modeEditing
		return p.form.focusField(0)
	}
	return nil
}

// submit validates the form and, when it holds, runs every step.
func (p *wizardPane) submit() tea.Cmd {
	// Validation reads the files named (certificate, CA, keytab, ccache)
	// and may derive a PFX key: in the background, so the screen and the
	// sampler go on.
	v := p.form.values()
	p.formGen++
	gen, parse, base, secrets := p.formGen, p.opt.Parse, p.opt.Base, p.secrets.clone()
	p.form.note = "checking the form..."
	return func() tea.Msg {
		m := formCheckedMsg{gen: gen, fields: v}
		if parse != nil {
			m.target, m.err = parse(v)
			return m
		}
		m.target, m.err = parseFields(base, v, secrets)
		if m.err == nil {
			m.need, m.needs = secretNeeded(m.target, v)
		}
		return m
	}
}

// formChecked takes the validation's answer: an error, a password to ask
// for, or a target to run the checks against.
func (p *wizardPane) formChecked(msg formCheckedMsg) tea.Cmd {
	if msg.gen != p.formGen {
		return nil // the form was submitted again since
	}
	if p.form.note == "checking the form..." {
		p.form.note = ""
	}
	t, err := msg.target, msg.err
	if err != nil {
		p.form.err = err.Error()
		switch {
		case p.mode == modePicking:
		case p.focused:
			p.mode = modeEditing
		default:
			p.leaveForm()
		}
		return nil
	}
	if s, ok := msg.need, msg.needs; ok {
		if !p.focused {
			// Started with the checks (flags): ask once the form shows.
			p.form.err = s.label() + " is needed: enter in the form asks for it"
			return nil
		}
		return p.askSecret(s)
	}
	p.form.err = ""
	p.form.blur()
	p.stop()
	p.target = t
	if p.mode != modePicking {
		p.mode = modeSteps
	}
	p.plan = p.opt.Plan(t)
	p.steps = make([]views.StepView, len(p.plan))
	for i, s := range p.plan {
		p.steps[i] = views.StepView{ID: s.Probe.ID(), Title: s.Probe.Title(), About: s.Probe.About(),
			Result: probes.Result{ProbeID: s.Probe.ID(), Status: probes.StatusPending}}
	}
	p.sel, p.fix, p.cardOff, p.cmdOff = 0, -1, 0, 0
	return p.runSteps(nil)
}

// runSteps starts the steps at indices (all when nil), cancelling a run in
// progress. Probes run in the background; the keyboard and the sampler go
// on.
func (p *wizardPane) runSteps(indices []int) tea.Cmd {
	if p.target == nil {
		return nil
	}
	p.stop()
	if indices == nil {
		indices = make([]int, len(p.plan))
		for i := range indices {
			indices[i] = i
		}
	}
	for _, i := range indices {
		p.steps[i].Result = probes.Result{ProbeID: p.steps[i].ID, Status: probes.StatusPending}
	}
	p.gen++
	p.moved = false
	ctx, cancel := context.WithCancel(p.base)
	p.cancel, p.running = cancel, true
	if p.clock != nil {
		p.started = p.clock.Now()
	}
	cmds := []tea.Cmd{startRun(ctx, p.gen, p.target, p.plan, indices, p.clock, p.opt.StepTimeout)}
	if !p.spinning {
		p.spinning = true
		cmds = append(cmds, p.spin.Tick)
	}
	if len(indices) == 1 {
		p.notify("running " + p.steps[indices[0]].Title)
	} else {
		p.notify(fmt.Sprintf("running %d checks against %s", len(indices), p.target.Addr()))
	}
	return tea.Batch(cmds...)
}

// stop cancels a run in progress; its remaining events are ignored.
func (p *wizardPane) stop() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	if p.running {
		p.running = false
		p.gen++
		for i := range p.steps {
			if s := p.steps[i].Result.Status; s == probes.StatusRunning || s == probes.StatusPending {
				p.steps[i].Result = probes.Result{ProbeID: p.steps[i].ID, Status: probes.StatusPending}
			}
		}
	}
}

// results are the steps' latest results in plan order.
func (p *wizardPane) results() []probes.Result {
	rs := make([]probes.Result, len(p.steps))
	for i, s := range p.steps {
		rs[i] = s.Result
	}
	return rs
}

// keepReport stores the finished run's report for its target.
func (p *wizardPane) keepReport() {
	if p.target == nil {
		return
	}
	at := p.started
	if at.IsZero() {
		at = time.Now()
	}
	r := probes.NewReport(p.target, p.plan, p.results(), p.tool, p.host, at)
	k := fmt.Sprintf("%s|%d|%s|%v", p.target.Replica, p.target.Port, p.target.Auth, p.target.Proxy)
	for i, old := range p.reportKeys {
		if old == k {
			p.reports[i] = r
			return
		}
	}
	p.reportKeys = append(p.reportKeys, k)
	p.reports = append(p.reports, r)
}

// verdict is the status line after a run: the worst finding first.
func (p *wizardPane) verdict() string {
	c := map[probes.Status]int{}
	first := -1
	for i, s := range p.steps {
		c[s.Result.Status]++
		if first < 0 && (s.Result.Status == probes.StatusFail || s.Result.Status == probes.StatusError) {
			first = i
		}
	}
	if first >= 0 {
		return fmt.Sprintf("checks done: %d failed, %d could not run; first: %s", c[probes.StatusFail], c[probes.StatusError], p.steps[first].Title)
	}
	if c[probes.StatusPending] > 0 {
		return "check done: " + p.steps[p.sel].Title + ": " + p.steps[p.sel].Result.Status.String()
	}
	return fmt.Sprintf("checks done: %d passed, %d warned, %d skipped", c[probes.StatusPass], c[probes.StatusWarn], c[probes.StatusSkip])
}

// runningTitles names the steps running now.
func (p *wizardPane) runningTitles() []string {
	var out []string
	for _, s := range p.steps {
		if s.Result.Status == probes.StatusRunning {
			out = append(out, s.Title)
		}
	}
	return out
}

func (p *wizardPane) selectStep(i int) {
	i = max(0, min(i, len(p.steps)-1))
	if i != p.sel {
		p.sel, p.fix, p.cardOff, p.cmdOff = i, -1, 0, 0
	}
}

// data is the pane's state for views.Wizard.
func (p *wizardPane) data() views.WizardData {
	d := views.WizardData{Steps: p.steps, Selected: p.sel, Fix: p.fix, CardOffset: p.cardOff, CmdOffset: p.cmdOff,
		Focused: p.focused, CanZoom: p.wideScreen() && !p.zoom}
	if p.running {
		d.Spinner = p.spin.View()
	}
	if t := p.target; t != nil {
		proxy := "direct"
		if in, _ := t.ProxyInPath(); in && t.Proxy != nil {
			proxy = "via proxy " + t.Proxy.Host
		}
		d.Target = fmt.Sprintf("%s, %s, %s", t.Addr(), t.Auth, proxy)
	}
	return d
}

// cardHeight is the number of card lines on screen.
func (p *wizardPane) cardHeight() int {
	return max(0, p.h-views.WizardStepsHeight(len(p.steps), p.h)-1)
}

func (p *wizardPane) clampCard() {
	lines, _ := views.WizardCard(p.data(), p.w, p.ctx.Theme)
	p.cardOff = max(0, min(p.cardOff, len(lines)-p.cardHeight()))
}

// showFix scrolls the card so the selected fix's first lines are on
// screen.
func (p *wizardPane) showFix() {
	lines, at := views.WizardCard(p.data(), p.w, p.ctx.Theme)
	if p.fix < 0 || p.fix >= len(at) {
		return
	}
	h := p.cardHeight()
	end := len(lines)
	if p.fix+1 < len(at) {
		end = at[p.fix+1]
	}
	if at[p.fix] < p.cardOff || end > p.cardOff+h-1 {
		p.cardOff = max(0, min(at[p.fix], end-h+1))
	}
	p.clampCard()
}

// scrollCmd scrolls the card's fix commands half a card sideways: dir
// -1 to the left (towards the start), 1 to the right. A command is drawn
// on one line and never wrapped.
func (p *wizardPane) scrollCmd(dir int) {
	if len(p.steps) == 0 {
		return
	}
	most := views.WizardCmdScroll(p.data(), p.w, p.ctx.Theme)
	if most == 0 {
		p.cmdOff = 0
		if p.wideScreen() && !p.zoom {
			p.notify("the commands fit; z gives the wizard the whole width")
		}
		return
	}
	p.cmdOff = max(0, min(most, p.cmdOff+dir*max(8, p.w/2)))
}

// wideScreen reports whether the screen is split in two halves.
func (p *wizardPane) wideScreen() bool { return p.ctx.Width >= WideWidth }

// copyFix copies the selected fix's command (fix 1's when none is
// selected yet): to the native clipboard where the program has one
// (Windows), else by OSC 52 to the terminal. Either way the command is
// kept to print on exit, since a terminal may ignore OSC 52.
func (p *wizardPane) copyFix() tea.Cmd {
	if len(p.steps) == 0 {
		return nil
	}
	fixes := p.steps[p.sel].Result.Fixes
	if len(fixes) == 0 {
		p.notify("nothing to copy: this step has no fix commands")
		return nil
	}
	n := p.fix
	if n < 0 {
		for i, f := range fixes {
			if f.Command != "" {
				n = i
				break
			}
		}
		if n < 0 {
			p.notify("nothing to copy: this step's fixes are actions, not commands")
			return nil
		}
	}
	p.fix = n
	f := fixes[n]
	if f.Command == "" {
		p.notify(fmt.Sprintf("fix %d is an action, not a command: f selects the next fix", n+1))
		return nil
	}
	p.copied = append(p.copied, f.Command)
	cmd, status := copyCommand(p.clip, n+1, f.Command)
	p.notify(status)
	return cmd
}

// view draws the VM choice, the form or the steps.
func (p *wizardPane) view(w, h int) string {
	t := p.ctx.Theme
	switch p.mode {
	case modePicking:
		return views.VMChoice(p.vmLines(), p.vmSel, w, h, t)
	case modeEditing, modeForm:
		return views.Form(p.formData(p.mode == modeEditing), w, h, t)
	}
	return views.Wizard(p.data(), w, h, t)
}

func (p *wizardPane) vmLines() []string {
	out := make([]string, len(p.vms))
	for i, v := range p.vms {
		out[i] = v.Describe()
	}
	return out
}

// click selects a step, a form field or a VM.
func (p *wizardPane) click(x, y int) tea.Cmd {
	switch p.mode {
	case modePicking:
		if i := y - 2; i >= 0 && i < len(p.vms) {
			p.vmSel = i
		}
	case modeEditing, modeForm:
		d := p.formData(true)
		for n := range d.Fields {
			if views.FormFieldLine(d, n, p.w, p.h, p.ctx.Theme) == y {
				p.mode = modeEditing
				if i := p.form.fieldAt(n); i >= 0 {
					p.form.blur()
					p.form.focus = i // no travel: land on it
					return p.form.focusField(i)
				}
			}
		}
	default:
		listH := views.WizardStepsHeight(len(p.steps), p.h)
		off := views.ScrollOffset(0, p.sel, listH-1, len(p.steps))
		if y >= 1 && y < listH {
			p.selectStep(off + y - 1)
		}
	}
	return nil
}

func (p *wizardPane) shortHelp() []key.Binding {
	k := p.ctx.Keys
	switch p.mode {
	case modePicking:
		move := "↑↓"
		if p.ctx.ASCII {
			move = "j/k"
		}
		return []key.Binding{short(k.Up, move, "VM"), short(k.Open, "enter", "use it"), short(k.Back, "esc", "type one")}
	case modeForm:
		return []key.Binding{short(k.Edit, "e", "edit the target"), short(k.Report, "r", "report")}
	}
	return k.WizardHelp()
}

// formData is the form for views.Form, with the password prompt.
func (p *wizardPane) formData(editing bool) views.FormData {
	d := p.form.data(editing, p.ctx.Theme)
	if p.prompt != nil {
		d.Secret = &views.FormSecret{Label: p.prompt.label(), Input: p.promptIn.View(), Err: p.promptErr}
	}
	return d
}

// footer is the form's keys while typing: the root's keys do not apply.
func (p *wizardPane) footer() string {
	if p.capturing() && p.prompt != nil {
		return p.ctx.Theme.Muted.Render("password: enter uses it  esc back to the form  ctrl+c quit")
	}
	if p.capturing() && p.mode == modeEditing {
		return p.ctx.Theme.Muted.Render("typing: tab next field  enter run the checks  esc leave the form  ctrl+c quit")
	}
	return ""
}
