package sampler

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/fserr"
)

// Recording file kinds. A recording is the files of the same number N in one
// directory; N is the first number no kind uses yet, so nothing is ever
// overwritten.
const (
	HVRStatsPrefix  = "HVRStats"
	ProcStatsPrefix = "ProcStats"
	FileStatsPrefix = "FileStats"
)

// TimestampLayout is the Timestamp column's format: local time, RFC 3339
// with milliseconds. HourMinuteLayout is the HourMinute column's (local
// HH:MM), for pivoting by minute in Excel or LibreOffice.
const (
	TimestampLayout  = "2006-01-02T15:04:05.000-07:00"
	HourMinuteLayout = "15:04"
)

// RecordingPath is the path of one recording file: dir/<prefix>-<n>.csv.
func RecordingPath(dir, prefix string, n int) string {
	return filepath.Join(dir, prefix+"-"+strconv.Itoa(n)+".csv")
}

// Recorder writes frames to HVRStats-N.csv and ProcStats-N.csv in one
// directory. Every Write is flushed to the OS, so a killed recorder leaves
// valid CSV with at most a truncated last line.
//
// HVRStats-N.csv has one row per sample:
//
//	Timestamp,HourMinute,IntervalSeconds,TotalWriteBytesPerSec,TotalReadBytesPerSec
//
// followed by <disk>.WriteBytesPerSec,<disk>.ReadBytesPerSec for each disk
// given to NewRecorder, then Sample,Host, then
// <disk>.ActiveTimePercent,<disk>.AvgQueueLength,<disk>.AvgResponseMs for
// each disk (record_disktimes.go). IntervalSeconds is the real
// elapsed time (3 decimals); rates are bytes per second rounded to
// integers. Sample is the 1-based number of the sample, the same number in
// the ProcStats and FileStats rows of that sample; Host is the machine's
// name (os.Hostname).
//
// ProcStats-N.csv has one row per process with a non-zero write or read rate
// in the interval:
//
//	Timestamp,HourMinute,Process,PID,Class,WriteBytesPerSec,ReadBytesPerSec,WriteBytesTotal,ReadBytesTotal,ProcessStart,Sample,CancelledWriteBytesPerSec,WriteBasis,ChildrenWriteBytes,DirtiedBytesPerSec,DiskResponseMs
//
// With the block-layer source (Engine.ApplyDiskBytes) WriteBasis is
// "disk": WriteBytesPerSec and WriteBytesTotal are bytes that reached the
// disk, and DirtiedBytesPerSec is the kernel's write_bytes accounting
// (page cache dirtied, net of cancelled) beside them, which can be many
// times larger; it is empty on other rows. DiskResponseMs is the mean
// response time (request start to completion) in milliseconds of the requests the row submitted
// in the interval (ProcessRates.DiskResponseMs), empty when none was
// timed or without the block-layer source. Rows that are not processes
// (the filesystem journal, metadata, other kernel I/O) have PID 0 and a
// name in parentheses.
//
// WriteBytesPerSec is net of the interval's cancelled writes, which
// CancelledWriteBytesPerSec shows apart (pidstat's kB_ccwr/s); WriteBasis
// says what kind of counter the row's write figures are
// (ProcessRates.WriteBasis): "storage" or "page-cache"; ChildrenWriteBytes
// is how many of the interval's write bytes came from children that
// exited between samples and could not be taken out (without a per-file
// backend that sees them). The totals are the process's cumulative counters and ProcessStart
// is its ProcKey.Start, which tells a reused PID apart. A process reported
// as Exited is not written again: its last interval is already recorded,
// unless the row is Merged (Engine.MergeActivity): then it holds bytes of
// this interval that another source counted (a short-lived process, or the
// final interval of one that exited).
type Recorder struct {
	// Location is the time zone of the Timestamp and HourMinute columns;
	// nil means local time.
	Location *time.Location
	// Host is the Host column: os.Hostname from NewRecorder (a test or a
	// lab recording may name another host before the first Write).
	Host string

	dir   string
	n     int
	disks []string
	files []*os.File
	hvr   *csv.Writer
	proc  *csv.Writer

	samples int
	rec     []string // reused row buffer
}

