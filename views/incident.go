package views

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// FileRow is one file of the report's top files: its path, the process
// that wrote it most, and the bytes written over the session.
type FileRow struct {
	Path    string
	Process string
	PID     int32
	Class   sampler.Class
	Bytes   float64
}

// IncidentData is everything the incident report holds. Nothing in it is a
// secret: probe reports carry no passwords or keys.
type IncidentData struct {
	Host, Tool string
	// Time is when the report was written; Start when the session began.
	Time, Start time.Time
	// Interval is the sampling interval; WriteLabel and Note say what the
	// sampler's counters measure on this machine.
	Interval   time.Duration
	WriteLabel string
	Note       string
	// Findings holds one check report per target the wizard ran against,
	// in the order they were first checked.
	Findings []probes.Report
	// Running names the steps still running when the report was written.
	Running []string
	// Analysis is the churn analysis over the session's samples.
	Analysis analysis.Report
	// Files are the top files; FilesNote says why there are none (per-file
	// data not collected, or none written).
	Files     []FileRow
	FilesNote string
	// Replay is true when the data comes from a recording: no wizard runs
	// then, and the report says so instead of inviting a check.
	Replay bool
}

// noWizardText says why a report has no findings.
func (d IncidentData) noWizardText() string {
	if d.Replay {
		return "A replay of a recording runs no checks: run hvrdoctor check --replica NAME on the primary to check the path to the replica."
	}
	return "The wizard was not run in this session: no replica server was checked."
}

