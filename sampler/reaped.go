package sampler

// Reaped children on Linux.
//
// When a Linux process reaps an exited child (wait), the kernel adds the
// child's I/O accounting to the parent's: /proc/PARENT/io then shows the
// child's bytes a second time, and without correction a shell that ran dd
// would show dd's writes again in its own rate, next to the "dd (exited)"
// row. Sources that behave so set SourceInfo.ReapedChildrenInParent and fill
// ProcessCounters.PPID; the engine then takes an exited child's last-seen
// cumulative counters back out of its parent's interval.
//
// What remains attributed to the parent (or the reaper):
//   - the child's bytes after its last sample (written between the last
//     sample that saw it and its exit) still land on the parent;
//   - a child that started and exited between two samples was never seen, so
//     all its I/O lands on the parent;
//   - a child whose parent exited in the same interval, or that was
//     reparented (to init or a subreaper) after its parent died, lands on
//     whoever reaped it: no live parent with a matching jump is found, and
//     the credit expires.

// ioVec holds the four counters a reaped child hands on to its parent.
type ioVec [4]uint64

// Indices into an ioVec.
const (
	ioWrite = iota
	ioRead
	ioLogicalWrite
	ioLogicalRead
)

func vecOf(pc *ProcessCounters) ioVec {
	return ioVec{pc.WriteBytes, pc.ReadBytes, pc.LogicalWriteBytes, pc.LogicalReadBytes}
}

// reapCredit is an exited child's last-seen counters, to be taken out of
// its parent's interval once the parent's counters show the jump.
type reapCredit struct {
	parent int32
	left   ioVec
	until  uint64 // the last sample number at which it may still apply
}

// sub0 is a-b, or 0 when b > a.
func sub0(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}

// applyReapCreditsLocked turns the processes that vanished at this sample
// into credits against their parents, then applies every pending credit
// whose parent's counters jumped by at least the credit in this interval.
//
// The kernel adds the child's counters at the moment the parent reaps it,
// which can fall just after the sample that first missed the child (the
// parent was read before the child vanished), so a credit is kept for the
// next interval too and dropped after that. It applies only when every
// counter of the parent grew by at least the child's value in the interval
// (less what other credits already took): all four grow together on reap,
// so a parent that did not reap in this interval is left alone. Rates are
// clamped at zero.
func (e *Engine) applyReapCreditsLocked(f *Frame, secs float64) {
	for _, st := range e.vanished {
		v := vecOf(&st.last)
		if st.last.PPID <= 0 || v == (ioVec{}) {
			continue
		}
		e.credits = append(e.credits, reapCredit{parent: st.last.PPID, left: v, until: e.seq + 1})
	}
	keep := e.credits[:0]
	for _, c := range e.credits {
		if !e.takeCreditLocked(f, c, secs) && c.until > e.seq {
			keep = append(keep, c)
		}
	}
	clear(e.credits[len(keep):])
	e.credits = keep
}

// takeCreditLocked applies one credit to the parent's interval if the
// parent is present and its counters jumped enough; it reports whether it
// did.
func (e *Engine) takeCreditLocked(f *Frame, c reapCredit, secs float64) bool {
	ps := e.byPID[c.parent]
	// A parent first seen at this sample cannot be the one that was there
	// before its child (the PID was reused).
	if ps == nil || ps.seen != e.seq || ps.born == e.seq {
		return false
	}
	cur, base := vecOf(&ps.last), vecOf(&ps.base)
	for i := range c.left {
		if sub0(sub0(cur[i], base[i]), ps.cut[i]) < c.left[i] {
			return false
		}
	}
	for i := range c.left {
		ps.cut[i] += c.left[i]
		ps.reaped[i] += c.left[i]
	}
	r := &ps.rates
	r.WriteRate = rate(cur[ioWrite], base[ioWrite]+ps.cut[ioWrite], secs)
	r.ReadRate = rate(cur[ioRead], base[ioRead]+ps.cut[ioRead], secs)
	r.LogicalWriteRate = rate(cur[ioLogicalWrite], base[ioLogicalWrite]+ps.cut[ioLogicalWrite], secs)
	r.WriteTotal = sub0(cur[ioWrite], ps.reaped[ioWrite])
	r.ReadTotal = sub0(cur[ioRead], ps.reaped[ioRead])
	f.Processes[ps.frameIdx] = *r
	return true
}
