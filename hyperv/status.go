package hyperv

import (
	"sort"
	"strings"
	"time"
)

// VM is one VM's replication relationship (primary or extended) with
// everything hvrdoctor knows about it: Hyper-V's own state and health,
// the statistics of the monitoring interval, the health rules that fired,
// the events since the last good replication, the fixes and the resync
// forecast. Status builds it from a Snapshot.
type VM struct {
	Name string
	// ID is the VM's ID when an output gave it.
	ID string
	// Relationship is "primary" or "extended".
	Relationship string
	Mode         string
	// State is the replication state as Hyper-V names it; "" when the
	// file gave a number (then StateNumber holds it, else -1).
	State       string
	StateNumber int
	// ReportedHealth is what Hyper-V reports (Health / ReplicationHealth);
	// HealthDetails is its ReplicationHealthDetails, its own words.
	ReportedHealth Level
	HealthDetails  []string
	// Health is the worse of ReportedHealth and the rules that fired.
	Health Level
	// Rules are the documented health rules that fired, worst first.
	Rules []Rule

	PrimaryServer, ReplicaServer string
	ReplicaPort                  int
	AuthType                     string
	// AuthNumber is the authentication type when the saved output gave
	// only a number (Windows PowerShell 5.1's ConvertTo-Json without the
	// README's line), -1 otherwise: the cmdlet's numbering is not in
	// hvrdoctor's sources, so it is shown as given and no check or fix
	// assumes Kerberos or certificates from it.
	AuthNumber   int
	FrequencySec int
	Thumbprint   string
	BypassProxy  bool

	LastReplication time.Time
	// Stats is nil when no Measure-VMReplication output names the VM.
	Stats *Measurement

	// DiskBytes is the total virtual size of the VM's disks (Get-VHD),
	// 0 when not known.
	DiskBytes int64
	// Events are the VMMS-Admin events about the VM since its last
	// replication (all of them when that time is unknown), oldest first.
	Events []Event
	// Chain names a documented event chain seen in Events ("32315 -> 32022
	// -> 32086"), or "".
	Chain string
	Fixes []Fix
	// Forecast is the resync forecast; nil when pending size or disk sizes
	// are not known.
	Forecast *Forecast
	// Counters are the "Hyper-V Replica VM" counters of the VM (instance =
	// VM name) from a saved counter CSV, for the primary relationship.
	Counters []Series
}

// Rule is one documented health rule that fired for a VM.
type Rule struct {
	// ID is stable for scripts: "missed-cycles", "no-replication-1h",
	// "initial-not-complete", "failover-no-reverse", "primary-paused",
	// "cannot-send", "resync-required", "paused-on-replica",
	// "suspended-event", "latency-over-5m".
	ID    string
	Level Level
	// Text says what was seen, with the figures.
	Text string
}

// Fix is one remedy with the VM's values filled in and quoted for
// PowerShell.
type Fix struct {
	Text    string
	Command string
	// Where names the host to run it on.
	Where string
}

