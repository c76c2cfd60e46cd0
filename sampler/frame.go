package sampler

import "time"

// Class is the kind of culprit a process is, as in the Replica churn guide.
type Class string

// The three culprit classes. Unknown processes are the guest's workload.
const (
	ClassWorkload   Class = "workload"
	ClassInbox      Class = "inbox"
	ClassThirdParty Class = "third-party"
)

// Classification is a process's class and the rule that gave it, so the
// screen can say why ("inbox: svchost.exe, Windows service host").
type Classification struct {
	Class Class
	// Rule names the matching rule ("svchost*: Windows service host"), or
	// "no rule matched" for the workload default.
	Rule string
}

// ProcessRates is one process's activity over the last interval.
type ProcessRates struct {
	Key     ProcKey
	Name    string
	Cmdline string
	User    string
	PPID    int32 // parent PID, 0 when the source does not know it
	Class   Classification

	// WriteRate and ReadRate are bytes per second over the last interval,
	// from the counters SourceInfo.WriteLabel describes. WriteRate is net
	// of the interval's cancelled writes (write_bytes growth less
	// cancelled_write_bytes growth on Linux). Never negative.
	WriteRate float64
	ReadRate  float64
	// CancelledWriteRate is bytes per second of writes cancelled in the
	// interval (ProcessCounters.CancelledWriteBytes): dirty pages of files
	// this process truncated or deleted before they were written out, like
	// pidstat's kB_ccwr/s. They are already taken out of WriteRate.
	CancelledWriteRate float64
	// ChildrenWriteBytes is how many of this interval's write bytes came
	// from children (or threads) that exited and were reaped by this
	// process, beyond those the engine could take back out (children it
	// saw, or that a per-file backend counted): bytes WriteRate includes
	// that another process wrote. 0 when none, or unknown.
	ChildrenWriteBytes uint64
	// LogicalWriteRate is bytes per second passed to write system calls.
	LogicalWriteRate float64
	// WriteTotal and ReadTotal are the process's cumulative counters as
	// last read (bytes since the process started), less the bytes of
	// reaped children the engine took back out of them (see
	// SourceInfo.ReapedChildrenInParent). WriteTotal is net of the
	// process's cancelled writes, so it falls when the process deletes a
	// file it wrote before the file reached the disk.
	WriteTotal uint64
	ReadTotal  uint64
	// Exited is true when the process was gone at this sample; its rates
	// are those of its last interval.
	Exited bool
	// Merged is true when this interval's rates come from another source's
	// byte counts (Engine.MergeActivity: a per-file backend's syscall
	// bytes), not from the Source's counters: a process that started and
	// exited between two samples, or the final interval of one that exited.
	Merged bool
	// StorageMerged is true for a Merged row whose write figures are
	// storage-layer bytes (the backend read the process's own storage
	// counters when it exited), so WriteBasis is BasisStorage.
	StorageMerged bool

	// DiskBytes is true when WriteRate and WriteTotal are bytes that
	// reached the disk, from the block layer (Engine.ApplyDiskBytes):
	// WriteBasis is BasisDisk. The fields below are set only then.
	DiskBytes bool
	// DirtiedRate is the write figure the Source gave (Linux write_bytes
	// net of cancelled: page cache dirtied, "dirtied (kernel
	// accounting)"), kept beside the disk bytes.
	DirtiedRate float64
	// WritebackRate is the part of WriteRate that is this process's share
	// of the kernel's background writeback of files it dirtied (the rest
	// it submitted itself: fsync, O_DIRECT, O_SYNC).
	WritebackRate float64
	// DiskReadRate and DiscardRate are read and discard (trim) requests it
	// submitted to the disks, bytes per second.
	DiskReadRate float64
	DiscardRate  float64
	// DiskIONanos and DiskIOCount are the response time (request start to completion) of the
	// requests it submitted in the interval, summed, and their count.
	DiskIONanos, DiskIOCount uint64
	// OnDisk is the block layer's figures split by disk name
	// (DiskActivity.OnDisk), for lists limited to one disk; nil otherwise.
	OnDisk map[string]DiskIO
	// WrittenOnDisk is WriteTotal split by disk name: the bytes of write
	// requests issued for the row to each disk since the block layer's
	// first interval, for the Written column of a list limited to one
	// disk; nil otherwise.
	WrittenOnDisk map[string]uint64
	// SourceDisk is true when WriteRate is the Source's own count of bytes
	// that reached the disk (SourceInfo.DiskBytes: Windows ETW), not the
	// block layer's (DiskBytes) nor write_bytes.
	SourceDisk bool
	// Kernel is true for a row that is not a process: the filesystem
	// journal, filesystem metadata or other kernel I/O (PID 0).
	Kernel bool
}

// Write bases: the kind of counter a row's write figures come from.
const (
	// BasisStorage is the storage-layer counter (Linux write_bytes net of
	// cancelled_write_bytes): bytes of page cache dirtied for the disk.
	BasisStorage = "storage"
	// BasisPageCache is bytes passed to write calls on files, as a
	// per-file backend counts them (rewrites of a still-dirty page and
	// files deleted before writeback count in full): used for a process
	// whose storage counters could not be read.
	BasisPageCache = "page-cache"
)

// DiskResponseMs is the mean response time (request start to completion) in milliseconds of
// the requests the row submitted in the interval (DiskIONanos/DiskIOCount),
// and false when none was timed.
func (r ProcessRates) DiskResponseMs() (float64, bool) {
	if r.DiskIOCount == 0 {
		return 0, false
	}
	return float64(r.DiskIONanos) / float64(r.DiskIOCount) / 1e6, true
}

// WriteBasis is the kind of counter WriteRate comes from: BasisDisk for
// disk bytes (the block layer's, or a source's own such as Windows ETW), BasisPageCache
// for a row whose storage counters were not known (Merged without
// StorageMerged), else BasisStorage.
func (r ProcessRates) WriteBasis() string {
	if r.DiskBytes || r.SourceDisk {
		return BasisDisk
	}
	if r.Merged && !r.StorageMerged {
		return BasisPageCache
	}
	return BasisStorage
}

// DiskRates is one block device's activity over the last interval.
type DiskRates struct {
	Name      string
	WriteRate float64
	ReadRate  float64
	// HasTimes is true when the source counts the disk's busy time and
	// requests (Linux /proc/diskstats, DiskCounters.HasTimes): the three
	// figures below are then measured, else 0.
	HasTimes bool
	// ActivePercent is the share of the interval the disk had a request
	// in flight (0-100); QueueLength the average number in flight;
	// ResponseMs the average time from the block layer's start of each request to its completion, for the
	// requests completed in the interval (iostat's %util, aqu-sz, await).
	ActivePercent float64
	QueueLength   float64
	ResponseMs    float64
}

// Frame is the result of one sample: rates over the interval that ended at
// Time. Processes are sorted by WriteRate, highest first.
type Frame struct {
	Time    time.Time
	Elapsed time.Duration // real time since the previous sample

	Processes []ProcessRates
	Disks     []DiskRates
	// DiskWriteRate and DiskReadRate are summed over Disks.
	DiskWriteRate float64
	DiskReadRate  float64

	// Hidden is the number of processes whose counters could not be read
	// for lack of privilege (Snapshot.Hidden); Unreadable those refused
	// even with privilege (Snapshot.Unreadable).
	Hidden     int
	Unreadable int
	Info       SourceInfo
	// DiskBytes is true when the rows' write figures are block-layer disk
	// bytes (Engine.ApplyDiskBytes); Info.WriteLabel then says so.
	DiskBytes bool
}
