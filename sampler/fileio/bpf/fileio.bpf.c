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
// Either way the bytes are added to a per-(tgid, inode) counter. The first
// time a file is seen its full path is captured by walking dentries and
// mounts, so files closed and processes that exited before user space reads
// the maps still have a name.
//
// The counters are double-buffered: user space flips `ctl[0]` between 0 and
// 1 each interval, then reads and empties the map the kernel no longer
// writes. Maps are bounded; a full map increments `dropped`.
//
// The kernel structures are declared here with only the fields used and
// preserve_access_index, so CO-RE relocates them against the running
// kernel's BTF (no vmlinux.h needed).

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

// A captured path is at most PATH_LEN-1 bytes, built backwards from the
// end of buf; components longer than NAME_MAX_CAPTURED bytes are cut.
#define PATH_LEN 512
#define NAME_MAX_CAPTURED 255
#define WALK_STEPS 48

#define S_IFMT 00170000
#define S_IFREG 0100000
#define S_IFBLK 0060000

#define PATH_TRUNCATED 1

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long di;
	unsigned long orig_ax;
} __attribute__((preserve_access_index));
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, orig_ax)
#define SYSCALL_ARG0(regs) BPF_CORE_READ(regs, di)
enum {
	NR_read = 0, NR_write = 1, NR_pread64 = 17, NR_pwrite64 = 18,
	NR_readv = 19, NR_writev = 20, NR_preadv = 295, NR_pwritev = 296,
	NR_preadv2 = 327, NR_pwritev2 = 328,
};
#elif defined(__TARGET_ARCH_arm64)
struct pt_regs {
	__u64 orig_x0;
	__s32 syscallno;
} __attribute__((preserve_access_index));
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, syscallno)
// At sys_exit regs[0] already holds the return value; orig_x0 keeps arg 0.
#define SYSCALL_ARG0(regs) BPF_CORE_READ(regs, orig_x0)
enum {
	NR_read = 63, NR_write = 64, NR_readv = 65, NR_writev = 66,
	NR_pread64 = 67, NR_pwrite64 = 68, NR_preadv = 69, NR_pwritev = 70,
	NR_preadv2 = 286, NR_pwritev2 = 287,
};
#else
#error "fileio.bpf.c supports x86 and arm64 only"
#endif

struct qstr {
	union {
		struct {
			__u32 hash;
			__u32 len;
		};
		__u64 hash_len;
	};
	const unsigned char *name;
} __attribute__((preserve_access_index));

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
} __attribute__((preserve_access_index));

struct vfsmount {
	struct dentry *mnt_root;
} __attribute__((preserve_access_index));

struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
} __attribute__((preserve_access_index));

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} __attribute__((preserve_access_index));

struct super_block {
	__u32 s_dev;
} __attribute__((preserve_access_index));

struct inode {
	unsigned short i_mode;
	struct super_block *i_sb;
	unsigned long i_ino;
	__u32 i_generation;
} __attribute__((preserve_access_index));

struct file {
	struct path f_path;
	struct inode *f_inode;
} __attribute__((preserve_access_index));

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
} __attribute__((preserve_access_index));

struct files_struct {
	struct fdtable *fdt;
} __attribute__((preserve_access_index));

struct task_struct {
	int tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct files_struct *files;
	__u64 start_boottime;
	char comm[16];
} __attribute__((preserve_access_index));

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
	__u32 pad;
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

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
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

