package tui

import "charm.land/bubbles/v2/key"

// ReplayKeys move the time cursor on a recording. On a replay they come
// before the panes' keys, so pgup/pgdn and home/end move in time there
// (the lists still scroll with the arrows and j/k).
type ReplayKeys struct {
	Next, Prev             key.Binding // one sample
	NextMinute, PrevMinute key.Binding
	First, Last            key.Binding
	NextSpike, PrevSpike   key.Binding
}

// DefaultReplayKeys returns the time cursor's bindings.
func DefaultReplayKeys() ReplayKeys {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return ReplayKeys{
		Next:       b([]string{"right", "]"}, "→/]", "next sample"),
		Prev:       b([]string{"left", "["}, "←/[", "previous sample"),
		NextMinute: b([]string{"shift+right", "}", "pgdown"}, "}/pgdn", "next minute"),
		PrevMinute: b([]string{"shift+left", "{", "pgup"}, "{/pgup", "previous minute"),
		First:      b([]string{"home"}, "home", "first sample"),
		Last:       b([]string{"end"}, "end", "last sample"),
		NextSpike:  b([]string{"n"}, "n", "next spike"),
		PrevSpike:  b([]string{"N"}, "N", "previous spike"),
	}
}

// short returns the footer's terse bindings of the cursor.
func (r ReplayKeys) short(ascii bool) []key.Binding {
	step := "←→"
	if ascii {
		step = "[ ]"
	}
	return []key.Binding{short(r.Next, step, "sample"), short(r.NextMinute, "{ }", "minute"), short(r.NextSpike, "n", "spike")}
}

// full is the help screen's section of the cursor keys.
func (r ReplayKeys) full(ascii bool) []key.Binding {
	if ascii {
		return []key.Binding{short(r.Next, "right/]", "next sample"), short(r.Prev, "left/[", "previous sample"),
			short(r.NextMinute, "}/pgdn", "next minute"), short(r.PrevMinute, "{/pgup", "previous minute"),
			r.First, r.Last, r.NextSpike, r.PrevSpike}
	}
	return []key.Binding{r.Next, r.Prev, r.NextMinute, r.PrevMinute, r.First, r.Last, r.NextSpike, r.PrevSpike}
}

// ChurnHelp are the footer keys of the Churn tab, ? and q aside.
func (k KeyMap) ChurnHelp() []key.Binding {
	move := k.moveHelp()
	return []key.Binding{short(k.Up, move, "scroll"), short(k.PageDown, "pgdn", "page"), short(k.Report, "r", "report"),
		short(k.NextTab, "tab", "next tab")}
}

// ReplayHelp are the footer keys of a pane on a replay: the time cursor
// first, then scrolling.
func (k KeyMap) ReplayHelp() []key.Binding {
	move := k.moveHelp()
	return append(DefaultReplayKeys().short(k.ascii), short(k.Up, move, "scroll"))
}
