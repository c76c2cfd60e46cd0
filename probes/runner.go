package probes

import (
	"context"
	"fmt"
	"time"
)

// Event reports progress of one step: once when it starts (Result.Status
// is StatusRunning) and once when it ends (or is skipped).
type Event struct {
	// Index is the step's position in the plan.
	Index  int
	Probe  Probe
	Result Result
}

// Runner runs a plan. The zero value is usable.
type Runner struct {
	// OnEvent, when set, is called for every start and result, always from
	// the goroutine that called Run, one call at a time, in the order the
	// steps start and end. It must not block for long.
	OnEvent func(Event)
	// Clock times the steps; nil = the target's clock.
	Clock Clock
	// StepTimeout bounds each step as a whole; 0 = three times the
	// target's timeout (probes bound each network operation by the target's
	// timeout; some, like the large upload, make two).
	StepTimeout time.Duration
	// AbandonAfter is how long a step may take to return once its time is
	// up or the check was cancelled; after it the step is reported as timed
	// out and its goroutine abandoned (a library call that ignores its
	// context cannot hold the check). 0 = DefaultAbandonAfter.
	AbandonAfter time.Duration
}

// DefaultAbandonAfter is Runner.AbandonAfter's default.
const DefaultAbandonAfter = time.Second

type stepDone struct {
	index int
	res   Result
}

// Run executes steps for t and returns one result per step, in plan order.
// Steps whose prerequisites did not pass or warn are skipped with the
// reason; independent steps run concurrently. When ctx is cancelled, the
// running steps are cancelled and the remaining ones are skipped.
//
// Each round starts every step that is ready (or skips it, blocked or
// cancelled); when none could start it waits for a running step to end.
func (r Runner) Run(ctx context.Context, t *Target, steps []Step) []Result {
	p := r.newPlanRun(t, steps)
	for p.finished < len(steps) {
		if p.startReady(ctx) {
			continue
		}
		if p.running == 0 {
			p.failStuck()
			break
		}
		p.collect(ctx, <-p.done)
	}
	return p.results
}

// planRun is the state of one Run: each step's state and result, and the
// steps running.
type planRun struct {
	r           Runner
	t           *Target
	steps       []Step
	now         func() time.Time
	stepTimeout time.Duration
	grace       time.Duration
	index       map[string]int // step position by probe ID

	results  []Result
	state    []Status // StatusPending, StatusRunning, or final
	final    []bool
	started  []time.Time
	done     chan stepDone
	running  int
	finished int
}

// newPlanRun resolves the runner's defaults for t and indexes the steps.
func (r Runner) newPlanRun(t *Target, steps []Step) *planRun {
	p := &planRun{r: r, t: t, steps: steps, now: t.now, stepTimeout: r.StepTimeout, grace: r.AbandonAfter,
		index: make(map[string]int, len(steps)), results: make([]Result, len(steps)), state: make([]Status, len(steps)),
		final: make([]bool, len(steps)), started: make([]time.Time, len(steps)), done: make(chan stepDone)}
	if r.Clock != nil {
		p.now = r.Clock.Now
	}
	if p.stepTimeout <= 0 {
		p.stepTimeout = 3 * t.timeout()
	}
	if p.grace <= 0 {
		p.grace = DefaultAbandonAfter
	}
	for i, s := range steps {
		p.index[s.Probe.ID()] = i
	}
	return p
}

// emit reports one start or result to OnEvent.
func (p *planRun) emit(i int, res Result) {
	if p.r.OnEvent != nil {
		p.r.OnEvent(Event{Index: i, Probe: p.steps[i].Probe, Result: res})
	}
}

// finish records step i's final result.
func (p *planRun) finish(i int, res Result) {
	res = explainLater(p.steps, p.index, p.results, p.final, i, res)
	p.final[i] = true
	res.ProbeID = p.steps[i].Probe.ID()
	p.results[i] = res
	p.state[i] = res.Status
	p.finished++
	p.emit(i, res)
}

// startReady starts every pending step whose prerequisites allow it, and
// skips those that are blocked or cancelled; it reports whether any step
// changed state.
func (p *planRun) startReady(ctx context.Context) (progress bool) {
	for i, s := range p.steps {
		if p.state[i] != StatusPending {
			continue
		}
		if ctx.Err() != nil {
			p.finish(i, Result{Status: StatusSkip, Summary: "Skipped: the check was cancelled."})
			progress = true
			continue
		}
		ready, blocked := p.readiness(s)
		if blocked != "" {
			p.finish(i, Result{Status: StatusSkip, Summary: blocked})
			progress = true
			continue
		}
		if !ready {
			continue
		}
		p.start(ctx, i)
		progress = true
	}
	return progress
}

