package hyperv

import "time"

// StatusSchema names the JSON layout of `hvrdoctor status --format json`
// (docs/status-json.md). Fields are only added within a version.
const StatusSchema = "hvrdoctor.status/v1"

// StatusDocument is the JSON document of `hvrdoctor status --format json`
// (docs/status-json.md), built by NewStatusDocument.
type StatusDocument struct {
	Schema      string            `json:"schema"`
	AsOf        string            `json:"as_of"`
	AsOfBasis   string            `json:"as_of_basis"`
	Files       []StatusFileJSON  `json:"files"`
	Skipped     []string          `json:"skipped"`
	EventsGiven bool              `json:"events_given"`
	Live        bool              `json:"live"`
	LiveNotes   []string          `json:"live_notes,omitempty"`
	WorstHealth string            `json:"worst_health"`
	VMs         []StatusVMJSON    `json:"vms"`
	Audit       []StatusAuditJSON `json:"audit"`
	HostEvents  []StatusEventJSON `json:"host_events"`
	ExitCode    int               `json:"exit_code"`
}

// StatusFileJSON is one file read: its path, kind and item count.
type StatusFileJSON struct {
	Path  string `json:"path"`
	Kind  string `json:"kind"`
	Items int    `json:"items"`
}

// StatusVMJSON is one VM's relationship in the status document.
type StatusVMJSON struct {
	Name            string              `json:"name"`
	Relationship    string              `json:"relationship"`
	Mode            string              `json:"mode,omitempty"`
	State           string              `json:"state,omitempty"`
	StateNumber     *int                `json:"state_number,omitempty"`
	ReportedHealth  string              `json:"reported_health"`
	HealthDetails   []string            `json:"health_details"`
	Health          string              `json:"health"`
	Rules           []StatusRuleJSON    `json:"rules"`
	PrimaryServer   string              `json:"primary_server,omitempty"`
	ReplicaServer   string              `json:"replica_server,omitempty"`
	ReplicaPort     int                 `json:"replica_port,omitempty"`
	AuthType        string              `json:"auth_type,omitempty"`
	FrequencySec    int                 `json:"frequency_sec,omitempty"`
	BypassProxy     bool                `json:"bypass_proxy"`
	LastReplication *string             `json:"last_replication"`
	Stats           *StatusStatsJSON    `json:"stats"`
	DiskBytes       *int64              `json:"disk_bytes"`
	Events          []StatusEventJSON   `json:"events"`
	Chain           string              `json:"chain,omitempty"`
	Forecast        *StatusForecastJSON `json:"forecast"`
	Fixes           []StatusFixJSON     `json:"fixes"`
}

// StatusRuleJSON is a documented health rule that fired.
type StatusRuleJSON struct {
	ID    string `json:"id"`
	Level string `json:"level"`
	Text  string `json:"text"`
}

// StatusStatsJSON is Measure-VMReplication's figures; null when not given.
type StatusStatsJSON struct {
	MonitoringStart       *string  `json:"monitoring_start"`
	MonitoringEnd         *string  `json:"monitoring_end"`
	PendingBytes          *int64   `json:"pending_bytes"`
	AverageSizeBytes      *int64   `json:"average_size_bytes"`
	MaximumSizeBytes      *int64   `json:"maximum_size_bytes"`
	AverageLatencySeconds *float64 `json:"average_latency_seconds"`
	MaximumLatencySeconds *float64 `json:"maximum_latency_seconds"`
	SuccessfulCycles      *int     `json:"successful_cycles"`
	MissedCycles          *int     `json:"missed_cycles"`
	Errors                *int     `json:"errors"`
}

// StatusEventJSON is a VMMS-Admin event with what hvrdoctor knows of it.
type StatusEventJSON struct {
	ID      int              `json:"id"`
	Time    *string          `json:"time"`
	Level   string           `json:"level,omitempty"`
	Message string           `json:"message"`
	Known   bool             `json:"known"`
	Meaning string           `json:"meaning,omitempty"`
	Means   string           `json:"means,omitempty"`
	Codes   []StatusCodeJSON `json:"codes"`
}

// StatusCodeJSON is an error code found in an event's message.
type StatusCodeJSON struct {
	Code    string `json:"code"`
	Name    string `json:"name,omitempty"`
	Replica string `json:"replica,omitempty"`
}

// StatusForecastJSON is the resync forecast of a VM.
type StatusForecastJSON struct {
	DiskBytes          int64    `json:"disk_bytes"`
	ThresholdBytes     int64    `json:"threshold_bytes"`
	PendingBytes       int64    `json:"pending_bytes"`
	PercentOfThreshold float64  `json:"percent_of_threshold"`
	WriteBytesPerSec   *float64 `json:"write_bytes_per_sec"`
	SecondsUntil       *float64 `json:"seconds_until"`
	Near               bool     `json:"near"`
	Basis              string   `json:"basis"`
}

// StatusFixJSON is a fix: what to do, the command and where to run it.
type StatusFixJSON struct {
	Text    string `json:"text"`
	Command string `json:"command,omitempty"`
	Where   string `json:"where"`
}

