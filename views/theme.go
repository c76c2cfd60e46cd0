package views

import (
	"charm.land/lipgloss/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Theme holds every style and glyph the views use. Colours are the 16 basic
// ANSI colours only, so the terminal's own palette decides the exact shade
// and the screen stays readable on a 16-colour console. Nothing relies on
// colour alone: the selected row carries a ">" marker as well as reverse
// video, classes are spelled out, and warnings are worded. With NO_COLOR the
// output writer strips the colours and the layout still reads.
type Theme struct {
	Title     lipgloss.Style // the app name in the header
	Label     lipgloss.Style // "host", "every", axis labels
	Value     lipgloss.Style // header values
	Muted     lipgloss.Style // secondary text
	Warn      lipgloss.Style // hidden processes, notes
	Error     lipgloss.Style // sampling errors
	Paused    lipgloss.Style // the PAUSED badge
	TableHead lipgloss.Style // the column titles
	SortHead  lipgloss.Style // the title of the sort column
	Selected  lipgloss.Style // the selected row
	Graph     lipgloss.Style // graph dots and bars
	Spark     lipgloss.Style // sparklines in the table
	Key       lipgloss.Style // key names in help
	Heading   lipgloss.Style // section headings in help and detail
	Pass      lipgloss.Style // a passed wizard step
	Command   lipgloss.Style // a fix command, ready to copy
	Tab       lipgloss.Style // the active tab

	// Class styles a process class name.
	Class map[sampler.Class]lipgloss.Style

	Glyphs Glyphs
}

// Glyphs are the characters the views draw with: Unicode by default, pure
// ASCII for consoles whose font or code page cannot show it.
type Glyphs struct {
	ASCII     bool   // true when only 7-bit characters may be drawn
	Ellipsis  string // end of a truncated name
	Marker    string // in front of the selected row
	AxisV     string // the graph's vertical axis
	AxisTick  string // a labelled point on the vertical axis
	AxisH     string // the time axis
	SortDesc  string // after the sort column's title, highest first
	SortAsc   string // lowest first
	Separator string // between header fields
	Pending   string // a rate cell whose rate needs a second reading
}

// UnicodeGlyphs draw with box-drawing and arrow characters.
var UnicodeGlyphs = Glyphs{
	Ellipsis: "…", Marker: ">", AxisV: "│", AxisTick: "┤", AxisH: "─",
	SortDesc: "▼", SortAsc: "▲", Separator: " · ", Pending: "…",
}

// ASCIIGlyphs draw with 7-bit characters only.
var ASCIIGlyphs = Glyphs{
	ASCII: true, Ellipsis: "~", Marker: ">", AxisV: "|", AxisTick: "+", AxisH: "-",
	SortDesc: "v", SortAsc: "^", Separator: " | ", Pending: "...",
}

// NewTheme builds the theme from ANSI colours; ascii selects ASCIIGlyphs.
func NewTheme(ascii bool) Theme {
	s := lipgloss.NewStyle
	t := Theme{
		Title:     s().Bold(true).Foreground(lipgloss.Cyan),
		Label:     s().Foreground(lipgloss.BrightBlack),
		Value:     s().Bold(true),
		Muted:     s().Foreground(lipgloss.BrightBlack),
		Warn:      s().Foreground(lipgloss.Yellow),
		Error:     s().Bold(true).Foreground(lipgloss.Red),
		Paused:    s().Bold(true).Reverse(true),
		TableHead: s().Bold(true),
		SortHead:  s().Bold(true).Foreground(lipgloss.Cyan),
		Selected:  s().Reverse(true),
		Graph:     s().Foreground(lipgloss.Green),
		Spark:     s().Foreground(lipgloss.Cyan),
		Key:       s().Bold(true).Foreground(lipgloss.Cyan),
		Heading:   s().Bold(true),
		Pass:      s().Foreground(lipgloss.Green),
		Command:   s().Foreground(lipgloss.Cyan),
		Tab:       s().Bold(true).Reverse(true),
		Class: map[sampler.Class]lipgloss.Style{
			sampler.ClassWorkload:   s().Foreground(lipgloss.Green),
			sampler.ClassInbox:      s().Foreground(lipgloss.Yellow),
			sampler.ClassThirdParty: s().Foreground(lipgloss.Magenta),
		},
		Glyphs: UnicodeGlyphs,
	}
	if ascii {
		t.Glyphs = ASCIIGlyphs
	}
	return t
}

// classStyle returns the style for c, plain for an unknown class.
func (t Theme) classStyle(c sampler.Class) lipgloss.Style {
	if st, ok := t.Class[c]; ok {
		return st
	}
	return lipgloss.NewStyle()
}