// readiness says whether step s can start now: its needs passed or warned
// and the steps it runs after have ended. blocked is the skip reason when
// a need failed, was skipped or could not run.
func (p *planRun) readiness(s Step) (ready bool, blocked string) {
	ready = true
	for _, need := range s.Needs {
		j, ok := p.index[need]
		if !ok {
			continue // not in this plan (does not apply to the auth type)
		}
		switch p.state[j] {
		case StatusPass, StatusWarn:
		case StatusPending, StatusRunning:
			ready = false
		default:
			verb := map[Status]string{StatusFail: "failed", StatusSkip: "was skipped", StatusError: "could not run"}[p.state[j]]
			return ready, fmt.Sprintf("Skipped: needs %q, which %s.", p.steps[j].Probe.Title(), verb)
		}
	}
	for _, after := range s.After {
		if j, ok := p.index[after]; ok && !p.final[j] {
			ready = false // ends first, whatever its outcome
		}
	}
	return ready, ""
}

// start runs step i in its own goroutine; its result comes on done.
func (p *planRun) start(ctx context.Context, i int) {
	s := p.steps[i]
	p.state[i] = StatusRunning
	p.started[i] = p.now()
	p.emit(i, Result{ProbeID: s.Probe.ID(), Status: StatusRunning, Summary: s.Probe.Title() + "..."})
	p.running++
	go func(i int, pr Probe) {
		p.done <- stepDone{i, runBounded(ctx, pr, p.t, p.stepTimeout, p.grace)}
	}(i, s.Probe)
}

// collect takes a step's result: timed, and a failure after cancellation
// reported as cancelled.
func (p *planRun) collect(ctx context.Context, d stepDone) {
	p.running--
	res := d.res
	res.Duration = p.now().Sub(p.started[d.index])
	if ctx.Err() != nil && (res.Status == StatusError || res.Status == StatusFail) {
		res = Result{Status: StatusSkip, Summary: "Cancelled before the check finished.", Duration: res.Duration}
	}
	p.finish(d.index, res)
}

// failStuck ends the steps that can never start. Unreachable with a
// well-formed plan; guards against a cycle or a need that is itself
// waiting on a later step.
func (p *planRun) failStuck() {
	for i := range p.steps {
		if p.state[i] == StatusPending {
			p.finish(i, Result{Status: StatusError, Summary: "Internal error: prerequisites form a cycle."})
		}
	}
}

// runBounded runs one probe with the step timeout. When the probe does not
// return within grace after its context ends (timeout or Ctrl-C), it is
// left running in the background and reported as timed out: the runner
// never waits on a stuck probe.
func runBounded(ctx context.Context, p Probe, t *Target, stepTimeout, grace time.Duration) Result {
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	res := make(chan Result, 1) // buffered: an abandoned probe's send never blocks
	go func() { res <- runSafely(sctx, p, t) }()
	select {
	case r := <-res:
		return r
	case <-sctx.Done():
	}
	abandon := time.NewTimer(grace)
	defer abandon.Stop()
	select {
	case r := <-res:
		return r
	case <-abandon.C:
		if ctx.Err() != nil {
			return Result{Status: StatusError, Summary: "Cancelled: the step did not stop when asked and was abandoned."}
		}
		return Result{Status: StatusError, Summary: fmt.Sprintf("Timed out: the step took more than its %s and was abandoned.", stepTimeout)}
	}
}

// runSafely runs one probe and turns a panic into an error result.
func runSafely(ctx context.Context, p Probe, t *Target) (res Result) {
	defer func() {
		if v := recover(); v != nil {
			res = Result{Status: StatusError, Summary: fmt.Sprintf("Internal error in %s: %v", p.ID(), v)}
		}
	}()
	return p.Run(ctx, t)
}

// Worst returns the worst status among results (pass < warn < skip <
// error < fail for the exit code: a failed check outranks a probe that
// could not run).
func Worst(results []Result) Status {
	rank := map[Status]int{StatusPass: 1, StatusSkip: 0, StatusWarn: 2, StatusError: 3, StatusFail: 4}
	worst := StatusPass
	for _, r := range results {
		if rank[r.Status] > rank[worst] {
			worst = r.Status
		}
	}
	return worst
}
