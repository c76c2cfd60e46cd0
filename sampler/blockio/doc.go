// Package blockio counts the bytes that reach the disk, per process and
// per file, from the block layer (Linux eBPF). It is the source of the
// sampler's main write column when it runs: unlike /proc/PID/io
// write_bytes (what pidstat and iotop show), which charges a process for
// every page-cache folio it dirties (a whole 2 MiB large folio for one
// synced 8 KiB write), it counts the write requests issued to each disk,
// as /proc/diskstats does, so the rows add up to the disks' total.
//
// Hooks, all BTF raw tracepoints (tp_btf), chosen because this kind of
// kernel (6.18, no tracefs kprobe_events) refuses kprobes and fexit while
// BTF raw tracepoints need neither tracefs nor trampolines. All of the
// block tracepoints (block_bio_queue, block_rq_issue, block_rq_complete,
// block_io_start/done, block_split, block_rq_insert/requeue) and the
// writeback ones (writeback_dirty_folio, writeback_single_inode,
// writeback_write_inode, writeback_dirty_inode) have BTF here;
// writeback_dirty_page is gone (folios since 5.17). The source uses:
//
//   - block_bio_queue: the submitting task's context, where a bio's owner
//     is decided: the task itself (fsync, fdatasync, sync_file_range,
//     O_SYNC, O_DIRECT, io_uring), or for a kernel thread the file whose
//     page cache it writes back (flusher, kworker), the journal (jbd2) or
//     metadata (REQ_META, a mounted block device's page cache);
//   - block_rq_issue: bytes of the request handed to the driver, charged
//     to the owners of the bios it carries (what diskstats counts; a bio
//     split later inherits its parent's owner);
//   - block_rq_complete: response time per owner, from the request's
//     start_time_ns (what /proc/diskstats times from) to completion;
//   - writeback_dirty_folio: folios each process dirties per file, so that
//     background writeback of a file is shared out among the processes that
//     dirtied it, in proportion to what each dirtied.
//
// block_io_start/done were not used: they fire for the same requests as
// block_rq_issue/complete but only for disks with I/O accounting, and
// carry nothing more. Reads and discards are kept apart from writes.
//
// The kernel's owner table holds 32,768 rows between two readings (each
// reading forgets the rows of processes that exited); bytes of owners
// beyond that count on their disk in the "(owner not kept)" row, so the
// rows still add up to the disk and say how much has no owner.
package blockio
