package exporter

import (
	"context"
	"errors"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/probes"
)

// ReplicationFromFlag is serve's flag for saved PowerShell outputs; input
// errors of the host view name it.
const ReplicationFromFlag = "--replication-from"

// HostView is the ReplicationSource of package hyperv: saved PowerShell
// outputs (Paths, files or directories, read again on every Read and
// bounded as hvrdoctor status bounds them), or, with no Paths, the host's
// WMI (Windows Hyper-V hosts only: state, health and last replication).
type HostView struct {
	Paths []string
	// Now is the clock of live reads (time.Now when nil).
	Now func() time.Time
}

// Read implements ReplicationSource: hyperv.Status applied as of the
// latest time in the files (as hvrdoctor status does) or now for a live
// read.
func (h HostView) Read(ctx context.Context) (ReplicationRead, error) {
	var snap *hyperv.Snapshot
	var err error
	var asOf time.Time
	if len(h.Paths) > 0 {
		if err := ctx.Err(); err != nil {
			return ReplicationRead{}, err
		}
		snap, err = hyperv.ReadFiles(h.Paths)
		if err != nil {
			var ie *probes.InputError
			if errors.As(err, &ie) && ie.Flag == "--from" {
				c := *ie
				c.Flag = ReplicationFromFlag
				return ReplicationRead{}, &c
			}
			return ReplicationRead{}, err
		}
		asOf = snap.Latest()
	} else {
		snap, err = hyperv.ReadLive(ctx)
		if err != nil {
			return ReplicationRead{}, err
		}
	}
	if asOf.IsZero() {
		now := time.Now
		if h.Now != nil {
			now = h.Now
		}
		asOf = now().UTC()
	}
	vms := hyperv.Status(snap, asOf)
	out := ReplicationRead{AsOf: asOf, VMs: make([]VMReplication, 0, len(vms))}
	for _, v := range vms {
		out.VMs = append(out.VMs, vmRow(v))
	}
	return out, nil
}

// vmRow maps one hyperv.VM to the exporter's row.
func vmRow(v hyperv.VM) VMReplication {
	r := VMReplication{VM: v.Name, Relationship: v.Relationship, Mode: v.Mode, State: v.State, LastReplication: v.LastReplication}
	if r.State == "" && v.StateNumber >= 0 {
		r.State = itoa(v.StateNumber) // Hyper-V's number, when the files gave no name
	}
	switch v.ReportedHealth {
	case hyperv.LevelNormal, hyperv.LevelWarning, hyperv.LevelCritical:
		r.Health = v.ReportedHealth.String()
	}
	for _, ru := range v.Rules {
		r.Rules = append(r.Rules, ReplicationRule{ID: ru.ID, Level: ru.Level.String()})
	}
	if m := v.Stats; m != nil {
		r.PendingBytes, r.HasPendingBytes = float64(m.PendingReplicationSize), m.HasPending
		r.HasCycles, r.HasErrors = m.HasCounts, m.HasErrors
		r.SuccessfulCycles, r.MissedCycles, r.ReplicationErrors = float64(m.SuccessfulReplicationCount), float64(m.MissedReplicationCount), float64(m.ReplicationErrors)
		r.MonitoringStart, r.MonitoringEnd = m.MonitoringStart, m.MonitoringEnd
		r.AverageBytes, r.HasAverageBytes = float64(m.AverageReplicationSize), m.HasAverageSize
		r.MaximumBytes, r.HasMaximumBytes = float64(m.MaximumReplicationSize), m.HasMaximumSize
		r.AverageLatency, r.HasAverageLatency = m.AverageReplicationLatency, m.HasAverageLatency
		r.MaximumLatency, r.HasMaximumLatency = m.MaximumReplicationLatency, m.HasMaximumLatency
	}
	if f := v.Forecast; f != nil {
		r.ResyncThresholdBytes = float64(f.ThresholdBytes)
		r.ResyncIn, r.HasResyncIn = f.Until, f.HasUntil
	}
	return r
}
