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
//     all its I/O lands on the parent, unless a per-file backend that names
//     each process's parent saw it (MergeActivity with
//     ExternalActivity.PPID: see "Merged children" below);
//   - a child whose parent exited in the same interval, or that was
//     reparented (to init or a subreaper) after its parent died, lands on
//     whoever reaped it: no live parent with a matching jump is found, and
//     the credit expires.

// Merged children.
//
// MergeActivity adds processes a per-file backend (eBPF) saw but the
// counter sampler did not, and the bytes an exited process wrote after its
// last sample. When the activity names the parent (ExternalActivity.PPID),
// those bytes become a credit against the parent like a reaped child's
// last-seen counters, taken through the same mechanism (the parent's
// counters must have jumped by at least the credit in this interval or the
// next; rates clamped at zero). The backend counts bytes passed to read and
// write calls on files, so the credit is:
//
//   - logical write and read (wchar, rchar): the child's counted bytes, of
//     which the child's own wchar/rchar hold at least as much;
//   - storage write: the same bytes, as a file write dirties as many bytes
//     of page cache (rounded to pages), all charged to the child;
//   - storage read: nothing, as the backend cannot tell reads from the page
//     cache from reads from the disk. A short-lived child's disk reads stay
//     on its parent.
//
// A child whose storage writes fell short of the bytes it passed to write
// (it rewrote pages still dirty, or wrote through a mapping) does not pass
// the storage-write test, and its bytes stay on the parent as before. A
// merged child's parent may be new at this sample (a shell started in the
// same interval as the dd it ran), which a reaped child's parent may not.

// ioVec holds the counters a reaped child hands on to its parent.
type ioVec [5]uint64

// Indices into an ioVec.
const (
	ioWrite = iota
	ioRead
	ioLogicalWrite
	ioLogicalRead
	ioCancelled
)

func vecOf(pc *ProcessCounters) ioVec {
	return ioVec{pc.WriteBytes, pc.ReadBytes, pc.LogicalWriteBytes, pc.LogicalReadBytes, pc.CancelledWriteBytes}
}

// netWriteRate is the storage writes per second of an interval net of
// the writes cancelled in it: (write growth - cancelled growth) / secs,
// never negative. Each counter's growth is cur - prev, 0 when it went
// backwards.
func netWriteRate(curW, prevW, curC, prevC uint64, secs float64) float64 {
	w, c := sub0(curW, prevW), sub0(curC, prevC)
	if secs <= 0 || w <= c {
		return 0
	}
	return float64(w-c) / secs
}

// netTotal is a cumulative write counter less the cancelled one, never
// negative.
func netTotal(w, c uint64) uint64 { return sub0(w, c) }

// reapCredit is an exited child's last-seen counters, to be taken out of
// its parent's interval once the parent's counters show the jump.
type reapCredit struct {
	parent int32
	left   ioVec
	until  uint64 // the last sample number at which it may still apply
	// newParentAt is the sample number at which a parent first seen at
	// that sample may take the credit (a merged child's, see above); 0
	// when a parent must be older than the sample.
	newParentAt uint64
}

// mergedCredit is the credit for a merged child that wrote w and read r
// bytes (as a per-file backend counts them) against its parent ppid,
// valid at this sample and the next.
func (e *Engine) mergedCredit(ppid int32, w, r uint64) reapCredit {
	return reapCredit{
		parent:      ppid,
		left:        ioVec{ioWrite: w, ioLogicalWrite: w, ioLogicalRead: r},
		until:       e.seq + 1,
		newParentAt: e.seq,
	}
}

// storageCredit is the credit for a merged child whose storage-layer
// counters at exit are known: v is what its parent's counters grow by
// when it reaps the child (the child's whole counters, or what it did
// after its last reading).
func (e *Engine) storageCredit(ppid int32, v ioVec) reapCredit {
	return reapCredit{parent: ppid, left: v, until: e.seq + 1, newParentAt: e.seq}
}

