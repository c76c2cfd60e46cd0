package views

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// ChurnClasses is the number of class slots in ChurnMinute.Classes:
// workload, inbox, third-party, and other (unclassified processes and disk
// writes no process row explains).
const ChurnClasses = 4

// churnClassNames name the ChurnMinute.Classes slots.
var churnClassNames = [ChurnClasses]string{"workload", "inbox", "third-party", "other"}

// ChurnMinute is one row of the minute pivot.
type ChurnMinute struct {
	Label string // "04:57"
	// Bytes is the minute's total; Classes its parts by class (they sum to
	// at least Bytes when process writes exceed the disk total).
	Bytes   float64
	Classes [ChurnClasses]float64
	// Factor is Bytes over the baseline; Spike is true above the spike
	// factor.
	Factor float64
	Spike  bool
	// Current marks the minute of the time cursor (replay) or of the last
	// sample (live).
	Current bool
}

// ChurnData is what the Churn tab shows: the pivot window, and the
// analysis (baseline, spikes with culprits, persistent and burst writers,
// replication impact, basis).
type ChurnData struct {
	Report  analysis.Report
	Minutes []ChurnMinute
	// Replay is true on a recording (the analysis covers all of it), false
	// live (the analysis so far).
	Replay bool
	// Skipped lists rows of the recording that could not be read.
	Skipped []string
}

// churnGlyphs are the bar characters per class: they differ in shape, so
// the pivot reads without colour too.
func churnGlyphs(t Theme) [ChurnClasses]string {
	if t.Glyphs.ASCII {
		return [ChurnClasses]string{"#", "=", "+", "."}
	}
	return [ChurnClasses]string{"█", "▓", "▒", "░"}
}

// churnClassStyle styles class slot i.
func (t Theme) churnClassStyle(i int) paint {
	switch i {
	case 0:
		return newPaint(t.classStyle(sampler.ClassWorkload))
	case 1:
		return newPaint(t.classStyle(sampler.ClassInbox))
	case 2:
		return newPaint(t.classStyle(sampler.ClassThirdParty))
	}
	return newPaint(t.Muted)
}

// Churn lays out the Churn tab as lines of at most w cells, which the pane
// scrolls: the minute pivot as class-coloured bars with each minute's
// factor over the baseline, the spikes with their culprits (class, pattern,
// share, files when known), persistent churn and bursts, the replication
// impact per interval with the link verdict, and the basis of the estimate.
func Churn(d ChurnData, w int, t Theme) []string {
	r := d.Report
	var lines []string
	add, wrap := lineWriters(&lines, w, t)

	scope := "so far"
	if d.Replay {
		scope = "of the recording"
	}
	if r.Samples == 0 {
		add(t.Heading.Render("Churn by minute"))
		wrap(t.Muted.Render, " ", " ", "No samples yet: the minute pivot, spikes and replication impact start with the first interval.")
		return lines
	}
	minutes := "minutes"
	if r.Minutes == 1 {
		minutes = "minute"
	}
	add(t.Heading.Render("Churn by minute") + t.Muted.Render(fmt.Sprintf("  %d %s %s, %s", r.Minutes, minutes, scope, minuteSource(r))))
	add(" " + t.Label.Render("baseline ") + t.Value.Render(units.Bytes(r.Baseline)+"/min") +
		t.Muted.Render(fmt.Sprintf(" (median minute); spike above %gx", r.SpikeFactor)))
	lines = append(lines, churnPivot(d.Minutes, w, t)...)

	lines = append(lines, "")
	add(t.Heading.Render("Spikes") + t.Muted.Render(fmt.Sprintf("  minutes above %gx the baseline", r.SpikeFactor)))
	switch {
	case len(r.Spikes) > 0:
	case r.Baseline == 0:
		wrap(t.Muted.Render, "  ", "  ", "none flagged: the baseline is 0 (most minutes have no writes)")
	default:
		add(t.Muted.Render("  none " + scope))
	}
	for _, m := range r.Spikes {
		add(fmt.Sprintf("  %s  %s  %s", t.Value.Render(m.Label), t.Warn.Render(fmt.Sprintf("%.1fx", m.Factor)), units.Bytes(m.Bytes)))
		for _, c := range m.Culprits[:min(3, len(m.Culprits))] {
			wrap(plain, "    ", "      ", fmt.Sprintf("%s (%s, %s) %s %.0f%%", c.Name, classWord(c.Class), c.Pattern,
				units.Bytes(c.Bytes), c.Share*100))
			for _, f := range c.Files {
				wrap(t.Muted.Render, "      ", "        ", fmt.Sprintf("%s %s", f.Path, units.Bytes(f.Bytes)))
			}
		}
	}

	lines = append(lines, "")
	add(t.Heading.Render("Culprits") + t.Muted.Render("  persistent churn or bursts"))
	var pers, bursts, other []string
	for _, p := range r.Processes {
		s := fmt.Sprintf("%s (%s) %s %.1f%%", p.Name, classWord(p.Class), units.Bytes(p.WriteBytes), p.Share*100)
		switch p.Pattern {
		case analysis.PatternPersistent:
			pers = append(pers, s)
		case analysis.PatternBurst:
			bursts = append(bursts, s+", peak "+p.PeakLabel)
		default:
			other = append(other, s)
		}
	}
	for _, g := range []struct {
		name string
		list []string
	}{{"persistent: ", pers}, {"bursts:     ", bursts}, {"other:      ", other}} {
		if len(g.list) > 0 {
			wrap(plain, "  "+g.name, "  "+strings.Repeat(" ", len(g.name)), strings.Join(g.list, "; "))
		}
	}
	if len(pers)+len(bursts)+len(other) == 0 {
		add(t.Muted.Render("  no process wrote"))
	}
	if len(r.Classes) > 0 {
		var parts []string
		for _, c := range r.Classes {
			parts = append(parts, fmt.Sprintf("%s %.1f%%", classWord(c.Class), c.Share*100))
		}
		wrap(t.Muted.Render, "  by class: ", "            ", strings.Join(parts, ", "))
	}

	link := "no link given (--link 100Mbit)"
	if r.LinkRate > 0 {
		link = "link " + units.Bits(r.LinkRate)
	}
	lines = append(lines, "")
	add(t.Heading.Render("Replication impact") + t.Muted.Render(fmt.Sprintf("  compression %g, %s", r.Compression, link)))
	add(t.TableHead.Render(fmt.Sprintf("  %-8s %10s %11s %14s %12s", "Interval", "Peak log", "Typical log", "Needed at peak", "Typical")))
	for _, x := range r.Impact {
		add(fmt.Sprintf("  %-8s %10s %11s %14s %12s", FormatInterval(x.Interval), units.Bytes(x.PeakBytes),
			units.Bytes(x.TypicalBytes), units.Bits(x.PeakRate), units.Bits(x.TypicalRate)))
		if v := analysis.LinkVerdictText(x); v != "" {
			st := t.Pass.Render
			if x.Link != nil && !x.Link.KeepsUp {
				st = t.Warn.Render
			}
			wrap(st, "    link: ", "          ", v)
		}
	}
	wrap(t.Muted.Render, "  ", "  ", "Needed at peak: bandwidth to ship the largest cycle's log within one interval (peak at "+peakTimes(r)+"); typical: the median cycle.")

	lines = append(lines, "")
	add(t.Heading.Render("Basis of the estimate"))
	for _, b := range r.Basis {
		wrap(t.Muted.Render, "  - ", "    ", b)
	}
	if len(d.Skipped) > 0 {
		lines = append(lines, "")
		add(t.Warn.Render("Skipped input (partial result)"))
		for _, s := range d.Skipped {
			wrap(t.Warn.Render, "  ", "    ", s)
		}
	}
	return lines
}