// StatusAuditJSON is one check of the replica server audit.
type StatusAuditJSON struct {
	ID     string          `json:"id"`
	Result string          `json:"result"`
	Text   string          `json:"text"`
	Fixes  []StatusFixJSON `json:"fixes"`
}

func statusTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func present[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

func statusFixes(fs []Fix) []StatusFixJSON {
	out := []StatusFixJSON{}
	for _, f := range fs {
		out = append(out, StatusFixJSON(f)) // the same fields; the JSON names are StatusFixJSON's
	}
	return out
}

// NewStatusDocument is the report as the JSON document of
// `hvrdoctor status --format json` (schema StatusSchema).
func NewStatusDocument(r StatusReport) StatusDocument {
	doc := StatusDocument{Schema: StatusSchema, AsOf: r.AsOf.UTC().Format(time.RFC3339), AsOfBasis: r.AsOfBasis,
		Files: []StatusFileJSON{}, Skipped: append([]string{}, r.Snap.Skipped...), EventsGiven: r.Snap.HasEvents, Live: r.Snap.Live, LiveNotes: r.Snap.LiveNotes,
		WorstHealth: Worst(r.VMs).String(), VMs: []StatusVMJSON{}, Audit: []StatusAuditJSON{}, ExitCode: r.ExitCode()}
	for _, f := range r.Snap.Files {
		doc.Files = append(doc.Files, StatusFileJSON{Path: f.Path, Kind: string(f.Kind), Items: f.Items})
	}
	for _, v := range r.VMs {
		j := StatusVMJSON{Name: v.Name, Relationship: v.Relationship, Mode: v.Mode, State: v.State,
			StateNumber: present(v.StateNumber, v.StateNumber >= 0), ReportedHealth: v.ReportedHealth.String(),
			HealthDetails: append([]string{}, v.HealthDetails...), Health: v.Health.String(), Rules: []StatusRuleJSON{},
			PrimaryServer: v.PrimaryServer, ReplicaServer: v.ReplicaServer, ReplicaPort: v.ReplicaPort, AuthType: v.AuthType,
			FrequencySec: v.FrequencySec, BypassProxy: v.BypassProxy, LastReplication: statusTime(v.LastReplication),
			DiskBytes: present(v.DiskBytes, v.DiskBytes > 0), Events: []StatusEventJSON{}, Chain: v.Chain, Fixes: statusFixes(v.Fixes)}
		for _, r := range v.Rules {
			j.Rules = append(j.Rules, StatusRuleJSON{ID: r.ID, Level: r.Level.String(), Text: r.Text})
		}
		if m := v.Stats; m != nil {
			j.Stats = &StatusStatsJSON{
				MonitoringStart: statusTime(m.MonitoringStart), MonitoringEnd: statusTime(m.MonitoringEnd),
				PendingBytes: present(m.PendingReplicationSize, m.HasPending), AverageSizeBytes: present(m.AverageReplicationSize, m.HasAverageSize),
				MaximumSizeBytes:      present(m.MaximumReplicationSize, m.HasMaximumSize),
				AverageLatencySeconds: present(m.AverageReplicationLatency.Seconds(), m.HasAverageLatency),
				MaximumLatencySeconds: present(m.MaximumReplicationLatency.Seconds(), m.HasMaximumLatency),
				SuccessfulCycles:      present(m.SuccessfulReplicationCount, m.HasSuccessful), MissedCycles: present(m.MissedReplicationCount, m.HasMissed),
				Errors: present(m.ReplicationErrors, m.HasErrors),
			}
		}
		for _, e := range v.Events {
			j.Events = append(j.Events, statusEvent(e))
		}
		if f := v.Forecast; f != nil {
			j.Forecast = &StatusForecastJSON{DiskBytes: f.DiskBytes, ThresholdBytes: f.ThresholdBytes, PendingBytes: f.PendingBytes,
				PercentOfThreshold: f.PercentOfThreshold, WriteBytesPerSec: present(f.RateBytesPerSec, f.RateBytesPerSec > 0),
				SecondsUntil: present(f.Until.Seconds(), f.HasUntil), Near: f.Near, Basis: f.Basis}
		}
		doc.VMs = append(doc.VMs, j)
	}
	for _, a := range r.Audit {
		doc.Audit = append(doc.Audit, StatusAuditJSON{ID: a.ID, Result: a.Result, Text: a.Text, Fixes: statusFixes(a.Fixes)})
	}
	doc.HostEvents = []StatusEventJSON{}
	for _, e := range r.HostEvents {
		doc.HostEvents = append(doc.HostEvents, statusEvent(e))
	}
	return doc
}

func statusEvent(e Event) StatusEventJSON {
	ej := StatusEventJSON{ID: e.ID, Time: statusTime(e.Time), Level: e.Level, Message: e.Message, Codes: []StatusCodeJSON{}}
	if info, ok := LookupEvent(e.ID); ok {
		ej.Known, ej.Meaning, ej.Means = true, info.Meaning, info.Means
	}
	for _, c := range e.Codes() {
		cj := StatusCodeJSON{Code: c}
		if ci, ok := LookupCode(c); ok {
			cj.Name, cj.Replica = ci.Name, ci.Replica
		}
		ej.Codes = append(ej.Codes, cj)
	}
	return ej
}
