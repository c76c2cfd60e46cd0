//go:build windows && amd64

package sampler

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sys/windows"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
)

// etwDiskSource is the Windows source run as Administrator: the processes
// and their names come from gopsutil, the write and read figures from the
// Microsoft-Windows-Kernel-Disk events of hvrdoctor's shared ETW session
// (bytes that reached the disk, per issuing process), and
// LogicalWriteBytes keeps GetProcessIoCounters' all-I/O counts.
type etwDiskSource struct {
	*gopsutilSource
	dec  *diskDecoder
	subs []*etwsession.Subscription

	mu     sync.Mutex
	starts map[uint32]int64
}

// withDiskEvents subscribes to the disk and file providers; when that
// fails (not elevated, ETW refused) the source stays on
// GetProcessIoCounters and its status line says why.
func withDiskEvents(s *gopsutilSource) Source {
	if !isPrivileged() {
		return s
	}
	d := &etwDiskSource{gopsutilSource: s, dec: newDiskDecoder(newThreadPIDs().lookup, etwsession.QPCFrequency()), starts: make(map[uint32]int64)}
	for _, p := range diskProviders {
		sub, err := etwsession.Subscribe(p, d.dec.handle)
		if err != nil {
			d.Close()
			s.diskNote = "ETW disk events unavailable: " + err.Error()
			return s
		}
		d.subs = append(d.subs, sub)
	}
	return d
}

// Info says the figures are disk bytes from ETW.
func (d *etwDiskSource) Info() SourceInfo {
	info := d.gopsutilSource.Info()
	info.Name = "etw"
	info.DiskBytes = true
	info.WriteLabel = "disk writes per process, from ETW (Kernel-Disk)"
	info.Note = "bytes that reached the disk, per issuing process, from ETW Microsoft-Windows-Kernel-Disk (session hvrdoctor-<pid>), with each request's response time; cache flushes and paging writes show under System"
	return info
}

// Snapshot lists the processes and gives each its disk bytes so far.
func (d *etwDiskSource) Snapshot(ctx context.Context) (Snapshot, error) {
	// Events up to now are delivered before the totals are read; a failed
	// flush only delays some bytes to the next snapshot.
	_ = etwsession.Flush()
	snap, err := d.gopsutilSource.Snapshot(ctx)
	if err != nil {
		return snap, err
	}
	d.mu.Lock()
	applyDiskTotals(&snap, d.dec, d.starts)
	d.mu.Unlock()
	return snap, nil
}

// Close stops this source's subscriptions (and the session, when the
// per-file backend does not use it too).
func (d *etwDiskSource) Close() error {
	var errs []error
	for _, s := range d.subs {
		errs = append(errs, s.Close())
	}
	d.subs = nil
	return errors.Join(errs...)
}

// threadPIDs resolves a thread ID to its process with OpenThread and
// GetProcessIdOfThread, caching the answers (bounded).
type threadPIDs struct {
	mu    sync.Mutex
	cache map[uint32]uint32
}

var procGetProcessIdOfThread = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetProcessIdOfThread")

// NewThreadPIDLookup is a thread-to-process resolver (OpenThread and
// GetProcessIdOfThread, cached) for other decoders of Kernel-Disk events
// (the per-file backend), so they charge a request as the per-process
// counts do.
func NewThreadPIDLookup() func(tid uint32) (uint32, bool) { return newThreadPIDs().lookup }

func newThreadPIDs() *threadPIDs { return &threadPIDs{cache: make(map[uint32]uint32)} }

func (t *threadPIDs) lookup(tid uint32) (uint32, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if pid, ok := t.cache[tid]; ok {
		return pid, true
	}
	h, err := windows.OpenThread(windows.THREAD_QUERY_LIMITED_INFORMATION, false, tid)
	if err != nil {
		return 0, false // exited: the caller falls back
	}
	defer windows.CloseHandle(h)
	r, _, _ := procGetProcessIdOfThread.Call(uintptr(h))
	if r == 0 {
		return 0, false
	}
	if len(t.cache) >= 50_000 {
		clear(t.cache)
	}
	t.cache[tid] = uint32(r)
	return uint32(r), true
}
