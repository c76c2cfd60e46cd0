package exporter

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// VMReplication is one VM's Hyper-V Replica relationship as the host view
// (package hyperv) reads it: Get-VMReplication / Msvm_ReplicationRelationship
// and Measure-VMReplication. Zero values and false Has* fields mean "not
// known": the metric is then left out rather than shown as 0.
type VMReplication struct {
	VM string // VM name
	// Relationship is "primary" or "extended"; Mode is this host's
	// replication mode as Hyper-V names it ("Primary", "Replica"...), "" when
	// not given.
	Relationship, Mode string
	// State is the ReplicationState name ("Replicating", "Suspended",
	// "Critical", "WaitingToStartResync"...); Health is the health Hyper-V
	// reports, "Normal", "Warning" or "Critical" ("" when not given).
	State, Health string
	// Rules are the documented health rules hvrdoctor applied that fired.
	Rules []ReplicationRule
	// PendingBytes is PendingReplicationSize: bytes of log not yet sent.
	PendingBytes    float64
	HasPendingBytes bool
	// LastReplication is LastReplicationTime (zero: never or unknown).
	LastReplication time.Time
	// Over the monitoring window (MonitoringStart..MonitoringEnd): cycles
	// that succeeded and were missed, replication errors.
	SuccessfulCycles, MissedCycles, ReplicationErrors float64
	HasCycles, HasErrors                              bool
	MonitoringStart, MonitoringEnd                    time.Time
	// Size of one replication (average and largest) in the window.
	AverageBytes, MaximumBytes       float64
	HasAverageBytes, HasMaximumBytes bool
	// Replication latency (average and largest) in the window.
	AverageLatency, MaximumLatency       time.Duration
	HasAverageLatency, HasMaximumLatency bool
	// ResyncThresholdBytes is half the VM's total virtual disk size (the
	// documented resync trigger); 0 when the disk sizes are not known.
	ResyncThresholdBytes float64
	// ResyncIn is the time until the pending log reaches the threshold at
	// the VM's disk write rate if nothing is sent (0: already past);
	// HasResyncIn is false when no write rate is known.
	ResyncIn    time.Duration
	HasResyncIn bool
}

// ReplicationRule is one documented health rule that fired for a VM.
type ReplicationRule struct {
	ID    string // "missed-cycles", "resync-required"...
	Level string // "Warning" or "Critical"
}

// ReplicationRead is what a ReplicationSource read: the VMs and the time
// the health rules were applied at (the latest time in saved files, or
// now for a live read).
type ReplicationRead struct {
	VMs  []VMReplication
	AsOf time.Time
}

// ReplicationSource reads the VMs' replication state on a Hyper-V host.
// Read is called once per interval by Replication's loop (never by a
// scrape) and must honour ctx.
type ReplicationSource interface {
	Read(ctx context.Context) (ReplicationRead, error)
}

// Replication health values exposed as a label enum.
var replicationHealths = []string{"Normal", "Warning", "Critical"}

