package views

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// ChurnClasses is the number of class parts of a pivot minute.
const ChurnClasses = analysis.ClassSlots

// ChurnData is what the Churn tab shows: the pivot window around the
// cursor, and the analysis (baseline, spikes with culprits, patterns,
// files, replication impact, basis).
type ChurnData struct {
	Report analysis.Report
	// Minutes is the pivot window on screen (analysis.Pivot.Window);
	// Current is the position of the cursor's (replay) or the last
	// sample's (live) minute in it, -1 for none.
	Minutes []analysis.PivotMinute
	Current int
	// Replay is true on a recording (the analysis covers all of it), false
	// live (the analysis so far).
	Replay bool
	// Host is the recorded host ("" when not recorded or live).
	Host string
	// Skipped lists rows of the recording that could not be read; Notes
	// say how its files were read (a generic CSV's column mapping).
	Skipped []string
	Notes   []string
	// Files and FilesNote are the live per-file pane's top files, used
	// when the analysis has none.
	Files     []FileRow
	FilesNote string
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
// factor over the baseline, then the analysis blocks (spikes with their
// culprits and files, processes with their patterns, files, replication
// impact with the link verdict, basis) as every other output lays them out.
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
	add(t.Heading.Render("Churn by minute") + t.Muted.Render(fmt.Sprintf("  %s %s, %d complete; %s", counted(r.Minutes, "minute"), scope, r.CompleteMinutes, minuteSource(r))))
	if d.Host != "" {
		add(" " + t.Label.Render("host ") + t.Value.Render(d.Host))
	}
	if r.CompleteMinutes < r.BaselineNeeds {
		wrap(t.Muted.Render, " ", " ", fmt.Sprintf("baseline: none yet, %d complete minutes of the %d it needs; partial minutes are marked p and left out", r.CompleteMinutes, r.BaselineNeeds))
	} else {
		add(" " + t.Label.Render("baseline ") + t.Value.Render(units.Bytes(r.Baseline)+"/min") +
			t.Muted.Render(fmt.Sprintf(" (median complete minute), spikes above %gx, p: partial", r.SpikeFactor)))
	}
	lines = append(lines, churnPivot(d.Minutes, d.Current, w, t)...)

	doc := AnalysisDoc{Report: r, Host: d.Host, Skipped: d.Skipped, Notes: d.Notes, Live: !d.Replay, Files: d.Files, FilesNote: d.FilesNote}
	var bs []Block
	for _, b := range AnalysisBlocks(doc) {
		if b.Key != "recording" && b.Key != "minutes" {
			bs = append(bs, b)
		}
	}
	lines = append(lines, "")
	return append(lines, BlocksLines(bs, w, t)...)
}

// minuteSource says in a few words what the minute totals are.
func minuteSource(r analysis.Report) string {
	if strings.HasPrefix(r.TotalSource, "disk") {
		return "disk writes"
	}
	return "process writes"
}

// churnPivot draws the pivot rows: minute, total, factor, and a bar whose
// length is the minute's total against the largest minute shown, cut into
// class parts.
func churnPivot(ms []analysis.PivotMinute, current, w int, t Theme) []string {
	glyph := churnGlyphs(t)
	var legend []string
	for i, n := range analysis.ClassSlotNames {
		legend = append(legend, t.churnClassStyle(i).apply(glyph[i])+" "+n)
	}
	labelW := 5
	for _, m := range ms {
		labelW = max(labelW, Width(m.Label))
	}
	head := fmt.Sprintf(" %-*s   %10s %7s  ", labelW, "Minute", "Written", "x base")
	out := []string{Truncate(t.TableHead.Render(head)+strings.Join(legend, " "), w, t.Glyphs.Ellipsis)}
	fixed := Width(head) + 1
	barW := max(0, w-fixed-7) // room for " SPIKE"
	peak := 0.0
	for _, m := range ms {
		peak = max(peak, m.Bytes)
	}
	for i, m := range ms {
		marker := " "
		if i == current {
			marker = t.Glyphs.Marker
		}
		factor := "-"
		if m.Factor > 0 {
			factor = fmt.Sprintf("%.1f", m.Factor)
		}
		part := " "
		if m.Partial {
			part = "p"
		}
		row := fmt.Sprintf("%s%-*s %s %10s %7s  ", marker, labelW, m.Label, part, units.Bytes(m.Bytes), factor)
		if i == current {
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
func churnBar(m analysis.PivotMinute, peak float64, barW int, glyph [ChurnClasses]string, t Theme) string {
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
