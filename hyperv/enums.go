package hyperv

import "strings"

// replicationStates is Msvm_ReplicationRelationship.ReplicationState by
// number (Microsoft's root\virtualization\v2 class reference).
var replicationStates = []string{
	"Disabled", "Ready", "WaitingToCompleteInitialReplication", "Replicating", "SyncedReplicationComplete",
	"Recovered", "Committed", "Suspended", "Critical", "WaitingToStartResync", "Resynchronizing", "ResyncSuspended",
	"FailoverInProgress", "FailbackInProgress", "FailbackComplete", "DiskUpdateInProgress", "DiskUpdateCritical",
	"Unknown", "RepurposeReplicationInProgress", "PreparedForSyncReplication", "PreparedForGroupReverseReplication",
	"FiredrillInProgress",
}

// healthNames is ReplicationHealth by number (WMI): 0 NotApplicable, 1 Ok,
// 2 Warning, 3 Critical. The cmdlets name 1 "Normal".
var healthNames = []string{"NotApplicable", "Normal", "Warning", "Critical"}

// authTypes is AllowedAuthenticationType by number (WMI
// Msvm_ReplicationServiceSettingData): 1 Kerberos, 2 Certificate, 3 both.
var authTypes = []string{"", "Kerberos", "Certificate", "CertificateAndKerberos"}

// Level is a replication health: what Hyper-V reports, or what the
// documented rules give.
type Level int

// Health levels, worst last.
const (
	LevelUnknown Level = iota
	LevelNotApplicable
	LevelNormal
	LevelWarning
	LevelCritical
)

// String is the level as Hyper-V names it.
func (l Level) String() string {
	switch l {
	case LevelNotApplicable:
		return "NotApplicable"
	case LevelNormal:
		return "Normal"
	case LevelWarning:
		return "Warning"
	case LevelCritical:
		return "Critical"
	}
	return "Unknown"
}

// parseLevel reads a health name ("Ok" is WMI's name for Normal).
func parseLevel(s string) Level {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "normal", "ok":
		return LevelNormal
	case "warning":
		return LevelWarning
	case "critical":
		return LevelCritical
	case "notapplicable":
		return LevelNotApplicable
	}
	return LevelUnknown
}

// stateIs reports whether state is one of names, ignoring case. The
// cmdlets and WMI spell some states differently (Error / Critical,
// WaitingForStartResynchronize / WaitingToStartResync): both are listed
// where a rule uses them.
func stateIs(state string, names ...string) bool {
	for _, n := range names {
		if strings.EqualFold(state, n) {
			return true
		}
	}
	return false
}
