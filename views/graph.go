package views

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// GraphData is a rate history to draw over time.
type GraphData struct {
	// Title is the first line, e.g. "Total writes (storage-layer writes)".
	Title string
	// Series holds bytes per second, oldest first; the last value is now.
	Series []float64
	// Times are the sample times matching Series, or nil; the time axis then
	// counts back from the newest sample by Interval.
	Times []time.Time
	// Interval is the sampling interval, used when Times is short.
	Interval time.Duration
	Mode     GraphMode
	// Pending says no rate was measured yet (one reading only): the title
	// shows Glyphs.Pending for now and peak instead of a 0 never measured.
	Pending bool
}

// yLabelWidth is the room for the Y scale labels ("99.9 MiB/s").
const yLabelWidth = RateWidth

// Graph draws d in exactly h lines of at most w cells: a title line with the
// current and peak rates of the visible window, the plot with its Y scale on
// the left (top, middle and zero), and a time axis ("-2m ... now") below.
// Below 3 lines or very narrow widths it degrades to the title and the
// current rate.
func Graph(d GraphData, w, h int, t Theme) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	plotW := w - yLabelWidth - 1
	plotH := h - 2
	perCol := 1
	if d.Mode == Braille {
		perCol = 2
	}
	visible := d.Series
	cur, peak := 0.0, 0.0
	if len(visible) > 0 {
		cur = clean(visible[len(visible)-1])
	}
	if slots := plotW * perCol; plotW > 0 && d.linear() {
		// One column (or half) per Interval of wall time, whatever the
		// interval was when each sample was taken, so the time axis stays
		// linear after + and -.
		var raw []float64
		visible, raw = resample(d.Series, d.Times, slots, d.Interval)
		for _, v := range raw {
			peak = math.Max(peak, clean(v))
		}
		d = GraphData{Title: d.Title, Series: visible, Interval: d.Interval, Mode: d.Mode, Pending: d.Pending}
	} else {
		if plotW > 0 && len(visible) > slots {
			visible = visible[len(visible)-slots:]
		}
		for _, v := range visible {
			peak = math.Max(peak, clean(v))
		}
	}
	nowS, peakS := Rate(cur), Rate(peak)
	if d.Pending {
		nowS, peakS = t.Glyphs.Pending, t.Glyphs.Pending
	}
	title := t.Heading.Render(d.Title) + "  " + t.Label.Render("now ") + t.Value.Render(nowS) +
		"  " + t.Label.Render("peak ") + t.Value.Render(peakS)
	if plotH < 1 || plotW < 8 {
		return Fit(title, w, h)
	}
	top := NiceCeil(peak)
	lines := make([]string, 0, h)
	lines = append(lines, Truncate(title, w, t.Glyphs.Ellipsis))
	rows := plotRows(visible, plotW, plotH, top, d.Mode)
	for r := 0; r < plotH; r++ {
		label, axis := "", t.Glyphs.AxisV
		switch {
		case r == 0:
			label, axis = Rate(top), t.Glyphs.AxisTick
		case r == plotH-1:
			label, axis = "0", t.Glyphs.AxisTick
		case plotH >= 4 && plotH%2 == 0 && r == plotH/2:
			// This row's upper edge is half the scale.
			label, axis = Rate(top/2), t.Glyphs.AxisTick
		}
		lines = append(lines, t.Label.Render(PadLeft(label, yLabelWidth)+axis)+t.Graph.Render(rows[r]))
	}
	lines = append(lines, t.Label.Render(strings.Repeat(" ", yLabelWidth+1)+timeAxis(d, len(visible), plotW, perCol)))
	return Fit(strings.Join(lines, "\n"), w, h)
}

func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

// plotRows draws the filled area under the series, right-aligned in plotW
// columns, as plotH strings of plotW cells.
func plotRows(series []float64, plotW, plotH int, top float64, mode GraphMode) []string {
	perCol, perRow := 1, 8
	switch mode {
	case Braille:
		perCol, perRow = 2, 4
	case ASCII:
		perRow = 2
	}
	dots := plotH * perRow
	// level[i] is the filled height in dots of sample i, right-aligned.
	n := plotW * perCol
	level := make([]int, n)
	off := n - len(series)
	for i, v := range series {
		v = clean(v)
		if v <= 0 {
			continue
		}
		l := int(math.Round(v / top * float64(dots)))
		level[off+i] = max(1, min(dots, l))
	}
	rows := make([]string, plotH)
	var b strings.Builder
	for r := 0; r < plotH; r++ {
		b.Reset()
		base := (plotH - 1 - r) * perRow // dots below this row
		fill := func(i int) int { return max(0, min(perRow, level[i]-base)) }
		for c := 0; c < plotW; c++ {
			switch mode {
			case Braille:
				b.WriteRune(brailleCell(fill(c*2), fill(c*2+1)))
			case Blocks:
				b.WriteRune(sparkBlocks[fill(c)])
			default:
				b.WriteByte(" .#"[fill(c)])
			}
		}
		rows[r] = b.String()
	}
	return rows
}

// Braille dot bits from the bottom of a cell up, for its left and right
// column (Unicode numbers dots 7,3,2,1 and 8,6,5,4).
var (
	brailleLeft  = [4]rune{0x40, 0x04, 0x02, 0x01}
	brailleRight = [4]rune{0x80, 0x20, 0x10, 0x08}
)

