#!/usr/bin/env bash
# Peak memory of the live sampler under process and file churn, with
# hostile names: the TUI (tmux 200x50, Processes tab), `record --files on`
# and `serve`, all three at once, first idle, then while
#   procs: LOAD_RATE x SECS short-lived processes (at most LOAD_RATE a
#          second, default 5,000: fewer when the CPUs cannot fork that
#          fast; the count is the same for every binary compared), each
#          named "\e[31mc<n>" (escape sequence, distinct per process) and
#          writing 4 KiB to a file of its own before it exits;
#   files: 100,000 distinct files written in SECS seconds (4 KiB each) by
#          one process, named "=f<n>\n\e[2J.dat" (formula start, line
#          break, escape sequence).
# For each run it prints the processes or files made and the seconds it
# took, the peak RSS (VmHWM) of the TUI, record and serve, the hvrdoctor_
# series in one scrape of serve, and the size of record's CSV files.
#
# Usage: scripts/bench-churn.sh [SECS] [LOAD_RATE] [HVRDOCTOR]
# HVRDOCTOR: a binary to measure instead of building this tree (to compare
# with an older build). Needs: root, go, cc, tmux, /usr/bin/time. Linux.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-60}
rate=${2:-5000}
bin=${3:-}
tmp=$(mktemp -d /var/tmp/bench-churn.XXXXXX)
sock="bench-churn-$$"
pids=()
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "$bin" ]; then
  go build -o "$tmp/hvrdoctor" .
  bin="$tmp/hvrdoctor"
fi

cat >"$tmp/churn.c" <<'CEOF'
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 5) return 2;
  const char *mode = argv[1], *dir = argv[4];
  long n = atol(argv[2]);
  double secs = atof(argv[3]);
  static char buf[4096];
  char path[512], name[16];
  memset(buf, 'z', sizeof buf);
  signal(SIGCHLD, SIG_IGN); /* children reaped by the kernel */
  double start = now();
  long made = 0;
  if (strcmp(mode, "procs") == 0) { /* n*secs processes, at most n a second */
    long total = (long)(n * secs);
    while (made < total) {
      long due = (long)((now() - start) * n);
      if (due > total) due = total;
      for (; made < due; made++) {
        pid_t p = fork();
        if (p == 0) {
          snprintf(name, sizeof name, "\033[31mc%ld", made % 100000);
          prctl(PR_SET_NAME, name, 0, 0, 0);
          snprintf(path, sizeof path, "%s/p%ld", dir, made % 64);
          int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
          if (fd >= 0) { (void)!write(fd, buf, sizeof buf); close(fd); }
          _exit(0);
        }
        if (p < 0) { usleep(1000); break; }
      }
      usleep(1000);
    }
  } else { /* n distinct files written evenly over secs */
    while (made < n) {
      long due = (long)((now() - start) / secs * n);
      if (due > n) due = n;
      for (; made < due; made++) {
        snprintf(path, sizeof path, "%s/=f%06ld\n\033[2J.dat", dir, made);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) { (void)!write(fd, buf, sizeof buf); close(fd); }
      }
      usleep(1000);
    }
  }
  printf("%ld %.1f\n", made, now() - start);
  return 0;
}
CEOF
cc -O2 -o "$tmp/churn" "$tmp/churn.c"

hwm() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# run NAME [LOAD ARGS...]: starts the three, runs the load (or sleeps), and
# prints their peak RSS in MiB.
run() {
  local name=$1; shift
  local dir="$tmp/$name"
  mkdir -p "$dir/rec" "$dir/w"
  tmux -L "$sock" new -d -x 200 -y 50 "exec env NO_COLOR=1 $bin"
  local tui
  tui=$(tmux -L "$sock" display -p '#{pane_pid}')
  "$bin" record --files on --interval 1s --out "$dir/rec" >"$dir/rec.out" 2>"$dir/rec.err" &
  local rec=$!
  local port=$((20000 + RANDOM % 20000))
  "$bin" serve --listen "127.0.0.1:$port" --interval 1s >"$dir/serve.out" 2>&1 &
  local srv=$!
  pids+=("$rec" "$srv")
  sleep 3
  local made="-"
  if [ $# -gt 0 ]; then
    made=$("$tmp/churn" "$@" "$secs" "$dir/w")
  else
    sleep "$secs"
  fi
  sleep 2
  local series
  series=$(curl -s "http://127.0.0.1:$port/metrics" | grep -c '^hvrdoctor_' || true)
  printf '%-6s made %-16s  TUI %6s MiB  record %6s MiB  serve %6s MiB (%s series)  CSV %s\n' "$name" "$made" \
    "$(hwm "$tui")" "$(hwm "$rec")" "$(hwm "$srv")" "$series" "$(du -sh "$dir/rec" | cut -f1)"
  kill -INT "$rec" "$srv" 2>/dev/null || true
  wait "$rec" "$srv" 2>/dev/null || true
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$dir/w"
}

echo "bench-churn: ${secs}s each; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
run idle
run procs procs "$rate"
run files files 100000
