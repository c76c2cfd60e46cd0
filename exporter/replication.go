package exporter

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// VMReplication is one VM's Hyper-V Replica relationship as the host view
// reads it (Msvm_ReplicationRelationship and Msvm_ReplicationStatistics,
// or Measure-VMReplication). Zero values and false Has* fields mean "not
// known": the metric is then left out rather than shown as 0.
//
// The host view (package hyperv, issue 16) is being built separately;
// ReplicationSource is the seam it will fill. Until it is wired in,
// hvrdoctor serve exposes none of these metrics.
type VMReplication struct {
	VM   string // VM name
	Mode string // "primary", "replica" or "extended-replica"
	// State is the ReplicationState name ("Replicating", "Suspended",
	// "Critical", "Resynchronizing"...); Health "Normal", "Warning" or
	// "Critical" ("" when not applicable).
	State, Health string
	// PendingBytes is PendingReplicationSize: bytes of log not yet sent.
	PendingBytes    float64
	HasPendingBytes bool
	// LastReplication is LastReplicationTime (zero: never or unknown).
	LastReplication time.Time
	// Over the monitoring window (StartStatisticTime..EndStatisticTime):
	// cycles that succeeded and were missed, bytes replicated and the
	// average and largest latency.
	SuccessfulCycles, MissedCycles float64
	ReplicatedBytes                float64
	AverageLatency, MaximumLatency time.Duration
	HasStatistics                  bool
	MonitoringStart, MonitoringEnd time.Time
	ReplicationErrors              float64
}

// ReplicationSource reads the VMs' replication state on a Hyper-V host.
// Read is called at most once per interval by the exporter's loop (never
// by a scrape) and must honour ctx.
type ReplicationSource interface {
	Read(ctx context.Context) ([]VMReplication, error)
}

// Replication health and state values exposed as label enums.
var (
	replicationHealths = []string{"Normal", "Warning", "Critical"}

	replState = desc("vm_replication_state",
		"1 for the VM's current replication state (Msvm_ReplicationRelationship.ReplicationState by name).", "vm", "mode", "state")
	replHealth = desc("vm_replication_health",
		"1 for the VM's current replication health (Normal, Warning, Critical), 0 for the others.", "vm", "mode", "health")
	replPending = desc("vm_replication_pending_bytes",
		"Bytes of change log waiting to be sent (PendingReplicationSize).", "vm", "mode")
	replLast = desc("vm_replication_last_success_timestamp_seconds",
		"Unix time of the last replication (LastReplicationTime).", "vm", "mode")
	replSuccess = desc("vm_replication_successful_cycles",
		"Replication cycles that succeeded in the monitoring window (a gauge: the window restarts).", "vm", "mode")
	replMissed = desc("vm_replication_missed_cycles",
		"Replication cycles missed in the monitoring window (a gauge: the window restarts).", "vm", "mode")
	replSize = desc("vm_replication_window_bytes",
		"Bytes replicated in the monitoring window.", "vm", "mode")
	replLatencyAvg = desc("vm_replication_average_latency_seconds",
		"Average replication latency in the monitoring window.", "vm", "mode")
	replLatencyMax = desc("vm_replication_maximum_latency_seconds",
		"Largest replication latency in the monitoring window.", "vm", "mode")
	replErrors = desc("vm_replication_errors",
		"Replication errors in the monitoring window.", "vm", "mode")
)

// replicationCollector exposes the last VMReplication rows read. It is
// the collector the host view will feed (see ReplicationSource).
type replicationCollector struct {
	rows func() []VMReplication
}

func (c replicationCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{replState, replHealth, replPending, replLast, replSuccess, replMissed, replSize, replLatencyAvg, replLatencyMax, replErrors} {
		ch <- d
	}
}

func (c replicationCollector) Collect(ch chan<- prometheus.Metric) {
	g := func(d *prometheus.Desc, v float64, l ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, l...)
	}
	for _, r := range c.rows() {
		if r.State != "" {
			g(replState, 1, r.VM, r.Mode, r.State)
		}
		if r.Health != "" {
			for _, h := range replicationHealths {
				v := 0.0
				if h == r.Health {
					v = 1
				}
				g(replHealth, v, r.VM, r.Mode, h)
			}
		}
		if r.HasPendingBytes {
			g(replPending, r.PendingBytes, r.VM, r.Mode)
		}
		if !r.LastReplication.IsZero() {
			g(replLast, float64(r.LastReplication.UnixNano())/1e9, r.VM, r.Mode)
		}
		if r.HasStatistics {
			g(replSuccess, r.SuccessfulCycles, r.VM, r.Mode)
			g(replMissed, r.MissedCycles, r.VM, r.Mode)
			g(replSize, r.ReplicatedBytes, r.VM, r.Mode)
			g(replLatencyAvg, r.AverageLatency.Seconds(), r.VM, r.Mode)
			g(replLatencyMax, r.MaximumLatency.Seconds(), r.VM, r.Mode)
			g(replErrors, r.ReplicationErrors, r.VM, r.Mode)
		}
	}
}
