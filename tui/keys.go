package tui

import "charm.land/bubbles/v2/key"

// KeyMap is the one key map of the program. Every pane reads the same
// bindings, and the footer and the help screen are generated from it.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding

	SortNext, SortPrev, SortReverse key.Binding

	Pause, Faster, Slower, Filter, Open, Back, Graph key.Binding

	Help, Quit key.Binding

	ascii bool // help texts avoid arrows
}

// DefaultKeyMap returns the bindings: arrows and vim keys to move, s/>/</S
// to sort, p or space to pause, +/- for the interval, / to filter, enter for
// a process's history, ? for help and q to quit.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return KeyMap{
		Up:          b([]string{"up", "k"}, "↑/k", "up"),
		Down:        b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:      b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown:    b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),
		Home:        b([]string{"home", "g"}, "home/g", "first process"),
		End:         b([]string{"end", "G"}, "end/G", "last process"),
		SortNext:    b([]string{"s", ">"}, "s/>", "next sort column"),
		SortPrev:    b([]string{"<"}, "<", "previous sort column"),
		SortReverse: b([]string{"S"}, "S", "reverse the order"),
		Pause:       b([]string{"p", "space"}, "p/space", "pause or resume"),
		Faster:      b([]string{"-", "_"}, "-", "interval down"),
		Slower:      b([]string{"+", "="}, "+", "interval up"),
		Filter:      b([]string{"/"}, "/", "filter by name"),
		Open:        b([]string{"enter"}, "enter", "process history"),
		Back:        b([]string{"esc", "backspace"}, "esc", "back / clear filter"),
		Graph:       b([]string{"d"}, "d", "graph style"),
		Help:        b([]string{"?"}, "?", "help"),
		Quit:        b([]string{"q", "ctrl+c"}, "q", "quit"),
	}
}

// short is b with the footer's terser help text.
func short(b key.Binding, keyHelp, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(keyHelp, desc))
}

// ShortHelp is the footer line of the process list: the keys a new user
// needs first, in short words so that all of them fit in 80 columns.
func (k KeyMap) ShortHelp() []key.Binding {
	return append(k.ListHelp(), k.GlobalHelp()...)
}

// ListHelp are the footer keys of the process list, ? and q aside.
func (k KeyMap) ListHelp() []key.Binding {
	move := "↑↓"
	if k.ascii {
		move = "j/k"
	}
	return []key.Binding{
		short(k.Up, move, "move"), short(k.Open, "enter", "history"), short(k.SortNext, "s", "sort"),
		short(k.Filter, "/", "filter"), short(k.Pause, "p", "pause"), short(k.Slower, "+/-", "interval"),
	}
}

// DetailHelp are the footer keys of a process's page, ? and q aside.
func (k KeyMap) DetailHelp() []key.Binding {
	return []key.Binding{
		short(k.Back, "esc", "back"), short(k.Pause, "p", "pause"), short(k.Slower, "+/-", "interval"),
		short(k.Graph, "d", "graph style"),
	}
}

// GlobalHelp are the keys the footer always shows, at its right end, so a
// narrow terminal never hides how to get help or leave.
func (k KeyMap) GlobalHelp() []key.Binding {
	return []key.Binding{short(k.Help, "?", "help"), short(k.Quit, "q", "quit")}
}

// FullHelp groups every binding for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End, k.Open, k.Back},
		{k.SortNext, k.SortPrev, k.SortReverse, k.Filter},
		{k.Pause, k.Slower, k.Faster, k.Graph, k.Help, k.Quit},
	}
}

// helpTitles name the FullHelp groups on the help screen.
var helpTitles = []string{"Move", "Sort and filter", "Sampling and screen"}
