#!/usr/bin/env bash
# Measures the bytes hvrdoctor's terminal UI writes to the terminal per
# second in steady state at a 1 s interval, side by side with htop (delay
# 1 s) at the same size, in tmux: both run at once in sessions of one tmux
# server, each pane's output is captured with pipe-pane after a warm-up,
# and the script prints bytes per second and the ratio hvrdoctor / htop
# (the target is below 1).
#
# Usage: scripts/bench-tty.sh [SECONDS] [SIZES...]
#   SECONDS  measuring time after a 5 s warm-up (default 30)
#   SIZES    WIDTHxHEIGHT (default: 80x24 200x50)
# Needs tmux and htop (scripts/test.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-30}
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(80x24 200x50)
warm=5

for tool in tmux htop; do
  command -v "$tool" >/dev/null || { echo "bench-tty: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d)
sock="hvr-bench-tty-$$"
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/hvrdoctor" .
mkdir -p "$work/home"

printf '%-8s %-44s %12s\n' "size" "program" "bytes/s"
for size in "${sizes[@]}"; do
  w=${size%x*}
  h=${size#*x}
  # Same terminal, locale and empty home (htop writes its rc there) for both.
  envs=(env HOME="$work/home" TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8)
  tmux -L "$sock" -f /dev/null new-session -d -s hvr -x "$w" -y "$h" -c "$work" \
    "${envs[@]}" "$work/hvrdoctor" --interval 1s
  tmux -L "$sock" new-session -d -s htop -x "$w" -y "$h" -c "$work" \
    "${envs[@]}" htop -d 10
  sleep "$warm"
  for s in hvr htop; do
    : >"$work/$s.out"
    tmux -L "$sock" pipe-pane -o -t "$s" "cat >> '$work/$s.out'"
  done
  sleep "$secs"
  for s in hvr htop; do
    tmux -L "$sock" pipe-pane -t "$s"
  done
  sleep 0.5
  hb=$(wc -c <"$work/hvr.out")
  tb=$(wc -c <"$work/htop.out")
  layout="processes tab"
  [ "$w" -ge 140 ] && layout="sampler and wizard side by side"
  printf '%-8s %-44s %12d\n' "$size" "hvrdoctor ($layout)" $((hb / secs))
  printf '%-8s %-44s %12d\n' "$size" "htop -d 10" $((tb / secs))
  awk -v a="$hb" -v b="$tb" -v s="$size" 'BEGIN { if (b > 0) printf "%-8s %-44s %12.2f\n", s, "ratio hvrdoctor/htop", a / b; else print s, "htop wrote nothing" }'
  tmux -L "$sock" kill-server 2>/dev/null || true
done
