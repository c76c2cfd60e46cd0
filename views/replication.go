package views

import (
	"fmt"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
)

// ReplicationData is what the Replication tab shows: each VM's
// relationship as hyperv.Status built it, where it comes from, and the
// time the rules were evaluated at.
type ReplicationData struct {
	VMs    []hyperv.VM
	Source string // "5 saved files in hvr-status/"
	AsOf   time.Time
}

// Printable replaces control characters and bidirectional controls from
// outside input (a VM name or an event message in saved files; see
// textsafe.Unprintable) with U+FFFD so that they cannot drive the terminal
// or reorder the line. Commands need no such care: probes.PSQuote writes
// them as [char] codes.
func Printable(s string) string { return textsafe.Clean(s) }

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

// ReplicationPage is one VM's page: the lines status prints for it
// (vmFacts, vmActions: state and health, the rules that fired, the
// events with what they mean, the resync forecast and the fixes), with
// the saved counters' graphs between them, wrapped to w cells.
func ReplicationPage(v hyperv.VM, asOf time.Time, w int, mode GraphMode, t Theme) []string {
	out := []string{t.Heading.Render(Truncate(Printable(vmTitle(v)), w, t.Glyphs.Ellipsis))}
	out = append(out, pageLines(vmFacts(v, asOf, 0), w, t)...)
	if len(v.Counters) > 0 {
		out = append(out, "", t.Heading.Render(Truncate("Counters (saved CSV; units not documented)", w, t.Glyphs.Ellipsis)))
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
	if acts := vmActions(v); len(acts) > 0 {
		out = append(out, "")
		out = append(out, pageLines(acts, w, t)...)
	}
	return out
}

// pageLines wraps the report's lines to w cells, each level indented two
// cells, commands whole (wrapped, never cut) in the command style.
func pageLines(ls []statusLine, w int, t Theme) []string {
	var out []string
	for _, l := range ls {
		pad := strings.Repeat("  ", max(0, l.indent-1))
		out = append(out, indentLines(pad, pad+"  ", Printable(l.text), w)...)
		if l.code != "" {
			for _, c := range indentLines(pad+"   ", pad+"     ", Printable(l.code), w) {
				out = append(out, t.Command.Render(c))
			}
		}
	}
	return out
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