var (
	replState = desc("vm_replication_state",
		"1 for the VM's current replication state as Hyper-V names it (ReplicationState; its number when the saved output gave no name, as Windows PowerShell 5.1 does); mode is this host's replication mode.", "vm", "relationship", "mode", "state")
	replHealth = desc("vm_replication_health",
		"1 for the replication health Hyper-V reports (ReplicationHealth: Normal, Warning, Critical), 0 for the others.", "vm", "relationship", "health")
	replRule = desc("vm_replication_rule",
		"1 for each documented health rule that fired, applied by hvrdoctor to the host's figures (rule id as in hvrdoctor status; level Warning or Critical).", "vm", "relationship", "rule", "level")
	replPending = desc("vm_replication_pending_bytes",
		"Bytes of change log not yet sent to the replica (Measure-VMReplication PendingReplicationSize).", "vm", "relationship")
	replLast = desc("vm_replication_last_replication_timestamp_seconds",
		"Unix time of the last replication (LastReplicationTime).", "vm", "relationship")
	replSuccess = desc("vm_replication_successful_cycles",
		"Replication cycles that succeeded in the monitoring window (Measure-VMReplication; a gauge: the window restarts).", "vm", "relationship")
	replMissed = desc("vm_replication_missed_cycles",
		"Replication cycles missed in the monitoring window (Measure-VMReplication; a gauge: the window restarts).", "vm", "relationship")
	replErrors = desc("vm_replication_errors",
		"Replication errors in the monitoring window (Measure-VMReplication ReplicationErrors; a gauge: the window restarts).", "vm", "relationship")
	replWindowStart = desc("vm_replication_monitoring_start_timestamp_seconds",
		"Unix time the monitoring window of the cycle, size and latency figures starts (MonitoringStartTime).", "vm", "relationship")
	replWindowEnd = desc("vm_replication_monitoring_end_timestamp_seconds",
		"Unix time the monitoring window of the cycle, size and latency figures ends (MonitoringEndTime).", "vm", "relationship")
	replSizeAvg = desc("vm_replication_average_size_bytes",
		"Average size of one replication in the monitoring window (AverageReplicationSize).", "vm", "relationship")
	replSizeMax = desc("vm_replication_maximum_size_bytes",
		"Largest replication in the monitoring window (MaximumReplicationSize).", "vm", "relationship")
	replLatencyAvg = desc("vm_replication_average_latency_seconds",
		"Average replication latency in the monitoring window (AverageReplicationLatency).", "vm", "relationship")
	replLatencyMax = desc("vm_replication_maximum_latency_seconds",
		"Largest replication latency in the monitoring window (MaximumReplicationLatency).", "vm", "relationship")
	replThreshold = desc("vm_replication_resync_threshold_bytes",
		"Half the VM's total virtual disk size (Get-VHD Size): a change log (.hrl) past it forces a resynchronization (Hyper-V Replica team blog). Primary relationship, when disk sizes and the pending size are known.", "vm", "relationship")
	replForecast = desc("vm_replication_resync_forecast_seconds",
		"Time until the pending change log reaches vm_replication_resync_threshold_bytes if replication sends nothing, at the VM's average disk write rate from the saved Hyper-V Virtual Storage Device Write Bytes/sec counters (0: already past). Pending size taken as the log not yet sent. Only when such counters were saved.", "vm", "relationship")

	replUp = desc("replication_source_up",
		"1 when the last read of the host view succeeded; 0 when it failed (the vm_replication_* series then keep the last good read).")
	replReads = desc("replication_source_reads_total",
		"Reads of the host view (saved PowerShell outputs or WMI).")
	replReadErrors = desc("replication_source_read_errors_total",
		"Reads of the host view that failed.")
	replAsOf = desc("replication_source_as_of_timestamp_seconds",
		"Unix time the health rules were applied at: the latest time in the saved files, or the read's time for a live read. time() minus it is the data's age.")
	replInfo = desc("replication_source_info",
		"1, labelled with where the vm_replication_* figures come from.", "source")
)

// Replication reads a ReplicationSource in its own loop and exposes the
// last good read. It is a prometheus.Collector; Collect never reads the
// source.
type Replication struct {
	src      ReplicationSource
	label    string
	interval time.Duration

	mu        sync.Mutex
	last      ReplicationRead
	up        bool
	reads     float64
	failures  float64
	lastError error
}

// NewReplication returns the collector of src, not read yet; label says
// where the figures come from. Call Step for a first read whose error
// should stop the caller (saved files), or let Run read first (WMI, which
// can take its 30 s timeout: serve listens meanwhile).
func NewReplication(src ReplicationSource, label string, interval time.Duration) *Replication {
	return &Replication{src: src, label: label, interval: interval}
}

// Run reads the source now unless read already, then every interval,
// until ctx ends.
func (r *Replication) Run(ctx context.Context) {
	r.mu.Lock()
	read := r.reads > 0
	r.mu.Unlock()
	if !read {
		_ = r.Step(ctx)
	}
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_ = r.Step(ctx)
	}
}

// Step reads the source once; on failure the last good read is kept and
// replication_source_up goes to 0.
func (r *Replication) Step(ctx context.Context) error {
	got, err := r.src.Read(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reads++
	r.lastError = err
	if err != nil {
		r.failures++
		r.up = false
		return err
	}
	r.up = true
	r.last = got
	return nil
}

// LastError is the error of the last read (nil after a good one).
func (r *Replication) LastError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastError
}

