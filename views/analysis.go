package views

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// Block is one section of the churn analysis: a heading, an optional
// table and lines of prose. The analysis is laid out once as blocks
// (AnalysisBlocks) and rendered as plain text, Markdown or screen lines,
// so `analyze`, the Churn tab, the Report tab and the incident report say
// the same thing.
type Block struct {
	Heading string
	Head    []string   // table header; nil for none
	Rows    [][]string // table rows
	Lines   []string   // paragraphs, after the table
	// Warn marks a block that says the result is partial.
	Warn bool
	// Key names the block for screens that show some of them: recording,
	// spikes, minutes, processes, files, classes, impact, forecast, basis,
	// skipped.
	Key string
}

// AnalysisDoc is what the analysis layout needs besides the report.
type AnalysisDoc struct {
	Report analysis.Report
	// Host is the recorded host name ("" when the recording has none).
	Host string
	// Inputs are the files read (analyze); none live.
	Inputs []analysis.Input
	// Notes are remarks on the inputs (what a counter means, the column
	// mapping used).
	Notes []string
	// Files are top files from another source (the live per-file pane)
	// used when the report has none; FilesNote says why there are none.
	Files     []FileRow
	FilesNote string
	// Skipped lists rows that could not be read.
	Skipped []string
	// Live is true for a session still running: the scope reads "so far".
	Live bool
}

// AnalysisBlocks lays out the analysis: the recording, spikes with their
// culprits and files, top minutes, processes and files, class shares, the
// replication impact with its link verdict, and the basis.
func AnalysisBlocks(d AnalysisDoc) []Block {
	r := d.Report
	var out []Block

	rec := Block{Key: "recording", Heading: "Recording"}
	if d.Live {
		rec.Heading = "Session"
	}
	if r.Samples == 0 {
		rec.Lines = append(rec.Lines, "No samples yet: the minute pivot, spikes and replication impact start with the first interval.")
		return append(out, rec)
	}
	if d.Host != "" {
		rec.Lines = append(rec.Lines, "Host: "+d.Host+".")
	}
	span := r.End.Sub(r.Start)
	for _, im := range r.Impact {
		span = im.Recorded
		break
	}
	rec.Lines = append(rec.Lines, fmt.Sprintf("%s to %s (%s recorded), %s, %s (%d complete).",
		r.Start.Format("2006-01-02 15:04:05"), r.End.Format("2006-01-02 15:04:05"), units.Interval(span),
		counted(r.Samples, "sample"), counted(r.Minutes, "minute"), r.CompleteMinutes))
	for _, in := range d.Inputs {
		rec.Lines = append(rec.Lines, fmt.Sprintf("Input %s: %s, %s.", filepath.Base(in.Path), in.Kind, counted(in.Samples, "sample")))
	}
	rec.Lines = append(rec.Lines,
		fmt.Sprintf("Minute totals: %s. Total written %s; by processes %s (%s).", r.TotalSource, units.Bytes(r.TotalBytes),
			units.Bytes(r.AttributedBytes), counted(r.ProcessCount, "process")),
		baselineText(r))
	out = append(out, rec)

	sp := Block{Key: "spikes", Heading: fmt.Sprintf("Spikes (minutes above %gx the baseline)", r.SpikeFactor)}
	switch {
	case len(r.Spikes) > 0:
		sp.Head = []string{"Minute", "Factor", "Written", "Culprits"}
		sp.Lines = []string{"Culprits: process (PID, class, pattern) bytes written in the minute, share of its process writes [files written most]."}
		disks := spikesHaveDisks(r.Spikes)
		if disks {
			sp.Head = []string{"Minute", "Factor", "Written", "Busiest disk", "Culprits"}
			sp.Lines = append(sp.Lines, diskLoadLegend)
		}
		for _, m := range r.Spikes {
			var cs []string
			for _, c := range m.Culprits[:min(3, len(m.Culprits))] {
				cs = append(cs, culpritText(c))
			}
			label := m.Label
			if m.Partial {
				label += " (partial)"
			}
			row := []string{label, fmt.Sprintf("%.1fx", m.Factor), units.Bytes(m.Bytes), strings.Join(cs, "; ")}
			if disks {
				row = []string{row[0], row[1], row[2], diskLoadText(m.Disks), row[3]}
			}
			sp.Rows = append(sp.Rows, row)
		}
	case r.CompleteMinutes < r.BaselineNeeds:
		sp.Lines = []string{fmt.Sprintf("None flagged: too short for a baseline (%d complete minutes; a baseline needs %d).", r.CompleteMinutes, r.BaselineNeeds)}
	case r.Baseline == 0:
		sp.Lines = []string{"None flagged: the baseline is 0 (most minutes have no writes); see the top minutes."}
	default:
		sp.Lines = []string{"None."}
	}
	out = append(out, sp)

	tm := Block{Key: "minutes", Heading: "Top minutes", Head: []string{"Minute", "Written", "x baseline", "Top writer"}}
	for _, m := range r.TopMinutes {
		top := ""
		if len(m.Culprits) > 0 {
			c := m.Culprits[0]
			top = fmt.Sprintf("%s (PID %d, %s) %s", c.Name, c.PID, classWord(c.Class), units.Bytes(c.Bytes))
		}
		label := m.Label
		if m.Partial {
			label += " (partial)"
		}
		f := "-"
		if m.Factor > 0 {
			f = fmt.Sprintf("%.1f", m.Factor)
		}
		tm.Rows = append(tm.Rows, []string{label, units.Bytes(m.Bytes), f, top})
	}
	out = append(out, tm)

	tp := Block{Key: "processes", Heading: "Top writing processes", Head: []string{"Process", "PID", "Class", "Pattern", "Written", "Share", "Peak minute"}}
	for _, p := range r.Processes {
		tp.Rows = append(tp.Rows, []string{p.Name, fmt.Sprint(p.PID), classWord(p.Class), string(p.Pattern),
			units.Bytes(p.WriteBytes), fmt.Sprintf("%.1f%%", p.Share*100), fmt.Sprintf("%s (%s)", p.PeakLabel, units.Bytes(p.PeakBytes))})
	}
	if len(r.Processes) == 0 {
		tp.Head, tp.Lines = nil, []string{"No process wrote."}
	} else if r.CompleteMinutes < r.PatternNeeds {
		tp.Lines = append(tp.Lines, fmt.Sprintf("Patterns are named from %d complete minutes on; %d were recorded: too short to tell a burst from persistent churn.", r.PatternNeeds, r.CompleteMinutes))
	}
	out = append(out, tp)

	out = append(out, filesBlock(d))

	cl := Block{Key: "classes", Heading: "Class shares (of process writes)", Head: []string{"Class", "Written", "Share"}}
	for _, c := range r.Classes {
		cl.Rows = append(cl.Rows, []string{classWord(c.Class), units.Bytes(c.Bytes), fmt.Sprintf("%.1f%%", c.Share*100)})
	}
	if len(r.Classes) > 0 {
		out = append(out, cl)
	}

	out = append(out, impactBlock(r), forecastBlock(r))

	b := Block{Key: "basis", Heading: "Basis of the estimate", Lines: append(append([]string(nil), r.Basis...), d.Notes...)}
	out = append(out, b)
	for i := range out {
		if out[i].Head != nil && len(out[i].Rows) == 0 {
			out[i].Head = nil
			if len(out[i].Lines) == 0 {
				out[i].Lines = []string{"None."}
			}
		}
	}
	if len(d.Skipped) > 0 {
		out = append(out, Block{Key: "skipped", Heading: "Skipped input (partial result)", Lines: d.Skipped, Warn: true})
	}
	return out
}

