package hyperv

import "time"

// Measurement is one VM's replication statistics as Measure-VMReplication
// reports them over the monitoring interval (property names from the
// Hyper-V PowerShell reference). Sizes are bytes as the JSON gives them
// (the cmdlet's table shows them in MB); Has* say which were present.
type Measurement struct {
	VMName   string
	VMId     string
	Extended bool
	// State and Health as the output gives them ("" for an unnamed state
	// number; Health read by name or WMI's numbering).
	State, Health string
	StateNumber   int // -1 unless the state was a number

	LastReplicationTime            time.Time
	MonitoringStart, MonitoringEnd time.Time
	LastVSSSnapshotTime            time.Time

	PendingReplicationSize, AverageReplicationSize, MaximumReplicationSize, InitialReplicationSize int64
	HasPending, HasAverageSize, HasMaximumSize                                                     bool

	AverageReplicationLatency, MaximumReplicationLatency time.Duration
	HasAverageLatency, HasMaximumLatency                 bool

	SuccessfulReplicationCount, MissedReplicationCount, ReplicationErrors int
	// HasCounts is true when both cycle counts were read (one alone gives
	// no share of missed cycles); HasErrors when ReplicationErrors was.
	HasCounts, HasErrors bool
	// HasSuccessful and HasMissed say which of the two counts was read.
	HasSuccessful, HasMissed bool

	// HealthDetails is ReplicationHealthDetails: Hyper-V's own words on
	// the health.
	HealthDetails []string
}

// MeasureScript saves Measure-VMReplication with the state and health
// also as names (StateName, HealthName), for Windows PowerShell 5.1, whose
// ConvertTo-Json writes enums as numbers. Either property name of the
// cmdlet's objects is covered.
const MeasureScript = `Measure-VMReplication | Select-Object *, ` +
	`@{n='StateName';e={$s = $_.State; if ($null -eq $s) { $s = $_.ReplicationState }; "$s"}}, ` +
	`@{n='HealthName';e={$h = $_.Health; if ($null -eq $h) { $h = $_.ReplicationHealth }; "$h"}} | ConvertTo-Json`

// measureKeys are properties only Measure-VMReplication's objects carry.
var measureKeys = []string{"PendingReplicationSize", "AverageReplicationLatency", "SuccessfulReplicationCount",
	"MissedReplicationCount", "AverageReplicationSize", "ReplicationHealthDetails", "MonitoringStartTime"}

func measurements(objs []map[string]any) []Measurement {
	var out []Measurement
	for _, o := range objs {
		p := props(o)
		m := Measurement{
			VMName:              p.str("VMName", "Name"),
			VMId:                p.str("VMId", "VMID"),
			Extended:            isExtended(p),
			State:               p.str("StateName", "State", "ReplicationState"),
			Health:              p.str("HealthName", "Health", "ReplicationHealth"),
			StateNumber:         -1,
			LastReplicationTime: p.timeOf("LastReplicationTime", "LReplTime"),
			MonitoringStart:     p.timeOf("MonitoringStartTime"),
			MonitoringEnd:       p.timeOf("MonitoringEndTime"),
			LastVSSSnapshotTime: p.timeOf("LastVSSSnapshotTime"),
			HealthDetails:       p.strs("ReplicationHealthDetails"),
		}
		if _, ok := p.raw("State", "ReplicationState").(float64); ok && m.State == "" {
			m.StateNumber = p.num("State", "ReplicationState")
		}
		if m.Health == "" {
			m.Health = p.enum(healthNames, "Health", "ReplicationHealth")
		}
		m.PendingReplicationSize, m.HasPending = p.int64Of("PendingReplicationSize")
		m.AverageReplicationSize, m.HasAverageSize = p.int64Of("AverageReplicationSize")
		m.MaximumReplicationSize, m.HasMaximumSize = p.int64Of("MaximumReplicationSize")
		m.InitialReplicationSize, _ = p.int64Of("InitialReplicationSize")
		m.AverageReplicationLatency, m.HasAverageLatency = p.durationOf("AverageReplicationLatency")
		m.MaximumReplicationLatency, m.HasMaximumLatency = p.durationOf("MaximumReplicationLatency")
		s, ok1 := p.int64Of("SuccessfulReplicationCount")
		mi, ok2 := p.int64Of("MissedReplicationCount")
		e, ok3 := p.int64Of("ReplicationErrors")
		m.SuccessfulReplicationCount, m.MissedReplicationCount, m.ReplicationErrors = clampInt(s), clampInt(mi), clampInt(e)
		// A count that is absent or unreadable is not 0: with one of the
		// two, "30 of 30 cycles missed" (Warning) came from a missing
		// successful count.
		m.HasCounts, m.HasErrors, m.HasSuccessful, m.HasMissed = ok1 && ok2, ok3, ok1, ok2
		if m.VMName == "" {
			continue
		}
		out = append(out, m)
	}
	return out
}

func clampInt(v int64) int {
	if v > 1<<31-1 {
		return 1<<31 - 1
	}
	return int(v)
}
