#!/usr/bin/env bash
# The 4 KiB write loop of BenchmarkWriteLoop4KiB with nothing attached,
# with hvrdoctor's eBPF backend (as Open picks it, every program it
# attaches), and with a bpftrace one-liner that sums the bytes of every
# write(2) per PID (tracepoint:syscalls:sys_exit_write), ROUNDS times
# alternating; prints each case's median ns/op and the median of its
# per-round ratios to "off".
#
# Usage: scripts/bench-bpftrace.sh [ROUNDS] [WRITES]   (defaults 8, 1000000)
# Needs: root, go, bpftrace (Debian package bpftrace), tracefs (mounted
# here if missing). Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
writes=${2:-1000000}
command -v bpftrace >/dev/null || { echo "bench-bpftrace: bpftrace not found; apt-get install bpftrace" >&2; exit 1; }
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing

bin=$(mktemp /tmp/fileio-bench.XXXXXX)
bt_pid=
cleanup() { [ -n "$bt_pid" ] && kill "$bt_pid" 2>/dev/null; rm -f "$bin"; }
trap cleanup EXIT
go test -c -o "$bin" ./sampler/fileio/

loop() { "$bin" -test.run '^$' -test.bench "WriteLoop4KiB/$1\$" -test.benchtime "${writes}x" -test.count 1 | awk '/ns\/op/ {print $3}'; }

out=""
for ((i = 0; i < rounds; i++)); do
  off=$(loop 'ebpf=off')
  on=$(loop 'ebpf=on')
  bpftrace -e 'tracepoint:syscalls:sys_exit_write { @[pid] = sum(args->ret); }' >/dev/null 2>&1 &
  bt_pid=$!
  sleep 3 # bpftrace compiles and attaches
  bt=$(loop 'ebpf=off')
  kill "$bt_pid"; wait "$bt_pid" 2>/dev/null || true; bt_pid=
  echo "round $((i + 1)): off $off ns/op, hvrdoctor eBPF $on ns/op, bpftrace $bt ns/op"
  out+="$off $on $bt"$'\n'
done
echo "$out" | awk 'NF == 3 {
    n++; off[n] = $1; on[n] = $2; bt[n] = $3; ron[n] = $2 / $1; rbt[n] = $3 / $1
  }
  function median(a, k,   i, j, t, b) {
    for (i = 1; i <= k; i++) b[i] = a[i]
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
    return (k % 2) ? b[(k + 1) / 2] : (b[k / 2] + b[k / 2 + 1]) / 2
  }
  END {
    printf "off:             median %7.1f ns/op\n", median(off, n)
    printf "hvrdoctor eBPF:  median %7.1f ns/op, median per-round ratio %.3f (%+.1f%%)\n", median(on, n), median(ron, n), (median(ron, n) - 1) * 100
    printf "bpftrace:        median %7.1f ns/op, median per-round ratio %.3f (%+.1f%%)\n", median(bt, n), median(rbt, n), (median(rbt, n) - 1) * 100
    printf "target: hvrdoctor slowdown at most half of bpftrace'\''s\n"
  }'
