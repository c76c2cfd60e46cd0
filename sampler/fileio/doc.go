// Package fileio attributes file reads and writes to processes and files:
// per interval, per (process, file with full path), the bytes written and
// read. It answers step 2 of a churn investigation ("which file?") the way
// Resource Monitor's Disk tab does.
//
// Backends, best available chosen by Open:
//
//   - Linux eBPF (root or CAP_BPF+CAP_PERFMON): fexit programs on vfs_write,
//     vfs_read, vfs_writev and vfs_readv (BPF trampolines, BTF), which only
//     file reads and writes pay for; where the kernel refuses them, one
//     program on the sys_exit raw tracepoint (BTF-typed where possible, no
//     tracefs or kprobes), which every system call passes through. Either
//     way the bytes of the read/write call family are counted per process
//     and open file in the kernel; exact for those calls, and it sees
//     processes and files that come and go within an interval (their paths
//     are captured in the kernel the first time they are written).
//   - Linux fanotify plus /proc/PID/fdinfo position deltas (root without
//     BPF): every process's open files are scanned each interval; fanotify
//     names the files touched between scans.
//   - Linux /proc scan (unprivileged): the user's own processes only.
//   - Windows ETW (Administrator): the Microsoft-Windows-Kernel-File
//     provider's read and write events in a private session.
//
// Each backend says in Info what it cannot see. The package has no UI
// imports; Record writes FileStats-N.csv and ShortenPath fits paths to a
// column width.
package fileio
