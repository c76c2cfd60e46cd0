package analysis

import (
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Sample is everything known about one sampling interval that ended at
// Time: disk totals, per-process and per-file activity. Readers fill the
// parts their file has; the replay merges the parts of one recording.
type Sample struct {
	Time time.Time
	// Seq is the recorder's sample number (the Sample column, 1-based, the
	// same in the three files of one sample); 0 when the file has none.
	Seq int64
	// Host is the recorded host name (HVRStats' Host column); "" when the
	// file has none.
	Host string
	// Elapsed is the real length of the interval; 0 when unknown (a file
	// with a single sample and no interval column).
	Elapsed time.Duration

	// HasDisks is true when DiskWriteRate/DiskReadRate/Disks are known.
	HasDisks      bool
	DiskWriteRate float64 // bytes per second, summed over Disks
	DiskReadRate  float64
	Disks         []sampler.DiskRates

	Procs []ProcSample
	Files []FileSample
}

// ProcSample is one process's activity in a Sample.
type ProcSample struct {
	Name  string
	PID   int32
	Start int64 // sampler.ProcKey.Start; 0 when the input has none
	// Class is the class from the input (ProcStats' Class column) or from
	// the classifier; "" when neither is available.
	Class sampler.Class

	WriteRate, ReadRate float64 // bytes per second
	// WriteBytes and ReadBytes are the bytes in this interval.
	WriteBytes, ReadBytes float64
	// WriteTotal and ReadTotal are cumulative counters when HasTotals.
	WriteTotal, ReadTotal uint64
	HasTotals             bool
}

// FileSample is one (process, file) pair's activity in a Sample.
type FileSample struct {
	Process string
	PID     int32
	Path    string

	WriteRate, ReadRate   float64 // bytes per second
	WriteBytes, ReadBytes float64 // bytes in this interval
}

// SampleReader returns Samples in file order until io.EOF. The Sample and
// its slices are valid until the next call to Next.
type SampleReader interface {
	Next() (Sample, error)
	// Path is the file being read.
	Path() string
	// Kind says what the file was recognised as.
	Kind() Kind
	// Skipped reports rows that could not be used so far.
	Skipped() Skipped
	Close() error
}

// Kind is the kind of input file, recognised from its header.
type Kind string

// The input kinds.
const (
	KindHVRStats  Kind = "HVRStats"
	KindProcStats Kind = "ProcStats"
	KindFileStats Kind = "FileStats"
	KindPerfmon   Kind = "perfmon"
	KindGeneric   Kind = "generic"
)
