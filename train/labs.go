package train

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// labKind is one kind of lab: the components it starts and the wizard
// steps that must pass once it is fixed.
type labKind struct {
	// auth is the authentication the lab's replica uses.
	auth  string
	about string
	// vars are the ${name} placeholders its hints and fix commands may use.
	vars []string
	// verifySteps must pass (or warn, unless strict) for the lab to count
	// as fixed.
	verifySteps []string
	// strict: a warning on a verify step counts as not fixed (the clock
	// step only warns when it reads the replica's HTTP Date header).
	strict    bool
	available func() error
	start     func(ctx context.Context, dir string) (running, error)
	// check, when set, checks the lab's state itself (churn labs, which
	// the wizard does not see) instead of the wizard's verifySteps.
	check func(ctx context.Context, t Targets, vars map[string]string) []string
}

// running is a started lab, owned by the supervisor process.
type running interface {
	info() labInfo
	// breakLab puts the lab in its broken state (at start and on reset).
	breakLab(ctx context.Context) error
	// reload re-reads the files the learner edits that the supervisor
	// itself acts on (a SIGHUP to the supervisor).
	reload(ctx context.Context) error
	stop() error
}

// labInfo is what the state file records of a running lab.
type labInfo struct {
	targets Targets
	vars    map[string]string
	procs   []Proc
	dirs    []string
}

// Proc is a lab process: stop ends it by PID after checking its name.
type Proc struct {
	PID  int    `json:"pid"`
	Name string `json:"name"`
}

// labKinds are the lab kinds scenario files name in "lab:".
var labKinds = map[string]labKind{}

// LabKinds lists the lab kinds' names.
func LabKinds() []string {
	var names []string
	for n := range labKinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// commonVars are set by every lab: its directory and the supervisor's PID
// (what `kill -HUP` reloads).
var commonVars = []string{"lab_dir", "lab_pid"}

// Target builds the probes' target for the lab's targets, through the
// same validator as `hvrdoctor check`'s flags.
func (t Targets) Target(timeout time.Duration) (*probes.Target, error) {
	in := probes.TargetInput{Replica: t.Replica, Auth: t.Auth, ProxyURL: t.Proxy, KDC: t.KDC, Realm: t.Realm,
		Keytab: t.Keytab, Principal: t.Principal, CertSource: t.Cert, CABundle: t.CA, CertName: t.CertName,
		LDAPURL: t.LDAP, TimeoutText: timeout.String(), Given: map[string]bool{}}
	if t.Port != 0 {
		in.PortText = fmt.Sprint(t.Port)
	}
	if t.Proxy == "" {
		in.BypassProxy = true // the lab is on loopback: no proxy unless it names one
	}
	tg := &probes.Target{}
	if err := in.ApplyTo(tg); err != nil {
		return nil, err
	}
	return tg, nil
}

// RunWizard runs the wizard's plan against the lab's targets, exactly as
// `hvrdoctor check` does, and returns the results by step ID.
func RunWizard(ctx context.Context, t Targets) (map[string]probes.Result, error) {
	tg, err := t.Target(3 * time.Second)
	if err != nil {
		return nil, err
	}
	steps := probes.Plan(tg)
	results := probes.Runner{}.Run(ctx, tg, steps)
	out := map[string]probes.Result{}
	for i, s := range steps {
		out[s.Probe.ID()] = results[i]
	}
	return out, nil
}

// labProblems runs the wizard and names each of the kind's steps that does
// not pass or warn: what is still wrong in the lab.
func labProblems(ctx context.Context, kind labKind, t Targets, vars map[string]string) []string {
	if kind.check != nil {
		return kind.check(ctx, t, vars)
	}
	res, err := RunWizard(ctx, t)
	if err != nil {
		return []string{"the lab's targets do not validate: " + err.Error()}
	}
	var out []string
	for _, id := range kind.verifySteps {
		r, ok := res[id]
		if !ok {
			out = append(out, "step "+id+": not in the wizard's plan for these targets")
			continue
		}
		if !kind.fixed(r.Status) {
			out = append(out, fmt.Sprintf("step %s: %s: %s", id, strings.ToLower(r.Status.String()), oneLine(r.Summary)))
		}
	}
	return out
}

// fixed says whether a verify step's status counts as fixed.
func (k labKind) fixed(s probes.Status) bool {
	return s == probes.StatusPass || (s == probes.StatusWarn && !k.strict)
}
