package sampler

import (
	"context"
	"io"
	"time"
)

// ProcKey identifies one process instance. PIDs are reused by the OS, so the
// start time is part of the key: two processes with the same PID and different
// start times never share a history.
type ProcKey struct {
	PID int32
	// Start is the process start time in an OS-specific unit (clock ticks
	// since boot on Linux, milliseconds since the epoch elsewhere). Only
	// equality matters.
	Start int64
}

// ProcessCounters are the cumulative I/O counters of one process as read at
// one instant. They only grow while the process lives (Linux never
// subtracts cancelled writes from write_bytes: they are counted apart in
// cancelled_write_bytes), but the engine still tolerates a counter going
// backwards, as a rate of zero.
type ProcessCounters struct {
	Key     ProcKey
	Name    string // image name: "sqlservr.exe", "dd"
	Cmdline string
	User    string

	// WriteBytes and ReadBytes are the storage-layer counters where the OS
	// has them (Linux write_bytes/read_bytes), or what Source.Info says they
	// are (on Windows: all I/O transfer bytes, network and devices included).
	WriteBytes uint64
	ReadBytes  uint64
	// CancelledWriteBytes are bytes counted in WriteBytes that will never
	// reach the storage because the process truncated or deleted a file
	// whose pages were still dirty (Linux cancelled_write_bytes; 0 where
	// the OS has no such counter). The kernel charges them to the process
	// that truncates, which need not be the one that wrote. The engine
	// reports writes net of them.
	CancelledWriteBytes uint64
	// InheritedWriteBytes is the part of WriteBytes that is not the
	// process's live threads' own: what the children it reaped (and its
	// threads that exited) wrote, as last measured (Linux: write_bytes
	// less the sum of /proc/PID/task/*/io). 0 where unknown.
	InheritedWriteBytes uint64
	// LogicalWriteBytes and LogicalReadBytes count bytes passed to write and
	// read system calls (Linux wchar/rchar), pipes and terminals included.
	LogicalWriteBytes uint64
	LogicalReadBytes  uint64
	// DiskIONanos and DiskIOCount are the response time of the disk
	// requests the source charged to the process, summed (ns), and their
	// count, cumulative; 0 where the source does not time requests (only
	// the Windows ETW source does; on Linux the block layer's times come
	// through Engine.ApplyDiskBytes).
	DiskIONanos, DiskIOCount uint64

	// Preexisting is set by a source that reports a process for the first
	// time though it ran before: a replay brings a process in one sample
	// before its first recorded row, at its counters then. The engine
	// takes the counters it first sees as the process's baseline instead
	// of bytes of that interval (a new process counts from zero). Live
	// sources leave it false.
	Preexisting bool

	// PPID is the parent's PID as last read, 0 when unknown. On Linux the
	// parent's counters grow by a child's I/O when the parent reaps it
	// (SourceInfo.ReapedChildrenInParent), and the engine uses PPID to take
	// those bytes back out of the parent's rates.
	PPID int32
	// KernelThread is true for a Linux kernel thread (PF_KTHREAD): kworker,
	// jbd2, rcu_*, migration/N and the like. They are the OS's own.
	KernelThread bool
}

// DiskCounters are the cumulative counters of one block device.
type DiskCounters struct {
	Name       string // "sda", "nvme0n1", "C:"
	WriteBytes uint64
	ReadBytes  uint64
	// HasTimes is true when the fields below are read (Linux
	// /proc/diskstats): completed requests, milliseconds spent on them,
	// milliseconds busy (io_ticks) and the in-flight-weighted time.
	HasTimes              bool
	ReadIOs, WriteIOs     uint64
	ReadTicks, WriteTicks uint64
	IOTicks, Weighted     uint64
}

// Snapshot is one reading of a Source.
type Snapshot struct {
	Time      time.Time
	Processes []ProcessCounters
	Disks     []DiskCounters
	// Hidden counts processes that exist but whose counters could not be
	// read because this program lacks privilege (permission denied while
	// not root/Administrator): running with privilege would show them. They
	// are missing from Processes.
	Hidden int
	// Unreadable counts processes whose counters were refused even though
	// the program runs with privilege (a protected process, or PID 1 of a
	// container on Linux): more privilege would not show them. They are
	// missing from Processes and are not counted in Hidden.
	Unreadable int
}

// SourceInfo says what a Source's counters mean, for honest labels on screen
// and in recordings.
type SourceInfo struct {
	Name string // "procfs", "gopsutil", "replay"
	// WriteLabel describes WriteBytes: "storage-layer writes" or
	// "all I/O writes (disk, network, devices)".
	WriteLabel string
	// Note is a one-line limitation shown in the status bar, or "".
	Note string
	// Privileged is true when the source can read every process.
	Privileged bool
	// CancelledWrites is true when the source counts cancelled writes
	// (ProcessCounters.CancelledWriteBytes) and nets them out of the
	// write figures: Linux /proc.
	CancelledWrites bool
	// ReapedChildrenInParent is true when a parent's cumulative counters
	// grow by the counters of each child it reaps (Linux: wait() adds the
	// child's I/O accounting to the parent's). The engine then subtracts
	// an exited child's last counters from its parent (ProcessCounters.PPID).
	ReapedChildrenInParent bool
	// DiskBytes is true when the source's own write counters are bytes
	// that reached the disk (Windows: ETW Microsoft-Windows-Kernel-Disk):
	// its rows' WriteBasis is BasisDisk.
	DiskBytes bool
}

// Source gives cumulative counters per process and per disk. The live system
// and recorded replays both implement it. A Source that holds OS resources
// (the Windows ETW session) also implements io.Closer; its owner calls
// CloseSource (or Engine.Close) when done.
type Source interface {
	Snapshot(ctx context.Context) (Snapshot, error)
	Info() SourceInfo
}

// CloseSource closes src when it implements io.Closer, and does nothing
// otherwise.
func CloseSource(src Source) error {
	if c, ok := src.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