// NewRecorder creates the directory if needed and the next free
// HVRStats-N.csv and ProcStats-N.csv in it, with their header rows. disks
// are the disk columns of HVRStats, usually the disks of the first frame.
func NewRecorder(dir string, disks []string) (*Recorder, error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("recording directory %s: %w", dir, fserr.Neutral(err))
	}
	r := &Recorder{dir: dir, disks: append([]string(nil), disks...), Host: hostname()}
	n, err := NextRecordingNumber(dir)
	if err != nil {
		return nil, err
	}
	for tries := 0; ; tries++ {
		hvr, err := os.OpenFile(RecordingPath(dir, HVRStatsPrefix, n), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && tries < 1000 {
			n++ // another recorder took it meanwhile
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create recording in %s: %w", dir, err)
		}
		proc, err := os.OpenFile(RecordingPath(dir, ProcStatsPrefix, n), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			hvr.Close()
			os.Remove(hvr.Name())
			if errors.Is(err, fs.ErrExist) && tries < 1000 {
				n++
				continue
			}
			return nil, fmt.Errorf("create recording in %s: %w", dir, err)
		}
		r.files = []*os.File{hvr, proc}
		r.hvr, r.proc = csv.NewWriter(hvr), csv.NewWriter(proc)
		break
	}
	r.n = n

	head := []string{"Timestamp", "HourMinute", "IntervalSeconds", "TotalWriteBytesPerSec", "TotalReadBytesPerSec"}
	for _, d := range r.disks {
		head = append(head, d+".WriteBytesPerSec", d+".ReadBytesPerSec")
	}
	head = append(head, "Sample", "Host")
	head = append(head, diskTimeColumns(r.disks)...)
	if err := r.writeFlush(r.hvr, head); err != nil {
		r.Close()
		return nil, err
	}
	if err := r.writeFlush(r.proc, []string{"Timestamp", "HourMinute", "Process", "PID", "Class",
		"WriteBytesPerSec", "ReadBytesPerSec", "WriteBytesTotal", "ReadBytesTotal", "ProcessStart", "Sample",
		"CancelledWriteBytesPerSec", "WriteBasis", "ChildrenWriteBytes", "DirtiedBytesPerSec", "DiskResponseMs"}); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// NextRecordingNumber returns the first N >= 1 for which none of
// HVRStats-N.csv, ProcStats-N.csv and FileStats-N.csv exists in dir.
func NextRecordingNumber(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("recording directory %s: %w", dir, fserr.Neutral(err))
	}
	used := make(map[int]bool)
	for _, e := range entries {
		for _, p := range []string{HVRStatsPrefix, ProcStatsPrefix, FileStatsPrefix} {
			if n, ok := recordingNumber(e.Name(), p); ok {
				used[n] = true
			}
		}
	}
	n := 1
	for used[n] {
		n++
	}
	return n, nil
}

func recordingNumber(name, prefix string) (int, bool) {
	if len(name) <= len(prefix)+5 || name[:len(prefix)+1] != prefix+"-" || name[len(name)-4:] != ".csv" {
		return 0, false
	}
	n, err := strconv.Atoi(name[len(prefix)+1 : len(name)-4])
	return n, err == nil && n > 0
}

// N is the recording's number.
func (r *Recorder) N() int { return r.n }

// Dir is the directory the recording is in.
func (r *Recorder) Dir() string { return r.dir }

// Paths are the files written, HVRStats first.
func (r *Recorder) Paths() []string {
	return []string{RecordingPath(r.dir, HVRStatsPrefix, r.n), RecordingPath(r.dir, ProcStatsPrefix, r.n)}
}

// Samples is the number of frames written. The next frame written is
// sample Samples()+1 (the Sample column).
func (r *Recorder) Samples() int { return r.samples }

