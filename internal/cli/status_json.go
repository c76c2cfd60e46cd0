package cli

import (
	"encoding/json"
	"io"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// statusSchema names the JSON layout of `hvrdoctor status --format json`
// (docs/status-json.md). Fields are only added within a version.
const statusSchema = "hvrdoctor.status/v1"

type statusJSON struct {
	Schema      string            `json:"schema"`
	AsOf        string            `json:"as_of"`
	AsOfBasis   string            `json:"as_of_basis"`
	Files       []statusFileJSON  `json:"files"`
	Skipped     []string          `json:"skipped"`
	EventsGiven bool              `json:"events_given"`
	Live        bool              `json:"live"`
	LiveNotes   []string          `json:"live_notes,omitempty"`
	WorstHealth string            `json:"worst_health"`
	VMs         []statusVMJSON    `json:"vms"`
	Audit       []statusAuditJSON `json:"audit"`
	HostEvents  []statusEventJSON `json:"host_events"`
	ExitCode    int               `json:"exit_code"`
}

type statusFileJSON struct {
	Path  string `json:"path"`
	Kind  string `json:"kind"`
	Items int    `json:"items"`
}

type statusVMJSON struct {
	Name            string              `json:"name"`
	Relationship    string              `json:"relationship"`
	Mode            string              `json:"mode,omitempty"`
	State           string              `json:"state,omitempty"`
	StateNumber     *int                `json:"state_number,omitempty"`
	ReportedHealth  string              `json:"reported_health"`
	HealthDetails   []string            `json:"health_details"`
	Health          string              `json:"health"`
	Rules           []statusRuleJSON    `json:"rules"`
	PrimaryServer   string              `json:"primary_server,omitempty"`
	ReplicaServer   string              `json:"replica_server,omitempty"`
	ReplicaPort     int                 `json:"replica_port,omitempty"`
	AuthType        string              `json:"auth_type,omitempty"`
	FrequencySec    int                 `json:"frequency_sec,omitempty"`
	BypassProxy     bool                `json:"bypass_proxy"`
	LastReplication *string             `json:"last_replication"`
	Stats           *statusStatsJSON    `json:"stats"`
	DiskBytes       *int64              `json:"disk_bytes"`
	Events          []statusEventJSON   `json:"events"`
	Chain           string              `json:"chain,omitempty"`
	Forecast        *statusForecastJSON `json:"forecast"`
	Fixes           []statusFixJSON     `json:"fixes"`
}

type statusRuleJSON struct {
	ID    string `json:"id"`
	Level string `json:"level"`
	Text  string `json:"text"`
}

type statusStatsJSON struct {
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

type statusEventJSON struct {
	ID      int              `json:"id"`
	Time    *string          `json:"time"`
	Level   string           `json:"level,omitempty"`
	Message string           `json:"message"`
	Known   bool             `json:"known"`
	Meaning string           `json:"meaning,omitempty"`
	Means   string           `json:"means,omitempty"`
	Codes   []statusCodeJSON `json:"codes"`
}

type statusCodeJSON struct {
	Code    string `json:"code"`
	Name    string `json:"name,omitempty"`
	Replica string `json:"replica,omitempty"`
}

type statusForecastJSON struct {
	DiskBytes          int64    `json:"disk_bytes"`
	ThresholdBytes     int64    `json:"threshold_bytes"`
	PendingBytes       int64    `json:"pending_bytes"`
	PercentOfThreshold float64  `json:"percent_of_threshold"`
	WriteBytesPerSec   *float64 `json:"write_bytes_per_sec"`
	SecondsUntil       *float64 `json:"seconds_until"`
	Near               bool     `json:"near"`
	Basis              string   `json:"basis"`
}

type statusFixJSON struct {
	Text    string `json:"text"`
	Command string `json:"command,omitempty"`
	Where   string `json:"where"`
}

type statusAuditJSON struct {
	ID     string          `json:"id"`
	Result string          `json:"result"`
	Text   string          `json:"text"`
	Fixes  []statusFixJSON `json:"fixes"`
}

func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func ptr[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

func fixesJSON(fs []hyperv.Fix) []statusFixJSON {
	out := []statusFixJSON{}
	for _, f := range fs {
		out = append(out, statusFixJSON{Text: f.Text, Command: f.Command, Where: f.Where})
	}
	return out
}

func writeStatusJSON(w io.Writer, r statusReport) error {
	doc := statusJSON{Schema: statusSchema, AsOf: r.AsOf.UTC().Format(time.RFC3339), AsOfBasis: r.AsOfBasis,
		Files: []statusFileJSON{}, Skipped: append([]string{}, r.Snap.Skipped...), EventsGiven: r.Snap.HasEvents, Live: r.Snap.Live, LiveNotes: r.Snap.LiveNotes,
		WorstHealth: hyperv.Worst(r.VMs).String(), VMs: []statusVMJSON{}, Audit: []statusAuditJSON{}, ExitCode: r.exitCode()}
	for _, f := range r.Snap.Files {
		doc.Files = append(doc.Files, statusFileJSON{Path: f.Path, Kind: string(f.Kind), Items: f.Items})
	}
	for _, v := range r.VMs {
		j := statusVMJSON{Name: v.Name, Relationship: v.Relationship, Mode: v.Mode, State: v.State,
			StateNumber: ptr(v.StateNumber, v.StateNumber >= 0), ReportedHealth: v.ReportedHealth.String(),
			HealthDetails: append([]string{}, v.HealthDetails...), Health: v.Health.String(), Rules: []statusRuleJSON{},
			PrimaryServer: v.PrimaryServer, ReplicaServer: v.ReplicaServer, ReplicaPort: v.ReplicaPort, AuthType: v.AuthType,
			FrequencySec: v.FrequencySec, BypassProxy: v.BypassProxy, LastReplication: jsonTime(v.LastReplication),
			DiskBytes: ptr(v.DiskBytes, v.DiskBytes > 0), Events: []statusEventJSON{}, Chain: v.Chain, Fixes: fixesJSON(v.Fixes)}
		for _, r := range v.Rules {
			j.Rules = append(j.Rules, statusRuleJSON{ID: r.ID, Level: r.Level.String(), Text: r.Text})
		}
		if m := v.Stats; m != nil {
			j.Stats = &statusStatsJSON{
				MonitoringStart: jsonTime(m.MonitoringStart), MonitoringEnd: jsonTime(m.MonitoringEnd),
				PendingBytes: ptr(m.PendingReplicationSize, m.HasPending), AverageSizeBytes: ptr(m.AverageReplicationSize, m.HasAverageSize),
				MaximumSizeBytes:      ptr(m.MaximumReplicationSize, m.HasMaximumSize),
				AverageLatencySeconds: ptr(m.AverageReplicationLatency.Seconds(), m.HasAverageLatency),
				MaximumLatencySeconds: ptr(m.MaximumReplicationLatency.Seconds(), m.HasMaximumLatency),
				SuccessfulCycles:      ptr(m.SuccessfulReplicationCount, m.HasCounts), MissedCycles: ptr(m.MissedReplicationCount, m.HasCounts),
				Errors: ptr(m.ReplicationErrors, m.HasCounts),
			}
		}
		for _, e := range v.Events {
			j.Events = append(j.Events, eventJSON(e))
		}
		if f := v.Forecast; f != nil {
			j.Forecast = &statusForecastJSON{DiskBytes: f.DiskBytes, ThresholdBytes: f.ThresholdBytes, PendingBytes: f.PendingBytes,
				PercentOfThreshold: f.PercentOfThreshold, WriteBytesPerSec: ptr(f.RateBytesPerSec, f.RateBytesPerSec > 0),
				SecondsUntil: ptr(f.Until.Seconds(), f.HasUntil), Near: f.Near, Basis: f.Basis}
		}
		doc.VMs = append(doc.VMs, j)
	}
	for _, a := range r.Audit {
		doc.Audit = append(doc.Audit, statusAuditJSON{ID: a.ID, Result: a.Result, Text: a.Text, Fixes: fixesJSON(a.Fixes)})
	}
	doc.HostEvents = []statusEventJSON{}
	for _, e := range r.HostEvents {
		doc.HostEvents = append(doc.HostEvents, eventJSON(e))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func eventJSON(e hyperv.Event) statusEventJSON {
	ej := statusEventJSON{ID: e.ID, Time: jsonTime(e.Time), Level: e.Level, Message: e.Message, Codes: []statusCodeJSON{}}
	if info, ok := hyperv.LookupEvent(e.ID); ok {
		ej.Known, ej.Meaning, ej.Means = true, info.Meaning, info.Means
	}
	for _, c := range e.Codes() {
		cj := statusCodeJSON{Code: c}
		if ci, ok := codeInfo(c); ok {
			cj.Name, cj.Replica = ci.Name, ci.Replica
		}
		ej.Codes = append(ej.Codes, cj)
	}
	return ej
}
