package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// probeEventMsg is one start or result of a step, from the runner's
// goroutine. idx is the step's index in the wizard's plan; ch is where the
// next message of the run comes from.
type probeEventMsg struct {
	gen int
	idx int
	res probes.Result
	ch  <-chan tea.Msg
}

// probeDoneMsg ends a run: every step it ran has its result.
type probeDoneMsg struct {
	gen     int
	ch      <-chan tea.Msg
	elapsed time.Duration
}

// vmsMsg carries what Get-VMReplication said.
type vmsMsg struct {
	vms []VMReplication
	err error
}

// startRun runs steps (indices into plan) for t in the background and
// returns the commands that deliver their events. The runner calls OnEvent
// at most twice per step, so the channel's buffer never fills and the
// probes never wait for the UI; cancel stops the probes.
func startRun(ctx context.Context, gen int, t *probes.Target, plan []probes.Step, indices []int,
	clock probes.Clock, stepTimeout time.Duration) tea.Cmd {
	steps := make([]probes.Step, len(indices))
	for j, i := range indices {
		steps[j] = plan[i]
		if len(indices) == 1 {
			steps[j].Needs = nil // a rerun of one step runs it whatever came before
		}
	}
	ch := make(chan tea.Msg, 2*len(steps)+1)
	runner := probes.Runner{Clock: clock, StepTimeout: stepTimeout, OnEvent: func(e probes.Event) {
		ch <- probeEventMsg{gen: gen, idx: indices[e.Index], res: e.Result, ch: ch}
	}}
	run := func() tea.Msg {
		var began time.Time
		if clock != nil {
			began = clock.Now()
		}
		runner.Run(ctx, t, steps)
		done := probeDoneMsg{gen: gen, ch: ch}
		if clock != nil {
			done.elapsed = clock.Now().Sub(began)
		}
		ch <- done
		close(ch)
		return nil
	}
	return tea.Batch(run, waitProbe(ch))
}

// waitProbe delivers the next message of a run.
func waitProbe(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// loadVMs reads the host's replication relationships in the background.
func loadVMs(ctx context.Context, read func(context.Context) ([]VMReplication, error)) tea.Cmd {
	return func() tea.Msg {
		vms, err := read(ctx)
		return vmsMsg{vms: vms, err: err}
	}
}
