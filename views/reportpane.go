package views

import (
	"fmt"
	"strings"
	"time"
)

// ReportScreen lays out the Report tab as lines of at most w cells: what
// the incident report will hold (session, wizard verdicts, top writers with
// classes, spikes, replication impact, files), where r saves it and where
// the last one went. The pane scrolls these lines.
func ReportScreen(d IncidentData, dir, saved string, w int, t Theme) []string {
	a := d.Analysis
	var lines []string
	add, wrap := lineWriters(&lines, w, t)

	add(t.Heading.Render("Incident report") + t.Muted.Render("  r saves it as Markdown in "+dir))
	if saved != "" {
		wrap(t.Pass.Render, "Saved: ", "       ", saved)
	}
	if !d.Start.IsZero() {
		add(fmt.Sprintf("Session since %s (%s), %d samples every %s", d.Start.Format("15:04:05"),
			d.Time.Sub(d.Start).Round(time.Second), a.Samples, FormatInterval(d.Interval)))
	}
	lines = append(lines, "", t.Heading.Render("Wizard"))
	if len(d.Findings) == 0 {
		text := "not run yet: the Wizard tab checks the path to the replica server."
		if d.Replay {
			text = d.noWizardText()
		}
		wrap(t.Muted.Render, "  ", "  ", text)
	}
	for _, r := range d.Findings {
		wrap(plain, "  ", "    ", fmt.Sprintf("%s port %d %s: %s (%s)", r.Target.Replica, r.Target.Port, r.Target.Auth,
			strings.ToUpper(r.Status), countsLine(r.Counts)))
	}
	if len(d.Running) > 0 {
		wrap(t.Muted.Render, "  ", "  ", "running: "+strings.Join(d.Running, ", "))
	}

	lines = append(lines, "")
	return append(lines, BlocksLines(AnalysisBlocks(d.analysisDoc()), w, t)...)
}
