package views

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
)

// statusLine is one line of the status report with its indent level;
// text and Markdown render the same lines.
type statusLine struct {
	indent int
	text   string
	// code is a command to show as code (fixes).
	code string
}

// vmLines is one VM's part of the status report and of the Replication
// tab's VM page (one layout for both): vmFacts then vmActions.
func vmLines(v hyperv.VM, asOf time.Time, msgLen int) []statusLine {
	return append(vmFacts(v, asOf, msgLen), vmActions(v)...)
}

// vmFacts are what Hyper-V says of one VM and what hvrdoctor makes of
// it: state and health, the relationship, the last replication, the
// figures, the health rules that fired and the events explained. An
// event message is cut at msgLen characters (0: whole).
func vmFacts(v hyperv.VM, asOf time.Time, msgLen int) []statusLine {
	var ls []statusLine
	add := func(indent int, format string, args ...any) {
		ls = append(ls, statusLine{indent: indent, text: fmt.Sprintf(format, args...)})
	}
	state := v.State
	if state == "" && v.StateNumber >= 0 {
		state = fmt.Sprintf("%d (a number: the cmdlet's numbering is not in hvrdoctor's sources; save with -EnumsAsStrings to see its name)", v.StateNumber)
	}
	if state == "" {
		state = "not given"
	}
	reported := "not given"
	if v.ReportedHealth != hyperv.LevelUnknown {
		reported = v.ReportedHealth.String()
	}
	add(1, "State: %s. Hyper-V reports health: %s.", state, reported)
	for _, d := range v.HealthDetails {
		add(2, "Hyper-V says: %s", d)
	}
	if v.ReplicaServer != "" || v.PrimaryServer != "" {
		s := "Replicates"
		if v.PrimaryServer != "" {
			s += " from " + v.PrimaryServer
		}
		if v.ReplicaServer != "" {
			s += " to " + v.ReplicaServer
			if v.ReplicaPort > 0 {
				s += " port " + strconv.Itoa(v.ReplicaPort)
			}
		}
		if v.AuthType != "" {
			s += ", " + v.AuthType + " authentication"
		}
		if v.FrequencySec > 0 {
			s += fmt.Sprintf(", every %d s", v.FrequencySec)
		}
		if v.Mode != "" {
			s += " (this host's mode: " + v.Mode + ")"
		}
		add(1, "%s.", s)
	}
	add(1, "Last replication: %s%s.", fmtTime(v.LastReplication), ago(v.LastReplication, asOf))
	if m := v.Stats; m != nil {
		var parts []string
		if m.HasPending {
			parts = append(parts, "pending (not yet sent) "+units.Bytes(float64(m.PendingReplicationSize)))
		}
		if m.HasAverageSize || m.HasMaximumSize {
			parts = append(parts, fmt.Sprintf("size per replication average %s, maximum %s",
				units.Bytes(float64(m.AverageReplicationSize)), units.Bytes(float64(m.MaximumReplicationSize))))
		}
		if m.HasAverageLatency || m.HasMaximumLatency {
			parts = append(parts, fmt.Sprintf("latency average %s, maximum %s", units.Age(m.AverageReplicationLatency), units.Age(m.MaximumReplicationLatency)))
		}
		if len(parts) > 0 {
			add(1, "%s.", capFirst(strings.Join(parts, "; ")))
		}
		if m.HasSuccessful || m.HasMissed || m.HasErrors {
			window := ""
			if !m.MonitoringStart.IsZero() {
				window = fmt.Sprintf(" in the monitoring interval %s to %s", fmtTime(m.MonitoringStart), fmtTime(m.MonitoringEnd))
			}
			succ, missed, errs := "successful not given", "missed not given", "replication errors not given"
			if m.HasSuccessful {
				succ = fmt.Sprintf("%d successful", m.SuccessfulReplicationCount)
			}
			if m.HasMissed {
				missed = fmt.Sprintf("%d missed", m.MissedReplicationCount)
			}
			cycles := succ + ", " + missed
			if m.HasErrors {
				errs = Plural(m.ReplicationErrors, "replication error")
			}
			add(1, "Replication cycles%s: %s; %s.", window, cycles, errs)
		}
	} else {
		add(1, "No Measure-VMReplication output for this VM: no statistics.")
	}
	if len(v.Rules) == 0 {
		add(1, "Health rules: none fired.")
	} else {
		add(1, "Health rules that fired (the documented rules, applied by hvrdoctor as of %s):", fmtTime(asOf))
		for _, r := range v.Rules {
			add(2, "[%s] %s: %s", r.Level, r.ID, r.Text)
		}
	}
	if v.Health >= hyperv.LevelWarning || len(v.Events) > 0 {
		since := "since the last replication"
		if v.LastReplication.IsZero() {
			since = "(last replication unknown: all of them)"
		}
		if len(v.Events) == 0 {
			add(1, "VMMS-Admin events naming this VM %s: none in the files.", since)
		} else {
			head := fmt.Sprintf("VMMS-Admin events naming this VM %s: %d", since, len(v.Events))
			if v.Chain != "" {
				head += "; the documented chain " + v.Chain + " (failed and retried, could not replicate, suspended)"
			}
			add(1, "%s.", head)
			for _, e := range v.Events {
				ls = append(ls, eventLines(e, 2, msgLen)...)
			}
		}
	}
	return ls
}

