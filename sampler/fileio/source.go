package fileio

import (
	"context"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/blockio"
)

// FileKey names one file as seen by one process.
type FileKey struct {
	Proc sampler.ProcKey
	// Path is the full path ("/var/lib/mysql/ib_logfile0",
	// `C:\pagefile.sys`). When a backend cannot name the file it says so in
	// the path ("dev 8:1 inode 1234 (path unknown)").
	Path string
}

// FileActivity is what one process did to one file during one interval.
type FileActivity struct {
	Key FileKey
	// Name is the process image name ("dd", "sqlservr.exe").
	Name string
	// WriteBytes and ReadBytes are the bytes written and read during the
	// interval, as the backend counts them (see Info().Counts).
	WriteBytes uint64
	ReadBytes  uint64
	// WriteCalls and ReadCalls count the calls behind the bytes where the
	// backend sees calls (eBPF, ETW); zero otherwise.
	WriteCalls uint64
	ReadCalls  uint64
	// BytesUnknown is true when the backend saw the process touch the file
	// but could not measure the bytes (fanotify saw a file opened, written
	// and closed between two scans).
	BytesUnknown bool
	// PPID is the process's parent (its thread group ID) when the backend
	// first saw it use the file in the interval; 0 when unknown. Only the
	// eBPF backend fills it.
	PPID int32
	// Medium says whether the file's bytes can reach a disk: MediumDisk,
	// MediumMemory (tmpfs and the like: marked MemoryNote), MediumNone
	// (kernel interfaces such as /proc: left out unless Options.AllFiles)
	// or "" when the backend cannot tell.
	Medium string
	// Deleted is true when the file was written in the interval and no
	// longer had its name at the reading (deleted, or replaced by another
	// file): what was written to it may never reach the disk. Only the
	// eBPF backend checks it.
	Deleted bool
	// dev is the file's device (user-space dev_t) when the backend knows
	// it, 0 otherwise; block is true for a block device.
	dev   uint64
	block bool
	// DiskWriteBytes is the bytes of this (process, file) pair that reached
	// the disk in the interval, from the block layer (Info.DiskBytes): its
	// own synced or direct writes and its share of the file's background
	// writeback. 0 without the block-layer source.
	DiskWriteBytes uint64
	// DiskIONanos and DiskIOCount are the response time (request start to completion) of the
	// requests this pair submitted (reads and its own synced or direct
	// writes, not its share of background writeback), summed, and their count, from the
	// block layer: DiskResponseMs is their mean. 0 without the block-layer
	// source.
	DiskIONanos, DiskIOCount uint64
	// OnDisk is the block layer's figures of the pair split by the disk
	// its requests went to (disk name); nil without the block-layer source.
	OnDisk map[string]sampler.DiskIO
	// Via names the ways the bytes moved, joined by "+" ("read/write",
	// "copy_file_range", "io_uring", "mmap (pages dirtied)"); "" when the
	// backend does not tell them apart. Only the eBPF backend fills it.
	Via string
}

// OtherFilesPath is the path of the row that holds, per process, the bytes
// of files a backend could not keep apart in one interval (its per-file
// table was full), so that the process's total stays whole.
const OtherFilesPath = "(other files: per-file table full)"

// DiskResponseMs is the mean response time (request start to completion) of the pair's
// requests in milliseconds, and false when none was timed.
func (a FileActivity) DiskResponseMs() (float64, bool) {
	if a.DiskIOCount == 0 {
		return 0, false
	}
	return float64(a.DiskIONanos) / float64(a.DiskIOCount) / 1e6, true
}

// WriteRate returns WriteBytes per second over elapsed (0 when elapsed is 0).
func (a FileActivity) WriteRate(elapsed time.Duration) float64 {
	return rate(a.WriteBytes, elapsed)
}

// ReadRate returns ReadBytes per second over elapsed (0 when elapsed is 0).
func (a FileActivity) ReadRate(elapsed time.Duration) float64 {
	return rate(a.ReadBytes, elapsed)
}

