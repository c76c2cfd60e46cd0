package sampler

import (
	"fmt"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
)

// Disk bytes from the block layer.
//
// /proc/PID/io write_bytes (what pidstat and iotop show) counts page cache
// a process dirtied, a whole folio at a time: with large folios one synced
// 8 KiB write is charged 2 MiB, and a database's backends show 20-30x what
// the disk writes. A block-layer source (sampler/blockio) counts the write
// requests issued to each disk and charges them to processes: what they
// submitted themselves, and their share of the kernel's background
// writeback of files they dirtied. ApplyDiskBytes makes those bytes the
// frame's main write figure (WriteRate); write_bytes stays on each row as
// DirtiedRate, "dirtied (kernel accounting)".

// BasisDisk is the write basis of rows whose write figures are bytes that
// reached the disk, from the block layer (ApplyDiskBytes).
const BasisDisk = "disk"

// Write labels of a frame: what its WriteRate figures count.
const (
	// DiskWriteLabel is SourceInfo.WriteLabel when the block-layer source
	// runs.
	DiskWriteLabel = "disk writes (block layer)"
	// DirtiedLabel names write_bytes beside disk bytes.
	DirtiedLabel = "dirtied (kernel accounting)"
)

// overstateFactor is how far write_bytes may exceed the disk bytes before
// the frame says so.
const overstateFactor = 2

// DiskActivity is one row's disk bytes over the last interval as a
// block-layer source counted them; the caller converts to it (blockio's
// External), so sampler does not depend on that source.
type DiskActivity struct {
	// Key identifies the process as the Source keys it. A row that is not
	// a process (the filesystem journal, metadata, other kernel I/O) has
	// PID 0 and a negative Start, and Kernel set.
	Key    ProcKey
	Name   string
	Kernel bool
	// Rule says what a kernel row is ("kernel: filesystem journal (jbd2)").
	Rule string
	// WriteBytes is the bytes of write requests issued to the disks for it
	// in the interval; ReadBytes and DiscardBytes its reads and discards.
	WriteBytes, ReadBytes, DiscardBytes uint64
	// WritebackBytes is the part of WriteBytes that is its share of the
	// kernel's background writeback of files it dirtied.
	WritebackBytes uint64
	// IONanos and IOCount are response time (request start to completion) of its requests,
	// summed, and their count.
	IONanos, IOCount uint64
	// OnDisk is the same split by the disk the requests went to (disk
	// name), for lists limited to one disk; nil when the source does not
	// tell disks apart.
	OnDisk map[string]DiskIO
}

// DiskIO is one row's requests on one disk over an interval, from the
// block layer: the bytes of its write and read requests and their
// response time (request start to completion), summed, and count.
type DiskIO struct {
	WriteBytes, ReadBytes uint64
	IONanos, IOCount      uint64
}

// Add adds o to d.
func (d *DiskIO) Add(o DiskIO) {
	d.WriteBytes += o.WriteBytes
	d.ReadBytes += o.ReadBytes
	d.IONanos += o.IONanos
	d.IOCount += o.IOCount
}

// ApplyDiskBytes makes acts, a block-layer source's bytes over the interval
// that ended at f, the frame's write figures: every row's WriteRate and
// WriteTotal become disk bytes (since the first ApplyDiskBytes) (0 for a process that reached no disk in
// the interval) and its previous write figure moves to DirtiedRate; rows
// for the acts the frame lacks (kernel rows, processes that exited before
// the sample) are added. The frame's Info says so (DiskWriteLabel, and a
// note when the dirtied figures exceed the disk bytes by more than 2x).
// Call it after MergeActivity, on the same frame; a baseline frame
// (Elapsed 0) only gets the label.
func (e *Engine) ApplyDiskBytes(f *Frame, acts []DiskActivity) error {
	e.sampleMu.Lock()
	defer e.sampleMu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if f == nil || !e.haveBase || !f.Time.Equal(e.prevTime) {
		return fmt.Errorf("sampler: disk bytes: the frame is not the latest sample's; apply them right after Sample")
	}
	if e.diskSeq == e.seq {
		return fmt.Errorf("sampler: disk bytes: the frame was already given disk bytes")
	}
	e.diskSeq = e.seq
	f.Info.WriteLabel = DiskWriteLabel
	f.Info.Note = e.src.Info().Note
	f.DiskBytes = true
	if f.Elapsed <= 0 {
		return nil
	}
	secs := f.Elapsed.Seconds()
	byKey := make(map[ProcKey]int, len(acts))
	for i := range acts {
		byKey[acts[i].Key] = i
	}
	used := make([]bool, len(acts))
	for i := range f.Processes {
		r := &f.Processes[i]
		r.DirtiedRate = r.WriteRate
		r.WriteRate, r.WritebackRate, r.DiskIONanos, r.DiskIOCount, r.OnDisk = 0, 0, 0, 0, nil
		r.DiskBytes = true
		j, ok := byKey[r.Key]
		if !ok {
			r.WriteTotal, r.WrittenOnDisk = e.diskTotals[r.Key].get()
			e.setLatestPointLocked(r.Key, 0)
			continue
		}
		used[j] = true
		setDiskRates(r, &acts[j], secs, e.addDiskTotalLocked(r.Key, &acts[j]))
		e.setLatestPointLocked(r.Key, r.WriteRate)
	}
	for j := range acts {
		a := &acts[j]
		if used[j] || (a.WriteBytes == 0 && a.ReadBytes == 0 && a.DiscardBytes == 0) {
			continue
		}
		r := ProcessRates{Key: a.Key, Name: textsafe.Clean(a.Name), DiskBytes: true, Kernel: a.Kernel}
		if a.Kernel {
			r.Class = Classification{Class: ClassInbox, Rule: a.Rule}
		} else {
			r.Class = e.cls.ClassifyProcess(&ProcessCounters{Key: a.Key, Name: a.Name})
			r.Exited = !e.alive(a.Key)
		}
		setDiskRates(&r, a, secs, e.addDiskTotalLocked(r.Key, a))
		st := e.gone[a.Key]
		if st == nil {
			st = &procState{born: e.seq}
		}
		st.rates = r
		e.pushMergedPointLocked(a.Key, st, r.WriteRate)
		f.Processes = append(f.Processes, r)
	}
	if len(e.diskTotals) > 4*len(f.Processes)+1024 {
		e.pruneDiskTotalsLocked()
	}
	if n := overstatedNote(f.Processes); n != "" {
		f.Info.Note = joinNote(f.Info.Note, n)
	}
	sortProcesses(f.Processes)
	return nil
}

