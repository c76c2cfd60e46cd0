// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
//
// Bytes that reach the disk, per process and per file, from the block
// layer, for hvrdoctor's sampler/blockio.
//
// Hooks (all BTF raw tracepoints, "tp_btf": no tracefs, no kprobes, no
// fexit, which this machine kind refuses):
//
//   - block_bio_queue (struct bio *): a bio entering the block layer, in
//     the context of the task that submits it. Its owner is decided here
//     (see classify) and kept in the owners map, keyed by the bio.
//   - block_rq_issue (struct request *): a request handed to the driver
//     (once: a request issued again after the driver refused it is
//     skipped, it is still in flight).
//     Its bytes (the request's data length, what /proc/diskstats counts
//     when it completes) are charged to the owners of the bios it carries,
//     each bio by its size; bytes of bios without an owner entry (split
//     off after block_bio_queue) go to the owner of their parent bio or,
//     failing that, to an owner read from the bio's pages.
//   - block_rq_complete (struct request *, error, bytes): the request's
//     response time, added to its first bio's owner: from the request's
//     start_time_ns (set when the block layer makes the request, the start
//     /proc/diskstats' write and read ticks count from) to completion, or
//     from its issue when the kernel keeps no start time (a queue without
//     I/O accounting).
//   - writeback_dirty_folio (struct folio *, struct address_space *): a
//     page-cache folio of a file dirtied by a user task. Bytes dirtied per
//     (file, process): how background writeback of that file is shared out
//     (in user space).
//
// An owner is one of:
//   OWNER_TASK      the submitting process (fsync/fdatasync/sync_file_range
//                   in its own context, O_SYNC, O_DIRECT, io_uring): tgid,
//                   and the file when the bio's pages (or the direct-I/O
//                   request) name one;
//   OWNER_WRITEBACK a kernel thread (flusher, kworker) writing back a
//                   file's page cache: the file; user space splits the
//                   bytes among the processes that dirtied it;
//   OWNER_JOURNAL   the filesystem journal (jbd2 threads);
//   OWNER_META      filesystem metadata (REQ_META bios, and block-device
//                   page cache written back by kernel threads);
//   OWNER_KERNEL    anything else a kernel thread submits (swap, a
//                   kernel thread's own I/O, a stacked device's clone).
//
// Counters are cumulative (user space takes differences), keyed by
// (owner, disk, operation). The kernel structures are declared with only
// the fields used and preserve_access_index (CO-RE against the running
// kernel's BTF, no vmlinux.h); those fileio.bpf.c reads too are in
// ../../bpfinclude/kernel.h.

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "../../bpfinclude/kernel.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define PATH_LEN 256
#define WALK_STEPS 24
#define MAX_BIOS 4096

// Request operations (include/linux/blk_types.h: enum req_op), stable.
#define REQ_OP_BITS 8
#define REQ_OP_MASK ((1u << REQ_OP_BITS) - 1)
enum {
	REQ_OP_READ = 0, REQ_OP_WRITE = 1, REQ_OP_FLUSH = 2, REQ_OP_DISCARD = 3,
	REQ_OP_SECURE_ERASE = 5, REQ_OP_WRITE_ZEROES = 9,
};

enum { OP_WRITE = 0, OP_READ = 1, OP_DISCARD = 2 };

enum {
	OWNER_TASK = 1, OWNER_WRITEBACK = 2, OWNER_JOURNAL = 3, OWNER_META = 4,
	OWNER_KERNEL = 5,
};

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
} __attribute__((preserve_access_index));

struct bvec_iter {
	__u64 bi_sector;
	unsigned int bi_size;
	unsigned int bi_idx;
} __attribute__((preserve_access_index));

struct kiocb {
	struct file *ki_filp;
} __attribute__((preserve_access_index));

struct iomap_dio {
	struct kiocb *iocb;
} __attribute__((preserve_access_index));

