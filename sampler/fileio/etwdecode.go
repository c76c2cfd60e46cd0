package fileio

import (
	"strconv"
	"strings"
	"sync"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Microsoft-Windows-Kernel-File ({EDD08927-9CC4-4E65-B970-C2560FB5C289})
// event IDs used by the ETW backend, from the provider's manifest
// (`logman query providers Microsoft-Windows-Kernel-File`,
// wevtutil gp Microsoft-Windows-Kernel-File /ge /gm); their keywords are
// in internal/etwsession.
const (
	kfNameCreate    = 10 // FileKey, FileName
	kfNameDelete    = 11 // FileKey, FileName
	kfCreate        = 12 // Irp, FileObject, IssuingThreadId, CreateOptions, CreateAttributes, ShareAccess, FileName
	kfClose         = 14 // Irp, FileObject, FileKey, IssuingThreadId
	kfRead          = 15 // ByteOffset, Irp, FileObject, FileKey, IssuingThreadId, IOSize, IOFlags, ExtraFlags
	kfWrite         = 16 // same fields as Read
	kfRenamePath    = 27 // Irp, FileObject, FileKey, ExtraInformation, IssuingThreadId, InfoClass, FilePath
	kfCreateNewFile = 30 // as Create
)

// kernelFileProvider is what the ETW backend asks of Kernel-File: the
// events above, by ID, with every keyword they carry in the manifest
// (Close carries only FILEIO and RenamePath only RENAME_SETLINK_PATH; the
// ID filter keeps FILEIO's other events out).
var kernelFileProvider = etwsession.Provider{
	GUID: etwsession.KernelFileGUID,
	Name: "Microsoft-Windows-Kernel-File",
	Keywords: etwsession.KernelFileKeywordFileName | etwsession.KernelFileKeywordFileIO |
		etwsession.KernelFileKeywordCreate | etwsession.KernelFileKeywordRead |
		etwsession.KernelFileKeywordWrite | etwsession.KernelFileKeywordRenameSetLinkPath |
		etwsession.KernelFileKeywordCreateNewFile,
	IDs: []uint16{kfNameCreate, kfNameDelete, kfCreate, kfClose, kfRead, kfWrite, kfRenamePath, kfCreateNewFile},
}

// kernelDiskProvider asks Kernel-Disk for its read and write completions:
// keywords 0 is every keyword of the provider (EnableTraceEx2, for a
// manifest-based provider), the IDs pick the two events.
var kernelDiskProvider = etwsession.Provider{GUID: etwsession.KernelDiskGUID, Name: "Microsoft-Windows-Kernel-Disk",
	IDs: []uint16{kdDiskRead, kdDiskWrite}}

// kernelFileEvent is one Microsoft-Windows-Kernel-File event as the ETW
// consumer hands it over: the event ID, the process the event was logged
// in, and the properties formatted as strings (numbers in decimal or 0x
// hex, pointers in 0x hex).
type kernelFileEvent struct {
	ID    uint16
	PID   uint32
	Props map[string]string
}

// etwCountKey is one (process, file) pair in the decoder's counts.
type etwCountKey struct {
	pid  uint32
	path string
}

// etwCounts are the bytes and calls of one pair in one interval, and the
// disk requests the Kernel-Disk events charged to it: bytes written to
// the disk, and the requests' response time, summed (ns), and count.
type etwCounts struct {
	writeBytes, readBytes, writeCalls, readCalls uint64
	diskWriteBytes, diskIONanos, diskIOCount     uint64
}

// Microsoft-Windows-Kernel-Disk ({C7BDE69A-E1E0-4177-B6EF-283AD1525271})
// completions, from the provider's manifest: DiskNumber, IrpFlags,
// TransferSize, Reserved, ByteOffset, FileObject, IORequestPacket,
// HighResResponseTime and, in later versions, IssuingThreadId. Their IDs
// overlap Kernel-File's (10, 11), so the provider decides
// (etwDecoder.handleDisk).
const (
	kdDiskRead  = 10
	kdDiskWrite = 11
)

// etwDecoder turns Kernel-File events into per-(process, file) byte counts.
// Read and Write events carry only FileObject and FileKey; the names come
// from Create/CreateNewFile (FileObject -> name) and NameCreate (FileKey
// -> name) events, and NT device paths are turned into drive letters with
// the devices table (`\Device\HarddiskVolume3` -> `C:`). It is safe for
// one writer (the ETW callback) and one reader (Read).
type etwDecoder struct {
	devices map[string]string
	// threadPID resolves a disk request's IssuingThreadId to its process
	// (nil: not resolved); qpcFreq converts HighResResponseTime ticks to
	// time (etwsession.ResponseNanos; 0 leaves requests untimed).
	threadPID func(tid uint32) (uint32, bool)
	qpcFreq   uint64

	mu       sync.Mutex
	byObject map[uint64]string
	opener   map[uint64]uint32 // file object -> the process that opened it
	byKey    map[uint64]string
	counts   map[etwCountKey]*etwCounts
	unnamed  uint64 // read/write events whose file had no name event yet
}

// maxNames bounds the name tables: past it, the oldest names are not
// tracked (they are cleared all at once and refill from new events).
const maxNames = 200_000

func newETWDecoder(devices map[string]string) *etwDecoder {
	return &etwDecoder{
		devices:  devices,
		byObject: make(map[uint64]string),
		opener:   make(map[uint64]uint32),
		byKey:    make(map[uint64]string),
		counts:   make(map[etwCountKey]*etwCounts),
	}
}

// handle applies one event.
func (d *etwDecoder) handle(ev kernelFileEvent) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch ev.ID {
	case kfNameCreate:
		if k, ok := propUint(ev.Props, "FileKey"); ok {
			d.remember(d.byKey, k, d.dosPath(ev.Props["FileName"]))
		}
	case kfNameDelete:
		if k, ok := propUint(ev.Props, "FileKey"); ok {
			delete(d.byKey, k)
		}
	case kfCreate, kfCreateNewFile:
		if o, ok := propUint(ev.Props, "FileObject"); ok {
			d.remember(d.byObject, o, d.dosPath(ev.Props["FileName"]))
			if len(d.opener) >= maxNames {
				clear(d.opener)
			}
			d.opener[o] = ev.PID
		}
	case kfRenamePath:
		if k, ok := propUint(ev.Props, "FileKey"); ok {
			if p := ev.Props["FilePath"]; p != "" {
				d.remember(d.byKey, k, d.dosPath(p))
			}
		}
	case kfClose:
		if o, ok := propUint(ev.Props, "FileObject"); ok {
			delete(d.byObject, o)
			delete(d.opener, o)
		}
	case kfRead, kfWrite:
		size, ok := propUint(ev.Props, "IOSize")
		if !ok || size == 0 {
			return
		}
		path := ""
		if k, ok := propUint(ev.Props, "FileKey"); ok {
			path = d.byKey[k]
		}
		if path == "" {
			if o, ok := propUint(ev.Props, "FileObject"); ok {
				path = d.byObject[o]
			}
		}
		if path == "" {
			d.unnamed++
			k, _ := propUint(ev.Props, "FileKey")
			path = "file key 0x" + strconv.FormatUint(k, 16) + " (opened before tracing started)"
		}
		ck := etwCountKey{pid: ev.PID, path: path}
		c := d.counts[ck]
		if c == nil {
			c = &etwCounts{}
			d.counts[ck] = c
		}
		if ev.ID == kfWrite {
			c.writeBytes += size
			c.writeCalls++
		} else {
			c.readBytes += size
			c.readCalls++
		}
	}
}

