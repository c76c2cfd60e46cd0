// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
//
// Per-file read/write byte counting for hvrdoctor's eBPF backend.
//
// Two ways to see the bytes, chosen by the loader:
//
//  1. fexit programs (BPF trampolines, BTF) on vfs_write, vfs_read,
//     vfs_writev and vfs_readv. Only file reads and writes pay for them, and
//     they get the struct file and the byte count directly. vfs_write serves
//     write(2) and pwrite64(2), vfs_writev serves writev(2), pwritev(2) and
//     pwritev2(2), and vfs_read/vfs_readv their read twins, 32-bit compat
//     calls included. io_uring, AIO, sendfile/splice/copy_file_range and
//     mmap do not go through these functions.
//  2. Where trampolines are missing (older kernels, no BTF for a function):
//     one raw tracepoint on sys_exit (no tracefs, no kprobes; BTF-typed where
//     the kernel has BTF, plain otherwise). For the read/write system call
//     family it takes the byte count the call returned and finds the open
//     file behind the fd in the calling task's fd table. Every system call
//     of every process then takes the kernel's syscall-tracing slow path.
//
// On the sys_exit hook the same program also counts the calls that move
// file bytes without vfs_write/vfs_read: copy_file_range(2), sendfile(2)
// and splice(2) (the written side is the out fd, the read side the in fd),
// and notes the path of every file mapped with mmap(2). Beside it, where
// the kernel has the tracepoints:
//
//   - io_uring_complete counts io_uring READ/READV/READ_FIXED and
//     WRITE/WRITEV/WRITE_FIXED and SPLICE requests by their result, to the
//     process that submitted them;
//   - writeback_dirty_folio counts the pages a process dirties in a
//     regular file (the very place the kernel adds to the process's
//     storage write_bytes), which is how writes through a shared mmap show:
//     they make no call that returns a byte count.
//
// Either way the bytes are added to a per-(tgid, inode) counter. The first
// time a file is seen its full path is captured by walking dentries and
// mounts, so files closed and processes that exited before user space reads
// the maps still have a name.
//
// The counters are double-buffered: user space flips `ctl[0]` between 0 and
// 1 each interval, then reads and empties the map the kernel no longer
// writes. Maps are bounded; a full map increments `dropped`.
//
// The kernel structures are declared with only the fields used and
// preserve_access_index, so CO-RE relocates them against the running
// kernel's BTF (no vmlinux.h needed): those blockio.bpf.c reads too are in
// ../../bpfinclude/kernel.h, the rest here.

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "../../bpfinclude/kernel.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

// A captured path is at most PATH_LEN-1 bytes, built backwards from the
// end of buf; components longer than NAME_MAX_CAPTURED bytes are cut.
#define PATH_LEN 512
#define NAME_MAX_CAPTURED 255
#define WALK_STEPS 48


#define PATH_TRUNCATED 1

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long r8;
	unsigned long orig_ax;
} __attribute__((preserve_access_index));
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, orig_ax)
#define SYSCALL_ARG0(regs) BPF_CORE_READ(regs, di)
#define SYSCALL_ARG1(regs) BPF_CORE_READ(regs, si)
#define SYSCALL_ARG2(regs) BPF_CORE_READ(regs, dx)
#define SYSCALL_ARG4(regs) BPF_CORE_READ(regs, r8)
#define REGS_NR(regs) ((regs)->orig_ax)
#define REGS_ARG0(regs) ((regs)->di)
#define REGS_ARG1(regs) ((regs)->si)
#define REGS_ARG2(regs) ((regs)->dx)
#define REGS_ARG4(regs) ((regs)->r8)
enum {
	NR_read = 0, NR_write = 1, NR_mmap = 9, NR_pread64 = 17, NR_pwrite64 = 18,
	NR_readv = 19, NR_writev = 20, NR_sendfile = 40, NR_splice = 275,
	NR_preadv = 295, NR_pwritev = 296, NR_copy_file_range = 326,
	NR_preadv2 = 327, NR_pwritev2 = 328,
};
#elif defined(__TARGET_ARCH_arm64)
struct user_pt_regs {
	__u64 regs[31];
} __attribute__((preserve_access_index));
struct pt_regs {
	struct user_pt_regs user_regs;
	__u64 orig_x0;
	__s32 syscallno;
} __attribute__((preserve_access_index));
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, syscallno)
// At sys_exit regs[0] already holds the return value; orig_x0 keeps arg 0.
// The other argument registers are not written by the return.
#define SYSCALL_ARG0(regs) BPF_CORE_READ(regs, orig_x0)
#define SYSCALL_ARG1(regs) BPF_CORE_READ(regs, user_regs.regs[1])
#define SYSCALL_ARG2(regs) BPF_CORE_READ(regs, user_regs.regs[2])
#define SYSCALL_ARG4(regs) BPF_CORE_READ(regs, user_regs.regs[4])
#define REGS_NR(regs) ((regs)->syscallno)
#define REGS_ARG0(regs) ((regs)->orig_x0)
#define REGS_ARG1(regs) ((regs)->user_regs.regs[1])
#define REGS_ARG2(regs) ((regs)->user_regs.regs[2])
#define REGS_ARG4(regs) ((regs)->user_regs.regs[4])
enum {
	NR_read = 63, NR_write = 64, NR_readv = 65, NR_writev = 66,
	NR_pread64 = 67, NR_pwrite64 = 68, NR_preadv = 69, NR_pwritev = 70,
	NR_sendfile = 71, NR_splice = 76, NR_mmap = 222,
	NR_preadv2 = 286, NR_pwritev2 = 287, NR_copy_file_range = 285,
};
#else
#error "fileio.bpf.c supports x86 and arm64 only"
#endif