// diskTotal is one row's disk write bytes since the block layer's first
// interval, in all and per disk name (when the source tells disks apart).
type diskTotal struct {
	all uint64
	on  map[string]uint64
}

// get returns the totals for a frame: the per-disk map is a copy, as
// frames outlive the engine's next interval.
func (t *diskTotal) get() (uint64, map[string]uint64) {
	if t == nil {
		return 0, nil
	}
	var on map[string]uint64
	if len(t.on) > 0 {
		on = make(map[string]uint64, len(t.on))
		for d, b := range t.on {
			on[d] = b
		}
	}
	return t.all, on
}

// addDiskTotalLocked adds an interval's write bytes to a row's totals.
func (e *Engine) addDiskTotalLocked(k ProcKey, a *DiskActivity) *diskTotal {
	t := e.diskTotals[k]
	if t == nil {
		t = &diskTotal{}
		e.diskTotals[k] = t
	}
	t.all += a.WriteBytes
	for d, io := range a.OnDisk {
		if io.WriteBytes == 0 {
			continue
		}
		if t.on == nil {
			t.on = map[string]uint64{}
		}
		t.on[d] += io.WriteBytes
	}
	return t
}

// setDiskRates sets a row's write figures from its disk bytes and its
// disk totals.
func setDiskRates(r *ProcessRates, a *DiskActivity, secs float64, total *diskTotal) {
	r.WriteRate = float64(a.WriteBytes) / secs
	r.WritebackRate = float64(a.WritebackBytes) / secs
	r.DiskReadRate = float64(a.ReadBytes) / secs
	r.DiscardRate = float64(a.DiscardBytes) / secs
	r.WriteTotal, r.WrittenOnDisk = total.get()
	r.DiskIONanos, r.DiskIOCount = a.IONanos, a.IOCount
	r.OnDisk = a.OnDisk
}

// setLatestPointLocked makes w the process's write rate at the latest
// history point, which Sample pushed from its previous write figure.
func (e *Engine) setLatestPointLocked(k ProcKey, w float64) {
	st := e.procs[k]
	if st == nil {
		st = e.gone[k]
	}
	if st == nil {
		return
	}
	if st.series == nil || st.seriesEnd != e.next-1 {
		if w > 0 {
			e.pushMergedPointLocked(k, st, w)
		}
		return
	}
	st.series.SetLast(w)
	if w > 0 {
		st.lastNonZero = st.seriesEnd
	}
}

// pruneDiskTotalsLocked forgets the disk totals of processes the engine
// no longer knows.
func (e *Engine) pruneDiskTotalsLocked() {
	for k := range e.diskTotals {
		if e.procs[k] == nil && e.gone[k] == nil && k.Start >= 0 {
			delete(e.diskTotals, k)
		}
	}
}

// overstatedNote is the frame's note about rows whose dirtied figure
// (write_bytes) exceeds their disk bytes by more than overstateFactor: how
// many, and the worst, by bytes.
func overstatedNote(ps []ProcessRates) string {
	var n int
	var worst *ProcessRates
	for i := range ps {
		r := &ps[i]
		if r.DirtiedRate > overstateFactor*r.WriteRate && r.DirtiedRate-r.WriteRate >= 64<<10 {
			n++
			if worst == nil || r.DirtiedRate-r.WriteRate > worst.DirtiedRate-worst.WriteRate {
				worst = r
			}
		}
	}
	if worst == nil {
		return ""
	}
	return fmt.Sprintf("%s exceeds disk bytes >2x for %d process(es), e.g. %s %s", DirtiedLabel, n, worst.Name, ratioText(worst.DirtiedRate, worst.WriteRate))
}

// ratioText says how many times a is b ("31x", or "all" when b is 0).
func ratioText(a, b float64) string {
	if b <= 0 {
		return "dirtied pages, none on disk"
	}
	return fmt.Sprintf("%.1fx", a/b)
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// overstatementNote is the note of a frame whose write figures are
// write_bytes (no block-layer source): that they can overstate what
// reaches the disk and, when the rows add up to more than the disks
// wrote, by how much.
func overstatementNote(f *Frame) string {
	var sum float64
	for i := range f.Processes {
		if r := &f.Processes[i]; !(r.Exited && !r.Merged) {
			sum += r.WriteRate
		}
	}
	const warn = "write_bytes (kernel accounting) can overstate disk writes; disk bytes need the eBPF block-layer source (root, --files not off)"
	if f.DiskWriteRate > 0 && sum > 1.05*f.DiskWriteRate && sum-f.DiskWriteRate >= 64<<10 {
		return fmt.Sprintf("process writes add up to %.1fx the disks' writes: %s", sum/f.DiskWriteRate, warn)
	}
	return warn
}
