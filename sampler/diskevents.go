package sampler

import (
	"sync"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
)

// Microsoft-Windows-Kernel-Disk event IDs, from the provider's manifest
// (`wevtutil gp Microsoft-Windows-Kernel-Disk /ge /gm`): DiskRead and
// DiskWrite carry DiskNumber, IrpFlags, TransferSize, Reserved,
// ByteOffset, FileObject, IORequestPacket, HighResResponseTime and, in
// later versions, IssuingThreadId. They are logged when the request
// completes, often in another process's context (the header's process is
// then whoever ran the completion), so the header PID is the last resort.
const (
	kdDiskRead  = 10
	kdDiskWrite = 11
)

// Microsoft-Windows-Kernel-File events used to learn which process opened
// a file object and the file's name (the same manifest fields as the
// per-file backend's: Create and CreateNewFile carry FileObject and
// FileName, Close ends a file object).
const (
	kfCreate        = 12
	kfClose         = 14
	kfCreateNewFile = 30
)

// diskProviders are the two providers the disk-byte counts subscribe to:
// Kernel-File's Create, CreateNewFile and Close with the keywords each
// carries in the manifest (Close carries only FILEIO; the ID filter keeps
// FILEIO's other events out), and Kernel-Disk's read and write
// completions with keywords 0, every keyword of the provider
// (EnableTraceEx2, for a manifest-based provider).
var diskProviders = []etwsession.Provider{
	{GUID: etwsession.KernelFileGUID, Name: "Microsoft-Windows-Kernel-File",
		Keywords: etwsession.KernelFileKeywordFileName | etwsession.KernelFileKeywordFileIO |
			etwsession.KernelFileKeywordCreate | etwsession.KernelFileKeywordCreateNewFile,
		IDs: []uint16{kfCreate, kfClose, kfCreateNewFile}},
	{GUID: etwsession.KernelDiskGUID, Name: "Microsoft-Windows-Kernel-Disk", IDs: []uint16{kdDiskRead, kdDiskWrite}},
}

// diskOwner is who opened a file object, and the file's name.
type diskOwner struct {
	pid  uint32
	path string
}

// diskBytes are the disk bytes of one process (or one process and file),
// and the response time of its timed requests, summed (ns), and their
// count.
type diskBytes struct {
	read, write      uint64
	ioNanos, ioCount uint64
}

// diskFileKey is one process and file in the per-file disk counts.
type diskFileKey struct {
	pid  uint32
	path string
}

// diskDecoder turns Kernel-Disk events into disk bytes per process (and
// per file where the file object was seen opened). A request is
// attributed, in this order, to the process of its IssuingThreadId (when
// threadPID can resolve it), to the process that opened its FileObject
// (from Kernel-File Create events), or to the event header's process.
// Cache-manager flushes and paging writes are issued by System threads and
// stay with System (PID 4), as in Resource Monitor. Safe for one writer
// (the ETW callback) and readers.
type diskDecoder struct {
	threadPID func(tid uint32) (uint32, bool)
	// qpcFreq converts HighResResponseTime ticks to time
	// (etwsession.ResponseNanos); 0 leaves requests untimed.
	qpcFreq uint64

	mu       sync.Mutex
	byObject map[uint64]diskOwner
	total    map[uint32]*diskBytes // cumulative since the decoder started
	files    map[diskFileKey]*diskBytes
	byHeader uint64 // requests attributed by the header PID only
}

func newDiskDecoder(threadPID func(uint32) (uint32, bool), qpcFreq uint64) *diskDecoder {
	return &diskDecoder{
		threadPID: threadPID,
		qpcFreq:   qpcFreq,
		byObject:  make(map[uint64]diskOwner),
		total:     make(map[uint32]*diskBytes),
		files:     make(map[diskFileKey]*diskBytes),
	}
}

// maxDiskObjects bounds the file-object table; past it the table starts
// over (attribution then falls back to the thread or header).
const maxDiskObjects = 200_000

