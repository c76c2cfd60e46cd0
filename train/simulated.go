package train

import (
	"context"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// SimulatedTargets are the targets the simulated mode fills the wizard's
// form with: the lab's replica name and authentication, nothing to reach.
func SimulatedTargets(sc *Scenario) Targets {
	return Targets{Replica: labReplicaFQDN, Auth: labKinds[sc.Lab].auth}
}

// SimulatedPlan is the wizard's plan with each step replaced by its
// recorded result from the scenario file (steps without one are skipped,
// saying so): the simulated mode shows them through the wizard's own
// screen, every summary labelled SIMULATED. No probe contacts anything.
func SimulatedPlan(sc *Scenario) func(*probes.Target) []probes.Step {
	return func(t *probes.Target) []probes.Step {
		steps := probes.Plan(t)
		for i, s := range steps {
			rec := recordedProbe{Probe: s.Probe}
			for _, r := range sc.Simulated {
				if r.Step == s.Probe.ID() {
					rec.rec, rec.ok = r, true
				}
			}
			steps[i].Probe = rec
		}
		return steps
	}
}

// recordedProbe replays one recorded result under the real step's ID,
// title and description.
type recordedProbe struct {
	probes.Probe
	rec SimulatedStep
	ok  bool
}

func (p recordedProbe) Run(ctx context.Context, _ *probes.Target) probes.Result {
	if !p.ok {
		return probes.Result{Status: probes.StatusSkip, Summary: "SIMULATED: no recorded result for this step."}
	}
	st := map[string]probes.Status{"pass": probes.StatusPass, "warn": probes.StatusWarn, "fail": probes.StatusFail,
		"skip": probes.StatusSkip, "error": probes.StatusError}[p.rec.Status]
	return probes.Result{Status: st, Summary: "SIMULATED (recorded): " + strings.TrimSpace(p.rec.Summary),
		Evidence: []string{"simulated mode: a recorded result from the scenario file; no probe ran"}}
}

// Attempt returns the current attempt at a scenario (answers, hints,
// wrong answers); the zero Attempt when none was started.
func (t *Trainer) Attempt(id string) Attempt {
	a, _ := t.Dirs.loadAttempt(id)
	return a
}
