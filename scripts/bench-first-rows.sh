#!/usr/bin/env bash
# Time to the first process rows on screen: hvrdoctor's live screen
# against htop, each started in its own tmux server at 80x24, ROUNDS times
# (default 5), alternating. For each start the script polls the pane
# (tmux capture-pane, every 10 ms) from just before `tmux new-session`
# until the screen shows process rows:
#   hvrdoctor: the process table with the first rates (its "sampling:
#              the first rates arrive..." line replaced by the table's
#              "Processes · ..." title; by default it lists the active
#              processes only, so on an idle machine the table may be empty:
#              "0 of N" counts the processes it has rows for);
#   htop:      a line under its header that starts with a PID.
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

# measure NAME COMMAND: milliseconds from start to the first process rows.
measure() {
  local name=$1 cmd=$2 start screen
  tmux -L "$sock" kill-server 2>/dev/null || true
  start=$(now_ms)
  tmux -L "$sock" new-session -d -x 80 -y 24 "NO_COLOR=1 TERM=xterm-256color $cmd"
  while :; do
    screen=$(tmux -L "$sock" capture-pane -p 2>/dev/null || true)
    case $name in
    hvrdoctor)
      if ! grep -q "sampling: the first rates" <<<"$screen" &&
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
  echo $(($(now_ms) - start))
  tmux -L "$sock" kill-server 2>/dev/null || true
}

hv=() ht=()
for ((i = 0; i < rounds; i++)); do
  hv+=("$(measure hvrdoctor "$tmp/hvrdoctor")")
  ht+=("$(measure htop "htop")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "hvrdoctor ms to first process rows: ${hv[*]} (median $(median "${hv[@]}"))"
echo "htop      ms to first process rows: ${ht[*]} (median $(median "${ht[@]}"))"