struct bio {
	struct bio *bi_next;
	struct block_device *bi_bdev;
	__u32 bi_opf;
	struct bvec_iter bi_iter;
	void *bi_end_io;
	void *bi_private;
	struct bio_vec *bi_io_vec;
	unsigned short bi_vcnt;
} __attribute__((preserve_access_index));

struct request_queue;

struct gendisk {
	int major;
	int first_minor;
	struct request_queue *queue;
} __attribute__((preserve_access_index));

struct request_queue {
	struct gendisk *disk;
	const void *mq_ops;
} __attribute__((preserve_access_index));

struct block_device {
	struct gendisk *bd_disk;
} __attribute__((preserve_access_index));

struct request {
	struct request_queue *q;
	__u32 cmd_flags;
	unsigned int __data_len;
	__u64 start_time_ns;
	struct bio *bio;
} __attribute__((preserve_access_index));

// owner is who a bio's bytes are charged to.
struct owner {
	__u32 kind;  // OWNER_*
	__u32 tgid;  // OWNER_TASK: the submitting process
	__u32 fsdev; // the file's filesystem (kernel dev_t), 0 when no file
	__u32 pad;
	__u64 ino;   // the file's inode number, 0 when no file
};

// acct_key is one counter row: an owner's bytes of one operation on one
// disk.
struct acct_key {
	struct owner o;
	__u32 disk; // the whole disk (kernel dev_t: major << 20 | minor)
	__u32 op;   // OP_*
};

struct acct_val {
	__u64 bytes;
	__u64 bios;
	__u64 lat_ns;    // request start (or issue) to complete, summed
	__u64 lat_count; // requests timed
};

// dirty_key is one (file, process): pages of page cache it dirtied.
struct dirty_key {
	__u32 fsdev;
	__u32 tgid;
	__u64 ino;
};

// proc_info names a process seen submitting or dirtying (it may have
// exited by the time user space reads the counters).
struct proc_info {
	__u64 start_boottime; // of the thread group leader, ns since boot
	char comm[16];
};

// file_path holds the path of a file relative to its filesystem's root in
// buf[start, PATH_LEN) ("/dir/file", no NUL). buf is twice PATH_LEN so the
// masked offsets stay inside it.
struct file_path {
	__u32 start;
	__u32 truncated;
	char buf[PATH_LEN * 2];
};

struct inode_key {
	__u32 fsdev;
	__u32 pad;
	__u64 ino;
};

// cfg[0]: the address of iomap_dio_bio_end_io (from /proc/kallsyms), so a
// direct-I/O bio names its file; 0 when unknown.
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cfg SEC(".maps");

// owners: bio -> owner, from block_bio_queue to block_rq_issue. A plain
// hash (an LRU hash cost 30% more per bio); bios of bio-based devices
// (device-mapper, md), which never become a request, are not entered, and
// user space empties the map should it fill anyway.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct owner);
} owners SEC(".maps");

struct rq_start {
	__u64 ts;
	struct acct_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct rq_start);
} inflight SEC(".maps");

// acct: the cumulative counters, per CPU (no atomic adds, no cache line
// bouncing between CPUs charging the same row); user space sums the CPUs.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 32768);
	__type(key, struct acct_key);
	__type(value, struct acct_val);
} acct SEC(".maps");

// overflow_key is one disk and operation of the overflow table.
struct overflow_key {
	__u32 disk;
	__u32 op;
};

// overflow: bytes whose owner row could not be added because acct was
// full (more owners between two readings than it holds), per disk and
// operation, so they still count on the disk (user space shows them on a
// row of their own). A table of its own: it never competes with acct for
// room.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct overflow_key);
	__type(value, struct acct_val);
} overflow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct dirty_key);
	__type(value, __u64);
} dirtied SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct proc_info);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct inode_key);
	__type(value, struct file_path);
} paths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct file_path);
} scratch SEC(".maps");

// lost[0]: bytes not put on an owner's row because the acct map was full
// (they go to the overflow table); lost[1]: requests with more
// than MAX_BIOS bios (the rest charged to the first bio's owner).
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

