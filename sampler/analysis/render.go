package analysis

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// A document is the report as headings, paragraphs and tables, rendered
// either as aligned plain text or as Markdown from the same content.
type block struct {
	heading string
	lines   []string // paragraphs / bullet lines
	head    []string // table header, nil for none
	rows    [][]string
}

// LinkVerdictText is the one-line verdict for a link, shown in the report
// and by the TUI.
func LinkVerdictText(im Impact) string {
	v := im.Link
	if v == nil {
		return ""
	}
	late := fmt.Sprintf("%d of %d cycles late", v.LateCycles, im.Cycles)
	warn := ""
	if im.Cycles > 0 && float64(v.LateCycles) > 0.2*float64(im.Cycles) {
		warn = "; over 20% of cycles late: expect replication health Warning"
	}
	switch {
	case v.KeepsUp:
		use := 0.0
		if v.Rate > 0 {
			use = im.PeakRate / v.Rate * 100
		}
		return fmt.Sprintf("keeps up (largest cycle uses %.0f%% of the link)", use)
	case v.Drains:
		return fmt.Sprintf("falls behind: up to %s late (backlog %s at %s), caught up by %s; %s%s",
			units.Lag(v.MaxLag), units.Bytes(v.MaxBacklog), v.MaxBacklogAt.Format("15:04:05"), v.ClearedAt.Format("15:04:05"), late, warn)
	default:
		return fmt.Sprintf("cannot keep up: backlog of %s at the end of the recording, up to %s late; %s%s",
			units.Bytes(v.MaxBacklog), units.Lag(v.MaxLag), late, warn)
	}
}

func culpritText(c Culprit, withFiles bool) string {
	s := fmt.Sprintf("%s (PID %d, %s, %s) %s %.0f%%", c.Name, c.PID, className(string(c.Class)), c.Pattern, units.Bytes(c.Bytes), c.Share*100)
	if withFiles && len(c.Files) > 0 {
		var fs []string
		for _, f := range c.Files {
			fs = append(fs, fmt.Sprintf("%s %s", f.Path, units.Bytes(f.Bytes)))
		}
		s += " [" + strings.Join(fs, "; ") + "]"
	}
	return s
}