// brailleCell is the braille character with the bottom l dots of the left
// column and the bottom r dots of the right column raised. An empty cell is
// a space, not U+2800, so blank areas cost nothing to redraw.
func brailleCell(l, r int) rune {
	if l == 0 && r == 0 {
		return ' '
	}
	var bits rune
	for i := 0; i < l; i++ {
		bits |= brailleLeft[i]
	}
	for i := 0; i < r; i++ {
		bits |= brailleRight[i]
	}
	return 0x2800 + bits
}

// timeAxis labels the plot's columns with the age of their samples: "now"
// at the right edge and round ages ("-30s", "-2m", "-1h") at least 10
// columns apart, each placed at the column whose sample is that old.
func timeAxis(d GraphData, nVisible, plotW, perCol int) string {
	cells := []byte(strings.Repeat(" ", plotW))
	put := func(end int, s string) bool {
		start := end - len(s) + 1
		if start < 0 || end >= plotW {
			return false
		}
		for i := max(0, start-1); i <= end; i++ {
			if cells[i] != ' ' {
				return false
			}
		}
		copy(cells[start:], s)
		return true
	}
	put(plotW-1, "now")
	ages := make([]time.Duration, plotW)
	for col := range ages {
		ages[col] = d.ageOf(nVisible, (plotW-1-col)*perCol)
	}
	if plotW < 2 || ages[0] <= 0 {
		return string(cells)
	}
	perColumn := ages[0] / time.Duration(plotW-1)
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if s >= 10*perColumn {
			step = s
			break
		}
	}
	col := plotW - 1
	for target := step; target <= ages[0]; target += step {
		for col > 0 && ages[col] < target {
			col--
		}
		put(col, "-"+formatAge(target))
	}
	return string(cells)
}

// tickSteps are the round spans between time axis labels.
var tickSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// linear reports whether the samples carry their times and Interval is
// known, so the plot can put each at its place in time.
func (d GraphData) linear() bool {
	n := len(d.Times)
	if n < 2 || n != len(d.Series) || d.Interval <= 0 {
		return false
	}
	for i := 1; i < n; i++ {
		if !d.Times[i].After(d.Times[i-1]) {
			return false
		}
	}
	return true
}

// resample spreads a rate history over slots of iv each, the newest slot
// ending at the newest sample: each slot holds the time-weighted mean of
// the rates whose intervals overlap it (a sample's rate covers the time
// since the sample before), 0 where there is no sample. It also returns
// the raw samples that fall in the window, for the peak. Samples taken at
// another interval (before + or -) thus take their true width.
func resample(series []float64, times []time.Time, slots int, iv time.Duration) (out, raw []float64) {
	out = make([]float64, slots)
	n := len(series)
	first := times[1].Sub(times[0]) // the first sample's span, as its neighbour's
	start := func(j int) time.Time {
		if j == 0 {
			return times[0].Add(-first)
		}
		return times[j-1]
	}
	newest := times[n-1]
	oldest := newest.Add(-time.Duration(slots) * iv)
	for j := n - 1; j >= 0 && times[j].After(oldest); j-- {
		raw = append(raw, series[j])
	}
	j := n - 1
	for k := 0; k < slots && j >= 0; k++ {
		hi := newest.Add(-time.Duration(k) * iv)
		lo := hi.Add(-iv)
		var sum, cov float64
		for x := j; x >= 0; x-- {
			s, e := start(x), times[x]
			if !e.After(lo) {
				break
			}
			if !s.Before(hi) {
				continue
			}
			from, to := s, e
			if from.Before(lo) {
				from = lo
			}
			if to.After(hi) {
				to = hi
			}
			if ov := to.Sub(from).Seconds(); ov > 0 {
				sum += clean(series[x]) * ov
				cov += ov
			}
		}
		if cov > 0 {
			out[slots-1-k] = sum / cov
		}
		for j >= 0 && !start(j).Before(lo) {
			j--
		}
	}
	return out, raw
}

// ageOf is how long before the newest sample the sample `back` steps before
// it was taken: from Times where known, else by Interval.
func (d GraphData) ageOf(nVisible, back int) time.Duration {
	n := len(d.Times)
	if n > 0 && back < n && n == len(d.Series) {
		return d.Times[n-1].Sub(d.Times[n-1-back])
	}
	iv := d.Interval
	if iv <= 0 {
		iv = time.Second
	}
	if n > 1 && n == len(d.Series) {
		// Known part plus the rest at the interval.
		known := d.Times[n-1].Sub(d.Times[0])
		return known + time.Duration(back-(n-1))*iv
	}
	return time.Duration(back) * iv
}

// formatAge formats a duration as "45s", "90s", "5m", "2m30s", "2h".
func formatAge(a time.Duration) string {
	s := int(math.Round(a.Seconds()))
	switch {
	case s >= 3600 && s%3600 == 0:
		return fmt.Sprintf("%dh", s/3600)
	case s >= 60 && s%60 == 0:
		return fmt.Sprintf("%dm", s/60)
	case s < 120:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 2*3600:
		return fmt.Sprintf("%dm", int(math.Round(float64(s)/60)))
	default:
		return fmt.Sprintf("%dh", int(math.Round(float64(s)/3600)))
	}
}
