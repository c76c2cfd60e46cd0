package hyperv

import (
	"strconv"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// StatusReport is what `hvrdoctor status` reports: the snapshot read, the
// time the rules were evaluated at and what that time is, each VM's
// status, the replica server audit and the events naming no VM. The text
// and Markdown views and the JSON document (StatusDocument) are built
// from it.
type StatusReport struct {
	AsOf time.Time
	// AsOfBasis says what AsOf is: "--at", "the latest time in the
	// files" or "now".
	AsOfBasis string
	Snap      *Snapshot
	VMs       []VM
	Audit     []AuditCheck
	// HostEvents are known problem events that name no VM (14050).
	HostEvents []Event
}

// NewStatusReport evaluates snap as of asOf: each VM's status, the audit
// and the host-wide events.
func NewStatusReport(snap *Snapshot, asOf time.Time, basis string) StatusReport {
	r := StatusReport{AsOf: asOf, AsOfBasis: basis, Snap: snap, VMs: Status(snap, asOf), Audit: Audit(snap)}
	r.HostEvents = HostEvents(snap, r.VMs, asOf)
	return r
}

// Exit statuses of the report (docs/status-json.md, exit_code).
const (
	StatusExitOK   = 0 // every VM Normal (or not applicable, unknown), no audit failure
	StatusExitFail = 1 // a VM Warning or Critical, or an audit check failed
)

// ExitCode is the report's verdict as an exit status: StatusExitFail when
// a VM is Warning or Critical or an audit check failed.
func (r StatusReport) ExitCode() int {
	if Worst(r.VMs) >= LevelWarning {
		return StatusExitFail
	}
	for _, a := range r.Audit {
		if a.Result == "fail" {
			return StatusExitFail
		}
	}
	return StatusExitOK
}

// LookupCode explains an error code as Event.Codes writes it (0x00002EF1).
func LookupCode(code string) (probes.CodeInfo, bool) {
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(code), "0x"), 16, 32)
	if err != nil {
		return probes.CodeInfo{}, false
	}
	return probes.LookupCode(uint32(v))
}