// seen caches, per CPU, the last process noted in procs and the last file
// whose path was captured, so a stream of bios from one writer to one file
// skips those map lookups.
struct seen {
	__u32 tgid;
	__u32 fsdev;
	__u64 ino;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct seen);
} seen SEC(".maps");

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

// capture_path_of records, once per file, its path from its first dentry
// alias up to the filesystem's root. A global function: the verifier
// checks the walk once.
__attribute__((noinline)) int capture_path_of(__u64 iaddr, struct inode_key *ik)
{
	if (!ik || !iaddr)
		return 0;
	if (bpf_map_lookup_elem(&paths, ik))
		return 0;
	struct inode *inode = (struct inode *)iaddr;
	struct hlist_node *first = BPF_CORE_READ(inode, i_dentry.first);
	if (!first)
		return 0; // no name left (deleted): user space says so
	struct dentry *d = (struct dentry *)((void *)first - bpf_core_field_offset(struct dentry, d_u.d_alias));
	__u32 zero = 0;
	struct file_path *p = bpf_map_lookup_elem(&scratch, &zero);
	if (!p)
		return 0;
	p->truncated = 1;
	p->start = PATH_LEN;
	for (int i = 0; i < WALK_STEPS; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		if (d == parent) {
			p->truncated = 0;
			break;
		}
		__u32 len = BPF_CORE_READ(d, d_name.len);
		len &= 127;
		__u32 off = p->start;
		if (off > PATH_LEN || off < len + 1)
			break;
		off -= len;
		const unsigned char *name = BPF_CORE_READ(d, d_name.name);
		if (bpf_probe_read_kernel(&p->buf[off & (PATH_LEN - 1)], len, name))
			break;
		off -= 1;
		p->buf[off & (PATH_LEN - 1)] = '/';
		p->start = off;
		d = parent;
	}
	bpf_map_update_elem(&paths, ik, p, BPF_ANY);
	return 0;
}

static __always_inline void capture_path(struct inode *inode, __u32 fsdev, __u64 ino)
{
	__u32 zero = 0;
	struct seen *sn = bpf_map_lookup_elem(&seen, &zero);
	if (sn) {
		if (sn->ino == ino && sn->fsdev == fsdev)
			return;
		sn->ino = ino;
		sn->fsdev = fsdev;
	}
	struct inode_key ik = {.fsdev = fsdev, .ino = ino};
	__u64 addr = 0;
	bpf_probe_read_kernel(&addr, sizeof(addr), &inode);
	capture_path_of(addr, &ik);
}

static __always_inline void note_proc(struct task_struct *task, __u32 tgid)
{
	__u32 zero = 0;
	struct seen *sn = bpf_map_lookup_elem(&seen, &zero);
	if (sn) {
		if (sn->tgid == tgid)
			return;
		sn->tgid = tgid;
	}
	if (bpf_map_lookup_elem(&procs, &tgid))
		return;
	struct proc_info pi = {};
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);
	pi.start_boottime = BPF_CORE_READ(leader, start_boottime);
	BPF_CORE_READ_STR_INTO(&pi.comm, leader, comm);
	bpf_map_update_elem(&procs, &tgid, &pi, BPF_NOEXIST);
}

// page_inode returns the file inode whose page cache the bio's first page
// belongs to, or 0 (anonymous memory, a kernel buffer).
static __always_inline struct inode *page_inode(struct bio *bio)
{
	struct bio_vec *bv = BPF_CORE_READ(bio, bi_io_vec);
	if (!bv || BPF_CORE_READ(bio, bi_vcnt) == 0)
		return 0;
	struct page *pg = BPF_CORE_READ(bv, bv_page);
	if (!pg)
		return 0;
	unsigned long head = BPF_CORE_READ(pg, compound_head);
	if (head & 1)
		pg = (struct page *)(head - 1);
	unsigned long mapping = (unsigned long)BPF_CORE_READ(pg, mapping);
	if (!mapping || (mapping & 3))
		return 0; // anonymous or movable (PAGE_MAPPING_FLAGS)
	return BPF_CORE_READ((struct address_space *)mapping, host);
}

