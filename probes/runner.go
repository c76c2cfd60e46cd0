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
func (r Runner) Run(ctx context.Context, t *Target, steps []Step) []Result {
	now := t.now
	if r.Clock != nil {
		now = r.Clock.Now
	}
	stepTimeout := r.StepTimeout
	if stepTimeout <= 0 {
		stepTimeout = 3 * t.timeout()
	}
	grace := r.AbandonAfter
	if grace <= 0 {
		grace = DefaultAbandonAfter
	}
	emit := func(i int, res Result) {
		if r.OnEvent != nil {
			r.OnEvent(Event{Index: i, Probe: steps[i].Probe, Result: res})
		}
	}
	index := map[string]int{}
	for i, s := range steps {
		index[s.Probe.ID()] = i
	}

	results := make([]Result, len(steps))
	state := make([]Status, len(steps)) // StatusPending, StatusRunning, or final
	started := make([]time.Time, len(steps))
	done := make(chan stepDone)
	running := 0
	finished := 0

	finish := func(i int, res Result) {
		res.ProbeID = steps[i].Probe.ID()
		results[i] = res
		state[i] = res.Status
		finished++
		emit(i, res)
	}

	for finished < len(steps) {
		progress := false
		for i, s := range steps {
			if state[i] != StatusPending {
				continue
			}
			if ctx.Err() != nil {
				finish(i, Result{Status: StatusSkip, Summary: "Skipped: the check was cancelled."})
				progress = true
				continue
			}
			ready, blocked := true, ""
			for _, need := range s.Needs {
				j, ok := index[need]
				if !ok {
					continue // not in this plan (does not apply to the auth type)
				}
				switch state[j] {
				case StatusPass, StatusWarn:
				case StatusPending, StatusRunning:
					ready = false
				default:
					verb := map[Status]string{StatusFail: "failed", StatusSkip: "was skipped", StatusError: "could not run"}[state[j]]
					blocked = fmt.Sprintf("Skipped: needs %q, which %s.", steps[j].Probe.Title(), verb)
				}
				if blocked != "" {
					break
				}
			}
			if blocked != "" {
				finish(i, Result{Status: StatusSkip, Summary: blocked})
				progress = true
				continue
			}
			if !ready {
				continue
			}
			state[i] = StatusRunning
			started[i] = now()
			emit(i, Result{ProbeID: s.Probe.ID(), Status: StatusRunning, Summary: s.Probe.Title() + "..."})
			running++
			progress = true
			go func(i int, p Probe) {
				done <- stepDone{i, runBounded(ctx, p, t, stepTimeout, grace)}
			}(i, s.Probe)
		}
		if progress {
			continue
		}
		if running == 0 {
			// Unreachable with a well-formed plan; guards against a cycle
			// or a need that is itself waiting on a later step.
			for i := range steps {
				if state[i] == StatusPending {
					finish(i, Result{Status: StatusError, Summary: "Internal error: prerequisites form a cycle."})
				}
			}
			break
		}
		d := <-done
		running--
		res := d.res
		res.Duration = now().Sub(started[d.index])
		if ctx.Err() != nil && (res.Status == StatusError || res.Status == StatusFail) {
			res = Result{Status: StatusSkip, Summary: "Cancelled before the check finished.", Duration: res.Duration}
		}
		finish(d.index, res)
	}
	return results
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
