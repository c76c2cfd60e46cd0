//go:build windows

package fileio

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v4/process"
	"golang.org/x/sys/windows"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// etwInfo is what the Windows backend counts and misses.
var etwInfo = Info{
	Backend: "etw",
	Counts:  "bytes of read and write requests seen by the Microsoft-Windows-Kernel-File ETW provider (cached writes count when the process writes)",
	Limits: "cache flushes, memory-mapped writes and page-file I/O appear under System (PID 4) as paging I/O; " +
		"files opened before tracing started are named by file key until reopened",
	AllProcesses: true,
}

// etwSource subscribes to Microsoft-Windows-Kernel-File on hvrdoctor's
// shared private real-time session ("hvrdoctor-<pid>", see
// internal/etwsession), so it coexists with other tracing tools and with
// the sampler's disk-byte counting.
type etwSource struct {
	clock sampler.Clock
	sub   *etwsession.Subscription
	// disk is the Kernel-Disk subscription for per-file disk bytes and
	// response times; nil when ETW refused it (the rows then have none).
	disk *etwsession.Subscription
	dec  *etwDecoder
	b    *intervalBuilder
	last time.Time
	lost uint64
	info Info

	mu    sync.Mutex
	procs map[uint32]procIdent
}

type procIdent struct {
	key  sampler.ProcKey
	name string
}

func openETW(clock sampler.Clock) (*etwSource, error) {
	if !windows.GetCurrentProcessToken().IsElevated() {
		return nil, errors.New("per-file activity needs an elevated prompt (hvrdoctor starts its ETW session only elevated): run hvrdoctor as Administrator")
	}
	s := &etwSource{
		clock: clock,
		dec:   newETWDecoder(dosDevices()),
		b:     newIntervalBuilder(),
		info:  etwInfo,
		procs: make(map[uint32]procIdent),
	}
	// Set before the first event can arrive (the callback reads them).
	s.dec.threadPID = sampler.NewThreadPIDLookup()
	s.dec.qpcFreq = etwsession.QPCFrequency()
	sub, err := etwsession.Subscribe(kernelFileProvider, s.onEvent)
	if err != nil {
		return nil, err
	}
	s.sub = sub
	if disk, err := etwsession.Subscribe(kernelDiskProvider, s.onEvent); err == nil {
		s.disk = disk
	}
	s.lost = etwsession.Lost()
	s.last = clock.Now()
	return s, nil
}

// onEvent hands one parsed event to the portable decoder.
func (s *etwSource) onEvent(e etwsession.Event) { s.dec.handleEvent(e) }

func (s *etwSource) Info() Info { return s.info }

func (s *etwSource) Close() error {
	var errs []error
	if s.disk != nil {
		errs = append(errs, s.disk.Close())
	}
	return errors.Join(append(errs, s.sub.Close())...)
}

func (s *etwSource) Read(ctx context.Context) (Interval, error) {
	if err := ctx.Err(); err != nil {
		return Interval{}, err
	}
	if err := etwsession.Flush(); err != nil {
		return Interval{}, err
	}
	now := s.clock.Now()
	s.dec.drainInto(s.b, s.ident)
	iv := s.b.finish(now, now.Sub(s.last))
	iv.DiskFiles = s.disk != nil
	s.last = now
	// Lost events are the shared session's: they may be disk events too.
	lost := etwsession.Lost()
	iv.Dropped = lost - s.lost
	s.lost = lost
	return iv, nil
}

// ident names a PID the way the per-process sampler keys it (gopsutil
// create time in ms since the epoch). An exited process keeps the name it
// had when last seen, or is called "exited".
func (s *etwSource) ident(pid uint32) (sampler.ProcKey, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, err := process.NewProcess(int32(pid)); err == nil {
		if created, err := p.CreateTime(); err == nil {
			if old, ok := s.procs[pid]; ok && old.key.Start == created {
				return old.key, old.name
			}
			name, _ := p.Name()
			id := procIdent{key: sampler.ProcKey{PID: int32(pid), Start: created}, name: name}
			if pid == 4 && name == "" {
				id.name = "System"
			}
			s.procs[pid] = id
			return id.key, id.name
		}
	}
	if old, ok := s.procs[pid]; ok {
		return old.key, old.name
	}
	return sampler.ProcKey{PID: int32(pid)}, "exited"
}

// dosDevices maps NT device names to drive letters
// (`\Device\HarddiskVolume3` -> `C:`).
func dosDevices() map[string]string {
	out := make(map[string]string)
	mask, err := windows.GetLogicalDrives()
	if err != nil {
		return out
	}
	buf := make([]uint16, 1024)
	for i := 0; i < 26; i++ {
		if mask&(1<<i) == 0 {
			continue
		}
		drive := string(rune('A'+i)) + ":"
		name, _ := windows.UTF16PtrFromString(drive)
		n, err := windows.QueryDosDevice(name, &buf[0], uint32(len(buf)))
		if err != nil || n == 0 {
			continue
		}
		out[windows.UTF16ToString(buf[:n])] = drive
	}
	return out
}