// handleEvent routes one event of the shared session: Kernel-Disk's IDs
// overlap Kernel-File's (10, 11), so the provider picks the handler.
func (d *etwDecoder) handleEvent(e etwsession.Event) {
	ev := kernelFileEvent{ID: e.ID, PID: e.PID, Props: e.Props}
	if e.Provider == etwsession.KernelDiskGUID {
		d.handleDisk(ev)
		return
	}
	d.handle(ev)
}

// handleDisk applies one Microsoft-Windows-Kernel-Disk DiskRead or
// DiskWrite completion to the file its FileObject was opened as, charged
// to the process of its IssuingThreadId, else to the file's opener, else
// to the event header's process (as sampler's per-process disk counts
// are). A request on a file object not seen opened (opened before
// tracing started) is left to the per-process counts.
func (d *etwDecoder) handleDisk(ev kernelFileEvent) {
	if ev.ID != kdDiskRead && ev.ID != kdDiskWrite {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	size, ok := propUint(ev.Props, "TransferSize")
	if !ok || size == 0 {
		return
	}
	o, ok := propUint(ev.Props, "FileObject")
	if !ok || o == 0 || d.byObject[o] == "" {
		return
	}
	pid, found := uint32(0), false
	if tid, ok := propUint(ev.Props, "IssuingThreadId"); ok && tid != 0 && d.threadPID != nil {
		pid, found = d.threadPID(uint32(tid))
	}
	if !found {
		pid, found = d.opener[o]
	}
	if !found {
		pid = ev.PID
	}
	ck := etwCountKey{pid: pid, path: d.byObject[o]}
	c := d.counts[ck]
	if c == nil {
		c = &etwCounts{}
		d.counts[ck] = c
	}
	if ev.ID == kdDiskWrite {
		c.diskWriteBytes += size
	}
	if ns, ok := etwsession.ResponseNanos(ev.Props, d.qpcFreq); ok {
		c.diskIONanos += ns
		c.diskIOCount++
	}
}

func (d *etwDecoder) remember(m map[uint64]string, k uint64, name string) {
	if name == "" {
		return
	}
	if len(m) >= maxNames {
		clear(m)
	}
	m[k] = name
}

// take returns the counts since the previous take and starts over.
func (d *etwDecoder) take() (map[etwCountKey]*etwCounts, uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, u := d.counts, d.unnamed
	d.counts, d.unnamed = make(map[etwCountKey]*etwCounts, len(c)), 0
	return c, u
}

// dosPath turns `\Device\HarddiskVolume3\Users\a.txt` into `C:\Users\a.txt`
// when the device is in the table; other paths are returned as they are.
func (d *etwDecoder) dosPath(nt string) string {
	if !strings.HasPrefix(nt, `\Device\`) {
		return nt
	}
	rest := nt[len(`\Device\`):]
	dev, tail, _ := strings.Cut(rest, `\`)
	if letter, ok := d.devices[`\Device\`+dev]; ok {
		return letter + `\` + tail
	}
	return nt
}

// propUint reads a property formatted as decimal or 0x hex.
func propUint(props map[string]string, name string) (uint64, bool) {
	return etwsession.PropUint(props, name)
}

// drainInto adds the counts since the previous drain to b, naming each
// process with proc, and returns how many read/write events had no file
// name.
func (d *etwDecoder) drainInto(b *intervalBuilder, proc func(pid uint32) (sampler.ProcKey, string)) uint64 {
	counts, unnamed := d.take()
	for k, c := range counts {
		if c.writeBytes == 0 && c.readBytes == 0 && c.diskWriteBytes == 0 {
			// only disk reads, no file bytes: no row, as the block
			// layer's disk-only rows are written files only
			continue
		}
		key, name := proc(k.pid)
		b.add(FileActivity{
			Key:        FileKey{Proc: key, Path: k.path},
			Name:       name,
			WriteBytes: c.writeBytes,
			ReadBytes:  c.readBytes,
			WriteCalls: c.writeCalls,
			ReadCalls:  c.readCalls,

			DiskWriteBytes: c.diskWriteBytes,
			DiskIONanos:    c.diskIONanos,
			DiskIOCount:    c.diskIOCount,
		})
	}
	return unnamed
}
