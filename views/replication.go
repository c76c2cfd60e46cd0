package views

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/probes"
)

// ReplicationData is what the Replication tab shows: each VM's
// relationship as hyperv.Status built it, where it comes from, and the
// time the rules were evaluated at.
type ReplicationData struct {
	VMs    []hyperv.VM
	Source string // "5 saved files in hvr-status/"
	AsOf   time.Time
}

// Printable replaces control characters from outside input (a VM name or
// an event message in saved files) with U+FFFD so that they cannot drive
// the terminal. Commands need no such care: probes.PSQuote writes control
// characters as [char] codes.
func Printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

func replTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func replAge(d time.Duration) string {
	if d < 0 {
		return "later"
	}
	return units.Age(d)
}

// ReplicationList draws the VM list in exactly h lines of at most w
// cells: health, VM and relationship, state, pending size and the last
// replication, the selected row marked with ">".
func ReplicationList(d ReplicationData, sel, w, h int, t Theme) string {
	lines := []string{
		Truncate(t.Muted.Render(Printable(fmt.Sprintf("Hyper-V Replica, from %s; rules as of %s", d.Source, replTime(d.AsOf)))), w, t.Glyphs.Ellipsis),
	}
	if len(d.VMs) == 0 {
		lines = append(lines, "", "No VM replication relationship in the files.")
		return Fit(strings.Join(lines, "\n"), w, h)
	}
	head := fmt.Sprintf("  %-8s %-22s %-20s %9s  %s", "HEALTH", "VM (RELATIONSHIP)", "STATE", "PENDING", "LAST REPLICATION")
	lines = append(lines, t.TableHead.Render(Truncate(head, w, t.Glyphs.Ellipsis)))
	rows := h - len(lines)
	first := 0
	if sel >= rows {
		first = sel - rows + 1
	}
	for i := first; i < len(d.VMs) && i < first+rows; i++ {
		v := d.VMs[i]
		name := v.Name
		if v.Relationship == "extended" {
			name += " (ext)"
		}
		state := v.State
		if state == "" && v.StateNumber >= 0 {
			state = fmt.Sprintf("#%d", v.StateNumber)
		}
		pending := "-"
		if v.Stats != nil && v.Stats.HasPending {
			pending = units.Bytes(float64(v.Stats.PendingReplicationSize))
		}
		last := "unknown"
		if !v.LastReplication.IsZero() {
			last = replAge(d.AsOf.Sub(v.LastReplication)) + " before"
		}
		mark := "  "
		if i == sel {
			mark = "> "
		}
		row := Printable(fmt.Sprintf("%s%-8s %-22s %-20s %9s  %s", mark, v.Health, Truncate(name, 22, "~"), Truncate(state, 20, "~"), pending, last))
		row = Truncate(row, w, t.Glyphs.Ellipsis)
		if i == sel {
			row = t.Selected.Render(PadRight(row, w))
		} else if v.Health >= hyperv.LevelWarning {
			row = t.Warn.Render(row)
		}
		lines = append(lines, row)
	}
	return Fit(strings.Join(lines, "\n"), w, h)
}

