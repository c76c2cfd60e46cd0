package tui

import "github.com/hvrdoctor/hvrdoctor/views"

// headerData is what the header shows: the sampling loop's state and
// frame, the filters of every tab, the per-file backend and the status.
func (m *Model) headerData() views.HeaderData {
	s := m.sampling
	d := views.HeaderData{Host: m.host, Interval: s.interval, Info: s.shown.frame.Info, Hidden: s.shown.frame.Hidden,
		Unreadable: s.shown.frame.Unreadable, Paused: s.paused, Now: s.shown.frame.Time, Filter: m.filters(),
		Status: m.ctx.status.String(m.ctx.Theme.Glyphs.Separator), Err: s.err}
	if m.filesTab != nil {
		d.Files = m.filesTab.headerLine()
	}
	return d
}

// header draws the header's two lines with the churn additions: the spike
// mark for the minute on screen, and on a replay the recording and the
// cursor.
func (m *Model) header(w int) string {
	var rp *views.ReplayHeader
	if m.replay != nil {
		rp = m.replay.header(m.ctx.ASCII)
	}
	spike := ""
	if m.sampling.have {
		spike = m.sess.spikeMark(m.sampling.shown.frame.Time)
	}
	return views.ChurnHeader(m.headerData(), spike, rp, w, m.ctx.Theme)
}
