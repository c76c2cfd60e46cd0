package sampler

import (
	"cmp"
	"fmt"
	"sort"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
)

// Merging another source's per-process bytes into a frame.
//
// The per-process counter sampler reads every process at each sample, so a
// process that starts and exits between two samples is never read, and the
// bytes a process writes between its last sample and its exit are never
// read either. A source that counts I/O as it happens (the eBPF and ETW
// per-file backends of sampler/fileio) sees both. MergeActivity puts those
// bytes into the frame of the same interval:
//
//   - A process the frame lacks gets a row: Merged, rates = its bytes over
//     the frame's elapsed time, classified like any other, with a point in
//     its history (ProcessSeries) and the activity's PPID. It is marked Exited unless it is still
//     running (a process the source could not read, or one that started
//     after the source's reading), and its totals are the activity's.
//   - A process the frame reports as Exited at this sample (gone since the
//     previous one) has no counter reading for this interval; its row takes
//     the activity's rates instead of repeating its previous interval's, is
//     marked Merged, and its totals grow by the activity's bytes.
//   - A process the frame has as running is left alone: its counters are
//     authoritative, and they measure a different thing (storage-layer
//     bytes on Linux) that must not be mixed with syscall byte counts.
//
// On Linux a parent's counters grow by what its reaped children wrote (see
// reaped.go), so a short-lived child's bytes would show both on its merged
// row and on the parent that reaped it. When the source's parents include
// their reaped children (SourceInfo.ReapedChildrenInParent) and the
// activity names the parent (ExternalActivity.PPID), the merged bytes of an
// exited process are taken back out of its parent's interval, through the
// reaped-children credits ("Merged children" in reaped.go). An activity
// without a PPID (ETW, whose parents do not inherit their children's I/O)
// leaves the parent alone.

// ExternalActivity is one process's I/O during the last interval as another
// source counted it (the per-file backends' per-process sums). The caller
// converts to it, so sampler does not depend on that source.
type ExternalActivity struct {
	// Key identifies the process the way the Source keys it: same PID and
	// Start unit. Start 0 means the start time is unknown; such an entry
	// matches any frame row of the same PID.
	Key  ProcKey
	Name string
	// WriteBytes and ReadBytes are the bytes of this interval.
	WriteBytes uint64
	ReadBytes  uint64
	// WriteTotal and ReadTotal are the bytes that source counted for the
	// process so far (0 when it does not keep totals); a new row's totals.
	WriteTotal uint64
	ReadTotal  uint64
	// PPID is the process's parent as that source saw it, 0 when unknown.
	// On a source whose parents include their reaped children's counters
	// (Linux), an exited process's merged bytes are taken back out of this
	// parent's interval; 0 disables that. For a row the frame already has
	// as exited, the parent the Source read is used when PPID is 0.
	PPID int32
	// Exit holds the process's storage-layer counters at its exit, when
	// the other source saw it exit in this interval; nil otherwise. With
	// it the merged row's write figures are storage-layer bytes, like the
	// Source's, instead of the bytes passed to write calls.
	Exit *ExitCounters
}

// ExitCounters are a process's storage-layer counters (Linux task I/O
// accounting: write_bytes, cancelled_write_bytes, read_bytes) as the
// kernel had them when the process exited.
type ExitCounters struct {
	// OwnWrite, OwnCancelled and OwnRead are the process's own bytes since
	// it started, without those of the children it reaped.
	OwnWrite, OwnCancelled, OwnRead uint64
	// FullWrite, FullCancelled and FullRead are its counters as its
	// /proc/PID/io showed them last, reaped children included; valid when
	// Complete (the exit of its last thread was seen).
	FullWrite, FullCancelled, FullRead uint64
	Complete                           bool
}

// hasBytes reports whether an activity has anything to merge.
func (a *ExternalActivity) hasBytes() bool {
	if a.WriteBytes != 0 || a.ReadBytes != 0 {
		return true
	}
	x := a.Exit
	return x != nil && (x.OwnWrite != 0 || x.OwnCancelled != 0 || x.OwnRead != 0 || x.FullWrite != 0 || x.FullCancelled != 0 || x.FullRead != 0)
}

