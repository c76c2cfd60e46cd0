package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// statusLine is one line of the status report with its indent level;
// text and Markdown render the same lines.
type statusLine struct {
	indent int
	text   string
	// code is a command to show as code (fixes).
	code string
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

// codeInfo explains an error code found in an event's message.
func codeInfo(code string) (probes.CodeInfo, bool) {
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(code), "0x"), 16, 32)
	if err != nil {
		return probes.CodeInfo{}, false
	}
	return probes.LookupCode(uint32(v))
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}

// vmLines is one VM's part of the report.
func vmLines(v hyperv.VM, asOf time.Time, msgLen int) []statusLine {
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
		if m.HasCounts {
			window := ""
			if !m.MonitoringStart.IsZero() {
				window = fmt.Sprintf(" in the monitoring interval %s to %s", fmtTime(m.MonitoringStart), fmtTime(m.MonitoringEnd))
			}
			add(1, "Replication cycles%s: %d successful, %d missed; %s.", window,
				m.SuccessfulReplicationCount, m.MissedReplicationCount, plural(m.ReplicationErrors, "replication error"))
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

func capFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func vmTitle(v hyperv.VM) string {
	return fmt.Sprintf("%s (%s relationship): %s", v.Name, v.Relationship, v.Health)
}

func statusIntro(r statusReport) []string {
	var out []string
	n := len(r.Snap.Files)
	kinds := make([]string, 0, n)
	for _, f := range r.Snap.Files {
		kinds = append(kinds, fmt.Sprintf("%s (%s, %s)", f.Path, f.Kind, plural(f.Items, "item")))
	}
	if r.Snap.Live {
		out = append(out, r.Snap.LiveSummary(strings.Join(kinds, "; ")))
	} else {
		out = append(out, fmt.Sprintf("Read %s: %s.", plural(n, "saved file"), strings.Join(kinds, "; ")))
	}
	for _, s := range r.Snap.Skipped {
		out = append(out, "Skipped "+s+".")
	}
	out = append(out, fmt.Sprintf("Rules evaluated as of %s (%s).", fmtTime(r.AsOf), r.AsOfBasis))
	if !r.Snap.HasEvents {
		out = append(out, "No VMMS-Admin events were given: the events behind a Warning or Critical cannot be shown.")
	}
	counts := map[hyperv.Level]int{}
	for _, v := range r.VMs {
		counts[v.Health]++
	}
	if len(r.VMs) == 0 {
		out = append(out, "No VM replication relationship in the files.")
	} else {
		var parts []string
		for _, l := range []hyperv.Level{hyperv.LevelCritical, hyperv.LevelWarning, hyperv.LevelNormal, hyperv.LevelNotApplicable, hyperv.LevelUnknown} {
			if counts[l] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[l], l))
			}
		}
		out = append(out, fmt.Sprintf("%s: %s.", plural(len(r.VMs), "relationship"), strings.Join(parts, ", ")))
	}
	return out
}

// statusText renders the report as plain text.
func statusText(r statusReport) string {
	var b strings.Builder
	b.WriteString("Hyper-V Replica status\n")
	for _, l := range statusIntro(r) {
		b.WriteString(views.Printable(l) + "\n")
	}
	for _, v := range r.VMs {
		b.WriteString("\n" + views.Printable(vmTitle(v)) + "\n")
		for _, l := range vmLines(v, r.AsOf, 240) {
			pad := strings.Repeat("  ", l.indent)
			b.WriteString(pad + views.Printable(l.text) + "\n")
			if l.code != "" {
				b.WriteString(pad + "   " + l.code + "\n")
			}
		}
	}
	if len(r.HostEvents) > 0 {
		b.WriteString("\nVMMS-Admin events naming none of the VMs above (host-wide causes such as 14050)\n")
		for _, l := range hostLines(r, 240) {
			b.WriteString(strings.Repeat("  ", l.indent) + views.Printable(l.text) + "\n")
		}
	}
	if len(r.Audit) > 0 {
		b.WriteString("\nReplica server audit\n")
		for _, a := range r.Audit {
			fmt.Fprintf(&b, "  [%s] %s: %s\n", a.Result, a.ID, views.Printable(a.Text))
			for _, f := range a.Fixes {
				fmt.Fprintf(&b, "    [%s] %s\n", views.Printable(f.Where), views.Printable(f.Text))
				if f.Command != "" {
					b.WriteString("       " + f.Command + "\n")
				}
			}
		}
	}
	return b.String()
}

// statusMarkdown renders the report as Markdown for a ticket.
func statusMarkdown(r statusReport) string {
	var b strings.Builder
	b.WriteString("# Hyper-V Replica status\n\n")
	for _, l := range statusIntro(r) {
		b.WriteString("- " + mdEscape(l) + "\n")
	}
	for _, v := range r.VMs {
		b.WriteString("\n## " + mdEscape(vmTitle(v)) + "\n\n")
		for _, l := range vmLines(v, r.AsOf, 600) {
			pad := strings.Repeat("  ", l.indent-1)
			b.WriteString(pad + "- " + mdEscape(l.text) + "\n")
			if l.code != "" {
				b.WriteString(pad + "  ```powershell\n" + pad + "  " + l.code + "\n" + pad + "  ```\n")
			}
		}
	}
	if len(r.HostEvents) > 0 {
		b.WriteString("\n## VMMS-Admin events naming none of the VMs above (host-wide causes such as 14050)\n\n")
		for _, l := range hostLines(r, 600) {
			b.WriteString(strings.Repeat("  ", l.indent-1) + "- " + mdEscape(l.text) + "\n")
		}
	}
	if len(r.Audit) > 0 {
		b.WriteString("\n## Replica server audit\n\n")
		for _, a := range r.Audit {
			fmt.Fprintf(&b, "- **%s** %s: %s\n", a.Result, a.ID, mdEscape(a.Text))
			for _, f := range a.Fixes {
				fmt.Fprintf(&b, "  - [%s] %s\n", mdEscape(f.Where), mdEscape(f.Text))
				if f.Command != "" {
					b.WriteString("    ```powershell\n    " + f.Command + "\n    ```\n")
				}
			}
		}
	}
	return b.String()
}

// mdEscape keeps text from the files (VM names, event messages) from
// becoming Markdown markup.
func mdEscape(s string) string {
	s = views.Printable(s)
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "#", `\#`, "|", `\|`)
	return r.Replace(s)
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
		if ci, ok := codeInfo(c); ok {
			ls = append(ls, statusLine{indent: indent + 1, text: fmt.Sprintf("%s %s: %s", c, ci.Name, ci.Replica)})
		}
	}
	return ls
}

// hostLines are the events naming no VM.
func hostLines(r statusReport, msgLen int) []statusLine {
	var ls []statusLine
	for _, e := range r.HostEvents {
		ls = append(ls, eventLines(e, 1, msgLen)...)
	}
	return ls
}

// plural is "1 item", "3 items".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
