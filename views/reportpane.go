package views

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
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

	lines = append(lines, "", t.Heading.Render("Top writers over the session"))
	if len(a.Processes) == 0 {
		add(t.Muted.Render("  none yet"))
	} else {
		nameW := 12
		for _, p := range a.Processes {
			nameW = max(nameW, min(32, Width(p.Name)))
		}
		add(t.TableHead.Render(fmt.Sprintf("  %-*s %7s  %-11s %10s %6s", nameW, "Process", "PID", "Class", "Written", "Share")))
		for _, p := range a.Processes {
			cls := PadRight(classWord(p.Class), 11)
			add(fmt.Sprintf("  %-*s %7d  %s %10s %5.1f%%", nameW, Truncate(p.Name, nameW, t.Glyphs.Ellipsis), p.PID,
				t.classStyle(p.Class).Render(cls), units.Bytes(p.WriteBytes), p.Share*100))
		}
	}

	lines = append(lines, "", t.Heading.Render("Spikes")+t.Muted.Render(fmt.Sprintf("  minutes above %gx the median minute", a.SpikeFactor)))
	if len(a.Spikes) == 0 {
		add(t.Muted.Render("  none so far"))
	}
	for _, m := range a.Spikes {
		top := ""
		if len(m.Culprits) > 0 {
			c := m.Culprits[0]
			top = fmt.Sprintf(", mostly %s (%s)", c.Name, classWord(c.Class))
		}
		wrap(plain, "  ", "    ", fmt.Sprintf("%s  %.1fx  %s%s", m.Label, m.Factor, units.Bytes(m.Bytes), top))
	}

	lines = append(lines, "", t.Heading.Render("Replication impact")+t.Muted.Render("  log per interval, bandwidth to ship it"))
	if len(a.Impact) == 0 || a.Samples == 0 {
		add(t.Muted.Render("  no samples yet"))
	}
	for _, x := range a.Impact {
		if a.Samples == 0 {
			break
		}
		add(fmt.Sprintf("  every %-4s peak %s, needs %s; typical %s", FormatInterval(x.Interval),
			units.Bytes(x.PeakBytes), units.Bits(x.PeakRate), units.Bits(x.TypicalRate)))
	}

	lines = append(lines, "", t.Heading.Render("Top files"))
	if len(d.Files) == 0 {
		note := d.FilesNote
		if note == "" {
			note = "per-file data was not collected in this session"
		}
		wrap(t.Muted.Render, "  ", "  ", note)
	}
	for _, f := range d.Files {
		wrap(plain, "  ", "    ", fmt.Sprintf("%s  %s  %s", units.Bytes(f.Bytes), f.Process, f.Path))
	}
	return lines
}
