#!/usr/bin/env bash
# Series count and CPU per scrape of hvrdoctor serve with 1,000 processes,
# beside ncabatoff/process-exporter (Debian: prometheus-process-exporter)
# grouping every process by name. Run as root on an otherwise quiet machine:
#   bash scripts/bench-serve.sh
# Prints, per exporter: series in one scrape, and CPU seconds of the exporter
# per scrape (CPU over N back-to-back scrapes less its CPU over the same time
# idle, over N); and its CPU over 30 s without scrapes (hvrdoctor samples
# in its own loop, every 5 s here).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${SCRAPES:-50}
PROCS=${PROCS:-1000}
work=$(mktemp -d /var/tmp/hvrdoctor-bench-serve.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/hvrdoctor" .
# PROCS processes that each write 8 KiB to their own file, then sleep.
for i in $(seq 1 "$PROCS"); do
  sh -c "head -c 8192 /dev/zero > $work/f$i; exec sleep 120" &
  pids+=($!)
done

cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

measure() { # name pid url
  local name=$1 pid=$2 url=$3
  sleep 6
  local series hv
  series=$(curl -s "$url" | grep -vc '^#')
  hv=$(curl -s "$url" | grep -c '^hvrdoctor_\|^namedprocess_' || true)
  local t0 c0 c1 c2 t1
  c0=$(cpu "$pid"); t0=$(date +%s.%N)
  for _ in $(seq 1 "$N"); do curl -s -o /dev/null "$url"; done
  c1=$(cpu "$pid"); t1=$(date +%s.%N)
  sleep "$(echo "$t1 - $t0" | bc)"
  c2=$(cpu "$pid")
  local i0 i1
  i0=$(cpu "$pid"); sleep 30; i1=$(cpu "$pid")
  echo "$name: CPU without scrapes: $(echo "scale=2; ($i1 - $i0) * 1000 / $hz / 30" | bc) ms per second (30 s)"
  echo "$name: $series series in one scrape ($hv of its own metrics); CPU per scrape $(echo "scale=2; (($c1 - $c0) - ($c2 - $c1)) * 1000 / $hz / $N" | bc) ms (busy $(( c1 - c0 )) ticks, idle $(( c2 - c1 )) ticks over $N scrapes, ${hz} ticks/s)"
}

"$work/hvrdoctor" serve --listen 127.0.0.1:19283 --interval 5s --files off 2>/dev/null &
hpid=$!; pids+=($hpid)
measure "hvrdoctor serve --files off" "$hpid" http://127.0.0.1:19283/metrics
kill "$hpid"

if command -v prometheus-process-exporter >/dev/null; then
  cat > "$work/pe.yml" <<'YML'
process_names:
  - name: "{{.Comm}}"
    cmdline:
    - '.+'
YML
  prometheus-process-exporter -config.path "$work/pe.yml" -web.listen-address 127.0.0.1:19284 2>/dev/null &
  ppid=$!; pids+=($ppid)
  measure "process-exporter (group by name)" "$ppid" http://127.0.0.1:19284/metrics
else
  echo "process-exporter: not installed (apt-get install prometheus-process-exporter)"
fi