// MergeActivity merges acts, counted over the interval that ended at f,
// into f following the rules above and re-sorts f.Processes. f must be the
// frame the latest Sample returned, merged at most once; a baseline frame
// (Elapsed 0) is left as it is. It returns how many rows it added or
// changed, parents whose merged children's bytes were taken out included.
//
// Call it right after Sample, with the activity read at the same instant:
//
//	f, _ := eng.Sample(ctx)
//	iv, _ := files.Read(ctx)
//	eng.MergeActivity(&f, fileio.ExternalActivity(iv))
func (e *Engine) MergeActivity(f *Frame, acts []ExternalActivity) (int, error) {
	e.sampleMu.Lock()
	defer e.sampleMu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	acts, ok, err := e.beginMergeLocked(f, acts)
	if !ok {
		return 0, err
	}
	m := &mergeState{e: e, f: f, secs: f.Elapsed.Seconds(), reap: f.Info.ReapedChildrenInParent, added: make(map[ProcKey]bool)}
	for _, a := range acts {
		m.mergeOne(a)
	}
	m.liftCredits()
	if len(m.credits) > 0 {
		m.changed = append(m.changed, e.takeMergedCreditsLocked(f, m.credits, m.secs)...)
	}
	if len(m.changed) > 0 {
		reorderChanged(f.Processes, m.changed)
	}
	return len(m.changed), nil
}

// beginMergeLocked checks that f is the latest sample's frame, not merged
// yet, and returns the activities to merge: the exits held back from the
// previous merge first. ok is false when there is nothing to do (err
// then says why, or is nil for a baseline or an empty merge).
func (e *Engine) beginMergeLocked(f *Frame, acts []ExternalActivity) ([]ExternalActivity, bool, error) {
	if f == nil || !e.haveBase || !f.Time.Equal(e.prevTime) {
		return nil, false, fmt.Errorf("sampler: merge activity: the frame is not the latest sample's; merge right after Sample")
	}
	if e.mergedSeq == e.seq {
		return nil, false, fmt.Errorf("sampler: merge activity: the frame of %s was already merged", f.Time.Format(time.RFC3339))
	}
	if f.Elapsed <= 0 || (len(acts) == 0 && len(e.pendingExits) == 0) {
		return nil, false, nil
	}
	e.mergedSeq = e.seq
	// Exits of processes that were still running at the previous sample's
	// reading (they exited between it and the other source's reading)
	// apply now that the frame has them as exited.
	if len(e.pendingExits) > 0 {
		acts = append(e.pendingExits, acts...)
		e.pendingExits = nil
	}
	return acts, true, nil
}

// mergeState is one MergeActivity call's work in progress.
type mergeState struct {
	e    *Engine
	f    *Frame
	secs float64
	reap bool // the frame's parents include their reaped children's counters

	// Running processes are found through the engine's own maps; only the
	// frame's exited rows are indexed, and only when needed.
	exited       map[ProcKey]int
	exitedPID    map[int32]int
	vanished     map[ProcKey]*procState
	changed      []int // indices in f.Processes of rows added or changed
	credits      []reapCredit
	mergedParent map[int32]int32 // merged exited process -> its parent
	added        map[ProcKey]bool
}

// mergeOne merges one activity: a running process is left alone (an exit
// it reports is held for the next sample), a row the frame has as exited
// takes the activity's bytes, and a process the frame lacks gets a row.
func (m *mergeState) mergeOne(a ExternalActivity) {
	e := m.e
	if !a.hasBytes() || m.added[a.Key] {
		return
	}
	if e.procs[a.Key] != nil || (a.Key.Start == 0 && e.byPID[a.Key.PID] != nil) {
		// Running at this sample's reading: its own counters are
		// authoritative. An exit seen since is applied at the next
		// sample, which will have it as exited.
		if a.Exit != nil {
			e.pendingExits = append(e.pendingExits, ExternalActivity{Key: a.Key, Name: a.Name, PPID: a.PPID, Exit: a.Exit})
		}
		return
	}
	if i, ok := m.exitedRow(a.Key); ok {
		m.mergeExited(i, a)
		return
	}
	m.addRow(a)
}

// exitedRow finds the frame's exited (not yet merged) row of key, by PID
// alone when key has no start time.
func (m *mergeState) exitedRow(key ProcKey) (int, bool) {
	if m.exited == nil {
		m.exited, m.exitedPID = make(map[ProcKey]int), make(map[int32]int)
		for i := range m.f.Processes {
			if r := &m.f.Processes[i]; r.Exited && !r.Merged {
				m.exited[r.Key] = i
				m.exitedPID[r.Key.PID] = i
			}
		}
	}
	i, ok := m.exited[key]
	if !ok && key.Start == 0 {
		i, ok = m.exitedPID[key.PID]
	}
	return i, ok
}

