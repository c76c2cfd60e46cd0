package fileio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/fserr"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// fileStatsHeader is the header row of FileStats-N.csv.
var fileStatsHeader = []string{"Timestamp", "HourMinute", "Process", "PID", "File",
	"WriteBytesPerSec", "ReadBytesPerSec", "WriteBytes", "ReadBytes", "Sample", "Via", "Medium", "Deleted", "DiskWriteBytes", "DiskResponseMs"}

// Recorder writes intervals to FileStats-N.csv, one row per (process, file)
// that moved bytes in the interval, at most MaxRows of them plus one
// "other files" row per process for the rest:
//
//	Timestamp,HourMinute,Process,PID,File,WriteBytesPerSec,ReadBytesPerSec,WriteBytes,ReadBytes,Sample,Via,Medium,Deleted,DiskWriteBytes,DiskResponseMs
//
// Timestamp is local RFC 3339 with milliseconds, HourMinute local HH:MM,
// rates are bytes per second rounded to integers and WriteBytes/ReadBytes
// the bytes of the interval. Sample is the 1-based sample number, the same
// as in the HVRStats and ProcStats rows of that sample
// (sampler.Recorder.Samples()+1 before that frame is written). Via says
// how the bytes moved (FileActivity.Via, "" when the backend does not
// tell), Medium whether they can reach a disk ("disk", "memory" for tmpfs
// and the like, "none" for /proc and the like, kept only with
// Options.AllFiles; "" when unknown), Deleted "yes" for a file written in
// the interval that no longer had its name at the reading (its bytes may
// never reach the disk). DiskWriteBytes is the pair's bytes that reached
// the disk in the interval, from the block layer (FileActivity.DiskWriteBytes;
// on Windows from the Microsoft-Windows-Kernel-Disk events),
// beside WriteBytes, the bytes written through the page cache; empty when
// neither runs (Interval.HasDiskFiles). DiskResponseMs is the mean
// response time (request start to completion) in milliseconds of the requests the pair
// submitted in the interval (FileActivity.DiskResponseMs: its reads and its
// own synced or direct writes, not its share of writeback; on Windows the
// events' HighResResponseTime); empty when none was timed or neither source runs. Each Write is flushed to the OS, so a killed
// recorder leaves valid CSV with at most a truncated last line. Files a
// backend saw touched without measuring bytes (FileActivity.BytesUnknown)
// are not written: the format has no way to say "unknown".
type Recorder struct {
	// Location is the time zone of Timestamp and HourMinute; nil means
	// local time.
	Location *time.Location
	// MaxRows bounds the rows of one interval: the MaxRows (process,
	// file) pairs that moved most bytes get a row each, and the rest one
	// row per process that wrote, with File "(N other files)" and their
	// bytes summed, so every process's write total stays exact; the rest
	// of the processes that only read share one OtherProcessesName row.
	// 0 means DefaultMaxRows; a negative value writes every pair.
	MaxRows int

	path string
	f    *os.File
	w    *csv.Writer
	disk bool // the interval being written has block-layer disk bytes
	rows int
	row  []string
}

// DefaultMaxRows is Recorder.MaxRows when not set: with the per-process
// "other files" rows it keeps FileStats to a few KiB per second.
const DefaultMaxRows = 32

// OtherProcessesName is the Process column (PID 0) of the row that sums
// the reads of processes beyond Recorder.MaxRows that wrote nothing there.
const OtherProcessesName = "(other processes)"

// otherFilesRow is the File column of a process's row for its files
// beyond Recorder.MaxRows: "(12 other files)".
func otherFilesRow(n int) string {
	if n == 1 {
		return "(1 other file)"
	}
	return "(" + strconv.Itoa(n) + " other files)"
}

// NewRecorder creates dir/FileStats-N.csv with its header. With n > 0 it
// joins the recording of that number (sampler.Recorder.N()), failing if
// FileStats-n.csv already exists; with n == 0 it takes the first N that no
// HVRStats, ProcStats or FileStats file in dir uses.
func NewRecorder(dir string, n int) (*Recorder, error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("recording directory %s: %w", dir, fserr.Neutral(err))
	}
	pick := n <= 0
	if pick {
		var err error
		if n, err = sampler.NextRecordingNumber(dir); err != nil {
			return nil, err
		}
	}
	for tries := 0; ; tries++ {
		path := sampler.RecordingPath(dir, sampler.FileStatsPrefix, n)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && pick && tries < 1000 {
			n++ // another recorder took it meanwhile
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create file recording %s: %w", path, err)
		}
		r := &Recorder{path: path, f: f, w: csv.NewWriter(f)}
		if err := r.writeFlush(fileStatsHeader); err != nil {
			f.Close()
			return nil, err
		}
		return r, nil
	}
}

// Path is the file being written.
func (r *Recorder) Path() string { return r.path }

// Rows is the number of data rows written.
func (r *Recorder) Rows() int { return r.rows }