// ProcessExit is a process that exited in the interval and its
// storage-layer counters (Linux task I/O accounting) at its exit.
type ProcessExit struct {
	Key  sampler.ProcKey
	Name string
	PPID int32
	// Counters are its write_bytes, cancelled_write_bytes and read_bytes:
	// its own, and (when Complete) as /proc/PID/io last showed them.
	Counters sampler.ExitCounters
}

// Interval is one reading of a Source: the activity between the previous
// reading (or Open) and Time.
type Interval struct {
	Time    time.Time
	Elapsed time.Duration
	// Files is sorted by WriteBytes+ReadBytes, highest first, then by PID
	// and path.
	Files []FileActivity
	// Processes are the interval's files summed per process, sorted by
	// WriteBytes, highest first, then by PID: in the form the engine
	// merges (ExternalActivity). With eBPF and ETW they include processes
	// that started and exited within the interval, which a per-process
	// counter sampler never sees. WriteTotal and ReadTotal are the bytes
	// since the source was opened (not since the process started); PPID
	// is the parent as the backend saw it (eBPF: the parent's thread
	// group ID when the process was first seen using a file), 0 when
	// unknown (ETW, the /proc backends); Exit is nil (ExternalActivity
	// attaches Exits).
	Processes []sampler.ExternalActivity
	// Exits are the processes that exited in the interval with their
	// storage-layer counters at exit (the eBPF backend where the kernel
	// lets it hook process exit; nil otherwise), by PID.
	Exits []ProcessExit
	// Dropped counts (process, file) pairs the backend could not record
	// this interval (a full kernel map, a lost event buffer); their bytes
	// still reach the process's total (OtherFilesPath).
	Dropped uint64
	// Hidden counts processes whose files could not be read (permission
	// denied); only the /proc backends have them.
	Hidden int
	// Disk is the block-layer source's reading of the same interval (disk
	// bytes per process and file), nil when it does not run.
	Disk *blockio.Interval
	// DiskFiles is true when the backend itself gives per-file disk
	// figures (FileActivity.DiskWriteBytes, DiskIONanos, DiskIOCount):
	// the Windows ETW backend from Microsoft-Windows-Kernel-Disk events.
	DiskFiles bool
}

// HasDiskFiles is true when the interval's rows carry per-file disk
// figures, from the block layer (Disk) or the backend (DiskFiles).
func (iv Interval) HasDiskFiles() bool { return iv.Disk != nil || iv.DiskFiles }

// Info says which backend runs and what it cannot see, for the status bar
// and the recording.
type Info struct {
	// Backend is "ebpf", "fanotify+proc", "proc" or "etw".
	Backend string
	// Counts says what the byte counts are, in one line.
	Counts string
	// Limits says what the backend misses, in one line.
	Limits string
	// Unseen is Limits in a few words for the status line ("AIO, 32-bit
	// processes"); "" when the backend does not set it.
	Unseen string
	// Reason says why this backend was chosen ("eBPF loaded", or why the
	// better ones were not available), in one line.
	Reason string
	// AllProcesses is false when only the user's own processes are seen.
	AllProcesses bool
	// DiskBytes is true when the block-layer source runs beside the
	// backend (Interval.Disk, FileActivity.DiskWriteBytes); DiskReason
	// says what it counts, or why it does not run.
	DiskBytes  bool
	DiskReason string
	// StorageAtExit is true when the backend reads each exiting process's
	// storage-layer counters (Interval.Exits), so processes that start and
	// exit between samples get storage-layer figures.
	StorageAtExit bool
}

// String is Info on one line: "ebpf: <counts>; <limits>".
func (i Info) String() string {
	return i.Backend + ": " + i.Counts + "; " + i.Limits
}

// Source reports per-file activity per interval. Read is called once per
// interval by one goroutine; Close releases kernel resources.
type Source interface {
	Read(ctx context.Context) (Interval, error)
	Info() Info
	Close() error
}

func rate(b uint64, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(b) / elapsed.Seconds()
}
