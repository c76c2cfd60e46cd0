package sampler

import (
	"cmp"
	"fmt"
	"sort"
	"time"
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
	if f == nil || !e.haveBase || !f.Time.Equal(e.prevTime) {
		return 0, fmt.Errorf("sampler: merge activity: the frame is not the latest sample's; merge right after Sample")
	}
	if e.mergedSeq == e.seq {
		return 0, fmt.Errorf("sampler: merge activity: the frame of %s was already merged", f.Time.Format(time.RFC3339))
	}
	if f.Elapsed <= 0 || len(acts) == 0 {
		return 0, nil
	}
	e.mergedSeq = e.seq
	secs := f.Elapsed.Seconds()

	// Running processes are found through the engine's own maps; only the
	// frame's exited rows are indexed, and only when needed.
	var exited map[ProcKey]int
	var exitedPID map[int32]int
	var vanished map[ProcKey]*procState
	var changed []int // indices in f.Processes of rows added or changed
	var credits []reapCredit
	reap := f.Info.ReapedChildrenInParent
	added := make(map[ProcKey]bool)
	for _, a := range acts {
		if a.WriteBytes == 0 && a.ReadBytes == 0 || added[a.Key] {
			continue
		}
		if e.procs[a.Key] != nil || (a.Key.Start == 0 && e.byPID[a.Key.PID] != nil) {
			continue // running: its own counters are authoritative
		}
		if exited == nil {
			exited, exitedPID = make(map[ProcKey]int), make(map[int32]int)
			for i := range f.Processes {
				if r := &f.Processes[i]; r.Exited && !r.Merged {
					exited[r.Key] = i
					exitedPID[r.Key.PID] = i
				}
			}
		}
		i, ok := exited[a.Key]
		if !ok && a.Key.Start == 0 {
			i, ok = exitedPID[a.Key.PID]
		}
		if ok {
			r := &f.Processes[i]
			if r.Merged {
				continue // merged once already (two entries without a start time)
			}
			if vanished == nil {
				vanished = make(map[ProcKey]*procState, len(e.vanished))
				for _, st := range e.vanished {
					vanished[st.rates.Key] = st
				}
			}
			setMergedRates(r, a, secs)
			r.WriteTotal += a.WriteBytes
			r.ReadTotal += a.ReadBytes
			if st := vanished[r.Key]; st != nil {
				st.rates = *r
				e.pushMergedPointLocked(r.Key, st, r.WriteRate)
			}
			// Its last-seen counters are already a credit (Sample); what
			// it wrote after them lands on the parent too.
			if ppid := cmp.Or(a.PPID, r.PPID); reap && ppid > 0 {
				credits = append(credits, e.mergedCredit(ppid, a.WriteBytes, a.ReadBytes))
			}
			changed = append(changed, i)
			continue
		}
		r := ProcessRates{
			Key:        a.Key,
			Name:       a.Name,
			PPID:       a.PPID,
			WriteTotal: max(a.WriteTotal, a.WriteBytes),
			ReadTotal:  max(a.ReadTotal, a.ReadBytes),
			Exited:     !e.alive(a.Key),
		}
		r.Class = e.cls.ClassifyProcess(&ProcessCounters{Key: a.Key, Name: a.Name})
		setMergedRates(&r, a, secs)
		st := e.gone[a.Key]
		if st == nil {
			st = &procState{born: e.seq}
		}
		st.rates = r
		e.pushMergedPointLocked(a.Key, st, r.WriteRate)
		added[a.Key] = true
		changed = append(changed, len(f.Processes))
		f.Processes = append(f.Processes, r)
		// Never seen by the Source: all it did lands on the parent that
		// reaps it.
		if reap && r.Exited && a.PPID > 0 {
			credits = append(credits, e.mergedCredit(a.PPID, r.WriteTotal, r.ReadTotal))
		}
	}
	if len(credits) > 0 {
		changed = append(changed, e.takeMergedCreditsLocked(f, credits, secs)...)
	}
	if len(changed) > 0 {
		reorderChanged(f.Processes, changed)
	}
	return len(changed), nil
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
	r.Merged = true
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
