// SPDX-License-Identifier: (MIT OR GPL-2.0)
//
// kernel.h: the kernel structures the sampler's eBPF programs read
// (sampler/fileio's per-file counter, sampler/blockio's block-layer
// attribution), declared once with only the fields they use and
// preserve_access_index, so CO-RE relocates each access against the
// running kernel's BTF (no vmlinux.h needed). A field one program does not
// read costs it nothing: relocations are per access.

#ifndef HVRDOCTOR_BPF_KERNEL_H
#define HVRDOCTOR_BPF_KERNEL_H

#define PF_KTHREAD 0x00200000
#define S_IFMT 00170000
#define S_IFREG 0100000
#define S_IFBLK 0060000

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

struct hlist_node {
	struct hlist_node *next;
} __attribute__((preserve_access_index));

struct hlist_head {
	struct hlist_node *first;
} __attribute__((preserve_access_index));

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
	union {
		struct hlist_node d_alias;
	} d_u;
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
	struct hlist_head i_dentry;
	__u32 i_rdev;
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

struct task_io_accounting {
	__u64 read_bytes;
	__u64 write_bytes;
	__u64 cancelled_write_bytes;
} __attribute__((preserve_access_index));

typedef struct {
	int counter;
} atomic_t;

struct signal_struct {
	atomic_t live;
	struct task_io_accounting ioac;
} __attribute__((preserve_access_index));

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct pid_namespace {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct upid {
	int nr;
	struct pid_namespace *ns;
} __attribute__((preserve_access_index));

struct pid {
	unsigned int level;
	struct upid numbers[1];
} __attribute__((preserve_access_index));

struct task_struct {
	int tgid;
	int pid;
	unsigned int flags;
	struct pid *thread_pid;
	struct task_io_accounting ioac;
	struct signal_struct *signal;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct files_struct *files;
	__u64 start_boottime;
	char comm[16];
} __attribute__((preserve_access_index));

struct address_space {
	struct inode *host;
} __attribute__((preserve_access_index));

struct page {
	unsigned long compound_head;
	struct address_space *mapping;
} __attribute__((preserve_access_index));

// struct folio, as far as the byte count of one needs: its flags word,
// and the page count of a large folio (_nr_pages since 6.x on 64-bit;
// older kernels keep the order in the low byte of _flags_1).
struct folio {
	unsigned long _flags_1;
	unsigned int _nr_pages;
} __attribute__((preserve_access_index));

enum pageflags {
	PG_head = 6,
};

#endif