struct io_uring_task {
	struct task_struct *task;
} __attribute__((preserve_access_index));

struct io_kiocb {
	struct file *file;
	__u8 opcode;
	struct io_uring_task *tctx;
} __attribute__((preserve_access_index));

struct io_uring_cqe {
	__s32 res;
} __attribute__((preserve_access_index));

// io_uring opcodes (uapi, stable).
enum {
	IORING_OP_READV = 1, IORING_OP_WRITEV = 2, IORING_OP_READ_FIXED = 4,
	IORING_OP_WRITE_FIXED = 5, IORING_OP_READ = 22, IORING_OP_WRITE = 23,
	IORING_OP_SPLICE = 30,
};

// Which ways a (process, file) pair's bytes came, a bit each
// (file_counts.via).
enum {
	VIA_RW = 1,         // read/write/pread/pwrite/readv/writev/preadv/pwritev(2)
	VIA_COPY = 2,       // copy_file_range(2)
	VIA_SENDFILE = 4,   // sendfile(2)
	VIA_SPLICE = 8,     // splice(2), io_uring SPLICE
	VIA_IO_URING = 16,  // io_uring read/write requests
	VIA_DIRTIED = 32,   // pages dirtied (dirtied_pages)
	IS_BLOCK = 1u << 30, // the file is a block device (not a way in)
	NAMED = 1u << 31,    // the file's path was captured (not a way in)
};

// file_key names one (process, file) pair by the file's in-memory inode,
// which is cheaper to get on every call than device and inode number.
struct file_key {
	__u32 tgid;
	__u32 pad;
	__u64 inode; // struct inode address
};

// file_counts are the bytes and calls of one interval.
struct file_counts {
	__u64 write_bytes;
	__u64 read_bytes;
	__u64 write_calls;
	__u64 read_calls;
	__u64 start_boottime; // of the thread group leader, ns since boot
	__u64 ino;
	__u32 dev;            // kernel-internal dev_t: major << 20 | minor
	__u32 gen;            // i_generation: tells a reused inode number apart
	char comm[16];        // of the thread group leader
	__u32 ppid;           // the parent's tgid when the pair was first seen
	__u32 via;            // VIA_* bits
	__u32 ns_tgid;        // tgid and ppid in the reader's PID namespace
	__u32 ns_ppid;        // (pidns; 0 when the parent is outside it)
	__u64 dirtied_pages;  // pages of page cache this process first dirtied in the file
};

// inode_key names a file for the paths map. The generation keeps a new
// file that got a deleted file's inode number from inheriting its path.
struct inode_key {
	__u32 dev;
	__u32 gen;
	__u64 ino;
};

// file_path holds a path in buf[start, PATH_LEN), written from the end
// ("/dir/file", no terminating NUL). buf is twice PATH_LEN so that the
// masked offsets the verifier needs always stay inside it.
struct file_path {
	__u32 start;
	__u32 flags;
	char buf[PATH_LEN * 2];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ctl SEC(".maps");

// pidns_info is the PID namespace of the process reading the maps: level
// 0 for the initial namespace (nothing to translate), else 1 and the
// namespace's inode number, so PIDs can be given as that process sees
// them.
struct pidns_info {
	__u32 level;
	__u32 inum;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pidns_info);
} pidns SEC(".maps");