// baselineText states the baseline, or why there is none.
func baselineText(r analysis.Report) string {
	if r.CompleteMinutes < r.BaselineNeeds {
		return fmt.Sprintf("Baseline: none yet, %d complete minutes recorded and a baseline needs %d (partial minutes are left out).", r.CompleteMinutes, r.BaselineNeeds)
	}
	return fmt.Sprintf("Baseline (median of the %d complete minutes): %s.", r.CompleteMinutes, units.Bytes(r.Baseline))
}

// culpritText is a culprit with its class, pattern, bytes, share and files.
func culpritText(c analysis.Culprit) string {
	s := fmt.Sprintf("%s (PID %d, %s, %s) %s %.0f%%", c.Name, c.PID, classWord(c.Class), c.Pattern, units.Bytes(c.Bytes), c.Share*100)
	if len(c.Files) > 0 {
		var fs []string
		for _, f := range c.Files {
			fs = append(fs, fmt.Sprintf("%s %s", f.Path, units.Bytes(f.Bytes)))
		}
		s += " [" + strings.Join(fs, "; ") + "]"
	}
	return s
}

// filesBlock lists the files written most.
func filesBlock(d AnalysisDoc) Block {
	b := Block{Key: "files", Heading: "Top files", Head: []string{"File", "Written", "Writer", "Class"}}
	for _, f := range d.Report.Files {
		b.Rows = append(b.Rows, []string{f.Path, units.Bytes(f.Bytes), fmt.Sprintf("%s (PID %d)", f.Process, f.PID), classWord(f.Class)})
	}
	if len(b.Rows) == 0 {
		for _, f := range d.Files {
			b.Rows = append(b.Rows, []string{f.Path, units.Bytes(f.Bytes), fmt.Sprintf("%s (PID %d)", f.Process, f.PID), classWord(f.Class)})
		}
	}
	if len(b.Rows) == 0 {
		note := d.FilesNote
		if note == "" {
			note = "No per-file data: the input has no FileStats file (record with --files on to collect it)."
			if d.Live {
				note = "Per-file data was not collected in this session."
			}
		}
		b.Head, b.Lines = nil, []string{note}
	}
	return b
}

