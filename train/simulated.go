package train

import (
	"context"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// SimulatedTargets are the targets the simulated mode fills the wizard's
// form with: the lab's replica name and authentication, nothing to reach.
func SimulatedTargets(sc *Scenario) Targets {
	replica := "127.0.0.1" // the labs' listeners are on loopback
	if sc.Lab == "kdc-missing-spn" || sc.Lab == "ldap-duplicate-spn" {
		replica = labReplicaFQDN
	}
	return Targets{Replica: replica, Auth: labKinds[sc.Lab].auth}
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
	res := probes.Result{Status: st, Summary: "SIMULATED (recorded): " + strings.TrimSpace(p.rec.Summary), Reason: p.rec.Reason,
		Codes:    p.rec.Codes,
		Evidence: append([]string{"simulated mode: a result recorded from the scenario's lab; no probe ran"}, p.rec.Evidence...)}
	for _, f := range p.rec.Fixes {
		res.Fixes = append(res.Fixes, probes.Fix{Text: f.Text, Command: f.Command, Where: f.Where})
	}
	return res
}

// Attempt returns the current attempt at a scenario (answers, hints,
// wrong answers); the zero Attempt when none was started.
func (t *Trainer) Attempt(id string) Attempt {
	a, _ := t.Dirs.loadAttempt(id)
	return a
}