// IncidentMarkdown renders the incident report for a ticket: host, time and
// targets; each target's findings through the same renderer as `hvrdoctor
// check --format markdown` (one heading level down); then the session's
// top writing processes with their classes, the top files, the spikes and
// what the churn means for replication.
func IncidentMarkdown(d IncidentData) string {
	var b strings.Builder
	a := d.Analysis
	fmt.Fprintf(&b, "# Hyper-V Replica incident report: %s\n\n", mdText(d.Host))
	fmt.Fprintf(&b, "- Written: %s\n", d.Time.Format("2006-01-02 15:04:05 MST"))
	fmt.Fprintf(&b, "- Host: %s\n", mdText(d.Host))
	if !d.Start.IsZero() {
		fmt.Fprintf(&b, "- Session: since %s (%s), sampling every %s\n", d.Start.Format("15:04:05"),
			d.Time.Sub(d.Start).Round(time.Second), FormatInterval(d.Interval))
	}
	if d.WriteLabel != "" {
		fmt.Fprintf(&b, "- Write counters: %s\n", mdText(d.WriteLabel))
	}
	if d.Note != "" {
		fmt.Fprintf(&b, "- Note: %s\n", mdText(d.Note))
	}
	fmt.Fprintf(&b, "- Tool: %s\n", mdText(d.Tool))

	b.WriteString("\n## Targets\n\n")
	if len(d.Findings) == 0 {
		b.WriteString(d.noWizardText() + "\n")
	}
	for _, r := range d.Findings {
		t := r.Target
		fmt.Fprintf(&b, "- %s port %d, %s authentication: **%s** (%s); proxy: %s\n", mdText(t.Replica), t.Port, t.Auth,
			strings.ToUpper(r.Status), countsLine(r.Counts), mdText(t.ProxyNote))
	}
	if len(d.Running) > 0 {
		fmt.Fprintf(&b, "\nStill running when the report was written: %s.\n", mdText(strings.Join(d.Running, ", ")))
	}
	for _, r := range d.Findings {
		b.WriteString("\n")
		writeFindingsMarkdown(&b, r, 2)
	}

	b.WriteString("\n## Disk writes over the session\n\n")
	if a.Samples == 0 {
		b.WriteString("No samples yet: the sampler had not completed an interval when the report was written.\n")
	} else {
		fmt.Fprintf(&b, "%d samples over %d minutes; %s: %s written, %s by the processes listed (%d processes wrote). Baseline (median minute): %s.\n",
			a.Samples, a.Minutes, mdText(a.TotalSource), units.Bytes(a.TotalBytes),
			units.Bytes(a.AttributedBytes), a.ProcessCount, units.Bytes(a.Baseline))
	}

	b.WriteString("\n### Top writing processes\n\n")
	if len(a.Processes) == 0 {
		b.WriteString("No process wrote during the session.\n")
	} else {
		b.WriteString("| Process | PID | Class | Pattern | Written | Share | Peak minute |\n|---|---:|---|---|---:|---:|---|\n")
		for _, p := range a.Processes {
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %.1f%% | %s (%s) |\n", mdCell(p.Name), p.PID, classWord(p.Class), p.Pattern,
				units.Bytes(p.WriteBytes), p.Share*100, p.PeakLabel, units.Bytes(p.PeakBytes))
		}
		if len(a.Classes) > 0 {
			var parts []string
			for _, c := range a.Classes {
				parts = append(parts, fmt.Sprintf("%s %s (%.1f%%)", classWord(c.Class), units.Bytes(c.Bytes), c.Share*100))
			}
			fmt.Fprintf(&b, "\nBy class: %s.\n", strings.Join(parts, ", "))
		}
	}

	b.WriteString("\n### Top files\n\n")
	if len(d.Files) == 0 {
		note := d.FilesNote
		if note == "" {
			note = "Per-file data was not collected in this session."
		}
		b.WriteString(mdText(note) + "\n")
	} else {
		b.WriteString("| File | Written | Top writer | Class |\n|---|---:|---|---|\n")
		for _, f := range d.Files {
			fmt.Fprintf(&b, "| %s | %s | %s (PID %d) | %s |\n", mdCell(f.Path), units.Bytes(f.Bytes), mdCell(f.Process), f.PID, classWord(f.Class))
		}
	}

	fmt.Fprintf(&b, "\n### Spikes (minutes above %gx the baseline)\n\n", a.SpikeFactor)
	switch {
	case len(a.Spikes) > 0:
		b.WriteString("| Minute | Factor | Written | Culprits |\n|---|---:|---:|---|\n")
		for _, m := range a.Spikes {
			var cs []string
			for _, c := range m.Culprits[:min(3, len(m.Culprits))] {
				cs = append(cs, fmt.Sprintf("%s (PID %d, %s) %s", c.Name, c.PID, classWord(c.Class), units.Bytes(c.Bytes)))
			}
			fmt.Fprintf(&b, "| %s | %.1fx | %s | %s |\n", m.Label, m.Factor, units.Bytes(m.Bytes), mdCell(strings.Join(cs, "; ")))
		}
	case a.Minutes < 2:
		b.WriteString("None: a spike needs a baseline of several minutes; the session was shorter.\n")
	default:
		b.WriteString("None.\n")
	}

	b.WriteString("\n### Replication impact\n\n")
	if len(a.Impact) == 0 || a.Samples == 0 {
		b.WriteString("Not estimated: no samples yet.\n")
	} else {
		fmt.Fprintf(&b, "Log size per replication interval and the WAN bandwidth to ship it (compression %g):\n\n", a.Compression)
		b.WriteString("| Interval | Peak log | Typical log | Needed at peak | Typical |\n|---|---:|---:|---:|---:|\n")
		for _, x := range a.Impact {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", FormatInterval(x.Interval), units.Bytes(x.PeakBytes),
				units.Bytes(x.TypicalBytes), units.Bits(x.PeakRate), units.Bits(x.TypicalRate))
		}
		for _, l := range a.Basis {
			fmt.Fprintf(&b, "\n- %s", mdText(l))
		}
		if len(a.Basis) > 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// classWord names a class, "unclassified" when empty.
func classWord(c sampler.Class) string {
	if c == "" {
		return "unclassified"
	}
	return string(c)
}
