#!/usr/bin/env bash
# Disk bytes per process: the disk's own count vs hvrdoctor's block-layer
# rows vs pidstat (write_bytes), per workload, each on a private loop disk
# (a backing file in /dev/shm, ext4, its /proc/diskstats line as the truth),
# so other processes' disk traffic does not enter the figures:
#
#   1000 x pwrite 8 KiB + fdatasync, a buffered 256 MiB write left to
#   background writeback, cp of 256 MiB, fio sync/libaio direct/io_uring
#   direct/mmap (5 s each), two processes dirtying one file, PostgreSQL 15
#   under pgbench -c 4 -T 10.
#
# Then the cost: fio randwrite 4 KiB direct (libaio, depth 32, 8 s) without
# eBPF, with the block-layer programs, and with the per-file backend's
# per-syscall counter, each program's CPU from the kernel's BPF statistics
# (kernel.bpf_stats_enabled, turned on for the run and restored).
#
# pidstat samples every second (pidstat -d -h 1); a process that lives
# less than a second is never shown by it (0 in its column), and it does
# not show the kernel's own writes (journal, metadata).
#
# Usage: scripts/bench-blocklayer.sh
# Needs: root, a kernel with BTF, losetup, mkfs.ext4, fio, pidstat
# (sysstat), PostgreSQL 15 (postgresql), go. Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "bench-blocklayer: go not found" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench-blocklayer: run as root (eBPF, loop devices)" >&2; exit 1; }

echo "## Disk bytes per workload ($(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ))"
echo
HVRDOCTOR_BENCH_BLOCKLAYER=1 go test -count=1 -timeout 15m -run '^TestBenchBlockLayer$' -v ./sampler/blockio |
  grep '^|' || { echo "bench-blocklayer: the workload bench failed; run it with -v to see why" >&2; exit 1; }
echo
echo "## Cost at a high request rate"
echo
HVRDOCTOR_BENCH_BLOCKLAYER=1 go test -count=1 -timeout 10m -run '^TestBenchBlockLayerCPU$' -v ./sampler/blockio |
  grep '^|' || { echo "bench-blocklayer: the cost bench failed; run it with -v to see why" >&2; exit 1; }
