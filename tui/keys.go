package tui

import "charm.land/bubbles/v2/key"

// KeyMap is the one key map of the program. Every pane reads the same
// bindings, and the footer and the help screen are generated from it.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding

	SortNext, SortPrev, SortReverse key.Binding

	Pause, Faster, Slower, Filter, Open, Back, Graph key.Binding

	// Files shows the selected process's files in the Files tab; Group
	// groups the Files tab by directory; Idle shows or hides processes
	// that did no I/O in the last minute.
	Files, Group, Idle key.Binding
	// Storage shows the Storage view (disks and volumes) in the Processes
	// tab; Average switches every list between the last interval's rates
	// and 1-minute averages; Disk cycles the graph between all disks and
	// each disk; Mark marks a process whose files the Files tab shows.
	Storage, Average, Disk, Mark key.Binding

	// Tabs and the whole screen.
	NextTab, PrevTab, Report key.Binding
	// The wizard: run every step, edit the target, next fix, copy its
	// command. Open (enter) reruns the selected step.
	RunAll, Edit, NextFix, Copy key.Binding
	// Left and Right scroll the card's fix commands sideways (a command is
	// never wrapped); Zoom gives the wizard the whole width of a wide
	// screen.
	Left, Right, Zoom key.Binding

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
		Files:       b([]string{"f"}, "f", "the process's files"),
		Group:       b([]string{"t"}, "t", "group files by directory"),
		Idle:        b([]string{"i"}, "i", "show idle processes too"),
		Storage:     b([]string{"v"}, "v", "storage: disks and volumes"),
		Average:     b([]string{"m"}, "m", "1-minute averages / last interval"),
		Disk:        b([]string{"D"}, "D", "graph: all disks or one disk"),
		Mark:        b([]string{"space"}, "space", "mark the process for the Files tab"),
		NextTab:     b([]string{"tab"}, "tab", "next tab (or 1-4)"),
		PrevTab:     b([]string{"shift+tab"}, "shift+tab", "previous tab"),
		Report:      b([]string{"r"}, "r", "save the incident report"),
		RunAll:      b([]string{"a"}, "a", "run every step"),
		Edit:        b([]string{"e"}, "e", "edit the target"),
		NextFix:     b([]string{"f"}, "f", "next fix"),
		Copy:        b([]string{"c"}, "c", "copy the fix command"),
		Left:        b([]string{"left", "h"}, "←/h", "scroll the commands left"),
		Right:       b([]string{"right", "l"}, "→/l", "scroll the commands right"),
		Zoom:        b([]string{"z"}, "z", "wizard at full width"),
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

// moveHelp is how the footer names the up and down keys: arrows, or j/k
// when the console shows 7-bit characters only.
func (k KeyMap) moveHelp() string {
	if k.ascii {
		return "j/k"
	}
	return "↑↓"
}

// ListHelp are the footer keys of the process list, ? and q aside.
func (k KeyMap) ListHelp() []key.Binding { return k.ProcessHelp(false, true) }

// ProcessHelp are the process list's footer keys: with f when there is a
// Files tab, and i saying what it switches to. They fit 80 columns beside
// ? and q; +/- (interval) is on the help screen.
func (k KeyMap) ProcessHelp(files, activeOnly bool) []key.Binding {
	move := k.moveHelp()
	idle := "all"
	if !activeOnly {
		idle = "active"
	}
	bs := []key.Binding{short(k.Up, move, "move"), short(k.Open, "enter", "history")}
	if files {
		bs = []key.Binding{short(k.Up, move, "move"), short(k.Open, "enter", "open"), short(k.Files, "f", "files")}
	}
	return append(bs, short(k.Idle, "i", idle), short(k.SortNext, "s", "sort"), short(k.Filter, "/", "filter"),
		short(k.Pause, "p", "pause"))
}

// FilesHelp are the footer keys of the Files tab, ? and q aside.
func (k KeyMap) FilesHelp() []key.Binding {
	move := k.moveHelp()
	return []key.Binding{
		short(k.Up, move, "move"), short(k.Open, "enter", "graph"), short(k.Group, "t", "by dir"),
		short(k.SortNext, "s", "sort"), short(k.Filter, "/", "filter"), short(k.Pause, "p", "pause"),
	}
}

// WizardHelp are the footer keys of the wizard's step list, ? and q aside.
func (k KeyMap) WizardHelp() []key.Binding {
	move := k.moveHelp()
	return []key.Binding{
		short(k.Up, move, "step"), short(k.Open, "enter", "rerun"), short(k.RunAll, "a", "all"),
		short(k.NextFix, "f", "fix"), short(k.Copy, "c", "copy"), short(k.Edit, "e", "target"),
		short(k.Report, "r", "report"),
	}
}

// ReportHelp are the footer keys of the report tab, ? and q aside.
func (k KeyMap) ReportHelp() []key.Binding {
	move := k.moveHelp()
	return []key.Binding{short(k.Report, "r", "save report"), short(k.Up, move, "scroll"), short(k.NextTab, "tab", "next tab")}
}

// StorageHelp are the footer keys of the Storage page (v), ? and q aside.
func (k KeyMap) StorageHelp() []key.Binding {
	return []key.Binding{
		short(k.Storage, "v", "processes"), short(k.Average, "m", "1-min average"), short(k.Pause, "p", "pause"),
		short(k.Slower, "+/-", "interval"),
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

// FullHelp groups every binding for the help screen, keys that go
// together on one line, so that the help fits 80x24.
func (k KeyMap) FullHelp() [][]key.Binding {
	move, pg, side := "↑↓ jk", "pgup/pgdn", "←→ hl"
	if k.ascii {
		move, side = "up/dn jk", "h/l"
	}
	return [][]key.Binding{
		{short(k.Up, move, "move"), short(k.PageDown, pg, "page"), short(k.Home, "g/G", "first/last"),
			short(k.Open, "enter", "open / rerun"), short(k.Back, "esc", "back"), short(k.Filter, "/", "filter")},
		{short(k.SortNext, "s/>", "next sort"), short(k.SortPrev, "<", "previous sort"), short(k.SortReverse, "S", "reverse"),
			short(k.Pause, "p", "pause"), short(k.Slower, "+/-", "interval"), short(k.Graph, "d", "graph style"),
			short(k.Idle, "i", "idle ones too / active only"), short(k.Files, "f", "the process's files"),
			short(k.Storage, "v", "storage: disks, volumes"), short(k.Disk, "D", "graph and lists: all disks / one disk"),
			short(k.Average, "m", "1-minute averages / last interval"), short(k.Mark, "space", "mark for the Files tab")},
		{short(k.Open, "enter", "the file's graph"), short(k.Group, "t", "group by directory"),
			short(k.Filter, "/", "filter image or path"), short(k.Back, "esc", "clear the filters")},
		{short(k.RunAll, "a", "run every step"), short(k.Edit, "e", "edit the target"), short(k.NextFix, "f", "next fix"),
			short(k.Copy, "c", "copy its command"), short(k.Right, side, "scroll commands"),
			short(k.Zoom, "z", "full width (wide screen)")},
		{short(k.NextTab, "tab", "next tab"), short(k.PrevTab, "shift+tab", "previous tab"), short(k.NextTab, "1-9", "tab by number"),
			short(k.Report, "r", "save the report"), k.Help, k.Quit},
	}
}

// helpTitles name the FullHelp groups on the help screen.
var helpTitles = []string{"Move", "Processes", "Files", "Wizard", "Screen"}
