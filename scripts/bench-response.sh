#!/usr/bin/env bash
# Response time per file (hvrdoctor record's FileStats DiskResponseMs, from
# the block layer) against the kernel's own count (the loop disk's
# /proc/diskstats: Δwrite ticks / Δwrites, iostat's w_await) and fio's own
# completion latency (clat mean and median), for fio randwrite with direct
# I/O (libaio) at block sizes 4 KiB, 128 KiB and 512 KiB and queue depths
# 1 and 8, each for 3 s.
#
# The disk is a private loop device whose backing file is on the real disk
# (/var/tmp, losetup --direct-io=on), so each request takes a disk's time
# and the loop disk's diskstats line counts fio's writes alone.
#
# Usage: scripts/bench-response.sh
# Needs: root, a kernel with BTF, losetup, mkfs.ext4, fio, python3, go.
# Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench-response: run as root (eBPF, loop devices)" >&2; exit 1; }
for tool in go fio losetup mkfs.ext4 python3; do
	command -v "$tool" >/dev/null || { echo "bench-response: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d)
img=$(mktemp /var/tmp/hvrdoctor-bench-response-XXXXXX.img)
loop=""
cleanup() {
	umount "$work/mnt" 2>/dev/null || true
	[ -n "$loop" ] && losetup -d "$loop" 2>/dev/null || true
	rm -rf "$work" "$img"
}
trap cleanup EXIT

go build -o "$work/hvrdoctor" .
truncate -s 512M "$img"
loop=$(losetup --find --show --direct-io=on "$img")
disk=$(basename "$loop")
mkfs.ext4 -q -F "$loop"
mkdir "$work/mnt"
mount "$loop" "$work/mnt"
file="$work/mnt/fio.dat"
dd if=/dev/zero of="$file" bs=1M count=64 conv=fsync status=none

writes() { awk -v d="$disk" '$3 == d { print $8, $11 }' /proc/diskstats; }

echo "## Response time: hvrdoctor per file vs diskstats vs fio ($(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "| block | depth | requests | hvrdoctor ms | diskstats w_await ms | fio clat mean ms | fio clat median ms | hvrdoctor / diskstats | hvrdoctor / fio mean | hvrdoctor / fio median |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for bs in 4k 128k 512k; do
	for depth in 1 8; do
		rec="$work/rec-$bs-$depth"
		"$work/hvrdoctor" record --out "$rec" --interval 1s --duration 7s --files on >/dev/null 2>"$rec.err" &
		recpid=$!
		sleep 2
		before=$(writes)
		fio --name=resp --filename="$file" --rw=randwrite --bs="$bs" --size=64m --direct=1 \
			--ioengine=libaio --iodepth="$depth" --runtime=3 --time_based --output-format=json >"$work/fio.json"
		after=$(writes)
		wait "$recpid" || { cat "$rec.err" >&2; exit 1; }
		python3 - "$rec" "$file" "$work/fio.json" "$before" "$after" "$bs" "$depth" <<'PY'
import csv, glob, json, sys
rec, path, fiojson, before, after, bs, depth = sys.argv[1:]
# FileStats: the mean response per interval, weighted by the bytes that
# reached the disk (fixed block size: by requests).
num = den = 0.0
for name in glob.glob(rec + "/FileStats-*.csv"):
    for row in csv.DictReader(open(name)):
        if row["File"] != path or not row["DiskResponseMs"] or not row["Process"].startswith("fio"):
            continue
        w = float(row["DiskWriteBytes"])
        num += float(row["DiskResponseMs"]) * w
        den += w
b = [int(x) for x in before.split()]
a = [int(x) for x in after.split()]
n = a[0] - b[0]
await_ms = (a[1] - b[1]) / n
text = open(fiojson).read()
c = json.loads(text[text.index("{"):])["jobs"][0]["write"]["clat_ns"]
mean, med = c["mean"] / 1e6, c["percentile"]["50.000000"] / 1e6
hv = num / den if den else float("nan")
print(f"| {bs} | {depth} | {n} | {hv:.3f} | {await_ms:.3f} | {mean:.3f} | {med:.3f} | {hv/await_ms:.2f} | {hv/mean:.2f} | {hv/med:.2f} |")
PY
	done
done
