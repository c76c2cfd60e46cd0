package views

import (
	"fmt"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// FindingsMarkdown renders a check report as Markdown for a ticket: a
// heading with target, host and time, a summary table, then for every step
// that did not pass its evidence, reason, codes and fixes with the commands
// in fenced blocks ready to copy. Passing steps keep their evidence in a
// closing section. The TUI's incident report reuses it.
func FindingsMarkdown(r probes.Report) string {
	var b strings.Builder
	writeFindingsMarkdown(&b, r, 1)
	return b.String()
}

// writeFindingsMarkdown writes r with its title at heading level (1 for
// `check`, 2 inside the incident report), its sections one level below.
func writeFindingsMarkdown(b *strings.Builder, r probes.Report, level int) {
	h1 := strings.Repeat("#", level) + " "
	h2 := "#" + h1
	h3 := "#" + h2
	t := r.Target
	fmt.Fprintf(b, "%sHyper-V Replica check: %s port %d (%s)\n\n", h1, mdText(t.Replica), t.Port, t.Auth)
	fmt.Fprintf(b, "- Result: **%s** (%s)\n", strings.ToUpper(r.Status), countsLine(r.Counts))
	fmt.Fprintf(b, "- Ran on: %s, %s\n", mdText(r.Host), r.Time.Format("2006-01-02 15:04:05 MST"))
	fmt.Fprintf(b, "- Proxy: %s\n", mdText(t.ProxyNote))
	if t.VMName != "" {
		fmt.Fprintf(b, "- VM: %s\n", mdText(t.VMName))
	}
	fmt.Fprintf(b, "- Tool: %s\n\n", mdText(r.Tool))

	b.WriteString("| Step | Status | Finding |\n|---|---|---|\n")
	for _, s := range r.Steps {
		fmt.Fprintf(b, "| %s | %s | %s |\n", mdCell(s.Title), strings.ToUpper(s.Status), mdCell(s.Summary))
	}
	var ok []probes.ReportStep
	for _, s := range r.Steps {
		if s.Status == "pass" || s.Status == "skip" {
			ok = append(ok, s)
			continue
		}
		fmt.Fprintf(b, "\n%s%s: %s\n\n%s\n", h2, strings.ToUpper(s.Status), mdText(s.Title), mdText(s.Summary))
		writeEvidence(b, s.Evidence)
		if s.Reason != "" {
			fmt.Fprintf(b, "\n**Why:** %s\n", mdText(s.Reason))
		}
		if len(s.Codes) > 0 {
			fmt.Fprintf(b, "\n**Error codes:** %s\n", "`"+strings.Join(s.Codes, "`, `")+"`")
		}
		if len(s.Fixes) > 0 {
			b.WriteString("\n**Fixes:**\n")
			for i, f := range s.Fixes {
				where := ""
				if f.Where != "" {
					where = " *(on the " + f.Where + ")*"
				}
				fmt.Fprintf(b, "\n%d. %s%s\n", i+1, mdText(f.Text), where)
				if f.Command != "" {
					fmt.Fprintf(b, "\n   ```powershell\n   %s\n   ```\n", f.Command)
				}
			}
		}
	}
	if len(ok) > 0 {
		b.WriteString("\n" + h2 + "Passed and skipped steps\n")
		for _, s := range ok {
			fmt.Fprintf(b, "\n%s%s (%s)\n\n%s\n", h3, mdText(s.Title), s.Status, mdText(s.Summary))
			writeEvidence(b, s.Evidence)
		}
	}
}

func writeEvidence(b *strings.Builder, ev []string) {
	if len(ev) == 0 {
		return
	}
	b.WriteString("\n```text\n")
	for _, e := range ev {
		b.WriteString(strings.ReplaceAll(e, "```", "'''") + "\n")
	}
	b.WriteString("```\n")
}

// mdText escapes the characters that would turn prose into markup.
func mdText(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "`", "\\`", "<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]")
	return r.Replace(s)
}

// mdCell escapes text for a table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(s), "|", "\\|")
}