// impactBlock is the replication impact per interval: complete cycles
// only, a labelled projection when there is none, the link verdict, the
// 95th-percentile cycle with growth and the achievable RPO.
func impactBlock(r analysis.Report) Block {
	link := "no link given (--link 100Mbit)"
	if r.LinkRate > 0 {
		link = "link " + units.Bits(r.LinkRate)
	}
	b := Block{Key: "impact", Heading: fmt.Sprintf("Replication impact (compression %g, growth %.0f%%, %s)", r.Compression, r.Growth*100, link),
		Head: []string{"Interval", "Cycles", "Peak log", "Peak at", "95th pct log", "Typical log", "Needed at peak", "Needed at 95th pct", fmt.Sprintf("Planned (+%.0f%%)", r.Growth*100)}}
	if r.LinkRate > 0 {
		b.Head = append(b.Head, "Achievable RPO", "Link")
	}
	var projections []string
	best := ""
	for _, x := range r.Impact {
		if x.Projection != nil {
			projections = append(projections, ProjectionText(x, r.LinkRate))
			continue
		}
		row := []string{units.Interval(x.Interval), fmt.Sprint(x.Cycles), units.Bytes(x.PeakBytes), x.PeakAt.Format("15:04:05"),
			units.Bytes(x.P95Bytes), units.Bytes(x.TypicalBytes), units.Bits(x.PeakRate), units.Bits(x.P95Rate), units.Bits(x.PlannedRate)}
		if r.LinkRate > 0 {
			rpo := "not met"
			if !x.RPONotMet && x.RPO > 0 {
				rpo = "about " + units.Lag(x.RPO)
				if best == "" {
					best = fmt.Sprintf("The shortest interval this link sustains with the 95th-percentile cycle and %.0f%% growth is %s (RPO about %s).", r.Growth*100, units.Interval(x.Interval), units.Lag(x.RPO))
				}
			}
			row = append(row, rpo, LinkVerdictText(x))
		}
		b.Rows = append(b.Rows, row)
	}
	if len(b.Rows) == 0 {
		b.Head = nil
	}
	b.Lines = append(b.Lines, projections...)
	if len(b.Rows) > 0 {
		b.Lines = append(b.Lines, "Cycles: complete replication cycles recorded (partial cycles at the start and end are left out). Needed at peak: bandwidth to ship the largest cycle's log within one interval; 95th pct: the cycle 95% of cycles stay under; typical: the median cycle; planned: the 95th-percentile cycle with growth.")
		if r.LinkRate > 0 {
			b.Lines = append(b.Lines, "Achievable RPO: the interval plus the time the link needs to ship a 95th-percentile cycle with growth (hvrdoctor's estimate); not met when that cycle does not fit in the interval.")
			if best != "" {
				b.Lines = append(b.Lines, best)
			} else if len(b.Rows) > 0 {
				b.Lines = append(b.Lines, fmt.Sprintf("No interval is sustained by this link with the 95th-percentile cycle and %.0f%% growth.", r.Growth*100))
			}
		}
	}
	return b
}

// forecastBlock is the guest's resync forecast with its basis, or why
// there is none.
func forecastBlock(r analysis.Report) Block {
	b := Block{Key: "forecast", Heading: "Resync forecast (if replication stalls)"}
	f := r.Forecast
	if f == nil {
		b.Lines = []string{r.ForecastNote}
		return b
	}
	b.Lines = []string{
		fmt.Sprintf("If replication stalled, the change log could reach %s, 50%% of the %s of disks, in %s at the sustained write rate of %s; Hyper-V Replica then forces a resynchronization.",
			units.Bytes(float64(f.ThresholdBytes)), units.Bytes(float64(f.DiskBytes)), ForecastSpan(f.Until, f.Capped), units.Rate(f.RateBytesPerSec)),
		f.Basis,
	}
	return b
}