// Write appends one frame and flushes both files to the OS. A baseline
// frame (Elapsed 0) has no rates and is skipped.
func (r *Recorder) Write(f Frame) error {
	if r.hvr == nil {
		return fmt.Errorf("recording %s: write after Close", r.Paths()[0])
	}
	if f.Elapsed <= 0 {
		return nil
	}
	loc := r.Location
	if loc == nil {
		loc = time.Local
	}
	t := f.Time.In(loc)
	ts, hm := t.Format(TimestampLayout), t.Format(HourMinuteLayout)
	sample := strconv.Itoa(r.samples + 1)

	row := append(r.rec[:0], ts, hm,
		strconv.FormatFloat(f.Elapsed.Seconds(), 'f', 3, 64),
		itoa(roundRate(f.DiskWriteRate)), itoa(roundRate(f.DiskReadRate)))
	for _, name := range r.disks {
		var w, rd float64
		for _, d := range f.Disks {
			if d.Name == name {
				w, rd = d.WriteRate, d.ReadRate
				break
			}
		}
		row = append(row, itoa(roundRate(w)), itoa(roundRate(rd)))
	}
	row = append(row, sample, GuardCell(r.Host))
	row = appendDiskTimes(row, r.disks, f.Disks)
	if err := r.writeFlush(r.hvr, row); err != nil {
		return err
	}

	for _, p := range f.Processes {
		w, rd, cw := roundRate(p.WriteRate), roundRate(p.ReadRate), roundRate(p.CancelledWriteRate)
		dirtied := ""
		if p.DiskBytes {
			dirtied = itoa(roundRate(p.DirtiedRate))
		}
		if (p.Exited && !p.Merged && !(p.DiskBytes && w > 0)) || (w == 0 && rd == 0 && cw == 0 && (dirtied == "" || dirtied == "0")) {
			continue
		}
		row = append(row[:0], ts, hm, GuardCell(p.Name), strconv.Itoa(int(p.Key.PID)), string(p.Class.Class),
			itoa(w), itoa(rd),
			strconv.FormatUint(p.WriteTotal, 10), strconv.FormatUint(p.ReadTotal, 10),
			strconv.FormatInt(p.Key.Start, 10), sample, itoa(cw), p.WriteBasis(),
			strconv.FormatUint(p.ChildrenWriteBytes, 10), dirtied, responseMsText(p))
		if err := r.proc.Write(row); err != nil {
			return fmt.Errorf("recording %s: %w", r.Paths()[1], err)
		}
	}
	r.proc.Flush()
	if err := r.proc.Error(); err != nil {
		return fmt.Errorf("recording %s: %w", r.Paths()[1], err)
	}
	r.rec = row
	r.samples++
	return nil
}

func (r *Recorder) writeFlush(w *csv.Writer, row []string) error {
	name := r.Paths()[0]
	if w == r.proc {
		name = r.Paths()[1]
	}
	if err := w.Write(row); err != nil {
		return fmt.Errorf("recording %s: %w", name, err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("recording %s: %w", name, err)
	}
	return nil
}

// hostname is the Host column: os.Hostname, or "" when the OS does not say.
func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return h
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// Close flushes and closes the files. It is safe to call more than once.
func (r *Recorder) Close() error {
	var first error
	for _, w := range []*csv.Writer{r.hvr, r.proc} {
		if w != nil {
			w.Flush()
			if err := w.Error(); err != nil && first == nil {
				first = err
			}
		}
	}
	for _, f := range r.files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.files, r.hvr, r.proc = nil, nil, nil
	if first != nil {
		return fmt.Errorf("close recording in %s: %w", r.dir, first)
	}
	return nil
}

// responseMsText is the ProcStats DiskResponseMs column: the mean with
// microsecond precision, "" when no request was timed.
func responseMsText(p ProcessRates) string {
	ms, ok := p.DiskResponseMs()
	if !ok {
		return ""
	}
	return strconv.FormatFloat(ms, 'f', 3, 64)
}
