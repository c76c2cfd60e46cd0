package hyperv

import (
	"fmt"
	"sort"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
)

// The thresholds of the documented health rules (Hyper-V Replica team
// blog on replication health, 2012).
const (
	// MissedShare: Warning when more than 20% of the cycles of the
	// monitoring interval were missed.
	MissedShare = 0.20
	// MaxSinceLast: Warning when more than 1 hour passed since the last
	// replication.
	MaxSinceLast = time.Hour
	// MaxAverageLatency: Normal needs an average latency of at most 5
	// minutes.
	MaxAverageLatency = 5 * time.Minute
)

// evaluate applies the documented rules to what is known about v. A rule
// whose inputs are missing does not fire.
func evaluate(v *VM, now time.Time) []Rule {
	var rules []Rule
	add := func(id string, l Level, format string, args ...any) {
		rules = append(rules, Rule{ID: id, Level: l, Text: fmt.Sprintf(format, args...)})
	}
	st := v.State
	replica := stateIs(v.Mode, "Replica", "ExtendedReplica")
	switch {
	case stateIs(st, "WaitingToStartResync", "WaitingForStartResynchronize", "ResyncSuspended", "ResynchronizeSuspended"):
		add("resync-required", LevelCritical, "State %s: a resynchronization is required before changes can be sent (Critical).", st)
	case stateIs(st, "Critical", "Error", "DiskUpdateCritical", "UpdateError"):
		add("cannot-send", LevelCritical, "State %s: changes cannot be sent (Critical).", st)
	case stateIs(st, "Suspended") && replica:
		add("paused-on-replica", LevelCritical, "State Suspended on the replica: replication is paused there (Critical).")
	case stateIs(st, "Suspended"):
		add("primary-paused", LevelWarning, "State Suspended on the primary: replication is paused (Warning).")
	case stateIs(st, "WaitingToCompleteInitialReplication", "Ready", "ReadyForInitialReplication", "WaitingForInitialReplication", "InitialReplicationInProgress"):
		add("initial-not-complete", LevelWarning, "State %s: the initial replication is not complete (Warning).", st)
	case stateIs(st, "Recovered", "Committed", "FailedOver", "FailedOverWaitingCompletion"):
		add("failover-no-reverse", LevelWarning, "State %s: failed over without reverse replication (Warning).", st)
	}
	for _, e := range v.Events {
		if e.ID == 32086 {
			add("suspended-event", LevelCritical, "Event 32086 at %s: replication was suspended after a non-recoverable failure and needs to be resumed (Critical).",
				e.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
			break
		}
	}
	if m := v.Stats; m != nil && m.HasCounts {
		total := m.SuccessfulReplicationCount + m.MissedReplicationCount
		if total > 0 && float64(m.MissedReplicationCount) > MissedShare*float64(total) {
			add("missed-cycles", LevelWarning, "%d of %d replication cycles missed in the monitoring interval (%.0f%%, over 20%%: Warning).",
				m.MissedReplicationCount, total, 100*float64(m.MissedReplicationCount)/float64(total))
		}
	}
	if !v.LastReplication.IsZero() && !now.IsZero() && replicating(v) {
		if ago := now.Sub(v.LastReplication); ago > MaxSinceLast {
			add("no-replication-1h", LevelWarning, "Last replication %s ago, over 1 hour (Warning).", units.Age(ago))
		}
	}
	if m := v.Stats; m != nil && m.HasAverageLatency && m.AverageReplicationLatency > MaxAverageLatency {
		add("latency-over-5m", LevelWarning, "Average replication latency %s, over the 5 minutes Normal allows (Warning).", units.Age(m.AverageReplicationLatency))
	}
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Level > rules[j].Level })
	return rules
}

// replicating reports whether v is expected to send changes: not in a
// state where another rule explains the silence.
func replicating(v *VM) bool {
	return !stateIs(v.State, "Disabled", "Recovered", "Committed", "FailedOver", "WaitingToCompleteInitialReplication", "Ready",
		"ReadyForInitialReplication", "WaitingForInitialReplication", "InitialReplicationInProgress")
}