// ns_nr returns task's process ID (tgid when task is the group leader)
// in the namespace whose inode number is ns->inum, or 0 when the task is
// outside it. The namespace's depth is not known to user space (inside a
// namespace /proc shows none above it), so the task's levels are searched.
static __always_inline __u32 ns_nr(struct task_struct *task, struct pidns_info *ns)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	if (!pid)
		return 0;
	unsigned int top = BPF_CORE_READ(pid, level);
	for (unsigned int level = 1; level <= 16; level++) {
		if (level > top)
			break;
		struct upid up = {};
		void *at = (void *)pid + bpf_core_field_offset(struct pid, numbers) + level * bpf_core_type_size(struct upid);
		if (bpf_probe_read_kernel(&up, sizeof(up), at))
			return 0;
		if (BPF_CORE_READ(up.ns, ns.inum) == ns->inum)
			return up.nr;
	}
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct file_key);
	__type(value, struct file_counts);
} counts0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct file_key);
	__type(value, struct file_counts);
} counts1 SEC(".maps");

// Sized for 10,000 files written in one interval by up to 1,000
// processes: (process, file) pairs in counts0/1, file paths here.
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

// dropped[0] counts (process, file) pairs not recorded because the counts
// map was full.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

// overflow0/1 hold, per process (key inode 0), the bytes of files that
// found the counts map of the same slot full.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct file_key);
	__type(value, struct file_counts);
} overflow0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct file_key);
	__type(value, struct file_counts);
} overflow1 SEC(".maps");

// exit_counts are a process's storage-layer counters (the kernel's task
// I/O accounting, as /proc/PID/io shows them) taken as its threads exit.
// own_* add up each exiting thread's own counters: the process's own I/O
// since it started, without its reaped children's (a process that started
// while the program was attached: an older one misses the threads that
// exited before). full_* are taken when the last thread exits: what
// /proc/PID/io last showed, reaped children included.
struct exit_counts {
	__u64 own_write;
	__u64 own_cancelled;
	__u64 own_read;
	__u64 full_write;
	__u64 full_cancelled;
	__u64 full_read;
	__u64 start_boottime; // of the thread group leader, ns since boot
	char comm[16];        // of the thread group leader
	__u32 ppid;
	__u32 done;           // 1 once the last thread exited
	__u32 ns_tgid;        // as in file_counts
	__u32 ns_ppid;
};

// exits0/1 hold, per tgid, the exit counters of the processes whose
// threads exited in the interval (double-buffered like the counts).
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct exit_counts);
} exits0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct exit_counts);
} exits1 SEC(".maps");

// last_file caches, per CPU and per slot of the double buffer, the
// (process, file) pair the CPU last counted through read/write calls, with
// the bytes and calls added to it since: a process writing one file in a
// loop adds to this per-CPU entry (no hash lookup, no atomic add) instead of
// its counts entry. The pending figures go to the counts entry when the
// CPU counts another pair; user space adds those still pending to the
// slot's counts when it drains the slot, and clears the slot's entries.
struct last_file {
	__u32 tgid;
	__u32 pad;
	__u64 inode; // struct inode address; 0: empty
	__u64 write_bytes;
	__u64 write_calls;
	__u64 read_bytes;
	__u64 read_calls;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct last_file);
} lastfile SEC(".maps");

