package tui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// replayCtl is the time cursor on the UI side: it turns the cursor keys
// into a target sample, asks the sampling loop for the frame there, and
// knows which sample is on screen for the header.
type replayCtl struct {
	rec    *Recording
	cursor *replayCursor
	keys   ReplayKeys
	want   int // the sample asked for last
	shown  int // the sample on screen
	at     time.Time
	// view is the disks and averages at the sample on screen, nil before
	// the first frame.
	view *replayView
}

func newReplayCtl(rec *Recording) *replayCtl {
	return &replayCtl{rec: rec, cursor: newReplayCursor(rec), keys: DefaultReplayKeys(), want: 1}
}

// key moves the cursor for a cursor key; ok is false for other keys.
func (c *replayCtl) key(msg tea.KeyPressMsg, m *Model) (tea.Cmd, bool) {
	k := c.keys
	to := c.want
	r := c.rec
	switch {
	case key.Matches(msg, k.Next):
		to++
	case key.Matches(msg, k.Prev):
		to--
	case key.Matches(msg, k.NextMinute):
		to = r.idx.NextMinute(c.want)
	case key.Matches(msg, k.PrevMinute):
		to = r.idx.PrevMinute(c.want)
	case key.Matches(msg, k.First):
		to = 1
	case key.Matches(msg, k.Last):
		to = r.count
	case key.Matches(msg, k.NextSpike), key.Matches(msg, k.PrevSpike):
		next := key.Matches(msg, k.NextSpike)
		i, ok := r.idx.SpikeFrom(c.want, next)
		if !ok {
			m.setStatus(c.noSpike(next))
			return nil, true
		}
		spikes := r.idx.Spikes()
		to = spikes[i]
		rep := m.sess.report()
		if i < len(rep.Spikes) {
			m.setStatus(fmt.Sprintf("spike %d of %d: %s, %.1fx the baseline", i+1, len(spikes), rep.Spikes[i].Label, rep.Spikes[i].Factor))
		}
	case key.Matches(msg, m.ctx.Keys.Pause):
		m.setStatus("a recording does not play by itself: it stays where the cursor keys put it")
		return nil, true
	case key.Matches(msg, m.ctx.Keys.Slower), key.Matches(msg, m.ctx.Keys.Faster):
		m.setStatus("a recording keeps its interval (" + views.FormatInterval(r.interval) + "): move with ← → { } n")
		return nil, true
	default:
		return nil, false
	}
	to = max(1, min(r.count, to))
	if to == c.want {
		return nil, true
	}
	c.want = to
	c.cursor.setTarget(to)
	keys, detail := m.wantSeries()
	return m.sampling.resample(keys, detail), true
}

// noSpike says why n or N found nothing.
func (c *replayCtl) noSpike(next bool) string {
	switch {
	case len(c.rec.idx.Spikes()) == 0:
		rep := c.rec.idx.Analyzer().Report()
		if rep.CompleteMinutes < rep.BaselineNeeds {
			return fmt.Sprintf("no spike flagged: %d complete minutes recorded, a baseline needs %d", rep.CompleteMinutes, rep.BaselineNeeds)
		}
		return fmt.Sprintf("no spike in the recording: no minute above %gx the baseline", rep.SpikeFactor)
	case next:
		return "no spike after this sample: N goes back, home to the start"
	default:
		return "no spike before this sample: n goes forward"
	}
}

// sampled notes which sample a frame that reached the screen is, and
// gives the Processes tab the per-disk histories, the 1-minute window and
// the processes active in the minute up to it.
func (c *replayCtl) sampled(msg sampleMsg, p *samplerPane) {
	if msg.err != nil || msg.frame.Time.IsZero() {
		return
	}
	c.shown, c.at = c.cursor.indexOf(msg.frame.Time), msg.frame.Time
	if msg.replay != nil {
		c.view = msg.replay
		p.disks.setReplay(msg.replay)
		p.avg, p.lastActive = msg.replay.avg, msg.replay.active
	}
}

// header is the header's replay part.
func (c *replayCtl) header(ascii bool) *views.ReplayHeader {
	hint := "←/→ sample  {/} minute  n/N spike  home/end"
	if ascii {
		hint = "[/] sample  {/} minute  n/N spike  home/end"
	}
	return &views.ReplayHeader{Source: c.rec.Source, Host: c.rec.Host(), Now: c.at, Index: c.shown, Count: c.rec.count, Hint: hint}
}

// helpSections puts the cursor keys first on the help screen and drops
// the sections of panes a replay does not have (wizard, files).
func (c *replayCtl) helpSections(secs []views.HelpSection, ascii bool) []views.HelpSection {
	s := views.HelpSection{Title: "Time cursor"}
	for _, b := range c.keys.full(ascii) {
		s.Entries = append(s.Entries, views.HelpEntry{Key: b.Help().Key, Desc: b.Help().Desc})
	}
	out := []views.HelpSection{s}
	for _, sec := range secs {
		switch sec.Title {
		case "Wizard", "Files":
			continue
		case "Processes":
			sec = replayProcessHelp(sec)
		}
		out = append(out, sec)
	}
	return out
}

// replayProcessHelp words the Processes keys for a recording: the Storage
// view has the recorded disks (no volumes), the averages are of the
// recorded minute up to the cursor, D limits the graph only (a recording
// does not split processes by disk); the keys of live sampling (pause, the
// interval) and of the Files tab (marks) go.
func replayProcessHelp(sec views.HelpSection) views.HelpSection {
	words := map[string]string{"v": "storage: the disks as recorded", "m": "averages of the recorded minute / the sample",
		"D": "graph: all disks / one disk (lists stay whole)"}
	var keep []views.HelpEntry
	for _, e := range sec.Entries {
		switch e.Key {
		case "p", "+/-", "space", "f":
			continue
		}
		if d, ok := words[e.Key]; ok {
			e.Desc = d
		}
		keep = append(keep, e)
	}
	sec.Entries = keep
	return sec
}

// incident words the report for a recording: no live session (its start
// and length would be the wall clock's), the recording named in the note.
func (c *replayCtl) incident(d *views.IncidentData) {
	r := c.rec
	d.Start = time.Time{}
	d.Replay = true
	d.WriteLabel = "recorded writes"
	d.Note = fmt.Sprintf("replay of %s: %d samples from %s to %s, every %s", r.Source, r.count,
		r.start.Format("2006-01-02 15:04:05"), r.end.Format("2006-01-02 15:04:05"), views.FormatInterval(r.interval))
	d.RecordedHost = r.Host()
	d.Notes = r.idx.Notes
	if d.Host == "" {
		d.Host = r.Host()
	}
	if d.Host == "" {
		d.Host = "host not recorded"
	}
	for _, s := range r.skipped {
		d.Skipped = append(d.Skipped, s.String())
	}
}

// Close releases what the program holds open: a replay's files.
func (m *Model) Close() error {
	if m.replay != nil {
		return m.replay.cursor.Close()
	}
	return nil
}