// set_file names the file a bio's bytes belong to. A block device's page
// cache (dd to /dev/sdX, or a filesystem's metadata buffers) is named by
// the device it stands for: fsdev 0, ino its dev_t.
static __always_inline void set_file(struct owner *o, struct inode *inode)
{
	if ((BPF_CORE_READ(inode, i_mode) & S_IFMT) == S_IFBLK) {
		o->fsdev = 0;
		o->ino = BPF_CORE_READ(inode, i_rdev);
		return;
	}
	o->fsdev = BPF_CORE_READ(inode, i_sb, s_dev);
	o->ino = BPF_CORE_READ(inode, i_ino);
	capture_path(inode, o->fsdev, o->ino);
}

static __always_inline int is_jbd2(const char *comm)
{
	return comm[0] == 'j' && comm[1] == 'b' && comm[2] == 'd' && comm[3] == '2' && comm[4] == '/';
}

#define REQ_META_BIT 13 // __REQ_META in enum req_flag_bits (stable since 4.x)

// classify decides a bio's owner. task is the submitting task, or 0 when
// it is not known (a bio split off after block_bio_queue). A global
// function (verified once, pointers passed as numbers).
__attribute__((noinline)) int classify(__u64 bioaddr, __u64 taskaddr, struct owner *o)
{
	if (!o || !bioaddr)
		return 0;
	struct bio *bio = (struct bio *)bioaddr;
	struct task_struct *task = (struct task_struct *)taskaddr;
	__u32 zero = 0;
	int kthread = 1;
	char comm[16] = {};
	if (task) {
		kthread = (BPF_CORE_READ(task, flags) & PF_KTHREAD) != 0;
		BPF_CORE_READ_STR_INTO(&comm, task, comm);
		if (kthread && is_jbd2(comm)) {
			o->kind = OWNER_JOURNAL;
			return 0;
		}
	}
	// A direct-I/O bio (iomap: ext4, XFS, btrfs...) names its file through
	// the request it serves; its pages are the process's buffer.
	__u64 *dio_end = bpf_map_lookup_elem(&cfg, &zero);
	if (dio_end && *dio_end && (__u64)BPF_CORE_READ(bio, bi_end_io) == *dio_end) {
		struct iomap_dio *dio = BPF_CORE_READ(bio, bi_private);
		struct inode *inode = BPF_CORE_READ(dio, iocb, ki_filp, f_inode);
		if (inode)
			set_file(o, inode);
		if (task && !kthread) {
			o->kind = OWNER_TASK;
			o->tgid = BPF_CORE_READ(task, tgid);
			note_proc(task, o->tgid);
		} else {
			o->kind = OWNER_KERNEL;
		}
		return 0;
	}
	__u32 opf = BPF_CORE_READ(bio, bi_opf);
	struct inode *inode = page_inode(bio);
	unsigned short mode = inode ? BPF_CORE_READ(inode, i_mode) & S_IFMT : 0;
	if (task && !kthread) {
		o->kind = OWNER_TASK;
		o->tgid = BPF_CORE_READ(task, tgid);
		note_proc(task, o->tgid);
		if (mode == S_IFREG || mode == S_IFBLK)
			set_file(o, inode);
		return 0;
	}
	if (opf & (1u << REQ_META_BIT)) {
		o->kind = OWNER_META;
		return 0;
	}
	if (mode == S_IFREG || mode == S_IFBLK) {
		// Background writeback: shared out in user space among the
		// processes that dirtied the file (a block device with no such
		// process is filesystem metadata written through its page cache).
		o->kind = OWNER_WRITEBACK;
		set_file(o, inode);
		return 0;
	}
	if (inode) {
		o->kind = OWNER_META; // directories, symlinks, other page cache
		return 0;
	}
	o->kind = OWNER_KERNEL;
	return 0;
}