// capture_path_of records the path of the file at address faddr for ik,
// once. It is a global function, so the verifier checks its path walk once
// instead of at every place that calls it (loading took about 230 ms when
// it was inlined into each kind of call).
__attribute__((noinline)) int capture_path_of(__u64 faddr, struct inode_key *ik)
{
	if (!ik || !faddr)
		return 0;
	struct file *f = (struct file *)faddr;
	if (bpf_map_lookup_elem(&paths, ik))
		return 0;
	__u32 zero = 0;
	struct file_path *p = bpf_map_lookup_elem(&scratch, &zero);
	if (!p)
		return 0;
	p->flags = 0;

	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	struct vfsmount *vm = BPF_CORE_READ(f, f_path.mnt);
	struct mount *m = (struct mount *)((void *)vm - bpf_core_field_offset(struct mount, mnt));
	struct dentry *mroot = BPF_CORE_READ(vm, mnt_root);
	int done = 0;
	// The write offset lives in the map value, not in a register: loaded
	// back each step it is an unknown (masked) scalar to the verifier, so
	// the loop's states stay few enough to verify.
	p->start = PATH_LEN;

	for (int i = 0; i < WALK_STEPS; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		if (d == mroot || d == parent) {
			struct mount *mp = BPF_CORE_READ(m, mnt_parent);
			if (d != mroot || m == mp) {
				done = 1;
				break;
			}
			d = BPF_CORE_READ(m, mnt_mountpoint);
			m = mp;
			mroot = BPF_CORE_READ(m, mnt.mnt_root);
			continue;
		}
		__u32 len = BPF_CORE_READ(d, d_name.len);
		if (len > NAME_MAX_CAPTURED)
			p->flags |= PATH_TRUNCATED;
		len &= NAME_MAX_CAPTURED;
		__u32 off = p->start;
		if (off > PATH_LEN || off < len + 1)
			break; // no room: the path is cut at the root end
		off -= len;
		const unsigned char *name = BPF_CORE_READ(d, d_name.name);
		if (bpf_probe_read_kernel(&p->buf[off & (PATH_LEN - 1)], len, name))
			break;
		off -= 1;
		p->buf[off & (PATH_LEN - 1)] = '/';
		p->start = off;
		d = parent;
	}
	if (!done)
		p->flags |= PATH_TRUNCATED;
	bpf_map_update_elem(&paths, ik, p, BPF_ANY);
	return 0;
}

static __always_inline void capture_path(struct file *f, struct inode_key *ik)
{
	// A global function takes scalars: the pointer's value is copied out
	// with a probe read, which the verifier sees as a plain number.
	__u64 addr = 0;
	bpf_probe_read_kernel(&addr, sizeof(addr), &f);
	capture_path_of(addr, ik);
}

// is_write_nr returns 1 for the write family, 0 for the read family and -1
// for any other system call.
static __always_inline int is_write_nr(long nr)
{
	switch (nr) {
	case NR_write:
	case NR_pwrite64:
	case NR_writev:
	case NR_pwritev:
	case NR_pwritev2:
		return 1;
	case NR_read:
	case NR_pread64:
	case NR_readv:
	case NR_preadv:
	case NR_preadv2:
		return 0;
	}
	return -1;
}

// add_bytes adds ret bytes moved through file f (whose inode is inode) by
// the current process. The common case is one array and one hash lookup
// and two atomic adds; the first call for a (process, file) pair in an
// interval also records the process (start time, name, parent) and, once
// per file, its path.
// Kinds of byte count add_task_bytes adds.
enum { ADD_READ = 0, ADD_WRITE = 1, ADD_DIRTIED = 2 };