// handle applies one event of either provider.
func (d *diskDecoder) handle(ev etwsession.Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch ev.Provider {
	case etwsession.KernelFileGUID:
		switch ev.ID {
		case kfCreate, kfCreateNewFile:
			if o, ok := etwsession.PropUint(ev.Props, "FileObject"); ok {
				if len(d.byObject) >= maxDiskObjects {
					clear(d.byObject)
				}
				d.byObject[o] = diskOwner{pid: ev.PID, path: ev.Props["FileName"]}
			}
		case kfClose:
			if o, ok := etwsession.PropUint(ev.Props, "FileObject"); ok {
				delete(d.byObject, o)
			}
		}
	case etwsession.KernelDiskGUID:
		if ev.ID != kdDiskRead && ev.ID != kdDiskWrite {
			return
		}
		size, ok := etwsession.PropUint(ev.Props, "TransferSize")
		if !ok || size == 0 {
			return
		}
		owner, known := diskOwner{}, false
		if o, ok := etwsession.PropUint(ev.Props, "FileObject"); ok && o != 0 {
			owner, known = d.byObject[o]
		}
		pid, found := uint32(0), false
		if tid, ok := etwsession.PropUint(ev.Props, "IssuingThreadId"); ok && tid != 0 && d.threadPID != nil {
			pid, found = d.threadPID(uint32(tid))
		}
		if !found && known {
			pid, found = owner.pid, true
		}
		if !found {
			pid = ev.PID
			d.byHeader++
		}
		t := d.total[pid]
		if t == nil {
			t = &diskBytes{}
			d.total[pid] = t
		}
		var f *diskBytes
		if known && owner.path != "" {
			k := diskFileKey{pid: pid, path: owner.path}
			if f = d.files[k]; f == nil {
				f = &diskBytes{}
				d.files[k] = f
			}
		}
		if ns, ok := etwsession.ResponseNanos(ev.Props, d.qpcFreq); ok {
			t.ioNanos += ns
			t.ioCount++
			if f != nil {
				f.ioNanos += ns
				f.ioCount++
			}
		}
		if ev.ID == kdDiskWrite {
			t.write += size
			if f != nil {
				f.write += size
			}
		} else {
			t.read += size
			if f != nil {
				f.read += size
			}
		}
	}
}

// totals returns a copy of the cumulative bytes per process.
func (d *diskDecoder) totals() map[uint32]diskBytes {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[uint32]diskBytes, len(d.total))
	for pid, b := range d.total {
		out[pid] = *b
	}
	return out
}

// forget drops the totals of processes no longer running, so a reused PID
// starts from zero (the engine keys histories by PID and start time).
func (d *diskDecoder) forget(alive map[uint32]bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for pid := range d.total {
		if !alive[pid] {
			delete(d.total, pid)
		}
	}
	for k := range d.files {
		if !alive[k.pid] {
			delete(d.files, k)
		}
	}
}

// applyDiskTotals sets each process's WriteBytes and ReadBytes to the disk
// bytes the decoder attributed to it (0 when none), and DiskIONanos and
// DiskIOCount to its requests' response time and count, keeping the
// all-I/O counters in LogicalWriteBytes and LogicalReadBytes. A PID whose
// start time changed since the previous snapshot starts from zero.
func applyDiskTotals(snap *Snapshot, d *diskDecoder, starts map[uint32]int64) {
	alive := make(map[uint32]bool, len(snap.Processes))
	for _, p := range snap.Processes {
		pid := uint32(p.Key.PID)
		if s, ok := starts[pid]; ok && s != p.Key.Start {
			continue // reused: forgotten below, counted from the next snapshot
		}
		alive[pid] = true
	}
	d.forget(alive)
	tot := d.totals()
	clear(starts)
	for i := range snap.Processes {
		p := &snap.Processes[i]
		pid := uint32(p.Key.PID)
		starts[pid] = p.Key.Start
		b := tot[pid]
		p.WriteBytes, p.ReadBytes = b.write, b.read
		p.DiskIONanos, p.DiskIOCount = b.ioNanos, b.ioCount
	}
}