// Write appends the interval's active (process, file) pairs as sample
// number sample and flushes. An interval with no elapsed time (a baseline)
// writes nothing.
func (r *Recorder) Write(iv Interval, sample int) error {
	if r.w == nil {
		return fmt.Errorf("file recording %s: write after Close", r.path)
	}
	if iv.Elapsed <= 0 {
		return nil
	}
	r.disk = iv.HasDiskFiles()
	loc := r.Location
	if loc == nil {
		loc = time.Local
	}
	t := iv.Time.In(loc)
	ts, hm := t.Format(sampler.TimestampLayout), t.Format(sampler.HourMinuteLayout)
	num := strconv.Itoa(sample)
	limit := r.MaxRows
	if limit == 0 {
		limit = DefaultMaxRows
	}
	// iv.Files is sorted by bytes moved, most first.
	type rest struct {
		a FileActivity
		n int
	}
	var others map[sampler.ProcKey]*rest
	var order []sampler.ProcKey
	written := 0
	for _, a := range iv.Files {
		if a.WriteBytes == 0 && a.ReadBytes == 0 && a.DiskWriteBytes == 0 {
			continue
		}
		if limit > 0 && written >= limit {
			o := others[a.Key.Proc]
			if o == nil {
				if others == nil {
					others = make(map[sampler.ProcKey]*rest)
				}
				o = &rest{a: FileActivity{Key: a.Key, Name: a.Name}}
				others[a.Key.Proc] = o
				order = append(order, a.Key.Proc)
			}
			o.a.WriteBytes += a.WriteBytes
			o.a.ReadBytes += a.ReadBytes
			o.a.DiskWriteBytes += a.DiskWriteBytes
			o.a.DiskIONanos += a.DiskIONanos
			o.a.DiskIOCount += a.DiskIOCount
			o.n++
			continue
		}
		if err := r.writeActivity(ts, hm, num, a, iv.Elapsed); err != nil {
			return err
		}
		written++
	}
	// Processes whose left-over files were only read share one row, so
	// that a churn of short-lived readers (every new process reads its
	// libraries) adds one row, not one per process; every process that
	// wrote keeps its own row, so write totals stay exact per process.
	var readers FileActivity
	nReaders, nReadFiles := 0, 0
	for _, k := range order {
		o := others[k]
		if o.a.WriteBytes == 0 && o.a.DiskWriteBytes == 0 {
			readers.ReadBytes += o.a.ReadBytes
			nReaders++
			nReadFiles += o.n
			continue
		}
		o.a.Key.Path = otherFilesRow(o.n)
		if err := r.writeActivity(ts, hm, num, o.a, iv.Elapsed); err != nil {
			return err
		}
	}
	if nReaders > 0 {
		readers.Name = OtherProcessesName
		readers.Key.Path = fmt.Sprintf("(%d files read by %d other processes)", nReadFiles, nReaders)
		if err := r.writeActivity(ts, hm, num, readers, iv.Elapsed); err != nil {
			return err
		}
	}
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return fmt.Errorf("file recording %s: %w", r.path, err)
	}
	return nil
}

// diskBytesText is the DiskWriteBytes column: empty when no source of
// per-file disk bytes runs (unknown, not 0).
func diskBytesText(n uint64, disk bool) string {
	if !disk {
		return ""
	}
	return strconv.FormatUint(n, 10)
}

// ResponseMsText is the DiskResponseMs column: the pair's mean response
// time in milliseconds with microsecond precision, "" when no request was
// timed.
func ResponseMsText(a FileActivity) string {
	ms, ok := a.DiskResponseMs()
	if !ok {
		return ""
	}
	return strconv.FormatFloat(ms, 'f', 3, 64)
}

// writeActivity writes one row.
func (r *Recorder) writeActivity(ts, hm, num string, a FileActivity, elapsed time.Duration) error {
	r.row = append(r.row[:0], ts, hm, sampler.GuardCell(a.Name), strconv.Itoa(int(a.Key.Proc.PID)), sampler.GuardCell(a.Key.Path),
		strconv.FormatInt(roundRate(a.WriteRate(elapsed)), 10),
		strconv.FormatInt(roundRate(a.ReadRate(elapsed)), 10),
		strconv.FormatUint(a.WriteBytes, 10), strconv.FormatUint(a.ReadBytes, 10), num, a.Via, a.Medium, yesOrEmpty(a.Deleted), diskBytesText(a.DiskWriteBytes, r.disk), ResponseMsText(a))
	if err := r.w.Write(r.row); err != nil {
		return fmt.Errorf("file recording %s: %w", r.path, err)
	}
	r.rows++
	return nil
}

func (r *Recorder) writeFlush(row []string) error {
	if err := r.w.Write(row); err != nil {
		return fmt.Errorf("file recording %s: %w", r.path, err)
	}
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return fmt.Errorf("file recording %s: %w", r.path, err)
	}
	return nil
}

// Close flushes and closes the file. It is safe to call more than once.
func (r *Recorder) Close() error {
	if r.w == nil {
		return nil
	}
	r.w.Flush()
	err := r.w.Error()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	r.w, r.f = nil, nil
	if err != nil {
		return fmt.Errorf("close file recording %s: %w", r.path, err)
	}
	return nil
}

func roundRate(r float64) int64 {
	if r <= 0 || math.IsNaN(r) {
		return 0
	}
	return int64(math.Round(r))
}

func yesOrEmpty(b bool) string {
	if b {
		return "yes"
	}
	return ""
}