static __always_inline int add_task_bytes(struct file *f, struct inode *inode, int kind, long ret,
					  __u32 via, __u32 tgid, struct task_struct *task)
{
	struct file_key key = {
		.tgid = tgid,
		.inode = (__u64)inode,
	};
	int cached = 1; // counted in the counts map (not the overflow map)
	__u32 zero = 0;
	__u32 *slot = bpf_map_lookup_elem(&ctl, &zero);
	void *counts = (slot && *slot) ? (void *)&counts1 : (void *)&counts0;

	struct file_counts *c = bpf_map_lookup_elem(counts, &key);
	if (!c) {
		struct file_counts init = {};
		if (!task)
			task = (struct task_struct *)bpf_get_current_task();
		struct task_struct *leader = BPF_CORE_READ(task, group_leader);
		init.start_boottime = BPF_CORE_READ(leader, start_boottime);
		BPF_CORE_READ_STR_INTO(&init.comm, leader, comm);
		// The parent, so user space can take a short-lived child's bytes
		// back out of the parent that reaps it (Linux adds a reaped
		// child's I/O accounting to its parent's).
		init.ppid = BPF_CORE_READ(leader, real_parent, tgid);
		struct pidns_info *ns = bpf_map_lookup_elem(&pidns, &zero);
		if (ns && ns->level) {
			// A task outside the reader's namespace is not counted:
			// its PID means nothing there.
			init.ns_tgid = ns_nr(leader, ns);
			if (!init.ns_tgid)
				return 0;
			init.ns_ppid = ns_nr(BPF_CORE_READ(leader, real_parent), ns);
		}
		init.dev = BPF_CORE_READ(inode, i_sb, s_dev);
		if ((BPF_CORE_READ(inode, i_mode) & S_IFMT) == S_IFBLK)
			init.via = IS_BLOCK;
		init.ino = BPF_CORE_READ(inode, i_ino);
		init.gen = BPF_CORE_READ(inode, i_generation);
		if (bpf_map_update_elem(counts, &key, &init, BPF_NOEXIST) == -7 /* E2BIG */) {
			cached = 0;
			// The per-file map is full: the bytes go to the process's
			// "other files" entry (inode 0) in the overflow map, so its
			// total stays whole, and the pair is counted as dropped.
			__u64 *d = bpf_map_lookup_elem(&dropped, &zero);
			if (d)
				*d += 1;
			void *over = (slot && *slot) ? (void *)&overflow1 : (void *)&overflow0;
			key.inode = 0;
			init.dev = 0;
			init.ino = 0;
			init.gen = 0;
			bpf_map_update_elem(over, &key, &init, BPF_NOEXIST);
			c = bpf_map_lookup_elem(over, &key);
			if (!c)
				return 0;
		} else {
			c = bpf_map_lookup_elem(counts, &key);
			if (!c)
				return 0;
		}
	}
	// The path is captured by the first call that has the struct file
	// (the pair may have been created by a dirtied page, which has none).
	if (f && !(c->via & NAMED) && c->ino) {
		struct inode_key ik = {.dev = c->dev, .gen = c->gen, .ino = c->ino};
		capture_path(f, &ik);
		via |= NAMED;
	}
	if (kind == ADD_WRITE) {
		__sync_fetch_and_add(&c->write_bytes, ret);
		__sync_fetch_and_add(&c->write_calls, 1);
	} else if (kind == ADD_READ) {
		__sync_fetch_and_add(&c->read_bytes, ret);
		__sync_fetch_and_add(&c->read_calls, 1);
	} else {
		__sync_fetch_and_add(&c->dirtied_pages, ret);
	}
	if (!(c->via & via))
		c->via |= via; // a racing update may lose a bit, never bytes
	// 1: later calls for the pair may go to the CPU's last_file entry (it
	// is in the counts map, its path is known).
	return cached && (c->via & NAMED) ? 1 : 0;
}

// flush_last_file adds what lf holds to its pair's counts entry.
static __always_inline void flush_last_file(struct last_file *lf, void *counts)
{
	if (!lf->write_calls && !lf->read_calls)
		return;
	struct file_key key = {.tgid = lf->tgid, .inode = lf->inode};
	struct file_counts *c = bpf_map_lookup_elem(counts, &key);
	if (c) {
		__sync_fetch_and_add(&c->write_bytes, lf->write_bytes);
		__sync_fetch_and_add(&c->write_calls, lf->write_calls);
		__sync_fetch_and_add(&c->read_bytes, lf->read_bytes);
		__sync_fetch_and_add(&c->read_calls, lf->read_calls);
	}
	lf->write_bytes = 0;
	lf->write_calls = 0;
	lf->read_bytes = 0;
	lf->read_calls = 0;
}

// add_bytes adds bytes moved by the current process. Read/write calls on
// the pair this CPU counted last only add to its last_file entry.
static __always_inline int add_bytes(struct file *f, struct inode *inode, int is_write, long ret, __u32 via)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (via != VIA_RW)
		return add_task_bytes(f, inode, is_write ? ADD_WRITE : ADD_READ, ret, via, tgid, 0);
	__u32 zero = 0;
	__u32 *slotp = bpf_map_lookup_elem(&ctl, &zero);
	__u32 slot = (slotp && *slotp) ? 1 : 0;
	struct last_file *lf = bpf_map_lookup_elem(&lastfile, &slot);
	if (lf && lf->inode == (__u64)inode && lf->tgid == tgid) {
		if (is_write) {
			lf->write_bytes += ret;
			lf->write_calls += 1;
		} else {
			lf->read_bytes += ret;
			lf->read_calls += 1;
		}
		return 0;
	}
	if (add_task_bytes(f, inode, is_write ? ADD_WRITE : ADD_READ, ret, via, tgid, 0) == 1 && lf) {
		flush_last_file(lf, slot ? (void *)&counts1 : (void *)&counts0);
		lf->tgid = tgid;
		lf->inode = (__u64)inode;
	}
	return 0;
}