// Describe implements prometheus.Collector.
func (r *Replication) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{replState, replHealth, replRule, replPending, replLast, replSuccess, replMissed, replErrors,
		replWindowStart, replWindowEnd, replSizeAvg, replSizeMax, replLatencyAvg, replLatencyMax, replThreshold, replForecast,
		replUp, replReads, replReadErrors, replAsOf, replInfo} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (r *Replication) Collect(ch chan<- prometheus.Metric) {
	r.mu.Lock()
	last, up, reads, failures := r.last, r.up, r.reads, r.failures
	r.mu.Unlock()
	g := func(d *prometheus.Desc, v float64, l ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, l...)
	}
	g(replInfo, 1, r.label)
	g(replUp, b2f(up))
	ch <- prometheus.MustNewConstMetric(replReads, prometheus.CounterValue, reads)
	ch <- prometheus.MustNewConstMetric(replReadErrors, prometheus.CounterValue, failures)
	if !last.AsOf.IsZero() {
		g(replAsOf, unixSeconds(last.AsOf))
	}
	collectVMs(ch, last.VMs)
}

// collectVMs writes the per-VM series of rows. Label values come from
// files: they are made valid UTF-8 (client_golang refuses others) without
// control characters (textsafe.Clean: a scrape read in a terminal shows
// them), and a series it still refuses is left out rather than failing
// the scrape.
func collectVMs(ch chan<- prometheus.Metric, rows []VMReplication) {
	g := func(d *prometheus.Desc, v float64, l ...string) {
		for i := range l {
			l[i] = labelValue(l[i])
		}
		if m, err := prometheus.NewConstMetric(d, prometheus.GaugeValue, v, l...); err == nil {
			ch <- m
		}
	}
	seen := map[[2]string]bool{}
	for _, r := range rows {
		r.VM, r.Relationship = labelValue(r.VM), labelValue(r.Relationship)
		key := [2]string{r.VM, r.Relationship}
		if seen[key] { // same name twice: the first (worst) row only, no duplicate series
			continue
		}
		seen[key] = true
		vm, rel := r.VM, r.Relationship
		if r.State != "" {
			g(replState, 1, vm, rel, r.Mode, r.State)
		}
		if r.Health != "" {
			for _, h := range replicationHealths {
				g(replHealth, b2f(h == r.Health), vm, rel, h)
			}
		}
		rules := map[string]bool{}
		for _, ru := range r.Rules {
			if !rules[ru.ID] {
				rules[ru.ID] = true
				g(replRule, 1, vm, rel, ru.ID, ru.Level)
			}
		}
		if r.HasPendingBytes {
			g(replPending, r.PendingBytes, vm, rel)
		}
		if !r.LastReplication.IsZero() {
			g(replLast, unixSeconds(r.LastReplication), vm, rel)
		}
		if r.HasCycles {
			g(replSuccess, r.SuccessfulCycles, vm, rel)
			g(replMissed, r.MissedCycles, vm, rel)
		}
		if r.HasErrors {
			g(replErrors, r.ReplicationErrors, vm, rel)
		}
		if !r.MonitoringStart.IsZero() {
			g(replWindowStart, unixSeconds(r.MonitoringStart), vm, rel)
		}
		if !r.MonitoringEnd.IsZero() {
			g(replWindowEnd, unixSeconds(r.MonitoringEnd), vm, rel)
		}
		if r.HasAverageBytes {
			g(replSizeAvg, r.AverageBytes, vm, rel)
		}
		if r.HasMaximumBytes {
			g(replSizeMax, r.MaximumBytes, vm, rel)
		}
		if r.HasAverageLatency {
			g(replLatencyAvg, r.AverageLatency.Seconds(), vm, rel)
		}
		if r.HasMaximumLatency {
			g(replLatencyMax, r.MaximumLatency.Seconds(), vm, rel)
		}
		if r.ResyncThresholdBytes > 0 {
			g(replThreshold, r.ResyncThresholdBytes, vm, rel)
		}
		if r.HasResyncIn {
			g(replForecast, r.ResyncIn.Seconds(), vm, rel)
		}
	}
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