// blocks lays the result out once for both formats.
func (res *Result) blocks() []block {
	r := res.Report
	var out []block

	span := r.End.Sub(r.Start)
	summary := block{heading: "Recording"}
	summary.lines = append(summary.lines,
		fmt.Sprintf("%s to %s (%s), %s, %s.", r.Start.Format("2006-01-02 15:04:05"), r.End.Format("2006-01-02 15:04:05"), span.Round(1e9), counted(r.Samples, "sample"), counted(r.Minutes, "minute")))
	for _, in := range res.Inputs {
		summary.lines = append(summary.lines, fmt.Sprintf("Input %s: %s, %s.", filepath.Base(in.Path), in.Kind, counted(in.Samples, "sample")))
	}
	summary.lines = append(summary.lines,
		fmt.Sprintf("Minute totals: %s. Total written %s; by processes %s (%s).", r.TotalSource, units.Bytes(r.TotalBytes), units.Bytes(r.AttributedBytes), counted(r.ProcessCount, "process")),
		fmt.Sprintf("Baseline (median minute): %s.", units.Bytes(r.Baseline)))
	out = append(out, summary)

	sp := block{heading: fmt.Sprintf("Spikes (minutes above %gx the baseline)", r.SpikeFactor)}
	if len(r.Spikes) == 0 {
		if r.Baseline == 0 {
			sp.lines = []string{"None flagged: the baseline is 0 (most minutes have no writes); see the top minutes."}
		} else {
			sp.lines = []string{"None."}
		}
	} else {
		sp.head = []string{"Minute", "Factor", "Written", "Culprits (class, pattern, bytes, share of process writes)"}
		for _, m := range r.Spikes {
			var cs []string
			for _, c := range m.Culprits[:min(3, len(m.Culprits))] {
				cs = append(cs, culpritText(c, r.HasFiles))
			}
			sp.rows = append(sp.rows, []string{m.Label, fmt.Sprintf("%.1fx", m.Factor), units.Bytes(m.Bytes), strings.Join(cs, "; ")})
		}
	}
	out = append(out, sp)

	tm := block{heading: "Top minutes", head: []string{"Minute", "Written", "x baseline", "Top writer"}}
	for _, m := range r.TopMinutes {
		top := ""
		if len(m.Culprits) > 0 {
			top = culpritText(m.Culprits[0], false)
		}
		tm.rows = append(tm.rows, []string{m.Label, units.Bytes(m.Bytes), fmt.Sprintf("%.1f", m.Factor), top})
	}
	out = append(out, tm)

	tp := block{heading: "Top processes", head: []string{"Process", "PID", "Class", "Pattern", "Written", "Share", "Peak minute"}}
	for _, p := range r.Processes {
		tp.rows = append(tp.rows, []string{p.Name, fmt.Sprint(p.PID), className(string(p.Class)), string(p.Pattern),
			units.Bytes(p.WriteBytes), fmt.Sprintf("%.1f%%", p.Share*100), fmt.Sprintf("%s (%s)", p.PeakLabel, units.Bytes(p.PeakBytes))})
	}
	out = append(out, tp)

	cl := block{heading: "Class shares (of process writes)", head: []string{"Class", "Written", "Share"}}
	for _, c := range r.Classes {
		cl.rows = append(cl.rows, []string{className(string(c.Class)), units.Bytes(c.Bytes), fmt.Sprintf("%.1f%%", c.Share*100)})
	}
	out = append(out, cl)

	linkNote := "no link given (--link 100Mbit)"
	if r.LinkRate > 0 {
		linkNote = "link " + units.Bits(r.LinkRate)
	}
	im := block{heading: fmt.Sprintf("Replication impact (compression %g, %s)", r.Compression, linkNote),
		head: []string{"Interval", "Peak log", "Peak at", "Typical log", "Needed at peak", "Typical", "Average"}}
	if r.LinkRate > 0 {
		im.head = append(im.head, "Link")
	}
	for _, x := range r.Impact {
		row := []string{units.Interval(x.Interval), units.Bytes(x.PeakBytes), x.PeakAt.Format("15:04:05"), units.Bytes(x.TypicalBytes),
			units.Bits(x.PeakRate), units.Bits(x.TypicalRate), units.Bits(x.AverageRate)}
		if r.LinkRate > 0 {
			row = append(row, LinkVerdictText(x))
		}
		im.rows = append(im.rows, row)
	}
	im.lines = append(im.lines, "Needed at peak: bandwidth to ship the largest cycle's log within one interval; typical: the median cycle.")
	out = append(out, im)

	b := block{heading: "Basis of the estimate", lines: append(append([]string(nil), r.Basis...), res.Notes...)}
	out = append(out, b)

	var sk []string
	for _, in := range res.Inputs {
		if s := in.Skipped.String(); s != "" {
			sk = append(sk, s)
		}
	}
	if len(sk) > 0 {
		out = append(out, block{heading: "Skipped input (partial result)", lines: sk})
	}
	return out
}

// WriteText writes the result as aligned plain text.
func (res *Result) WriteText(w io.Writer) error {
	var sb strings.Builder
	sb.WriteString("hvrdoctor churn analysis\n")
	for _, b := range res.blocks() {
		fmt.Fprintf(&sb, "\n%s\n", b.heading)
		if b.head != nil {
			writeAligned(&sb, b.head, b.rows)
		}
		for _, l := range b.lines {
			fmt.Fprintf(&sb, "  %s\n", l)
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

func writeAligned(sb *strings.Builder, head []string, rows [][]string) {
	widths := make([]int, len(head))
	for i, h := range head {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		sb.WriteString(" ")
		for i, c := range cells {
			if i == len(cells)-1 {
				sb.WriteString(" " + c)
				break
			}
			sb.WriteString(" " + c + strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)))
		}
		sb.WriteString("\n")
	}
	line(head)
	for _, r := range rows {
		line(r)
	}
}

// WriteMarkdown writes the result as Markdown for a ticket.
func (res *Result) WriteMarkdown(w io.Writer) error {
	var sb strings.Builder
	sb.WriteString("# hvrdoctor churn analysis\n")
	esc := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\\", `\\`), "|", `\|`) }
	for _, b := range res.blocks() {
		fmt.Fprintf(&sb, "\n## %s\n\n", b.heading)
		if b.head != nil {
			sb.WriteString("|")
			for _, h := range b.head {
				sb.WriteString(" " + esc(h) + " |")
			}
			sb.WriteString("\n|")
			for range b.head {
				sb.WriteString(" --- |")
			}
			sb.WriteString("\n")
			for _, r := range b.rows {
				sb.WriteString("|")
				for _, c := range r {
					sb.WriteString(" " + esc(c) + " |")
				}
				sb.WriteString("\n")
			}
			if len(b.lines) > 0 {
				sb.WriteString("\n")
			}
		}
		for _, l := range b.lines {
			fmt.Fprintf(&sb, "- %s\n", esc(l))
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
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