// minuteSource says in a few words what the minute totals are.
func minuteSource(r analysis.Report) string {
	if strings.HasPrefix(r.TotalSource, "disk") {
		return "totals are disk writes"
	}
	return "totals are process writes"
}

// peakTimes lists when each interval's largest cycle started.
func peakTimes(r analysis.Report) string {
	var parts []string
	for _, x := range r.Impact {
		parts = append(parts, FormatInterval(x.Interval)+" "+x.PeakAt.Format("15:04:05"))
	}
	return strings.Join(parts, ", ")
}

// churnPivot draws the pivot rows: minute, total, factor, and a bar whose
// length is the minute's total against the largest minute shown, cut into
// class parts.
func churnPivot(ms []ChurnMinute, w int, t Theme) []string {
	glyph := churnGlyphs(t)
	var legend []string
	for i, n := range churnClassNames {
		legend = append(legend, t.churnClassStyle(i).apply(glyph[i])+" "+n)
	}
	labelW := 5
	for _, m := range ms {
		labelW = max(labelW, Width(m.Label))
	}
	head := fmt.Sprintf(" %-*s %10s %7s  ", labelW, "Minute", "Written", "x base")
	out := []string{Truncate(t.TableHead.Render(head)+strings.Join(legend, " "), w, t.Glyphs.Ellipsis)}
	fixed := Width(head) + 1
	barW := max(0, w-fixed-7) // room for " SPIKE"
	peak := 0.0
	for _, m := range ms {
		peak = max(peak, m.Bytes)
	}
	for _, m := range ms {
		marker := " "
		if m.Current {
			marker = t.Glyphs.Marker
		}
		factor := "-"
		if m.Factor > 0 {
			factor = fmt.Sprintf("%.1f", m.Factor)
		}
		row := fmt.Sprintf("%s%-*s %10s %7s  ", marker, labelW, m.Label, units.Bytes(m.Bytes), factor)
		if m.Current {
			row = t.Value.Render(row)
		}
		row += churnBar(m, peak, barW, glyph, t)
		if m.Spike {
			row += " " + t.Error.Render("SPIKE")
		}
		out = append(out, Truncate(row, w, t.Glyphs.Ellipsis))
	}
	return out
}

// churnBar is the minute's bar of at most barW cells, its class parts in
// proportion (every part that has bytes gets at least one cell when the bar
// has room).
func churnBar(m ChurnMinute, peak float64, barW int, glyph [ChurnClasses]string, t Theme) string {
	if peak <= 0 || m.Bytes <= 0 || barW <= 0 {
		return ""
	}
	n := int(m.Bytes/peak*float64(barW) + 0.5)
	n = max(1, min(barW, n))
	var sum float64
	for _, c := range m.Classes {
		sum += c
	}
	if sum <= 0 {
		return t.churnClassStyle(ChurnClasses - 1).apply(strings.Repeat(glyph[ChurnClasses-1], n))
	}
	var cells [ChurnClasses]int
	used := 0
	for i, c := range m.Classes {
		cells[i] = int(c / sum * float64(n))
		used += cells[i]
	}
	// Hand out the cells rounding left: largest remainders first, then
	// parts with bytes but no cell.
	for used < n {
		best, bestRem := -1, -1.0
		for i, c := range m.Classes {
			if c <= 0 {
				continue
			}
			rem := c/sum*float64(n) - float64(cells[i])
			if cells[i] == 0 {
				rem += 1
			}
			if rem > bestRem {
				best, bestRem = i, rem
			}
		}
		cells[best]++
		used++
	}
	var b strings.Builder
	for i, k := range cells {
		if k > 0 {
			b.WriteString(t.churnClassStyle(i).apply(strings.Repeat(glyph[i], k)))
		}
	}
	return b.String()
}