static __always_inline void capture_path(struct file *f, struct inode_key *ik)
{
	if (bpf_map_lookup_elem(&paths, ik))
		return;
	__u32 zero = 0;
	struct file_path *p = bpf_map_lookup_elem(&scratch, &zero);
	if (!p)
		return;
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
static __always_inline int add_bytes(struct file *f, struct inode *inode, int is_write, long ret)
{
	struct file_key key = {
		.tgid = bpf_get_current_pid_tgid() >> 32,
		.inode = (__u64)inode,
	};
	__u32 zero = 0;
	__u32 *slot = bpf_map_lookup_elem(&ctl, &zero);
	void *counts = (slot && *slot) ? (void *)&counts1 : (void *)&counts0;

	struct file_counts *c = bpf_map_lookup_elem(counts, &key);
	if (!c) {
		struct file_counts init = {};
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		struct task_struct *leader = BPF_CORE_READ(task, group_leader);
		init.start_boottime = BPF_CORE_READ(leader, start_boottime);
		BPF_CORE_READ_STR_INTO(&init.comm, leader, comm);
		// The parent, so user space can take a short-lived child's bytes
		// back out of the parent that reaps it (Linux adds a reaped
		// child's I/O accounting to its parent's).
		init.ppid = BPF_CORE_READ(leader, real_parent, tgid);
		init.dev = BPF_CORE_READ(inode, i_sb, s_dev);
		init.ino = BPF_CORE_READ(inode, i_ino);
		init.gen = BPF_CORE_READ(inode, i_generation);
		if (bpf_map_update_elem(counts, &key, &init, BPF_NOEXIST) == -7 /* E2BIG */) {
			__u64 *d = bpf_map_lookup_elem(&dropped, &zero);
			if (d)
				*d += 1;
			return 0;
		}
		struct inode_key ik = {.dev = init.dev, .gen = init.gen, .ino = init.ino};
		capture_path(f, &ik);
		c = bpf_map_lookup_elem(counts, &key);
		if (!c)
			return 0;
	}
	if (is_write) {
		__sync_fetch_and_add(&c->write_bytes, ret);
		__sync_fetch_and_add(&c->write_calls, 1);
	} else {
		__sync_fetch_and_add(&c->read_bytes, ret);
		__sync_fetch_and_add(&c->read_calls, 1);
	}
	return 0;
}

static __always_inline int counted_mode(unsigned short mode)
{
	return (mode & S_IFMT) == S_IFREG || (mode & S_IFMT) == S_IFBLK;
}

// count adds ret bytes moved through f, a file pointer read from an fd
// table (a plain scalar to the verifier, so read with probe reads).
static __always_inline int count(struct file *f, int is_write, long ret)
{
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	if (!inode || !counted_mode(BPF_CORE_READ(inode, i_mode)))
		return 0;
	return add_bytes(f, inode, is_write, ret);
}

// count_btf is count for a file pointer the verifier knows by its BTF type
// (an fexit argument): the inode and its mode are plain loads.
static __always_inline int count_btf(struct file *f, int is_write, long ret)
{
	if (ret <= 0)
		return 0;
	struct inode *inode = f->f_inode;
	if (!inode || !counted_mode(inode->i_mode))
		return 0;
	return add_bytes(f, inode, is_write, ret);
}

// The fexit programs: ctx holds the function's arguments, then its return
// value. vfs_write/vfs_read(file, buf, count, pos) -> ssize_t;
// vfs_writev/vfs_readv(file, vec, vlen, pos, flags) -> ssize_t.

SEC("fexit/vfs_write")
int fexit_vfs_write(unsigned long long *ctx)
{
	return count_btf((struct file *)ctx[0], 1, (long)ctx[4]);
}

SEC("fexit/vfs_read")
int fexit_vfs_read(unsigned long long *ctx)
{
	return count_btf((struct file *)ctx[0], 0, (long)ctx[4]);
}

SEC("fexit/vfs_writev")
int fexit_vfs_writev(unsigned long long *ctx)
{
	return count_btf((struct file *)ctx[0], 1, (long)ctx[5]);
}

SEC("fexit/vfs_readv")
int fexit_vfs_readv(unsigned long long *ctx)
{
	return count_btf((struct file *)ctx[0], 0, (long)ctx[5]);
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
#if defined(__TARGET_ARCH_x86)
	long nr = regs->orig_ax;
	unsigned int fd = (unsigned int)regs->di;
#else
	long nr = regs->syscallno;
	unsigned int fd = (unsigned int)regs->orig_x0;
#endif
	int is_write = is_write_nr(nr);
	if (is_write < 0)
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if (fd >= fdt->max_fds)
		return 0;
	struct kiocb *slot = bpf_rdonly_cast(&fdt->fd[fd], bpf_core_type_id_kernel(struct kiocb));
	struct file *f = slot->ki_filp;
	if (!f)
		return 0;
	return count_btf(f, is_write, ret);
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
	int is_write = is_write_nr(SYSCALL_NR(regs));
	if (is_write < 0)
		return 0;
	unsigned int fd = (unsigned int)SYSCALL_ARG0(regs);

	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt)
		return 0;
	if (fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = 0;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return 0;
	return count(f, is_write, ret);
}
