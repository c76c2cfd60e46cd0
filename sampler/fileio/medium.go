package fileio

// Media: whether a file's bytes can reach a disk, by the filesystem it is
// on (FileActivity.Medium).
const (
	// MediumDisk is a regular file on a disk-backed (or network)
	// filesystem, or a block device.
	MediumDisk = "disk"
	// MediumMemory is a file on a memory filesystem (tmpfs, ramfs,
	// hugetlbfs): its writes do not reach the disk.
	MediumMemory = "memory"
	// MediumNone is a file of a kernel interface (/proc, /sys, cgroup,
	// devpts, debugfs...): no data of a disk. Left out unless
	// Options.AllFiles.
	MediumNone = "none"
)

// MemoryNote is how a file on a memory filesystem is marked.
const MemoryNote = "memory: does not reach the disk"

// fsMedium maps a filesystem type (as /proc/self/mountinfo names it) to a
// medium; types not listed are MediumDisk.
func fsMedium(fstype string) string {
	switch fstype {
	case "tmpfs", "ramfs", "hugetlbfs", "devtmpfs", "shm":
		return MediumMemory
	case "proc", "sysfs", "cgroup", "cgroup2", "devpts", "debugfs", "tracefs", "securityfs", "bpf",
		"configfs", "pstore", "efivarfs", "mqueue", "fusectl", "binfmt_misc", "autofs", "nsfs",
		"rpc_pipefs", "selinuxfs", "pipefs", "sockfs", "anon_inodefs":
		return MediumNone
	}
	return MediumDisk
}