// task_owner is classify for a user task submitting bio, with plain
// (BTF) loads instead of a probe read per field: the common case, on
// every bio a process submits.
static __always_inline void task_owner(struct bio *bio, struct task_struct *task, struct owner *o)
{
	__u32 zero = 0;
	o->kind = OWNER_TASK;
	o->tgid = task->tgid;
	note_proc(task, o->tgid);
	struct inode *inode = 0;
	__u64 *dio_end = bpf_map_lookup_elem(&cfg, &zero);
	if (dio_end && *dio_end && (__u64)bio->bi_end_io == *dio_end) {
		struct iomap_dio *dio = bpf_rdonly_cast(bio->bi_private, bpf_core_type_id_kernel(struct iomap_dio));
		inode = dio->iocb->ki_filp->f_inode;
	} else if (bio->bi_vcnt) {
		struct page *pg = bio->bi_io_vec->bv_page;
		// Read as numbers (probe reads): the verifier will not mask a
		// pointer's bits.
		unsigned long head = BPF_CORE_READ(pg, compound_head);
		if (head & 1)
			pg = (struct page *)(head - 1);
		unsigned long mapping = (unsigned long)BPF_CORE_READ(pg, mapping);
		if (!mapping || (mapping & 3))
			return;
		struct address_space *as = bpf_rdonly_cast((void *)mapping, bpf_core_type_id_kernel(struct address_space));
		inode = as->host;
	}
	if (!inode)
		return;
	unsigned short mode = inode->i_mode & S_IFMT;
	if (mode == S_IFBLK) {
		o->fsdev = 0;
		o->ino = inode->i_rdev;
	} else if (mode == S_IFREG) {
		o->fsdev = inode->i_sb->s_dev;
		o->ino = inode->i_ino;
		capture_path(inode, o->fsdev, o->ino);
	}
}

SEC("tp_btf/block_bio_queue")
int on_bio_queue(unsigned long long *ctx)
{
	struct bio *bio = (struct bio *)ctx[0];
	// A bio-based device (device-mapper, md) issues no requests: its bios
	// are remapped into bios of the devices below, traced on their own.
	if (!bio->bi_bdev->bd_disk->queue->mq_ops)
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	struct owner o = {};
	if (task->flags & PF_KTHREAD) {
		__u64 b = 0, t = 0;
		bpf_probe_read_kernel(&b, sizeof(b), &bio);
		bpf_probe_read_kernel(&t, sizeof(t), &task);
		classify(b, t, &o);
	} else {
		task_owner(bio, task, &o);
	}
	__u64 k = (__u64)bio;
	bpf_map_update_elem(&owners, &k, &o, BPF_ANY);
	return 0;
}

static __always_inline __u32 op_of(__u32 flags)
{
	__u32 op = flags & REQ_OP_MASK;
	switch (op) {
	case REQ_OP_READ:
		return OP_READ;
	case REQ_OP_WRITE:
	case REQ_OP_WRITE_ZEROES:
		return OP_WRITE;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		return OP_DISCARD;
	}
	return 99;
}

static __always_inline void charge(struct acct_key *k, __u64 bytes)
{
	struct acct_val *v = bpf_map_lookup_elem(&acct, k);
	if (!v) {
		struct acct_val init = {};
		// EEXIST (another CPU added it) is fine: look it up again.
		bpf_map_update_elem(&acct, k, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&acct, k);
	}
	if (!v) {
		// acct is full: the bytes go to the disk's overflow row.
		__u32 zero = 0;
		__u64 *l = bpf_map_lookup_elem(&lost, &zero);
		if (l)
			*l += bytes;
		struct overflow_key ok = {.disk = k->disk, .op = k->op};
		v = bpf_map_lookup_elem(&overflow, &ok);
		if (!v) {
			struct acct_val init = {};
			bpf_map_update_elem(&overflow, &ok, &init, BPF_NOEXIST);
			v = bpf_map_lookup_elem(&overflow, &ok);
		}
		if (!v)
			return;
	}
	v->bytes += bytes;
	v->bios += 1;
}

