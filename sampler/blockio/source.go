package blockio

import (
	"context"
	"sort"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// RowKind says what a row of disk bytes is charged to.
type RowKind string

// Row kinds. Only RowProcess rows are processes; the others are the
// kernel's own writes, shown as rows of their own so that the rows add up
// to the disks' total.
const (
	RowProcess RowKind = "process"
	// RowJournal is the filesystem journal (jbd2 threads): commits that
	// fsync/fdatasync and metadata changes cause.
	RowJournal RowKind = "journal"
	// RowMetadata is filesystem metadata (inode tables, bitmaps,
	// directories) written back by the kernel.
	RowMetadata RowKind = "metadata"
	// RowKernel is other kernel I/O (swap, a kernel thread's own I/O).
	RowKernel RowKind = "kernel"
	// RowUnknownDirtier is background writeback of a file whose dirtying
	// was not seen (its pages were dirtied before the source started).
	RowUnknownDirtier RowKind = "dirtier unknown"
	// RowTableFull is bytes whose owner could not be recorded: more
	// owners (processes, files written back) between two readings than the
	// kernel table holds. They count on their disk, owner unknown.
	RowTableFull RowKind = "table full"
)

// Pseudo-process keys of the non-process rows: PID 0 and a negative Start
// that no process has.
var pseudoKeys = map[RowKind]sampler.ProcKey{
	RowJournal:        {PID: 0, Start: -1},
	RowMetadata:       {PID: 0, Start: -2},
	RowKernel:         {PID: 0, Start: -3},
	RowUnknownDirtier: {PID: 0, Start: -4},
	RowTableFull:      {PID: 0, Start: -5},
}

// pseudoNames are the Name of the non-process rows.
var pseudoNames = map[RowKind]string{
	RowJournal:        "(fs journal)",
	RowMetadata:       "(fs metadata)",
	RowKernel:         "(kernel I/O)",
	RowUnknownDirtier: "(dirtied earlier)",
	RowTableFull:      "(owner not kept)",
}

// PseudoKey returns the key of a non-process row kind, and false for
// RowProcess.
func PseudoKey(k RowKind) (sampler.ProcKey, bool) {
	key, ok := pseudoKeys[k]
	return key, ok
}

// IsPseudo reports whether key is one of the non-process rows' keys.
func IsPseudo(key sampler.ProcKey) bool { return key.PID == 0 && key.Start < 0 }

// Row is the disk bytes charged to one process (or one kernel row) over
// an interval.
type Row struct {
	Key  sampler.ProcKey
	Name string
	Kind RowKind
	// WriteBytes is the bytes of write requests issued to the disks for
	// this row in the interval: OwnWriteBytes plus WritebackBytes.
	WriteBytes uint64
	// OwnWriteBytes were submitted by the process itself (fsync,
	// fdatasync, sync_file_range, O_SYNC, O_DIRECT, io_uring).
	OwnWriteBytes uint64
	// WritebackBytes are its share of the kernel's background writeback
	// of files it dirtied, in proportion to the pages it dirtied.
	WritebackBytes uint64
	// ReadBytes and DiscardBytes are read and discard (trim) requests it
	// submitted, kept apart from writes.
	ReadBytes    uint64
	DiscardBytes uint64
	// WriteTotal is WriteBytes since the source was opened (0 on
	// Interval.DiskRows).
	WriteTotal uint64
	// Disk is the disk's name on Interval.DiskRows, "" on Processes.
	Disk string
	// IONanos and IOCount are the response time (request start to completion) of the requests
	// whose first bio was this row's (own requests only, not writeback
	// shares), summed, and their count: IONanos/IOCount is the mean
	// response time.
	IONanos uint64
	IOCount uint64
}

// FileRow is the disk bytes of one (process or kernel row, file) pair on
// one disk.
type FileRow struct {
	Proc sampler.ProcKey
	Name string
	Kind RowKind
	// Path is the full path, or "dev M:m inode N (path unknown)".
	Path           string
	WriteBytes     uint64
	OwnWriteBytes  uint64
	WritebackBytes uint64
	ReadBytes      uint64
	DiscardBytes   uint64
	// Dev (user-space dev_t) and Ino identify the file.
	Dev uint64
	Ino uint64
	// Disk is the name of the disk the requests went to ("sda"): a file
	// whose requests reach two disks (a stacked device) has a row on each.
	Disk string
	// IONanos and IOCount are the response time (request start to completion) of the requests
	// this row submitted for the file (not writeback shares), summed, and
	// their count.
	IONanos uint64
	IOCount uint64
}

// Disk is one disk's bytes in the interval, as the requests the source
// saw issued add up (what /proc/diskstats counts, sectors x 512).
type Disk struct {
	// Name is the kernel's name ("sda", "nvme0n1", "loop3").
	Name         string
	Major, Minor uint32
	WriteBytes   uint64
	ReadBytes    uint64
	DiscardBytes uint64
}

// Interval is one reading: disk bytes since the previous reading (or
// Open).
type Interval struct {
	Time    time.Time
	Elapsed time.Duration
	// Processes holds every row that moved bytes, sorted by WriteBytes
	// (highest first), then PID.
	Processes []Row
	// DiskRows is Processes split by disk (Row.Disk set).
	DiskRows []Row
	// Files holds every (row, file, disk) that moved bytes, sorted like
	// Processes.
	Files []FileRow
	// Disks holds the disks with requests in the interval, by name.
	Disks []Disk
	// Lost counts bytes whose row could not be kept apart (a full kernel
	// table); they are on a kernel row so the totals stay whole.
	Lost uint64
}

// add adds o's interval bytes to r.
func (r *Row) add(o *Row) {
	r.WriteBytes += o.WriteBytes
	r.OwnWriteBytes += o.OwnWriteBytes
	r.WritebackBytes += o.WritebackBytes
	r.ReadBytes += o.ReadBytes
	r.DiscardBytes += o.DiscardBytes
	r.IONanos += o.IONanos
	r.IOCount += o.IOCount
}

// sortRows orders rows by WriteBytes (highest first), then disk, PID and
// start.
func sortRows(rs []Row) {
	sort.Slice(rs, func(i, j int) bool {
		a, b := &rs[i], &rs[j]
		if a.WriteBytes != b.WriteBytes {
			return a.WriteBytes > b.WriteBytes
		}
		if a.Disk != b.Disk {
			return a.Disk < b.Disk
		}
		if a.Key.PID != b.Key.PID {
			return a.Key.PID < b.Key.PID
		}
		return a.Key.Start < b.Key.Start
	})
}

// WriteBytes is the interval's write bytes over all disks.
func (iv Interval) WriteBytes() uint64 {
	var n uint64
	for _, d := range iv.Disks {
		n += d.WriteBytes
	}
	return n
}

// Info says what the source counts, for the status line and recordings.
type Info struct {
	// Counts says what the byte counts are, in one line.
	Counts string
	// Limits says what the source cannot see or attribute, in one line.
	Limits string
	// Hooks names the kernel hooks in use.
	Hooks string
}

// Source reports disk bytes per interval. Read is called by one goroutine.
type Source interface {
	Read(ctx context.Context) (Interval, error)
	Info() Info
	Close() error
}

// Counts is Info.Counts of the eBPF source.
const Counts = "bytes of read, write and discard requests issued to each disk (what /proc/diskstats counts), charged to the process that submitted them, or for the kernel's background writeback to the processes that dirtied the file's pages, in proportion to the pages each dirtied; journal and metadata writes on rows of their own"

// Limits is Info.Limits of the eBPF source.
const Limits = "writeback of pages dirtied before the source started goes to \"(dirtied earlier)\"; I/O through stacked devices (device-mapper, md) is attributed by the pages it carries, direct I/O through them goes to the process without its file; not run inside a PID namespace (its PIDs are the host's)"