// childrenBytes is what of a process's interval still came from exited
// children or threads: the growth of its inherited counter less what
// credits took out, at most the interval's (net) write bytes.
func childrenBytes(st *procState, writeRate, secs float64) uint64 {
	left := sub0(st.inherited, st.cut[ioWrite])
	return min(left, uint64(writeRate*secs+0.5))
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
	// before its child (the PID was reused), unless the child was merged
	// at this sample and so may be as new as its parent.
	if ps == nil || ps.seen != e.seq || (ps.born == e.seq && c.newParentAt != e.seq) {
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
	r.WriteRate = netWriteRate(cur[ioWrite], base[ioWrite]+ps.cut[ioWrite], cur[ioCancelled], base[ioCancelled]+ps.cut[ioCancelled], secs)
	r.CancelledWriteRate = rate(cur[ioCancelled], base[ioCancelled]+ps.cut[ioCancelled], secs)
	r.ReadRate = rate(cur[ioRead], base[ioRead]+ps.cut[ioRead], secs)
	r.LogicalWriteRate = rate(cur[ioLogicalWrite], base[ioLogicalWrite]+ps.cut[ioLogicalWrite], secs)
	r.WriteTotal = netTotal(sub0(cur[ioWrite], ps.reaped[ioWrite]), sub0(cur[ioCancelled], ps.reaped[ioCancelled]))
	r.ChildrenWriteBytes = childrenBytes(ps, r.WriteRate, secs)
	r.ReadTotal = sub0(cur[ioRead], ps.reaped[ioRead])
	f.Processes[ps.frameIdx] = *r
	return true
}

// takeMergedCreditsLocked applies the credits of merged children (see
// "Merged children") to their parents in f, the frame MergeActivity is
// merging into, and keeps those whose parent is present but has not
// jumped yet for the next sample. It returns the frame indices of the
// parents' rows it changed, each once.
//
// Sample sorted f after computing the rates, so the parents' rows are
// found again by key, and their history point of this sample, pushed
// before the credit, is set to the new rate.
func (e *Engine) takeMergedCreditsLocked(f *Frame, credits []reapCredit, secs float64) []int {
	want := make(map[int32]*procState, len(credits))
	for _, c := range credits {
		if ps := e.byPID[c.parent]; ps != nil && ps.seen == e.seq {
			want[c.parent] = ps
		}
	}
	if len(want) == 0 {
		return nil
	}
	for _, ps := range want {
		ps.frameIdx = -1
	}
	for i := range f.Processes {
		r := &f.Processes[i]
		if ps := want[r.Key.PID]; ps != nil && !r.Exited && !r.Merged && r.Key == ps.rates.Key {
			ps.frameIdx = i
		}
	}
	var rows []int
	taken := make(map[int32]bool, len(want))
	for _, c := range credits {
		ps := want[c.parent]
		if ps == nil || ps.frameIdx < 0 {
			continue // no parent at this sample (or not in f): none will come
		}
		if !e.takeCreditLocked(f, c, secs) {
			e.credits = append(e.credits, c)
			continue
		}
		if !taken[c.parent] {
			taken[c.parent] = true
			rows = append(rows, ps.frameIdx)
		}
		if ps.series != nil && ps.seriesEnd == e.next-1 {
			if ps.series.Len() == 1 && ps.rates.WriteRate <= 0 {
				ps.series = nil // its only point was the child's: no history
			} else {
				setNewest(ps.series, ps.rates.WriteRate)
			}
		}
	}
	return rows
}

// setNewest replaces the newest value of a series (Ring has no method for
// it; this is the one place that needs it).
func setNewest(s *Ring[float64], v float64) {
	if len(s.buf) == 0 {
		return
	}
	i := s.head - 1 // the newest value once the ring is full
	if len(s.buf) < s.limit {
		i = len(s.buf) - 1
	} else if i < 0 {
		i = len(s.buf) - 1
	}
	s.buf[i] = v
}
