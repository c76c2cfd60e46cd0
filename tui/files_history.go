package tui

import (
	"slices"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// Bounds of the per-file history: like the engine's rings, memory stays
// flat however many files a session touches.
const (
	// fileHistoryPoints is how many samples each file's write series keeps:
	// enough for the widest graph (two points per cell in Braille).
	fileHistoryPoints = 600
	// fileTracked is how many files keep a series and linger in the table;
	// the busiest of each interval come first, the longest idle go.
	fileTracked = 256
	// fileTotalsLimit bounds the (process, file) pairs whose session bytes
	// are kept for the report; beyond it the smaller half is forgotten.
	fileTotalsLimit = 20000
	// fileLinger is how long a file stays in the table after its last
	// read or write, at 0 B/s, so a bursty writer does not flicker.
	fileLinger = time.Minute
)

// fileState is what the history keeps about one tracked (process, file).
type fileState struct {
	name string
	// last is the file's latest interval rates (zero when it was idle in
	// the latest interval).
	write, read float64
	unknown     bool
	// series holds the write rate of points [seriesEnd-Len+1, seriesEnd];
	// nil until the file first writes.
	series     *sampler.Ring[float64]
	seriesEnd  int64
	lastActive time.Time
}

// fileTotal is what one process wrote to one file this session.
type fileTotal struct {
	name  string
	class sampler.Class
	bytes uint64
}

// fileHistory is the Files tab's memory: every interval's files, a write
// series for the busiest ones, and session totals for the report. It is
// owned by the UI goroutine: intervals arrive in messages (read in the
// sampling command), so View and the report read it without locks.
type fileHistory struct {
	next  int64 // index of the next point
	times *sampler.Ring[time.Time]
	// now is the latest interval: its time, elapsed, all its files (not
	// only the tracked ones), what was dropped and hidden.
	now     time.Time
	elapsed time.Duration
	current []fileio.FileActivity
	dropped uint64
	// droppedTotal is the session's sum of dropped pairs, for the status
	// line.
	droppedTotal uint64
	hidden       int
	points       int  // intervals added
	disk         bool // the latest interval has block-layer disk bytes

	tracked map[fileio.FileKey]*fileState
	totals  map[fileio.FileKey]*fileTotal

	// top is TopFiles's sorted list, computed at most once per interval
	// (the report tab asks on every redraw).
	top   []views.FileRow
	topAt int // points when top was computed; -1 for never
}

func newFileHistory() *fileHistory {
	return &fileHistory{
		times:   sampler.NewRing[time.Time](fileHistoryPoints),
		tracked: make(map[fileio.FileKey]*fileState),
		totals:  make(map[fileio.FileKey]*fileTotal),
		topAt:   -1,
	}
}

// add takes one interval; f is the process frame of the same instant, for
// the classes of the report's top files.
func (h *fileHistory) add(iv fileio.Interval, f sampler.Frame) {
	idx := h.next
	h.next++
	h.points++
	h.times.Push(iv.Time)
	h.now, h.elapsed, h.current, h.dropped, h.hidden = iv.Time, iv.Elapsed, iv.Files, iv.Dropped, iv.Hidden
	h.droppedTotal += iv.Dropped
	h.disk = iv.HasDiskFiles()

	for _, st := range h.tracked {
		st.write, st.read, st.unknown = 0, 0, false
	}
	full := false
	for _, a := range iv.Files {
		st := h.tracked[a.Key]
		if st == nil {
			if full || (a.WriteBytes == 0 && a.ReadBytes == 0 && !a.BytesUnknown) {
				continue
			}
			if len(h.tracked) >= fileTracked && !h.evictIdle(iv.Time) {
				// Files is sorted busiest first: the rest are quieter
				// than every tracked file active now.
				full = true
				continue
			}
			st = &fileState{}
			h.tracked[a.Key] = st
		}
		st.name = a.Name
		st.write, st.read, st.unknown = a.WriteRate(iv.Elapsed), a.ReadRate(iv.Elapsed), a.BytesUnknown
		st.lastActive = iv.Time
	}
	for k, st := range h.tracked {
		if iv.Time.Sub(st.lastActive) > fileLinger && (st.series == nil || idx-st.seriesEnd >= fileHistoryPoints) {
			delete(h.tracked, k)
			continue
		}
		if st.series == nil {
			if st.write <= 0 {
				continue
			}
			st.series = sampler.NewRing[float64](fileHistoryPoints)
		}
		st.series.Push(st.write)
		st.seriesEnd = idx
	}
	h.addTotals(iv, f)
}

// evictIdle drops the tracked file idle longest, when it is not active
// now; it reports whether one went.
func (h *fileHistory) evictIdle(now time.Time) bool {
	var oldest fileio.FileKey
	var at time.Time
	found := false
	for k, st := range h.tracked {
		if st.lastActive.Before(now) && (!found || st.lastActive.Before(at)) {
			oldest, at, found = k, st.lastActive, true
		}
	}
	if found {
		delete(h.tracked, oldest)
	}
	return found
}

// addTotals adds the interval's written bytes to the session totals.
func (h *fileHistory) addTotals(iv fileio.Interval, f sampler.Frame) {
	var classes map[int32]sampler.Class
	for _, a := range iv.Files {
		if a.WriteBytes == 0 {
			continue
		}
		t := h.totals[a.Key]
		if t == nil {
			if classes == nil {
				classes = make(map[int32]sampler.Class, len(f.Processes))
				for _, p := range f.Processes {
					classes[p.Key.PID] = p.Class.Class
				}
			}
			t = &fileTotal{name: a.Name, class: classes[a.Key.Proc.PID]}
			h.totals[a.Key] = t
		}
		t.bytes += a.WriteBytes
	}
	if len(h.totals) > fileTotalsLimit {
		h.forgetSmallest()
	}
}

// forgetSmallest keeps the half of the session totals that wrote most.
func (h *fileHistory) forgetSmallest() {
	type kv struct {
		k fileio.FileKey
		n uint64
	}
	all := make([]kv, 0, len(h.totals))
	for k, t := range h.totals {
		all = append(all, kv{k, t.bytes})
	}
	slices.SortFunc(all, func(a, b kv) int {
		if a.n != b.n {
			if a.n > b.n {
				return -1
			}
			return 1
		}
		return strings.Compare(a.k.Path, b.k.Path)
	})
	for _, e := range all[fileTotalsLimit/2:] {
		delete(h.totals, e.k)
	}
}

// rows are the table's rows: every file of the latest interval, and the
// tracked files active within fileLinger that were idle in it (at 0 B/s).
func (h *fileHistory) rows() []views.FileTableRow {
	out := make([]views.FileTableRow, 0, len(h.current)+len(h.tracked))
	seen := make(map[fileio.FileKey]bool, len(h.current))
	for _, a := range h.current {
		seen[a.Key] = true
		out = append(out, views.FileTableRow{Key: a.Key, Name: a.Name, WriteRate: a.WriteRate(h.elapsed),
			ReadRate: a.ReadRate(h.elapsed), Unknown: a.BytesUnknown, Memory: a.Medium == fileio.MediumMemory, Via: a.Via, Deleted: a.Deleted,
			DiskRate: diskRate(a, h.elapsed), DiskKnown: h.disk, DiskIONanos: a.DiskIONanos, DiskIOCount: a.DiskIOCount, OnDisk: a.OnDisk})
	}
	for k, st := range h.tracked {
		if !seen[k] && h.now.Sub(st.lastActive) <= fileLinger {
			out = append(out, views.FileTableRow{Key: k, Name: st.name})
		}
	}
	return out
}

// diskRate is a file's disk bytes per second over elapsed.
func diskRate(a fileio.FileActivity, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(a.DiskWriteBytes) / elapsed.Seconds()
}

// series is the write-rate history of the files in keys, summed (one file,
// or the files of a directory), aligned with times; nil before any point.
func (h *fileHistory) series(keys []fileio.FileKey) ([]float64, []time.Time) {
	n := h.times.Len()
	if n == 0 {
		return nil, nil
	}
	out := make([]float64, n)
	oldest := h.next - int64(n)
	for _, k := range keys {
		st := h.tracked[k]
		if st == nil || st.series == nil {
			continue
		}
		first := st.seriesEnd - int64(st.series.Len()) + 1
		for i := range out {
			if g := oldest + int64(i); g >= first && g <= st.seriesEnd {
				out[i] += st.series.At(int(g - first))
			}
		}
	}
	return out, h.times.Slice()
}

// written is what the files in keys have written this session.
func (h *fileHistory) written(keys []fileio.FileKey) uint64 {
	var n uint64
	for _, k := range keys {
		if t := h.totals[k]; t != nil {
			n += t.bytes
		}
	}
	return n
}

// keysIn are the tracked and totalled files of process proc in directory
// dir (a directory row's members).
func (h *fileHistory) keysIn(proc sampler.ProcKey, dir string) []fileio.FileKey {
	var keys []fileio.FileKey
	add := func(k fileio.FileKey) {
		if k.Proc == proc && fileio.Dir(k.Path) == dir && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for k := range h.tracked {
		add(k)
	}
	for k := range h.totals {
		add(k)
	}
	return keys
}

// TopFiles returns the n files written most this session, most bytes
// first: the report's top files (Options.Files).
func (h *fileHistory) TopFiles(n int) []views.FileRow {
	if h.topAt != h.points {
		h.top, h.topAt = h.sortedTotals(), h.points
	}
	return append([]views.FileRow(nil), h.top[:min(n, len(h.top))]...)
}

// sortedTotals are the session totals as report rows, most bytes first.
func (h *fileHistory) sortedTotals() []views.FileRow {
	rows := make([]views.FileRow, 0, len(h.totals))
	for k, t := range h.totals {
		rows = append(rows, views.FileRow{Path: k.Path, Process: t.name, PID: k.Proc.PID, Class: t.class, Bytes: float64(t.bytes)})
	}
	slices.SortFunc(rows, func(a, b views.FileRow) int {
		switch {
		case a.Bytes != b.Bytes:
			if a.Bytes > b.Bytes {
				return -1
			}
			return 1
		case a.Path != b.Path:
			if a.Path < b.Path {
				return -1
			}
			return 1
		}
		return int(a.PID - b.PID)
	})
	return rows
}
