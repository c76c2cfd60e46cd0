package fileio

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// intervalBuilder merges raw per-(process, file) observations into an
// Interval and keeps each process's totals since the source was opened.
// Backends share it so every Interval is sorted and summed the same way.
type intervalBuilder struct {
	totals map[sampler.ProcKey]*[2]uint64
	files  map[FileKey]*FileActivity
	// all keeps files of kernel interfaces (Options.AllFiles).
	all bool
}

func (b *intervalBuilder) setAllFiles(all bool) { b.all = all }

// medium is where a's bytes can go (FileActivity.Medium): by its device
// when the backend knows it, else by its path's mount point.
func medium(a *FileActivity) string {
	switch {
	case a.block, a.Key.Path == OtherFilesPath:
		return MediumDisk
	case a.dev != 0:
		if m := systemMounts.ofDev(a.dev); m != "" {
			return m
		}
	}
	return systemMounts.ofPath(a.Key.Path)
}

func newIntervalBuilder() *intervalBuilder {
	return &intervalBuilder{
		totals: make(map[sampler.ProcKey]*[2]uint64),
		files:  make(map[FileKey]*FileActivity),
	}
}

// add merges one observation; observations of the same process and path
// (a file opened twice, or two inodes with one name) are summed.
//
// Files whose bytes never reach a disk (MediumNone: /proc, /sys...) are
// left out, from the process sums too, unless the builder keeps all.
func (b *intervalBuilder) add(a FileActivity) {
	if a.Medium == "" {
		a.Medium = medium(&a)
	}
	if a.Medium == MediumNone && !b.all {
		return
	}
	if cur, ok := b.files[a.Key]; ok {
		cur.WriteBytes += a.WriteBytes
		cur.ReadBytes += a.ReadBytes
		cur.WriteCalls += a.WriteCalls
		cur.ReadCalls += a.ReadCalls
		cur.DiskWriteBytes += a.DiskWriteBytes
		cur.DiskIONanos += a.DiskIONanos
		cur.DiskIOCount += a.DiskIOCount
		cur.BytesUnknown = cur.BytesUnknown || a.BytesUnknown
		if cur.Name == "" {
			cur.Name = a.Name
		}
		if cur.PPID == 0 {
			cur.PPID = a.PPID
		}
		cur.Via = joinVia(cur.Via, a.Via)
		cur.Deleted = cur.Deleted || a.Deleted
		return
	}
	c := a
	b.files[a.Key] = &c
}

// finish returns the interval's files and processes and resets the
// per-interval state; totals carry over.
func (b *intervalBuilder) finish(now time.Time, elapsed time.Duration) Interval {
	iv := Interval{Time: now, Elapsed: elapsed}
	procs := make(map[sampler.ProcKey]*sampler.ExternalActivity)
	for _, f := range b.files {
		iv.Files = append(iv.Files, *f)
		p := procs[f.Key.Proc]
		if p == nil {
			p = &sampler.ExternalActivity{Key: f.Key.Proc, Name: f.Name}
			procs[f.Key.Proc] = p
		}
		if p.PPID == 0 {
			p.PPID = f.PPID
		}
		p.WriteBytes += f.WriteBytes
		p.ReadBytes += f.ReadBytes
	}
	for k, p := range procs {
		t := b.totals[k]
		if t == nil {
			t = new([2]uint64)
			b.totals[k] = t
		}
		t[0] += p.WriteBytes
		t[1] += p.ReadBytes
		p.WriteTotal, p.ReadTotal = t[0], t[1]
		iv.Processes = append(iv.Processes, *p)
	}
	sortFiles(iv.Files)
	sort.Slice(iv.Processes, func(i, j int) bool {
		a, b := iv.Processes[i], iv.Processes[j]
		if a.WriteBytes != b.WriteBytes {
			return a.WriteBytes > b.WriteBytes
		}
		return a.Key.PID < b.Key.PID
	})
	clear(b.files)
	return iv
}

// forget drops the totals of processes not in keep, so a long session does
// not grow without bound as processes come and go.
func (b *intervalBuilder) forget(keep func(sampler.ProcKey) bool) {
	for k := range b.totals {
		if !keep(k) {
			delete(b.totals, k)
		}
	}
}

func sortFiles(fs []FileActivity) { slices.SortFunc(fs, busiestFirst) }

// busiestFirst orders file activity by bytes moved (written plus read),
// most first, then by PID and path: the order of Interval.Files and of
// GroupByDir's directories.
func busiestFirst(a, b FileActivity) int {
	return cmp.Or(cmp.Compare(b.WriteBytes+b.ReadBytes, a.WriteBytes+a.ReadBytes),
		cmp.Compare(a.Key.Proc.PID, b.Key.Proc.PID), cmp.Compare(a.Key.Path, b.Key.Path))
}

// joinVia merges two "+"-joined Via lists, keeping the order of first
// appearance.
func joinVia(a, b string) string {
	if b == "" || a == b {
		return a
	}
	if a == "" {
		return b
	}
	have := strings.Split(a, "+")
	for _, v := range strings.Split(b, "+") {
		if !slices.Contains(have, v) {
			have = append(have, v)
		}
	}
	return strings.Join(have, "+")
}
