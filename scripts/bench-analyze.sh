#!/usr/bin/env bash
# Benchmark of `hvrdoctor analyze` on large recordings: a busy host with
# 200 processes writing in every sample. The main case is 24 h at 1 s
# (about 17 million ProcStats rows); the same 24 h at 10 s (a tenth of the
# rows) and 6 h at 1 s show what memory depends on. Prints the wall time,
# CPU time and peak RSS of each run (GNU time, or getrusage through python3
# when it is missing).
#   usage: scripts/bench-analyze.sh [PROCS] [HOURS:INTERVAL...]
#   defaults: 200 24:10s 6:1s 24:1s
set -euo pipefail
cd "$(dirname "$0")/.."
procs=${1:-200}
shift || true
runs=("$@")
[ ${#runs[@]} -eq 0 ] && runs=(24:10s 6:1s 24:1s)

work=$(mktemp -d /var/tmp/bench-analyze.XXXXXX)
trap 'rm -rf "$work"' EXIT
go build -o "$work/hvrdoctor" .

# measure CMD...: prints "wall_s cpu_s maxrss_kib" for one child run.
measure() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err"
    read -r wall user sys rss <"$work/time"
    awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN { printf "%s %.2f %s\n", w, u + s, r }'
  else
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.time()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{time.time()-t:.2f} {r.ru_utime + r.ru_stime:.2f} {r.ru_maxrss}")
PY
  fi
}

printf "%-6s %-6s %-8s %12s %10s %8s %8s %12s %10s\n" procs hours interval rows "size MiB" "wall s" "cpu s" "maxrss MiB" "rows/s"
for run in "${runs[@]}"; do
  h=${run%%:*} iv=${run#*:}
  dir="$work/rec-$h-$iv"
  mkdir -p "$dir"
  go run ./sampler/analysis/synth/synthgen -out "$dir" -scenario busy -hours "$h" -procs "$procs" -interval "$iv" >/dev/null
  rows=$(($(wc -l <"$dir/ProcStats-1.csv") - 1))
  size=$(du -cm "$dir"/*.csv | tail -1 | cut -f1)
  read -r wall cpu rss < <(measure "$work/hvrdoctor" analyze "$dir")
  if [ -f "$work/out" ] && ! grep -q "^  04:57 " "$work/out"; then
    echo "analyze did not report the planted 04:57 spike" >&2; exit 1
  fi
  awk -v p="$procs" -v h="$h" -v i="$iv" -v n="$rows" -v s="$size" -v w="$wall" -v c="$cpu" -v r="$rss" \
    'BEGIN { printf "%-6s %-6s %-8s %12s %10s %8s %8s %12.1f %10d\n", p, h, i, n, s, w, c, r / 1024, n / w }'
  rm -rf "$dir"
done
