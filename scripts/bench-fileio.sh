#!/usr/bin/env bash
# Benchmarks of the per-file sources (sampler/fileio), as root:
#  1. a 4 KiB write(2) loop with nothing attached, with the eBPF backend as
#     Open picks it, with its portable sys_exit variant, and with empty
#     control programs on sys_exit and on fexit/vfs_write, alternated ROUNDS
#     times; prints each case's median ns/op and its ratio to "off";
#  2. what the counting program itself costs per run (kernel BPF run-time
#     statistics), per variant, against an empty program;
#  3. the CPU time of one sample with 10,000 files held open by another
#     process, per backend, idle and with every file written between samples.
# Usage: scripts/bench-fileio.sh [ROUNDS] [WRITES]   (defaults 8 and 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
writes=${2:-2000000}

bin=$(mktemp /tmp/fileio-bench.XXXXXX)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" ./sampler/fileio/

echo "== 4 KiB write loop: $rounds rounds of $writes writes per case, cases alternating"
# -test.count would repeat each case back to back; one run per round
# alternates the cases instead, so slow spells of a shared machine hit all.
out=$(for ((i = 0; i < rounds; i++)); do
  "$bin" -test.run '^$' -test.bench 'WriteLoop4KiB' -test.v -test.benchtime "${writes}x" -test.count 1
done)
echo "$out" | grep -E '^Benchmark.*ns/op'
# Why a case did not run (for example a kernel that refuses fexit).
echo "$out" | grep -E '^ +bench_writeloop_linux_test.go:[0-9]+: ' | sed 's/^ *[^ ]* /skipped: /' | sort -u || true
echo "$out" | awk '
  # Every round runs each case once, ebpf=off first; a case is compared
  # by its median and by the median of its ratios to the off run of the same round.
  /^BenchmarkWriteLoop4KiB\/.*ns\/op/ {
    name = $1; sub(/^BenchmarkWriteLoop4KiB\//, "", name); sub(/-[0-9]+$/, "", name)
    if (name == "ebpf=off") round++
    if (!(name in n)) order[++cases] = name
    v[name, ++n[name]] = $3
    if (round > 0) { if (name == "ebpf=off") off_of[round] = $3; else if (off_of[round] > 0) r[name, ++nr[name]] = $3 / off_of[round] }
  }
  function median(arr, name, k,   i, j, t, a) {
    for (i = 1; i <= k; i++) a[i] = arr[name, i]
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    if (!("ebpf=off" in n)) { print "no ebpf=off results"; exit 1 }
    off = median(v, "ebpf=off", n["ebpf=off"])
    for (c = 1; c <= cases; c++) {
      nm = order[c]; m = median(v, nm, n[nm])
      pr = (nm == "ebpf=off") ? 1 : median(r, nm, nr[nm])
      printf "%-16s median %7.1f ns/op  ratio of medians %.3f  median of per-round ratios %.3f (%+.1f%%)\n", nm, m, m / off, pr, (pr - 1) * 100
    }
    if (!("ebpf=on" in n)) { print "eBPF backend unavailable: no ebpf=on results"; exit 1 }
    print "target: ebpf=on at most +5.0%"
  }'

echo "== counting program run time (kernel BPF statistics; prog-ns/run includes the statistics' own clock reads, see empty=sys_exit)"
"$bin" -test.run '^$' -test.bench 'CounterRunTime' -test.benchtime "$((writes / 4))x" -test.count 3 | grep -E '^Benchmark' || true

echo "== one sample with 10,000 open files (cpu-ms/sample = this process's user+system CPU per Read)"
"$bin" -test.run '^$' -test.bench 'Sample10kOpenFiles' -test.benchtime 10x | grep -E '^Benchmark'