// ReplicationPage is one VM's page: state and health with the rules that
// fired, the figures, the events since the last replication with what
// they mean, the resync forecast and the fixes, wrapped to w cells.
func ReplicationPage(v hyperv.VM, asOf time.Time, w int, mode GraphMode, t Theme) []string {
	var out []string
	para := func(first, rest, text string) {
		out = append(out, indentLines(first, rest, Printable(text), w)...)
	}
	head := func(s string) { out = append(out, "", t.Heading.Render(Truncate(s, w, t.Glyphs.Ellipsis))) }
	out = append(out, t.Heading.Render(Truncate(Printable(fmt.Sprintf("%s (%s relationship): %s", v.Name, v.Relationship, v.Health)), w, t.Glyphs.Ellipsis)))
	state := v.State
	if state == "" && v.StateNumber >= 0 {
		state = fmt.Sprintf("%d (a number; its name is not in hvrdoctor's sources)", v.StateNumber)
	}
	para("", "  ", fmt.Sprintf("State %s; Hyper-V reports %s.", orUnknown(state), v.ReportedHealth))
	for _, d := range v.HealthDetails {
		para("  Hyper-V says: ", "    ", d)
	}
	if v.ReplicaServer != "" {
		s := "Replica " + v.ReplicaServer
		if v.ReplicaPort > 0 {
			s += fmt.Sprintf(" port %d", v.ReplicaPort)
		}
		if v.AuthType != "" {
			s += ", " + v.AuthType
		}
		para("", "  ", s+".")
	}
	para("", "  ", fmt.Sprintf("Last replication %s.", replTime(v.LastReplication)))
	if m := v.Stats; m != nil {
		if m.HasPending {
			para("", "  ", fmt.Sprintf("Pending (not yet sent) %s; per replication average %s, maximum %s; latency average %s, maximum %s.",
				units.Bytes(float64(m.PendingReplicationSize)), units.Bytes(float64(m.AverageReplicationSize)), units.Bytes(float64(m.MaximumReplicationSize)),
				replAge(m.AverageReplicationLatency), replAge(m.MaximumReplicationLatency)))
		}
		if m.HasCounts {
			para("", "  ", fmt.Sprintf("Cycles in the monitoring interval: %d successful, %d missed; %d errors.",
				m.SuccessfulReplicationCount, m.MissedReplicationCount, m.ReplicationErrors))
		}
	}
	head("Health rules that fired")
	if len(v.Rules) == 0 {
		para("  ", "  ", "None.")
	}
	for _, r := range v.Rules {
		para("  "+r.Level.String()+": ", "    ", r.Text)
	}
	head("Events since the last replication")
	if v.Chain != "" {
		para("  ", "  ", "The documented chain "+v.Chain+": failed and retried, could not replicate, suspended.")
	}
	if len(v.Events) == 0 {
		para("  ", "  ", "None in the files.")
	}
	for _, e := range v.Events {
		out = append(out, Truncate(Printable(fmt.Sprintf("  %s  event %d %s", replTime(e.Time), e.ID, e.Level)), w, t.Glyphs.Ellipsis))
		para("    ", "    ", e.Message)
		if info, ok := hyperv.LookupEvent(e.ID); ok {
			para("    ", "    ", info.Meaning+" "+info.Means)
		}
		for _, c := range e.Codes() {
			if v, err := strconv.ParseUint(c[2:], 16, 32); err == nil {
				if ci, ok := probes.LookupCode(uint32(v)); ok {
					para("    ", "    ", c+" "+ci.Name+": "+ci.Replica)
				}
			}
		}
	}
	if len(v.Counters) > 0 {
		head("Counters (saved CSV; units not documented)")
		for _, c := range v.Counters {
			vals := make([]float64, len(c.Points))
			peak := 0.0
			for i, p := range c.Points {
				vals[i] = p.V
				peak = max(peak, p.V)
			}
			last := c.Points[len(c.Points)-1]
			label := fmt.Sprintf("  %-24s ", Truncate(c.Counter, 24, "~"))
			tail := fmt.Sprintf(" last %s, max %s, %d samples to %s (CSV time)", counterValue(last.V), counterValue(peak), len(c.Points), last.T.Format("15:04"))
			sw := max(0, min(40, w-Width(label)-Width(tail)))
			out = append(out, Truncate(Printable(label)+t.Spark.Render(Sparkline(vals, sw, mode))+tail, w, t.Glyphs.Ellipsis))
		}
	}
	if f := v.Forecast; f != nil {
		head("Resync forecast")
		s := fmt.Sprintf("Pending %s is %.0f%% of the %s (50%% of the disks) that forces a resynchronization.",
			units.Bytes(float64(f.PendingBytes)), f.PercentOfThreshold, units.Bytes(float64(f.ThresholdBytes)))
		if f.HasUntil && f.Until > 0 {
			s += fmt.Sprintf(" At %s it is reached in %s.", units.Rate(f.RateBytesPerSec), replAge(f.Until))
		}
		para("  ", "  ", s)
		para("  Basis: ", "    ", f.Basis)
	}
	if len(v.Fixes) > 0 {
		head("Fixes (w opens the wizard on this VM's replica)")
		for i, f := range v.Fixes {
			para(fmt.Sprintf("  %d. ", i+1), "     ", f.Text+" ["+f.Where+"]")
			if f.Command != "" {
				for _, l := range indentLines("     ", "       ", Printable(f.Command), w) {
					out = append(out, t.Command.Render(l))
				}
			}
		}
	}
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}

// counterValue prints a counter's raw value: whole numbers as they are,
// others with two decimals.
func counterValue(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.2f", v)
}

// WrapNote wraps a one-line note (an error, a loading message) to w cells,
// control characters replaced.
func WrapNote(s string, w int) []string { return wrapText(Printable(s), w) }