// owner_of finds the owner recorded for bio at block_bio_queue (and drops
// the entry), else that of its parent (a split bio's bi_private is the bio
// it was chained to), else reads one from the bio itself. Global, like
// classify.
__attribute__((noinline)) int owner_of(__u64 bioaddr, struct owner *o)
{
	if (!o || !bioaddr)
		return 0;
	struct bio *bio = (struct bio *)bioaddr;
	__u64 k = bioaddr;
	struct owner *got = bpf_map_lookup_elem(&owners, &k);
	if (got) {
		*o = *got;
		bpf_map_delete_elem(&owners, &k);
		return 0;
	}
	k = (__u64)BPF_CORE_READ(bio, bi_private);
	got = k ? bpf_map_lookup_elem(&owners, &k) : 0;
	if (got) {
		*o = *got; // the parent's entry stays for its own issue
		return 0;
	}
	__builtin_memset(o, 0, sizeof(*o));
	return classify(bioaddr, 0, o);
}

// bio_walk is the state of the walk over a request's bios (bpf_loop).
struct bio_walk {
	__u64 bio; // the next bio to charge, 0 at the end
	__u32 total;
	__u32 charged;
	struct acct_key k;
};

// charge_bio charges one bio of the walk to its owner and moves on to the
// next; 1 stops the walk.
static long charge_bio(__u64 index, void *ctx)
{
	struct bio_walk *w = ctx;
	if (!w->bio)
		return 1;
	struct bio *bio = bpf_rdonly_cast((void *)w->bio, bpf_core_type_id_kernel(struct bio));
	__u32 size = bio->bi_iter.bi_size;
	if (size > w->total - w->charged)
		size = w->total - w->charged;
	__u64 b = w->bio;
	struct owner *got = bpf_map_lookup_elem(&owners, &b);
	if (got) {
		w->k.o = *got;
		bpf_map_delete_elem(&owners, &b);
	} else {
		struct owner o = {}; // a global function takes this frame's stack only
		owner_of(w->bio, &o);
		w->k.o = o;
	}
	if (size)
		charge(&w->k, size);
	w->charged += size;
	// Kept as a number (probe read): global functions take no pointers.
	__u64 next = 0;
	bpf_probe_read_kernel(&next, sizeof(next), &bio->bi_next);
	w->bio = next;
	return 0;
}

