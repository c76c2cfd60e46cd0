#!/usr/bin/env bash
# Time to the first process rows on screen: hvrdoctor's live screen
# against htop, each started in its own tmux server at 80x24, ROUNDS times
# (default 5), alternating. For each start the script polls the pane
# (tmux capture-pane, every 10 ms) from just before `tmux new-session`
# until the screen shows process rows:
#   hvrdoctor: the process table's title "Processes · all N" and a row
#              with a PID: the first reading's rows (names, PIDs, classes,
#              totals; rate cells show "…" until the second reading);
#              the script also times the first rates (the title without
#              "rates (…)", i.e. after the short first interval);
#   htop:      a line under its header that starts with a PID (htop shows
#              its first rows with CPU% 0.0 before its second reading).
# It prints each time and the medians. tmux's own start is in both.
#
# Usage: scripts/bench-first-rows.sh [ROUNDS]
# Needs: go, tmux, htop. Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
for c in go tmux htop; do
  command -v "$c" >/dev/null || { echo "bench-first-rows: $c not found" >&2; exit 1; }
done
tmp=$(mktemp -d)
sock="bench-first-rows-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/hvrdoctor" .

now_ms() { date +%s%3N; }

# measure NAME COMMAND: milliseconds from start to the first process rows;
# for hvrdoctor also " RATES_MS", to the first rates.
measure() {
  local name=$1 cmd=$2 start screen rows=
  tmux -L "$sock" kill-server 2>/dev/null || true
  start=$(now_ms)
  tmux -L "$sock" new-session -d -x 80 -y 24 "NO_COLOR=1 TERM=xterm-256color $cmd"
  while :; do
    screen=$(tmux -L "$sock" capture-pane -p 2>/dev/null || true)
    case $name in
    hvrdoctor)
      if [ -z "$rows" ] && grep -Eq 'Processes · ' <<<"$screen" &&
        grep -Eq '^[ >]\S.* [0-9]+ +(workload|inbox|third-party|other) ' <<<"$screen"; then
        rows=$(($(now_ms) - start))
      fi
      if [ -n "$rows" ] && ! grep -q 'rates (…)' <<<"$screen" &&
        grep -Eq 'Processes · .* of [0-9]+' <<<"$screen"; then break; fi ;;
    htop)
      if grep -Eq '^ *[0-9]+ +[a-z_][a-z0-9_-]* +-?[0-9]+ ' <<<"$screen"; then break; fi ;;
    esac
    if (($(now_ms) - start > 10000)); then
      echo "bench-first-rows: $name showed no process rows within 10 s; screen:" >&2
      echo "$screen" >&2
      exit 1
    fi
    sleep 0.01
  done
  if [ -n "$rows" ]; then
    echo "$rows $(($(now_ms) - start))"
  else
    echo $(($(now_ms) - start))
  fi
  tmux -L "$sock" kill-server 2>/dev/null || true
}

hv=() hr=() ht=()
for ((i = 0; i < rounds; i++)); do
  out=$(measure hvrdoctor "$tmp/hvrdoctor")
  read -r r f <<<"$out"
  hv+=("$r") hr+=("$f")
  ht+=("$(measure htop "htop")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "hvrdoctor ms to first process rows: ${hv[*]} (median $(median "${hv[@]}"))"
echo "hvrdoctor ms to first rates:        ${hr[*]} (median $(median "${hr[@]}"))"
echo "htop      ms to first process rows: ${ht[*]} (median $(median "${ht[@]}"))"