// ForecastSpan words a forecast's time: "as little as about 9 h 12 min",
// "as little as about 3.5 days", "more than 100 years" when capped.
func ForecastSpan(d time.Duration, capped bool) string {
	switch {
	case capped:
		return fmt.Sprintf("more than %d years", int(d.Hours()/24/365))
	case d >= 48*time.Hour:
		return fmt.Sprintf("as little as about %.1f days", d.Hours()/24)
	default:
		return "as little as about " + units.Lag(d)
	}
}

// ProjectionText words an interval the recording holds no complete cycle
// of: how long was recorded, what a cycle needs, and the projection from
// the sustained rate, labelled as such, with its verdict against the link.
func ProjectionText(x analysis.Impact, link float64) string {
	p := x.Projection
	why := fmt.Sprintf("%s: %s recorded; a %s cycle needs %s of samples from its start to its end, so no cycle was measured.",
		units.Interval(x.Interval), units.Interval(p.Recorded), units.Interval(x.Interval), units.Interval(x.Interval))
	if p.Recorded >= x.Interval {
		why = fmt.Sprintf("%s: %s recorded, but no %s cycle (cycles start on the clock, on whole multiples of %s) lies wholly inside it, so no cycle was measured.",
			units.Interval(x.Interval), units.Interval(p.Recorded), units.Interval(x.Interval), units.Interval(x.Interval))
	}
	s := fmt.Sprintf("%s Projection from the sustained rate (%s): a cycle of %s, needing %s (%s with %.0f%% growth)",
		why, units.Rate(p.SustainedRate), units.Bytes(p.CycleBytes), units.Bits(p.NeededRate), units.Bits(p.PlannedRate), x.Growth*100)
	if !p.HasLink {
		return s + "."
	}
	switch {
	case !p.FitsNow:
		return s + fmt.Sprintf("; projection: the link (%s) would not keep up.", units.Bits(link))
	case !p.FitsWithGrowth:
		return s + fmt.Sprintf("; projection: the link (%s) would carry this rate but not with %.0f%% growth.", units.Bits(link), x.Growth*100)
	default:
		return s + fmt.Sprintf("; projection: the link (%s) would carry this rate with %.0f%% growth; record a whole cycle to check the peaks.", units.Bits(link), x.Growth*100)
	}
}

// LinkVerdictText is the one-line verdict for a link over an interval's
// complete cycles; "" without a link or without a complete cycle.
func LinkVerdictText(im analysis.Impact) string {
	v := im.Link
	if v == nil || im.Cycles == 0 {
		return ""
	}
	late := fmt.Sprintf("%d of %d cycles late", v.LateCycles, im.Cycles)
	warn := ""
	if im.Cycles > 0 && float64(v.LateCycles) > 0.2*float64(im.Cycles) {
		warn = "; over 20% of cycles late: expect replication health Warning"
	}
	growth := ""
	if !v.GrowthFits {
		growth = fmt.Sprintf("; not with %.0f%% growth", im.Growth*100)
	}
	switch {
	case v.KeepsUp:
		use := 0.0
		if v.Rate > 0 {
			use = im.PeakRate / v.Rate * 100
		}
		return fmt.Sprintf("keeps up over %s (largest cycle uses %.0f%% of the link)%s", counted(im.Cycles, "complete cycle"), use, growth)
	case v.Drains:
		return fmt.Sprintf("falls behind: up to %s late (backlog %s at %s), caught up by %s; %s%s",
			units.Lag(v.MaxLag), units.Bytes(v.MaxBacklog), v.MaxBacklogAt.Format("15:04:05"), v.ClearedAt.Format("15:04:05"), late, warn)
	default:
		return fmt.Sprintf("cannot keep up: backlog of %s at the end of the recording, up to %s late; %s%s",
			units.Bytes(v.MaxBacklog), units.Lag(v.MaxLag), late, warn)
	}
}