// mergeExited gives the frame's exited row i the activity's bytes of this
// interval (from its storage counters at exit when the other source read
// them), and credits them back to its parent.
func (m *mergeState) mergeExited(i int, a ExternalActivity) {
	e, r := m.e, &m.f.Processes[i]
	if r.Merged {
		return // merged once already (two entries without a start time)
	}
	if m.vanished == nil {
		m.vanished = make(map[ProcKey]*procState, len(e.vanished))
		for _, st := range e.vanished {
			m.vanished[st.rates.Key] = st
		}
	}
	st := m.vanished[r.Key]
	ppid := cmp.Or(a.PPID, r.PPID)
	if x := a.Exit; x != nil && x.Complete && st != nil && x.FullWrite >= st.last.WriteBytes && x.FullRead >= st.last.ReadBytes {
		// The bytes after its last reading, from its counters at
		// exit: storage-layer, like the rest of its history.
		last := vecOf(&st.last)
		d := ioVec{ioWrite: sub0(x.FullWrite, last[ioWrite]), ioRead: sub0(x.FullRead, last[ioRead]),
			ioLogicalWrite: a.WriteBytes, ioLogicalRead: a.ReadBytes, ioCancelled: sub0(x.FullCancelled, last[ioCancelled])}
		setStorageRates(r, d, m.secs)
		r.WriteTotal += netTotal(d[ioWrite], d[ioCancelled])
		r.ReadTotal += d[ioRead]
		if m.reap && ppid > 0 {
			m.credits = append(m.credits, e.storageCredit(ppid, d))
		}
	} else {
		setMergedRates(r, a, m.secs)
		r.WriteTotal += a.WriteBytes
		r.ReadTotal += a.ReadBytes
		// Its last-seen counters are already a credit (Sample);
		// what it wrote after them lands on the parent too.
		if m.reap && ppid > 0 {
			m.credits = append(m.credits, e.mergedCredit(ppid, a.WriteBytes, a.ReadBytes))
		}
	}
	if st != nil {
		st.rates = *r
		e.pushMergedPointLocked(r.Key, st, r.WriteRate)
	}
	m.changed = append(m.changed, i)
}

// addRow adds a row for a process the frame lacks, classified like any
// other, with a history point; what it did lands on the parent that
// reaps it, so that is credited back.
func (m *mergeState) addRow(a ExternalActivity) {
	e := m.e
	r := ProcessRates{
		Key:        a.Key,
		Name:       textsafe.Clean(a.Name),
		PPID:       a.PPID,
		WriteTotal: max(a.WriteTotal, a.WriteBytes),
		ReadTotal:  max(a.ReadTotal, a.ReadBytes),
		Exited:     !e.alive(a.Key),
	}
	r.Class = e.cls.ClassifyProcess(&ProcessCounters{Key: a.Key, Name: a.Name})
	// own is what its parent's counters grow by when it reaps it, less
	// what its own reaped children add (their credits are moved up
	// to that parent below).
	var own ioVec
	if x := a.Exit; x != nil && r.Exited {
		own = ioVec{ioWrite: x.OwnWrite, ioRead: x.OwnRead, ioLogicalWrite: a.WriteBytes, ioLogicalRead: a.ReadBytes, ioCancelled: x.OwnCancelled}
		setStorageRates(&r, own, m.secs)
		r.WriteTotal, r.ReadTotal = netTotal(x.OwnWrite, x.OwnCancelled), x.OwnRead
		own[ioLogicalRead] = 0 // rchar may miss reads it counted (a backend's read side of a copy)
	} else {
		setMergedRates(&r, a, m.secs)
	}
	st := e.gone[a.Key]
	if st == nil {
		st = &procState{born: e.seq}
	}
	st.rates = r
	e.pushMergedPointLocked(a.Key, st, r.WriteRate)
	m.added[a.Key] = true
	m.changed = append(m.changed, len(m.f.Processes))
	m.f.Processes = append(m.f.Processes, r)
	// Never seen by the Source: all it did lands on the parent that
	// reaps it.
	if m.reap && r.Exited && a.PPID > 0 {
		if r.StorageMerged {
			m.credits = append(m.credits, e.storageCredit(a.PPID, own))
			if m.mergedParent == nil {
				m.mergedParent = make(map[int32]int32)
			}
			m.mergedParent[a.Key.PID] = a.PPID
		} else {
			m.credits = append(m.credits, e.mergedCredit(a.PPID, r.WriteTotal, r.ReadTotal))
		}
	}
}