static __always_inline int counted_mode(unsigned short mode)
{
	return (mode & S_IFMT) == S_IFREG || (mode & S_IFMT) == S_IFBLK;
}

// count adds ret bytes moved through f, a file pointer read from an fd
// table (a plain scalar to the verifier, so read with probe reads).
static __always_inline int count(struct file *f, int is_write, long ret, __u32 via)
{
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	if (!inode || !counted_mode(BPF_CORE_READ(inode, i_mode)))
		return 0;
	return add_bytes(f, inode, is_write, ret, via);
}

// count_btf is count for a file pointer the verifier knows by its BTF type
// (an fexit argument): the inode and its mode are plain loads.
static __always_inline int count_btf(struct file *f, int is_write, long ret, __u32 via)
{
	if (ret <= 0)
		return 0;
	struct inode *inode = f->f_inode;
	if (!inode || !counted_mode(inode->i_mode))
		return 0;
	return add_bytes(f, inode, is_write, ret, via);
}

// The fexit programs: ctx holds the function's arguments, then its return
// value. vfs_write/vfs_read(file, buf, count, pos) -> ssize_t;
// vfs_writev/vfs_readv(file, vec, vlen, pos, flags) -> ssize_t.

SEC("fexit/vfs_write")
int fexit_vfs_write(unsigned long long *ctx)
{
	return count_btf((struct file *)ctx[0], 1, (long)ctx[4], VIA_RW);
}

SEC("fexit/vfs_read")
int fexit_vfs_read(unsigned long long *ctx)
{
	return count_btf((struct file *)ctx[0], 0, (long)ctx[4], VIA_RW);
}

SEC("fexit/vfs_writev")
int fexit_vfs_writev(unsigned long long *ctx)
{
	return count_btf((struct file *)ctx[0], 1, (long)ctx[5], VIA_RW);
}

SEC("fexit/vfs_readv")
int fexit_vfs_readv(unsigned long long *ctx)
{
	return count_btf((struct file *)ctx[0], 0, (long)ctx[5], VIA_RW);
}

// bpf_rdonly_cast (kernel 6.2+) turns an address into a typed pointer the
// verifier lets the program read with plain loads (faults read as zero),
// instead of a bpf_probe_read_kernel call per field.
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

// An fd table slot is a struct file pointer, which BTF has no struct type
// for; struct kiocb starts with one (ki_filp), so the slot is read as one.
struct kiocb {
	struct file *ki_filp;
} __attribute__((preserve_access_index));

// fd_file_btf returns the open file behind fd in the current task's fd
// table, read with plain loads (BTF), or 0.
static __always_inline struct file *fd_file_btf(unsigned int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if (fd >= fdt->max_fds)
		return 0;
	struct kiocb *slot = bpf_rdonly_cast(&fdt->fd[fd], bpf_core_type_id_kernel(struct kiocb));
	return slot->ki_filp;
}

// fd_file returns the open file behind fd with probe reads, or 0.
static __always_inline struct file *fd_file(unsigned int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt)
		return 0;
	if (fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = 0;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return 0;
	return f;
}

// note_mapped captures the path of a file mapped with mmap(2), so the
// pages a process later dirties through the mapping (counted by inode in
// count_dirtied, which has no struct file) have a name.
static __always_inline void note_mapped(struct file *f)
{
	if (!f)
		return;
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	if (!inode || (BPF_CORE_READ(inode, i_mode) & S_IFMT) != S_IFREG)
		return;
	struct inode_key ik = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.gen = BPF_CORE_READ(inode, i_generation),
		.ino = BPF_CORE_READ(inode, i_ino),
	};
	capture_path(f, &ik);
}