// counted is "1 sample" or "5 samples".
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "s") {
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// BlocksText renders blocks as aligned plain text under a title.
func BlocksText(title string, bs []Block) string {
	var sb strings.Builder
	sb.WriteString(title + "\n")
	for _, b := range bs {
		fmt.Fprintf(&sb, "\n%s\n", b.Heading)
		if b.Head != nil {
			for _, l := range alignedRows(b.Head, b.Rows) {
				sb.WriteString("  " + l + "\n")
			}
		}
		for _, l := range b.Lines {
			fmt.Fprintf(&sb, "  %s\n", l)
		}
	}
	return sb.String()
}

// maxTextColumn bounds a column of the plain-text tables, in terminal
// cells: a longer cell (a 4,096-byte path) is written whole and pushes the
// rest of its own row right, instead of padding every row of the table
// past the terminal's width.
const maxTextColumn = 80

// alignedRows lays a table out in columns, the last one unpadded. Widths
// are terminal cells (Width), so names in wide scripts (日本語) or with
// combining marks keep the columns after them aligned.
func alignedRows(head []string, rows [][]string) []string {
	widths := make([]int, len(head))
	for i, h := range head {
		widths[i] = Width(h)
	}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], min(Width(c), maxTextColumn))
		}
	}
	line := func(cells []string) string {
		var sb strings.Builder
		for i, c := range cells {
			if i > 0 {
				sb.WriteString("  ")
			}
			sb.WriteString(c)
			if i < len(cells)-1 {
				sb.WriteString(strings.Repeat(" ", max(0, widths[i]-Width(c))))
			}
		}
		return sb.String()
	}
	out := []string{line(head)}
	for _, r := range rows {
		out = append(out, line(r))
	}
	return out
}

// BlocksMarkdown renders blocks as Markdown, headings at level (2: "##").
func BlocksMarkdown(bs []Block, level int) string {
	var sb strings.Builder
	hashes := strings.Repeat("#", level)
	for i, b := range bs {
		if i > 0 {
			sb.WriteString("\n")
		}
		fmt.Fprintf(&sb, "%s %s\n\n", hashes, mdText(b.Heading))
		if b.Head != nil {
			sb.WriteString("|")
			for _, h := range b.Head {
				sb.WriteString(" " + mdCell(h) + " |")
			}
			sb.WriteString("\n|")
			for range b.Head {
				sb.WriteString(" --- |")
			}
			sb.WriteString("\n")
			for _, r := range b.Rows {
				sb.WriteString("|")
				for _, c := range r {
					sb.WriteString(" " + mdCell(c) + " |")
				}
				sb.WriteString("\n")
			}
			if len(b.Lines) > 0 {
				sb.WriteString("\n")
			}
		}
		for _, l := range b.Lines {
			fmt.Fprintf(&sb, "- %s\n", mdText(l))
		}
	}
	return sb.String()
}

// BlocksLines renders blocks as screen lines of at most w cells: a table
// that fits is drawn in columns, one that does not as one wrapped line per
// row.
func BlocksLines(bs []Block, w int, t Theme) []string {
	var lines []string
	add, wrap := lineWriters(&lines, w, t)
	for i, b := range bs {
		if i > 0 {
			lines = append(lines, "")
		}
		head := t.Heading.Render
		body := plain
		if b.Warn {
			head, body = t.Warn.Render, t.Warn.Render
		}
		wrap(head, "", "  ", b.Heading)
		if b.Head != nil {
			rows := alignedRows(b.Head, b.Rows)
			fits := true
			for _, r := range rows {
				if Width(r)+2 > w {
					fits = false
				}
			}
			if fits {
				add("  " + t.TableHead.Render(rows[0]))
				for _, r := range rows[1:] {
					add("  " + body(r))
				}
			} else {
				// Too wide: one line per row, each cell after the first
				// named by its column.
				for _, r := range b.Rows {
					var parts []string
					for k, c := range r[1:] {
						if c != "" {
							parts = append(parts, b.Head[k+1]+" "+c)
						}
					}
					wrap(body, "  ", "      ", r[0]+": "+strings.Join(parts, "; "))
				}
			}
		}
		for _, l := range b.Lines {
			st := t.Muted.Render
			if b.Warn {
				st = t.Warn.Render
			}
			wrap(st, "  ", "    ", l)
		}
	}
	return lines
}

// ResultDoc is a finished analysis of files for the layout.
func ResultDoc(res *analysis.Result) AnalysisDoc {
	return AnalysisDoc{Report: res.Report, Host: res.Host, Inputs: res.Inputs, Notes: res.Notes, Skipped: res.SkippedLines()}
}

// AnalysisText is `hvrdoctor analyze --format text`.
func AnalysisText(res *analysis.Result) string {
	return BlocksText("hvrdoctor churn analysis", AnalysisBlocks(ResultDoc(res)))
}

// AnalysisMarkdown is `hvrdoctor analyze --format markdown`, for a ticket.
func AnalysisMarkdown(res *analysis.Result) string {
	return "# hvrdoctor churn analysis\n\n" + BlocksMarkdown(AnalysisBlocks(ResultDoc(res)), 2)
}