// liftCredits moves credits up past merged parents: a merged child's
// counters, its own reaped children's included, went to its parent, so the
// credit of a grandchild whose parent was itself merged (a shell that ran
// dd, both between two samples) goes up to the first ancestor that is not.
func (m *mergeState) liftCredits() {
	for i := range m.credits {
		for hops := 0; hops < 16; hops++ {
			up, ok := m.mergedParent[m.credits[i].parent]
			if !ok || up == m.credits[i].parent {
				break
			}
			m.credits[i].parent = up
		}
	}
}

// reorderChanged restores the frame order of ps, which was sorted except
// for the rows at the changed indices: those are sorted among themselves
// and merged back in place from the end, so only the rows below the
// highest moved one are shifted and the frame is not sorted again.
func reorderChanged(ps []ProcessRates, changed []int) {
	sort.Ints(changed)
	moved := make([]ProcessRates, len(changed))
	for j, i := range changed {
		moved[j] = ps[i]
	}
	sortProcesses(moved)
	// Close the gaps the changed rows leave, keeping the others' order.
	w, c := changed[0], 0
	for i := changed[0]; i < len(ps); i++ {
		if c < len(changed) && changed[c] == i {
			c++
			continue
		}
		ps[w] = ps[i]
		w++
	}
	// Merge from the end: the largest of the two tails goes last.
	i, j := w-1, len(moved)-1
	for k := len(ps) - 1; j >= 0; k-- {
		if i >= 0 && processLess(&moved[j], &ps[i]) {
			ps[k] = ps[i]
			i--
		} else {
			ps[k] = moved[j]
			j--
		}
	}
}

// setMergedRates sets a row's rates from an activity's interval bytes.
func setMergedRates(r *ProcessRates, a ExternalActivity, secs float64) {
	r.WriteRate = float64(a.WriteBytes) / secs
	r.ReadRate = float64(a.ReadBytes) / secs
	r.LogicalWriteRate = r.WriteRate
	r.CancelledWriteRate = 0
	r.ChildrenWriteBytes = 0
	r.Merged = true
	r.StorageMerged = false
}

// setStorageRates sets a row's rates from storage-layer bytes of the
// interval (d: write, read, cancelled; logical write from the other
// source's counts).
func setStorageRates(r *ProcessRates, d ioVec, secs float64) {
	r.WriteRate = float64(netTotal(d[ioWrite], d[ioCancelled])) / secs
	r.CancelledWriteRate = float64(d[ioCancelled]) / secs
	r.ReadRate = float64(d[ioRead]) / secs
	r.LogicalWriteRate = float64(d[ioLogicalWrite]) / secs
	r.ChildrenWriteBytes = 0
	r.Merged = true
	r.StorageMerged = true
}

// pushMergedPointLocked records w as the process's write rate at the latest
// history point, zero-filling any points it missed, and keeps its state
// among the exited processes so ProcessSeries finds it while the point is
// in the window. A process that has not written holds no series, as in
// the engine.
func (e *Engine) pushMergedPointLocked(k ProcKey, st *procState, w float64) {
	idx := e.next - 1 // the point the latest Sample pushed
	if idx < 0 {
		return
	}
	if st.series == nil {
		if w <= 0 {
			return // like the engine's: no history until it writes
		}
		st.series = NewRing[float64](e.capacity)
		st.seriesEnd = idx - 1
	}
	gap := idx - st.seriesEnd - 1
	if gap > int64(e.capacity) {
		gap = int64(e.capacity)
	}
	for ; gap > 0; gap-- {
		st.series.Push(0)
	}
	if st.seriesEnd < idx {
		st.series.Push(w)
	}
	st.seriesEnd = idx
	if w > 0 {
		st.lastNonZero = idx
	}
	if e.procs[k] != st {
		e.gone[k] = st
	}
}

// alive reports whether the process still runs, by Config.ProcessAlive or
// the OS.
func (e *Engine) alive(k ProcKey) bool {
	if e.processAlive != nil {
		return e.processAlive(k)
	}
	return processAlive(k)
}
