#!/usr/bin/env bash
# Benchmarks of the per-file sources (sampler/fileio), as root:
#  1. a 4 KiB write(2) loop with the eBPF backend off and on, alternated
#     ROUNDS times; prints the median ns/op of each and their ratio;
#  2. the CPU time of one sample with 10,000 files held open by another
#     process, per backend, idle and with every file written between samples.
# Usage: scripts/bench-fileio.sh [ROUNDS] [WRITES]   (defaults 8 and 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
writes=${2:-2000000}

go test -c -o /tmp/fileio-bench.test ./sampler/fileio/
trap 'rm -f /tmp/fileio-bench.test' EXIT

echo "== 4 KiB write loop, eBPF off vs on: $rounds rounds of $writes writes each"
out=$(/tmp/fileio-bench.test -test.run '^$' -test.bench 'WriteLoop4KiB' \
  -test.benchtime "${writes}x" -test.count "$rounds")
echo "$out" | grep -E '^Benchmark'
echo "$out" | awk '
  /ebpf=off/ { off[++n_off] = $3 }
  /ebpf=on/  { on[++n_on]  = $3 }
  function median(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    if (n_on == 0) { print "eBPF backend unavailable: no ebpf=on results"; exit 1 }
    mo = median(off, n_off); mn = median(on, n_on)
    printf "median ns/op: off %.1f, on %.1f; on/off ratio %.3f (slowdown %.1f%%, target <= 5%%)\n", mo, mn, mn / mo, (mn / mo - 1) * 100
  }'

echo "== one sample with 10,000 open files (cpu-ms/sample = this process's user+system CPU per Read)"
/tmp/fileio-bench.test -test.run '^$' -test.bench 'Sample10kOpenFiles' -test.benchtime 10x | grep -E '^Benchmark'
