#!/usr/bin/env bash
# Compares the CPU cost of hvrdoctor's sampler with pidstat's.
#
# Spawns IDLE idle processes (default 1000), then over the same SECONDS
# (default 10) runs, side by side:
#   hvrdoctor record --interval 1s --duration ${SECONDS}s   (into a temp dir)
#   pidstat -d 1 ${SECONDS}
# and prints each one's CPU time (user+system, from bash's `time`, which
# includes process start-up) per sample, and their ratio.
#
# FILES (default auto) is record's --files: "off" measures the process
# sampler alone; "auto" adds the per-file eBPF backend (its load, about
# 200 ms of CPU, is in the figure).
#
# Usage: scripts/bench-sampler.sh [IDLE] [SECONDS] [FILES]
# Needs: go, pidstat (Debian package sysstat), sleep. Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."

idle=${1:-1000}
secs=${2:-10}
files=${3:-auto}
command -v pidstat >/dev/null || { echo "bench-sampler: pidstat not found; install the sysstat package" >&2; exit 1; }
command -v go >/dev/null || { echo "bench-sampler: go not found" >&2; exit 1; }

tmp=$(mktemp -d)
sleepers=()
cleanup() {
  if [ ${#sleepers[@]} -gt 0 ]; then
    kill "${sleepers[@]}" 2>/dev/null || true
    wait "${sleepers[@]}" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/hvrdoctor" .

for ((i = 0; i < idle; i++)); do
  sleep 3600 &
  sleepers+=($!)
done
sleep 1 # let them all exec
procs=$(ls /proc | grep -c '^[0-9]')

TIMEFORMAT='%3U %3S'
{ time "$tmp/hvrdoctor" record --files "$files" --interval 1s --duration "${secs}s" --out "$tmp/rec" >"$tmp/hvr.out" 2>"$tmp/hvr.err"; } 2>"$tmp/hvr.time" &
hvr_job=$!
{ time pidstat -d 1 "$secs" >"$tmp/pidstat.out" 2>&1; } 2>"$tmp/pidstat.time" &
pid_job=$!
wait "$hvr_job" || { echo "bench-sampler: hvrdoctor record failed:" >&2; cat "$tmp/hvr.err" >&2; exit 1; }
wait "$pid_job" || { echo "bench-sampler: pidstat failed:" >&2; cat "$tmp/pidstat.out" >&2; exit 1; }

# Samples taken: rows in HVRStats (minus its header) for hvrdoctor, one
# report per second for pidstat.
hvr_samples=$(($(wc -l <"$tmp/rec/HVRStats-1.csv") - 1))
pid_samples=$secs

read -r hu hs <"$tmp/hvr.time"
read -r pu ps <"$tmp/pidstat.time"
awk -v hu="$hu" -v hs="$hs" -v pu="$pu" -v ps="$ps" -v hn="$hvr_samples" -v pn="$pid_samples" -v procs="$procs" -v secs="$secs" 'BEGIN {
  h = (hu + hs) * 1000 / hn
  p = (pu + ps) * 1000 / pn
  printf "processes: %d, %d s side by side\n", procs, secs
  printf "hvrdoctor record: %6.1f ms CPU per sample (user %.3f s, sys %.3f s, %d samples)\n", h, hu, hs, hn
  printf "pidstat -d:       %6.1f ms CPU per sample (user %.3f s, sys %.3f s, %d samples)\n", p, pu, ps, pn
  printf "ratio hvrdoctor/pidstat: %.2f (target <= 0.50)\n", h / p
}'
