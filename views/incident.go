package views

import (
	"fmt"
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
	// RecordedHost is the host a recording names ("" live, or when the
	// recording has no Host column); Skipped lists unreadable rows.
	RecordedHost string
	Skipped      []string
	// Notes say how a recording's files were read (a generic CSV's column
	// mapping, what a perfmon counter counts).
	Notes []string
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

	b.WriteString("\n## Disk writes\n\n")
	b.WriteString(BlocksMarkdown(AnalysisBlocks(d.analysisDoc()), 3))
	return b.String()
}

// analysisDoc is the report's analysis for the shared layout.
func (d IncidentData) analysisDoc() AnalysisDoc {
	return AnalysisDoc{Report: d.Analysis, Host: d.RecordedHost, Files: d.Files, FilesNote: d.FilesNote, Live: !d.Replay, Skipped: d.Skipped, Notes: d.Notes}
}

// classWord names a class, "unclassified" when empty.
func classWord(c sampler.Class) string {
	if c == "" {
		return "unclassified"
	}
	return string(c)
}
