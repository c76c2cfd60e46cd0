package probes

import (
	"context"
	"time"
)

// Status is the outcome of one probe.
type Status int

// Probe outcomes, from best to worst. Error means the probe itself could not
// run (bad input, local failure), not that the replica is broken.
const (
	StatusPending Status = iota // not run yet
	StatusRunning
	StatusPass
	StatusWarn
	StatusFail
	StatusSkip
	StatusError
)

// String returns the lower-case name used in text and JSON output.
func (s Status) String() string {
	switch s {
	case StatusPending:
		return "pending"
	case StatusRunning:
		return "running"
	case StatusPass:
		return "pass"
	case StatusWarn:
		return "warn"
	case StatusFail:
		return "fail"
	case StatusSkip:
		return "skip"
	case StatusError:
		return "error"
	}
	return "unknown"
}

// AuthType is the replication authentication type.
type AuthType string

// The two authentication types Hyper-V Replica offers.
const (
	AuthKerberos    AuthType = "kerberos"
	AuthCertificate AuthType = "certificate"
)

// Where a fix command must be run.
const (
	OnPrimary  = "primary"
	OnReplica  = "replica"
	OnProxy    = "proxy"
	OnThisHost = "this host"
)

// Fix is one remedy: what to do, the exact command with the user's values
// filled in (may be empty when the fix is not a command), and where to run it.
type Fix struct {
	Text    string `json:"text"`
	Command string `json:"command,omitempty"`
	Where   string `json:"where,omitempty"`
}

// Result is what one probe found.
type Result struct {
	ProbeID string `json:"id"`
	Status  Status `json:"-"`
	// Summary is one line: what was found.
	Summary string `json:"summary"`
	// Evidence lists what was observed: addresses, timings, response lines,
	// certificate subjects. Never secrets.
	Evidence []string `json:"evidence,omitempty"`
	// Reason explains the failure for Hyper-V Replica (may be empty on pass).
	Reason string `json:"reason,omitempty"`
	// Codes are the Windows error codes this finding explains ("0x80090303").
	Codes    []string      `json:"codes,omitempty"`
	Fixes    []Fix         `json:"fixes,omitempty"`
	Duration time.Duration `json:"-"`
	// LikelyCause names the earlier finding that likely explains this
	// failure (its fixes replace this step's own); "" when none.
	LikelyCause string `json:"likely_cause,omitempty"`
	// Cause is set when this finding can explain later failures.
	Cause *Cause `json:"-"`
}

// Probe is one check of the wizard.
type Probe interface {
	// ID is a stable identifier used in JSON, flags and training: "dns",
	// "tcp", "proxy-large-upload".
	ID() string
	// Title is a short human name: "Name resolution".
	Title() string
	// About says in one or two sentences what the probe checks and why.
	About() string
	// AppliesTo reports whether the probe is relevant for an auth type.
	AppliesTo(AuthType) bool
	// Run performs the check. It must honour ctx (deadline and
	// cancellation) and never panic on bad input.
	Run(ctx context.Context, t *Target) Result
}

// Step is one entry of the plan: a probe and the IDs of the steps that must
// pass (or warn) before it runs. A step whose prerequisite failed is skipped
// with the reason.
type Step struct {
	Probe Probe
	Needs []string
	// After names steps that must end first, whatever their outcome, so
	// that a failure here can be related to a cause they found (see
	// Cause).
	After []string
}
