package views

import (
	"math"
	"strings"
)

// GraphMode is how a graph or sparkline draws its marks.
type GraphMode int

// The three drawing modes, from the finest to the most portable.
const (
	// Braille packs 2x4 dots in a cell: two samples per column, four levels
	// per row. Needs a font with the Braille Patterns block.
	Braille GraphMode = iota
	// Blocks uses the eighth-height blocks ▁▂▃▄▅▆▇█: one sample per column,
	// eight levels per row. Works on fonts without braille (the Linux
	// console).
	Blocks
	// ASCII uses '.', ':' and '#' only, for consoles that cannot show UTF-8.
	ASCII
)

// String names the mode for the status line.
func (m GraphMode) String() string {
	switch m {
	case Braille:
		return "braille"
	case Blocks:
		return "blocks"
	default:
		return "ascii"
	}
}

// Next cycles braille -> blocks -> ascii -> braille; with asciiOnly it stays
// on ASCII.
func (m GraphMode) Next(asciiOnly bool) GraphMode {
	if asciiOnly {
		return ASCII
	}
	return (m + 1) % 3
}

var (
	sparkBlocks = []rune(" ▁▂▃▄▅▆▇█")
	sparkASCII  = []rune(" .:-=+*#")
)

// Sparkline draws the last width values of series in width cells, each
// scaled to the series' own maximum in that window. Zero draws as a blank so
// an idle process reads as idle; any activity shows at least the lowest
// mark. Missing history on the left is blank.
func Sparkline(series []float64, width int, mode GraphMode) string {
	if width <= 0 {
		return ""
	}
	marks := sparkBlocks
	if mode == ASCII {
		marks = sparkASCII
	}
	if len(series) > width {
		series = series[len(series)-width:]
	}
	peak := 0.0
	for _, v := range series {
		if v > peak && !math.IsInf(v, 0) {
			peak = v
		}
	}
	var b strings.Builder
	b.Grow(width * 3)
	for i := len(series); i < width; i++ {
		b.WriteByte(' ')
	}
	top := len(marks) - 1
	for _, v := range series {
		if !(v > 0) || peak == 0 || math.IsInf(v, 0) {
			b.WriteRune(marks[0])
			continue
		}
		lvl := int(math.Round(v / peak * float64(top)))
		lvl = max(1, min(top, lvl))
		b.WriteRune(marks[lvl])
	}
	return b.String()
}
