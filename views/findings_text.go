package views

import (
	"fmt"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// findingsWidth is the width plain-text findings wrap prose at: an 80x24
// console with a margin. Commands are never wrapped, so they stay
// copyable.
const findingsWidth = 78

// FindingsText renders a check report as plain text for a terminal or a
// log: a header naming the target, host and time, one line per step, the
// evidence, reason and fixes of every step that did not pass, and a verdict
// line. It is a function of the report only.
func FindingsText(r probes.Report) string {
	var b strings.Builder
	t := r.Target
	fmt.Fprintf(&b, "hvrdoctor check: replica %s port %d, %s authentication\n", t.Replica, t.Port, t.Auth)
	fmt.Fprintf(&b, "proxy: %s\n", t.ProxyNote)
	fmt.Fprintf(&b, "ran on %s at %s, %s\n\n", r.Host, r.Time.Format("2006-01-02 15:04:05 MST"), r.Tool)

	titleW := 0
	for _, s := range r.Steps {
		titleW = max(titleW, len(s.Title))
	}
	for _, s := range r.Steps {
		prefix := fmt.Sprintf("%-7s %-*s  ", statusTag(s.Status), titleW, s.Title)
		writeHanging(&b, prefix, strings.Repeat(" ", len(prefix)), s.Summary)
	}
	for _, s := range r.Steps {
		if s.Status == "pass" || s.Status == "skip" {
			continue
		}
		fmt.Fprintf(&b, "\n%s %s: %s\n", statusTag(s.Status), s.Title, s.ID)
		writeWrapped(&b, "  ", s.Summary)
		if len(s.Evidence) > 0 {
			b.WriteString("  Evidence:\n")
			for _, e := range s.Evidence {
				fmt.Fprintf(&b, "    %s\n", e)
			}
		}
		if s.Reason != "" {
			b.WriteString("  Why:\n")
			writeWrapped(&b, "    ", s.Reason)
		}
		if len(s.Codes) > 0 {
			fmt.Fprintf(&b, "  Codes: %s (hvrdoctor explain %s)\n", strings.Join(s.Codes, ", "), s.Codes[0])
		}
		for i, f := range s.Fixes {
			where := ""
			if f.Where != "" {
				where = " [on " + f.Where + "]"
			}
			writeHanging(&b, "  ", "      ", fmt.Sprintf("Fix %d%s: %s", i+1, where, f.Text))
			if f.Command != "" {
				fmt.Fprintf(&b, "      %s\n", f.Command)
			}
		}
	}
	fmt.Fprintf(&b, "\nResult: %s (%s)\n", strings.ToUpper(r.Status), countsLine(r.Counts))
	return b.String()
}

// statusTag is the fixed-width tag of a status in text output.
func statusTag(s string) string {
	return "[" + strings.ToUpper(s) + "]"
}

// countsLine summarises the step counts: "1 failed, 4 passed, 1 skipped".
func countsLine(c map[string]int) string {
	var parts []string
	for _, k := range []struct{ key, word string }{
		{"fail", "failed"}, {"error", "could not run"}, {"warn", "warned"}, {"pass", "passed"}, {"skip", "skipped"},
	} {
		if c[k.key] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[k.key], k.word))
		}
	}
	if len(parts) == 0 {
		return "no steps"
	}
	return strings.Join(parts, ", ")
}

// writeWrapped writes text word-wrapped at findingsWidth with indent.
func writeWrapped(b *strings.Builder, indent, text string) {
	writeHanging(b, indent, indent, text)
}

// writeHanging wraps text at findingsWidth: the first line starts with
// first, the following lines with rest.
func writeHanging(b *strings.Builder, first, rest, text string) {
	indent := first
	line := indent
	for _, w := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(w) > findingsWidth {
			b.WriteString(line + "\n")
			indent = rest
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	if len(line) > len(indent) {
		b.WriteString(line + "\n")
	}
}