// Status joins a snapshot into one VM per relationship, with the health
// rules applied as of now and the events since each VM's last
// replication. VMs are ordered worst health first, then by name.
func Status(s *Snapshot, now time.Time) []VM {
	byKey := map[string]*VM{}
	var order []string
	// A relationship is keyed by VM, primary/extended and the mode of the
	// host that reported it: the files of a primary and of its replica in
	// one directory are two views, and the later one replaced the earlier
	// (a replica's Critical shown as the primary's Normal, exit 0).
	modes := map[string][]string{} // name+relationship -> mode keys seen
	get := func(name string, extended bool, mode string, measure bool) *VM {
		rel := "primary"
		if extended {
			rel = "extended"
		}
		base := strings.ToLower(name) + "\x00" + rel
		if measure {
			// Measure-VMReplication objects carry no mode: they join the
			// one view of the relationship, and stay a row of their own
			// when several hosts' views are there.
			switch ms := modes[base]; len(ms) {
			case 0:
			case 1:
				mode = ms[0]
			default:
				mode = "?"
			}
		}
		key := base + "\x00" + mode
		if v, ok := byKey[key]; ok {
			return v
		}
		if !measure {
			modes[base] = append(modes[base], mode)
		}
		v := &VM{Name: name, Relationship: rel, StateNumber: -1, AuthNumber: -1}
		byKey[key] = v
		order = append(order, key)
		return v
	}
	for _, r := range s.Replications {
		v := get(r.VMName, r.Extended, r.modeKey, false)
		if r.VMId != "" {
			v.ID = r.VMId
		}
		v.Mode, v.PrimaryServer, v.ReplicaServer, v.ReplicaPort = r.Mode, r.PrimaryServer, r.ReplicaServer, r.ReplicaPort
		v.FrequencySec, v.Thumbprint, v.BypassProxy = r.FrequencySec, r.Thumbprint, r.BypassProxy
		v.AuthType, v.AuthNumber = r.AuthType, r.AuthNumber
		if r.State != "" || r.StateNumber >= 0 {
			v.State, v.StateNumber = r.State, r.StateNumber
		}
		if l := parseLevel(r.Health); l != LevelUnknown {
			v.ReportedHealth = l
		}
	}
	for i := range s.Measurements {
		m := &s.Measurements[i]
		v := get(m.VMName, m.Extended, "", true)
		v.Stats = m
		if m.VMId != "" {
			v.ID = m.VMId
		}
		if v.State == "" && (m.State != "" || m.StateNumber >= 0) {
			v.State, v.StateNumber = m.State, m.StateNumber
		}
		// Measure-VMReplication is read after Get-VMReplication: its
		// health is the one of the monitoring interval's end.
		if l := parseLevel(m.Health); l != LevelUnknown {
			v.ReportedHealth = l
		}
		v.HealthDetails = m.HealthDetails
		if !m.LastReplicationTime.IsZero() {
			v.LastReplication = m.LastReplicationTime
		}
	}
	out := make([]VM, 0, len(order))
	for _, k := range order {
		v := byKey[k]
		base := k[:strings.LastIndex(k, "\x00")]
		for _, d := range s.Disks {
			if strings.EqualFold(d.VMName, v.Name) {
				v.DiskBytes += d.Size
			}
		}
		v.Events = upTo(eventsFor(s.Events, v.Name, v.ID, v.LastReplication), now)
		if len(modes[base]) > 1 {
			v.Events = fromHost(v.Events, viewHost(v))
		}
		v.Chain = chainOf(v.Events)
		v.Rules = evaluate(v, now)
		v.Health = v.ReportedHealth
		for _, r := range v.Rules {
			if r.Level > v.Health {
				v.Health = r.Level
			}
		}
		if v.Health == LevelUnknown && v.Stats != nil && v.Stats.HasCounts {
			// No health given and no rule fired on the statistics.
			v.Health = LevelNormal
		}
		v.Forecast = forecastFor(v, s.Counters, s.Disks)
		if v.Relationship == "primary" {
			for _, c := range s.Counters {
				if strings.EqualFold(c.Object, ReplicaCounterObject) && strings.EqualFold(c.Instance, v.Name) && len(c.Points) > 0 {
					v.Counters = append(v.Counters, c)
				}
			}
		}
		v.Fixes = fixesFor(v)
		out = append(out, *v)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Health != out[j].Health {
			return out[i].Health > out[j].Health
		}
		if !strings.EqualFold(out[i].Name, out[j].Name) {
			return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name)
		}
		return out[i].Relationship > out[j].Relationship // primary first
	})
	return out
}

// eventsFor returns the events naming the VM (by quoted name or ID) after since (all when since
// is zero), oldest first.
func eventsFor(all []Event, name, id string, since time.Time) []Event {
	var out []Event
	for _, e := range all {
		if !e.aboutVM(name, id) {
			continue
		}
		if !since.IsZero() && !e.Time.IsZero() && !e.Time.After(since) {
			continue
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// chainOf names the documented chain 32315 -> 32022 -> 32086 (failed,
// retried, could not replicate, suspended) when the events hold it in
// that order.
func chainOf(evs []Event) string {
	want := []int{32315, 32022, 32086}
	i := 0
	for _, e := range evs {
		if i < len(want) && e.ID == want[i] {
			i++
		}
	}
	if i == len(want) {
		return "32315 -> 32022 -> 32086"
	}
	return ""
}

// Worst is the worst health of vms (LevelUnknown for none).
func Worst(vms []VM) Level {
	w := LevelUnknown
	for _, v := range vms {
		if v.Health > w {
			w = v.Health
		}
	}
	return w
}

// viewHost is the host whose view v is (the primary's or the replica's),
// "" when its mode or that server is not known.
func viewHost(v *VM) string {
	switch {
	case stateIs(v.Mode, "Primary"):
		return v.PrimaryServer
	case stateIs(v.Mode, "Replica", "ExtendedReplica"):
		return v.ReplicaServer
	}
	return ""
}

// fromHost keeps the events logged on host (and those that do not name
// their machine): with two hosts' files in one directory, a replica's
// 32086 is no evidence about the primary's view. All when host is "".
func fromHost(events []Event, host string) []Event {
	if host == "" {
		return events
	}
	out := events[:0:0]
	for _, e := range events {
		if e.Machine == "" || sameHost(e.Machine, host) {
			out = append(out, e)
		}
	}
	return out
}

// upTo leaves out the events after asOf (none when asOf is zero): with
// --at, an event logged later is no evidence of the state at that time
// (a 32086 at 11:00 made a VM Critical as of 10:30).
func upTo(events []Event, asOf time.Time) []Event {
	if asOf.IsZero() {
		return events
	}
	out := events[:0:0]
	for _, e := range events {
		if !e.Time.After(asOf) {
			out = append(out, e)
		}
	}
	return out
}

// HostEvents are the events of known problem kinds that name none of vms
// (14050, SPN registration, names no VM) up to asOf: host-wide causes,
// oldest first.
func HostEvents(s *Snapshot, vms []VM, asOf time.Time) []Event {
	var out []Event
	for _, e := range s.Events {
		info, ok := LookupEvent(e.ID)
		if !ok || info.Kind == "stats" {
			continue
		}
		named := false
		for _, v := range vms {
			if e.aboutVM(v.Name, v.ID) {
				named = true
				break
			}
		}
		if !named {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return upTo(out, asOf)
}