// The two-file calls: the out fd is written, the in fd read.
// copy_file_range(fd_in, off_in, fd_out, ...), splice(fd_in, off_in,
// fd_out, ...), sendfile(out_fd, in_fd, ...).
#define TWO_FILE_CALLS(FILE_OF, ARG0, ARG1, ARG2)                                  \
	case NR_copy_file_range:                                                   \
		f = FILE_OF((unsigned int)ARG2);                                   \
		if (f)                                                             \
			COUNT(f, 1, ret, VIA_COPY);                                \
		f = FILE_OF((unsigned int)ARG0);                                   \
		if (f)                                                             \
			COUNT(f, 0, ret, VIA_COPY);                                \
		return 0;                                                          \
	case NR_splice:                                                            \
		f = FILE_OF((unsigned int)ARG2);                                   \
		if (f)                                                             \
			COUNT(f, 1, ret, VIA_SPLICE);                              \
		f = FILE_OF((unsigned int)ARG0);                                   \
		if (f)                                                             \
			COUNT(f, 0, ret, VIA_SPLICE);                              \
		return 0;                                                          \
	case NR_sendfile:                                                          \
		f = FILE_OF((unsigned int)ARG0);                                   \
		if (f)                                                             \
			COUNT(f, 1, ret, VIA_SENDFILE);                            \
		f = FILE_OF((unsigned int)ARG1);                                   \
		if (f)                                                             \
			COUNT(f, 0, ret, VIA_SENDFILE);                            \
		return 0;

// count_file_io_btf is the sys_exit fallback where trampolines are
// missing but BTF is there: a BTF-typed raw tracepoint, so the registers,
// the task's fd table, the file and its inode are read with plain loads.
SEC("tp_btf/sys_exit")
int count_file_io_btf(unsigned long long *ctx)
{
	long ret = (long)ctx[1];
	if (ret <= 0)
		return 0;
	struct pt_regs *regs = (struct pt_regs *)ctx[0];
	long nr = REGS_NR(regs);
	int is_write = is_write_nr(nr);
	struct file *f;
	if (is_write >= 0) {
		f = fd_file_btf((unsigned int)REGS_ARG0(regs));
		if (!f)
			return 0;
		return count_btf(f, is_write, ret, VIA_RW);
	}
#define COUNT count_btf
	switch (nr) {
	TWO_FILE_CALLS(fd_file_btf, REGS_ARG0(regs), REGS_ARG1(regs), REGS_ARG2(regs))
	case NR_mmap:
		note_mapped(fd_file_btf((unsigned int)REGS_ARG4(regs)));
		return 0;
	}
#undef COUNT
	return 0;
}

// count_file_io is the portable variant for kernels without BTF-typed
// raw tracepoints: every kernel read goes through bpf_probe_read_kernel.
SEC("raw_tracepoint/sys_exit")
int count_file_io(struct bpf_raw_tracepoint_args *ctx)
{
	long ret = (long)ctx->args[1];
	if (ret <= 0)
		return 0;
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = SYSCALL_NR(regs);
	int is_write = is_write_nr(nr);
	struct file *f;
	if (is_write >= 0) {
		f = fd_file((unsigned int)SYSCALL_ARG0(regs));
		if (!f)
			return 0;
		return count(f, is_write, ret, VIA_RW);
	}
#define COUNT(f, w, r, v) (r > 0 ? count(f, w, r, v) : 0)
	switch (nr) {
	TWO_FILE_CALLS(fd_file, SYSCALL_ARG0(regs), SYSCALL_ARG1(regs), SYSCALL_ARG2(regs))
	case NR_mmap:
		note_mapped(fd_file((unsigned int)SYSCALL_ARG4(regs)));
		return 0;
	}
#undef COUNT
	return 0;
}

// count_io_uring counts a completed io_uring read or write request by its
// result, to the process that submitted it (the request's task context;
// the completion may run in one of its io-wq workers). It sees no struct
// file through BTF (the tracepoint passes the request as void *), so the
// request is cast and read with plain loads.
SEC("tp_btf/io_uring_complete")
int count_io_uring(unsigned long long *ctx)
{
	struct io_kiocb *req = bpf_rdonly_cast((void *)ctx[1], bpf_core_type_id_kernel(struct io_kiocb));
	struct io_uring_cqe *cqe = bpf_rdonly_cast((void *)ctx[2], bpf_core_type_id_kernel(struct io_uring_cqe));
	long res = cqe->res;
	if (res <= 0)
		return 0;
	int kind;
	__u32 via = VIA_IO_URING;
	switch (req->opcode) {
	case IORING_OP_WRITE:
	case IORING_OP_WRITEV:
	case IORING_OP_WRITE_FIXED:
		kind = ADD_WRITE;
		break;
	case IORING_OP_SPLICE:
		kind = ADD_WRITE;
		via = VIA_SPLICE;
		break;
	case IORING_OP_READ:
	case IORING_OP_READV:
	case IORING_OP_READ_FIXED:
		kind = ADD_READ;
		break;
	default:
		return 0;
	}
	struct file *f = req->file;
	if (!f)
		return 0;
	struct inode *inode = f->f_inode;
	if (!inode || !counted_mode(inode->i_mode))
		return 0;
	struct task_struct *task = 0;
	if (bpf_core_field_exists(req->tctx) && req->tctx)
		task = req->tctx->task;
	if (!task)
		task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid;
	return add_task_bytes(f, inode, kind, res, via, tgid, task);
}