SEC("tp_btf/block_rq_issue")
int on_rq_issue(unsigned long long *ctx)
{
	struct request *rq = (struct request *)ctx[0];
	__u32 op = op_of(rq->cmd_flags);
	__u32 total = rq->__data_len;
	if (op == 99 || total == 0)
		return 0;
	// A request the driver could not take (virtio-blk with a full queue:
	// BLK_STS_RESOURCE) is issued again later: it was counted the first
	// time, and is in flight since.
	// An entry whose request started at another time is stale (the
	// request was freed and reused while its completion went unseen: a
	// program run the kernel skipped, a table emptied by user space): the
	// request is new and counts.
	__u64 rk = (__u64)rq;
	__u64 start_ns = 0;
	if (bpf_core_field_exists(rq->start_time_ns))
		start_ns = rq->start_time_ns;
	struct rq_start *prev = bpf_map_lookup_elem(&inflight, &rk);
	if (prev && (start_ns == 0 || start_ns <= prev->ts))
		return 0; // started before the entry's issue: the same use, issued again
	struct gendisk *disk = rq->q->disk;
	__u32 dev = 0;
	if (disk)
		dev = ((__u32)disk->major << 20) | (__u32)disk->first_minor;
	struct bio_walk w = {.total = total, .k = {.disk = dev, .op = op}};
	bpf_probe_read_kernel(&w.bio, sizeof(w.bio), &rq->bio);
	// The first bio (most requests have one), then the rest of the chain
	// (merged requests of many small bios) in a bpf_loop.
	charge_bio(0, &w);
	struct rq_start st = {.key = w.k};
	if (w.bio)
		bpf_loop(MAX_BIOS, charge_bio, &w, 0);
	if (w.bio) {
		__u32 one = 1;
		__u64 *l = bpf_map_lookup_elem(&lost, &one);
		if (l)
			*l += 1;
	}
	if (w.charged < total) {
		// Bios not walked (more than MAX_BIOS) go to the first bio's
		// owner, so the rows still add up to the disk's count.
		charge(&st.key, total - w.charged);
	}
	st.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&inflight, &rk, &st, BPF_ANY);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int on_rq_complete(unsigned long long *ctx)
{
	__u64 rk = ctx[0];
	struct rq_start *st = bpf_map_lookup_elem(&inflight, &rk);
	if (!st)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	__u64 start = st->ts;
	// The kernel's own start time (same clock, CLOCK_MONOTONIC), so the
	// time a request waits in the scheduler or a plug before issue counts,
	// as it does in /proc/diskstats and for the application. An entry of
	// an earlier use of this request (its completion unseen) is not timed.
	if (bpf_core_field_exists(((struct request *)0)->start_time_ns)) {
		struct request *rq = (struct request *)ctx[0];
		__u64 s = rq->start_time_ns;
		if (s > st->ts) {
			// The request started after the entry's issue: the entry
			// is an earlier use's (a request starts before its issue).
			bpf_map_delete_elem(&inflight, &rk);
			return 0;
		}
		if (s && s <= start)
			start = s;
	}
	__u64 ns = now - start;
	struct acct_val *v = bpf_map_lookup_elem(&acct, &st->key);
	if (v) {
		v->lat_ns += ns;
		v->lat_count += 1;
	}
	bpf_map_delete_elem(&inflight, &rk);
	return 0;
}

// on_dirty counts a file folio a user task dirtied (writeback_dirty_folio
// fires where the kernel accounts a newly dirtied folio). Kernel threads
// are left out: they did not cause the write.
SEC("tp_btf/writeback_dirty_folio")
int on_dirty(unsigned long long *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	if (task->flags & PF_KTHREAD)
		return 0;
	struct folio *folio = (struct folio *)ctx[0];
	struct address_space *mapping = (struct address_space *)ctx[1];
	if (!mapping)
		return 0;
	struct inode *inode = mapping->host;
	if (!inode)
		return 0;
	unsigned short mode = inode->i_mode & S_IFMT;
	if (mode != S_IFREG && mode != S_IFBLK)
		return 0;
	unsigned long flags = 0;
	bpf_probe_read_kernel(&flags, sizeof(flags), folio);
	__u64 pages = 1;
	if (flags & (1UL << bpf_core_enum_value(enum pageflags, PG_head))) {
		if (bpf_core_field_exists(folio->_nr_pages))
			pages = folio->_nr_pages;
		else
			pages = 1UL << (folio->_flags_1 & 0xff);
	}
	if (pages == 0 || pages > 512 * 512)
		pages = 1;
	__u32 tgid = task->tgid;
	struct dirty_key k = {.fsdev = inode->i_sb->s_dev, .tgid = tgid, .ino = inode->i_ino};
	if (mode == S_IFBLK) {
		k.fsdev = 0;
		k.ino = inode->i_rdev;
	}
	__u64 *v = bpf_map_lookup_elem(&dirtied, &k);
	if (!v) {
		__u64 zero = 0;
		bpf_map_update_elem(&dirtied, &k, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&dirtied, &k);
		if (!v)
			return 0;
		note_proc(task, tgid);
		if (mode == S_IFREG)
			capture_path(inode, k.fsdev, k.ino);
	}
	__sync_fetch_and_add(v, pages);
	return 0;
}
