//go:build !linux

package sampler

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"

	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/process"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
)

// gopsutilSource reads processes and disks through gopsutil v4 on systems
// without /proc. What its counters mean depends on the OS:
//
//   - Windows: GetProcessIoCounters' transfer counts, which include network
//     and device I/O as well as disk writes; there is no separate logical
//     count, so LogicalWriteBytes repeats WriteBytes. Disks are volumes
//     ("C:") from the volume performance counters.
//   - darwin: proc_pid_rusage's disk I/O bytes (ri_diskio_byteswritten), which
//     count bytes the process caused to be written to storage; logical
//     syscall bytes are not available (0). Other users' processes need root.
type gopsutilSource struct {
	mu    sync.Mutex
	clock Clock
	meta  map[ProcKey]*procMeta
	gen   uint64
	// diskNote says why the per-process figures are not disk bytes from
	// ETW on Windows ("" elsewhere, or when ETW was not tried).
	diskNote string
}

type procMeta struct {
	name    string
	cmdline string
	user    string
	gen     uint64
}

// NewLiveSource returns the source for this machine: direct /proc reads on
// Linux, gopsutil elsewhere.
// On Windows, run as Administrator, the per-process figures are disk bytes
// from ETW (see diskevents_windows_amd64.go); the source then implements
// io.Closer to stop its ETW session.
func NewLiveSource() Source {
	return withDiskEvents(&gopsutilSource{clock: SystemClock{}, meta: make(map[ProcKey]*procMeta)})
}

// SetClock sets the clock that timestamps snapshots.
func (s *gopsutilSource) SetClock(c Clock) {
	s.mu.Lock()
	s.clock = c
	s.mu.Unlock()
}

// Info describes the counters on this OS.
func (s *gopsutilSource) Info() SourceInfo {
	priv := isPrivileged()
	info := SourceInfo{Name: "gopsutil", Privileged: priv}
	switch runtime.GOOS {
	case "windows":
		info.WriteLabel = "all I/O writes (disk, network, devices), from GetProcessIoCounters"
		info.Note = "per-process figures are all I/O (disk, network, devices), from GetProcessIoCounters"
		if s.diskNote != "" {
			info.Note += ": " + s.diskNote
		}
		if !priv {
			info.Note = "some processes are hidden and figures are all I/O (disk, network, devices): run as Administrator to see every process"
			if s.diskNote == "" {
				info.Note += " and its disk bytes (ETW)"
			} else {
				info.Note += "; " + s.diskNote
			}
		}
	case "darwin":
		info.WriteLabel = "disk writes from proc_pid_rusage (ri_diskio_byteswritten)"
		if !priv {
			info.Note = "other users' processes are hidden: run with sudo to see them"
		}
	default:
		info.WriteLabel = "disk writes as gopsutil reports them on " + runtime.GOOS
		info.Note = "per-process I/O counters may be unavailable on " + runtime.GOOS
	}
	return info
}

// Snapshot reads every process and disk.
func (s *gopsutilSource) Snapshot(ctx context.Context) (Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := s.clock.Now()
	procs, err := process.ProcessesWithContext(ctx)
	if err != nil {
		return Snapshot{}, fmt.Errorf("list processes: %w", err)
	}
	s.gen++
	snap := Snapshot{Processes: make([]ProcessCounters, 0, len(procs))}
	// A refusal is "hidden" when privilege would lift it, "unreadable"
	// when the program has it already (protected processes on Windows).
	denied := &snap.Hidden
	if isPrivileged() {
		denied = &snap.Unreadable
	}
	for _, p := range procs {
		if err := ctx.Err(); err != nil {
			return Snapshot{}, err
		}
		created, err := p.CreateTimeWithContext(ctx)
		if err != nil {
			if isDenied(err) {
				*denied++
			}
			continue
		}
		key := ProcKey{PID: p.Pid, Start: created}
		m := s.meta[key]
		if m == nil {
			m = &procMeta{}
			m.name, _ = p.NameWithContext(ctx)
			m.cmdline, _ = p.CmdlineWithContext(ctx)
			m.user, _ = p.UsernameWithContext(ctx)
			s.meta[key] = m
		}
		m.gen = s.gen
		io, err := p.IOCountersWithContext(ctx)
		if err != nil || io == nil {
			if err == nil || isDenied(err) {
				*denied++
			}
			continue
		}
		pc := ProcessCounters{Key: key, Name: textsafe.Clean(m.name), Cmdline: textsafe.Clean(m.cmdline), User: m.user}
		if runtime.GOOS == "windows" {
			pc.WriteBytes, pc.ReadBytes = io.WriteBytes, io.ReadBytes
			pc.LogicalWriteBytes, pc.LogicalReadBytes = io.WriteBytes, io.ReadBytes
		} else {
			pc.WriteBytes, pc.ReadBytes = io.DiskWriteBytes, io.DiskReadBytes
			pc.LogicalWriteBytes, pc.LogicalReadBytes = io.WriteBytes, io.ReadBytes
		}
		snap.Processes = append(snap.Processes, pc)
	}
	for k, m := range s.meta {
		if m.gen != s.gen {
			delete(s.meta, k)
		}
	}
	if dc, err := disk.IOCountersWithContext(ctx); err == nil {
		for name, c := range dc {
			snap.Disks = append(snap.Disks, DiskCounters{Name: name, WriteBytes: c.WriteBytes, ReadBytes: c.ReadBytes})
		}
		sort.Slice(snap.Disks, func(i, j int) bool { return snap.Disks[i].Name < snap.Disks[j].Name })
	}
	end := s.clock.Now()
	snap.Time = start.Add(end.Sub(start) / 2)
	return snap, nil
}

// isDenied reports a permission error from gopsutil or the OS.
func isDenied(err error) bool {
	return errors.Is(err, process.ErrorNotPermitted) || errors.Is(err, os.ErrPermission)
}