// count_dirtied counts a folio of a regular file that the current process
// dirtied (writeback_dirty_folio fires where the kernel adds the folio to
// the process's storage write_bytes): writes through mmap show only
// here. Kernel threads (the flusher moving dirty bits of a mapping at
// writeback) are left out: they did not cause the write.
SEC("tp_btf/writeback_dirty_folio")
int count_dirtied(unsigned long long *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	if (task->flags & PF_KTHREAD)
		return 0;
	struct folio *folio = (struct folio *)ctx[0];
	struct address_space *mapping = (struct address_space *)ctx[1];
	if (!mapping)
		return 0;
	struct inode *inode = mapping->host;
	if (!inode || (inode->i_mode & S_IFMT) != S_IFREG)
		return 0;
	unsigned long flags = 0;
	bpf_probe_read_kernel(&flags, sizeof(flags), folio);
	long pages = 1;
	if (flags & (1UL << bpf_core_enum_value(enum pageflags, PG_head))) {
		if (bpf_core_field_exists(folio->_nr_pages))
			pages = folio->_nr_pages;
		else
			pages = 1L << (folio->_flags_1 & 0xff);
	}
	if (pages <= 0 || pages > 512 * 512)
		pages = 1;
	return add_task_bytes(0, inode, ADD_DIRTIED, pages, VIA_DIRTIED,
			      bpf_get_current_pid_tgid() >> 32, task);
}

// count_exit takes an exiting thread's storage-layer counters (its
// task_io_accounting) into its process's exit_counts, and when it is the
// last thread (group_dead) the process's whole counters too.
SEC("tp_btf/sched_process_exit")
int count_exit(unsigned long long *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[0];
	if (task->flags & PF_KTHREAD)
		return 0;
	if (!bpf_core_field_exists(task->ioac))
		return 0;
	__u32 tgid = task->tgid;
	__u64 w = task->ioac.write_bytes, c = task->ioac.cancelled_write_bytes, r = task->ioac.read_bytes;
	// do_exit counts the thread out of signal->live before this
	// tracepoint: 0 means the last thread of the process is exiting.
	struct signal_struct *sig = task->signal;
	int group_dead = sig->live.counter == 0;
	__u32 zero = 0;
	__u32 *slot = bpf_map_lookup_elem(&ctl, &zero);
	void *exits = (slot && *slot) ? (void *)&exits1 : (void *)&exits0;
	struct exit_counts *e = bpf_map_lookup_elem(exits, &tgid);
	if (!e) {
		struct exit_counts init = {};
		struct task_struct *leader = task->group_leader;
		init.start_boottime = leader->start_boottime;
		BPF_CORE_READ_STR_INTO(&init.comm, leader, comm);
		init.ppid = leader->real_parent->tgid;
		struct pidns_info *ns = bpf_map_lookup_elem(&pidns, &zero);
		if (ns && ns->level) {
			init.ns_tgid = ns_nr(leader, ns);
			if (!init.ns_tgid)
				return 0;
			init.ns_ppid = ns_nr(leader->real_parent, ns);
		}
		if (bpf_map_update_elem(exits, &tgid, &init, BPF_NOEXIST) == -7 /* E2BIG */) {
			__u64 *d = bpf_map_lookup_elem(&dropped, &zero);
			if (d)
				*d += 1;
			return 0;
		}
		e = bpf_map_lookup_elem(exits, &tgid);
		if (!e)
			return 0;
	}
	__sync_fetch_and_add(&e->own_write, w);
	__sync_fetch_and_add(&e->own_cancelled, c);
	__sync_fetch_and_add(&e->own_read, r);
	if (group_dead) {
		e->full_write = sig->ioac.write_bytes + w;
		e->full_cancelled = sig->ioac.cancelled_write_bytes + c;
		e->full_read = sig->ioac.read_bytes + r;
		e->done = 1;
	}
	return 0;
}
