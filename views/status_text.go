package views

import (
	"fmt"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// statusIntro is the report's opening: the files read (or the live
// read), what was skipped, the evaluation time and the count per health.
func statusIntro(r hyperv.StatusReport) []string {
	var out []string
	n := len(r.Snap.Files)
	kinds := make([]string, 0, n)
	for _, f := range r.Snap.Files {
		kinds = append(kinds, fmt.Sprintf("%s (%s, %s)", f.Path, f.Kind, Plural(f.Items, "item")))
	}
	if r.Snap.Live {
		out = append(out, r.Snap.LiveSummary(strings.Join(kinds, "; ")))
	} else {
		out = append(out, fmt.Sprintf("Read %s: %s.", Plural(n, "saved file"), strings.Join(kinds, "; ")))
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
		out = append(out, fmt.Sprintf("%s: %s.", Plural(len(r.VMs), "relationship"), strings.Join(parts, ", ")))
	}
	return out
}

// StatusText renders the status report as plain text, control characters
// from the files replaced.
func StatusText(r hyperv.StatusReport) string {
	var b strings.Builder
	b.WriteString("Hyper-V Replica status\n")
	for _, l := range statusIntro(r) {
		b.WriteString(Printable(l) + "\n")
	}
	for _, v := range r.VMs {
		b.WriteString("\n" + Printable(vmTitle(v)) + "\n")
		for _, l := range vmLines(v, r.AsOf, 240) {
			pad := strings.Repeat("  ", l.indent)
			b.WriteString(pad + Printable(l.text) + "\n")
			if l.code != "" {
				b.WriteString(pad + "   " + l.code + "\n")
			}
		}
	}
	if len(r.HostEvents) > 0 {
		b.WriteString("\nVMMS-Admin events naming none of the VMs above (host-wide causes such as 14050)\n")
		for _, l := range hostLines(r, 240) {
			b.WriteString(strings.Repeat("  ", l.indent) + Printable(l.text) + "\n")
		}
	}
	if len(r.Audit) > 0 {
		b.WriteString("\nReplica server audit\n")
		for _, a := range r.Audit {
			fmt.Fprintf(&b, "  [%s] %s: %s\n", a.Result, a.ID, Printable(a.Text))
			for _, f := range a.Fixes {
				fmt.Fprintf(&b, "    [%s] %s\n", Printable(f.Where), Printable(f.Text))
				if f.Command != "" {
					b.WriteString("       " + f.Command + "\n")
				}
			}
		}
	}
	return b.String()
}

// hostLines are the events naming no VM.
func hostLines(r hyperv.StatusReport, msgLen int) []statusLine {
	var ls []statusLine
	for _, e := range r.HostEvents {
		ls = append(ls, eventLines(e, 1, msgLen)...)
	}
	return ls
}