// vmActions are what to do about one VM: the resync forecast and the
// fixes with their commands.
func vmActions(v hyperv.VM) []statusLine {
	var ls []statusLine
	add := func(indent int, format string, args ...any) {
		ls = append(ls, statusLine{indent: indent, text: fmt.Sprintf(format, args...)})
	}
	if f := v.Forecast; f != nil {
		s := fmt.Sprintf("Resync forecast: pending %s is %.0f%% of the %s (50%% of %s of virtual disks) that forces a resynchronization",
			units.Bytes(float64(f.PendingBytes)), f.PercentOfThreshold, units.Bytes(float64(f.ThresholdBytes)), units.Bytes(float64(f.DiskBytes)))
		if f.HasUntil {
			if f.Until <= 0 {
				s += "; already past it"
			} else {
				s += fmt.Sprintf("; at %s it is reached in %s", units.Rate(f.RateBytesPerSec), units.Age(f.Until))
			}
		}
		add(1, "%s.", s)
		add(2, "Basis: %s", f.Basis)
	}
	if len(v.Fixes) > 0 {
		add(1, "Fixes:")
		for i, f := range v.Fixes {
			ls = append(ls, statusLine{indent: 2, text: fmt.Sprintf("%d. [%s] %s", i+1, f.Where, f.Text), code: f.Command})
		}
	}
	return ls
}

// eventLines is one event with its explanation and the error codes in its
// message.
func eventLines(e hyperv.Event, indent, msgLen int) []statusLine {
	lvl := ""
	if e.Level != "" {
		lvl = " " + e.Level
	}
	ls := []statusLine{{indent: indent, text: fmt.Sprintf("%s  event %d%s: %s", fmtTime(e.Time), e.ID, lvl, cut(e.Message, msgLen))}}
	if info, ok := hyperv.LookupEvent(e.ID); ok {
		ls = append(ls, statusLine{indent: indent + 1, text: info.Meaning + " " + info.Means})
	} else {
		ls = append(ls, statusLine{indent: indent + 1, text: fmt.Sprintf("Event %d is not in hvrdoctor's table: read its message.", e.ID)})
	}
	for _, c := range e.Codes() {
		if ci, ok := hyperv.LookupCode(c); ok {
			ls = append(ls, statusLine{indent: indent + 1, text: fmt.Sprintf("%s %s: %s", c, ci.Name, ci.Replica)})
		}
	}
	return ls
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// ago says how long before asOf t was.
func ago(t, asOf time.Time) string {
	if t.IsZero() || asOf.IsZero() {
		return ""
	}
	d := asOf.Sub(t)
	if d < 0 {
		return " (after the evaluation time)"
	}
	return " (" + units.Age(d) + " before)"
}

// cut shortens s to n characters and "..."; n <= 0 keeps it whole.
func cut(s string, n int) string {
	if r := []rune(s); n > 0 && len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}

func capFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func vmTitle(v hyperv.VM) string {
	return fmt.Sprintf("%s (%s relationship): %s", v.Name, v.Relationship, v.Health)
}

// Plural is "1 item", "3 items": n and the noun, with an s unless n is 1.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
