#!/usr/bin/env bash
# Measures how much the recorder itself writes: the bytes of its CSV files
# per second and per hour, with per-file data on (--files on), on a machine
# with IDLE extra idle processes (default 1000), first idle, then with a
# busy writer (dd rewriting a 64 MiB file in a loop, plus a churn of
# short-lived writers: one dd of 1 MiB every 50 ms).
#
# Also prints the recorder process's own storage-layer writes as the
# kernel counts them (/proc/PID/io write_bytes at its end), which is what
# it adds to the replication log.
#
# Usage: scripts/bench-recorder.sh [IDLE] [SECONDS]
# Needs: root (eBPF per-file backend), go, dd, sleep. Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."

idle=${1:-1000}
secs=${2:-60}
command -v go >/dev/null || { echo "bench-recorder: go not found" >&2; exit 1; }

tmp=$(mktemp -d /var/tmp/bench-recorder.XXXXXX)
pids=()
cleanup() {
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/hvrdoctor" .

for ((i = 0; i < idle; i++)); do
  sleep 3600 &
  pids+=($!)
done
sleep 1
procs=$(ls /proc | grep -c '^[0-9]')

# run NAME: records for $secs seconds into $tmp/NAME and prints the figures.
run() {
  local name=$1 out="$tmp/$1"
  "$tmp/hvrdoctor" record --files on --interval 1s --duration "${secs}s" --out "$out" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  local rec=$!
  local wb=0
  # The recorder's own write_bytes, read just before it exits.
  while kill -0 "$rec" 2>/dev/null; do
    wb=$(awk '/^write_bytes/ {print $2}' "/proc/$rec/io" 2>/dev/null || echo "$wb")
    sleep 0.5
  done
  wait "$rec" || { echo "bench-recorder: record failed:" >&2; cat "$tmp/$name.err" >&2; exit 1; }
  local bytes hvr proc files
  hvr=$(stat -c %s "$out/HVRStats-1.csv")
  proc=$(stat -c %s "$out/ProcStats-1.csv")
  files=$(stat -c %s "$out/FileStats-1.csv")
  bytes=$((hvr + proc + files))
  awk -v n="$name" -v b="$bytes" -v h="$hvr" -v p="$proc" -v f="$files" -v s="$secs" -v wb="$wb" \
    -v pr="$(($(wc -l <"$out/ProcStats-1.csv") - 1))" -v fr="$(($(wc -l <"$out/FileStats-1.csv") - 1))" 'BEGIN {
    printf "%-5s CSV %8.0f B/s = %6.1f MiB/hour (HVRStats %d B, ProcStats %d B in %d rows, FileStats %d B in %d rows, %d s); recorder write_bytes %.0f B/s\n",
      n, b / s, b / s * 3600 / 1048576, h, p, pr, f, fr, s, wb / s
  }'
}

echo "processes: $procs"
run idle

# Busy: a steady writer and a churn of short-lived writers.
( while :; do dd if=/dev/zero of="$tmp/busy.dat" bs=1M count=64 conv=notrunc status=none; done ) &
pids+=($!)
( i=0; while :; do dd if=/dev/zero of="$tmp/churn-$((i % 50)).dat" bs=1M count=1 status=none; i=$((i + 1)); sleep 0.05; done ) &
pids+=($!)
run busy
