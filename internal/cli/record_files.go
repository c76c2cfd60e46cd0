package cli

import (
	"context"
	"fmt"
	"sort"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// recordFiles is the per-file half of a recording: the source read at the
// same instants as the process sampler, FileStats-N.csv, and the bytes each
// (process, file) wrote, for the summary.
type recordFiles struct {
	src    fileio.Source
	info   fileio.Info
	rec    *fileio.Recorder
	merge  bool // the backend sees short-lived processes: merge them into frames
	totals map[fileio.FileKey]*recordFileTotal

	droppedWarned bool
	dropped       uint64 // (process, file) pairs put in "other files" rows, all intervals
}

// recordFileTotal is what one process wrote to one file.
type recordFileTotal struct {
	name  string
	bytes uint64
}

// recordFileTotalsLimit bounds the (process, file) pairs kept for the
// summary; beyond it the smaller half is forgotten (a file that writes
// little early and much later may then be under-counted).
const recordFileTotalsLimit = 20000

// startRecordFiles opens the per-file source for mode auto or on and takes
// its first reading, so the next Read covers the same interval as the next
// process sample. With auto a backend that cannot run gives (nil, note,
// nil): the recording goes on without files and note says why. With on it
// is an error.
//
// f.all keeps files whose bytes never reach a disk (--all-files).
func startRecordFiles(ctx context.Context, env *Env, f filesFlags) (*recordFiles, string, error) {
	src, missing, err := f.open(env)
	if src != nil {
		if _, rerr := src.Read(ctx); rerr != nil {
			src.Close()
			src = nil
			missing, err = f.unavailable(fmt.Errorf("first per-file reading: %w", rerr))
		}
	}
	if err != nil {
		return nil, "", err
	}
	if src == nil {
		if missing != nil {
			return nil, fmt.Sprintf("no FileStats file: %v", missing), nil
		}
		return nil, "", nil // --files off
	}
	info := src.Info()
	return &recordFiles{
		src:    src,
		info:   info,
		merge:  info.CountsExitedProcesses(),
		totals: make(map[fileio.FileKey]*recordFileTotal),
	}, "", nil
}

// create makes FileStats-N.csv for the recording numbered n.
func (r *recordFiles) create(dir string, n int) error {
	rec, err := fileio.NewRecorder(dir, n)
	if err != nil {
		return err
	}
	r.rec = rec
	return nil
}

// startMessage names the backend, what it counts, what it misses and why
// it was chosen: a first line, then one indented line for each, so no
// line runs on for a screen.
func (r *recordFiles) startMessage() string {
	msg := fmt.Sprintf("per-file bytes to %s from %s:\n  counts: %s\n  misses: %s\n  chosen: %s",
		r.rec.Path(), r.info.Backend, r.info.Counts, r.info.Limits, r.info.Reason)
	if r.info.DiskBytes {
		msg += "\n  per-process writes in ProcStats are disk bytes from the block layer (WriteBasis disk), the kernel's write_bytes beside them in DirtiedBytesPerSec; FileStats DiskWriteBytes per file"
	} else if r.info.DiskReason != "" {
		msg += "\n  no disk bytes (" + r.info.DiskReason + "): per-process writes are write_bytes, which can overstate what reaches the disk"
	}
	if r.merge && r.info.StorageAtExit {
		msg += "\n  processes that start and exit between samples are added to ProcStats with their storage-layer counters at exit"
	} else if r.merge {
		msg += "\n  processes that start and exit between samples are added to ProcStats from these counts (WriteBasis page-cache)"
	}
	return msg
}

// sample reads the interval that ended with frame f, merges its short-lived
// processes into f, and writes FileStats. A read error is returned for the
// caller to report; the per-file recording then stops.
//
// sample is the frame's number in the recording (the Sample column).
func (r *recordFiles) sample(ctx context.Context, eng *sampler.Engine, f *sampler.Frame, sample int) (warn string, err error) {
	iv, err := r.src.Read(ctx)
	if err != nil {
		return "", fmt.Errorf("per-file reading: %w", err)
	}
	if r.merge {
		if _, err := eng.MergeActivity(f, fileio.ExternalActivity(iv)); err != nil {
			return "", err
		}
	}
	if acts, ok := iv.DiskActivity(f); ok {
		if err := eng.ApplyDiskBytes(f, acts); err != nil {
			return "", err
		}
	}
	if err := r.rec.Write(iv, sample); err != nil {
		return "", err
	}
	for _, a := range iv.Files {
		if a.WriteBytes == 0 {
			continue
		}
		t := r.totals[a.Key]
		if t == nil {
			t = &recordFileTotal{name: a.Name}
			r.totals[a.Key] = t
		}
		t.bytes += a.WriteBytes
	}
	if len(r.totals) > recordFileTotalsLimit {
		r.forgetSmallest()
	}
	r.dropped += iv.Dropped
	if iv.Dropped > 0 && !r.droppedWarned {
		r.droppedWarned = true
		warn = fmt.Sprintf("the per-file backend's table was full: %d (process, file) pairs of one interval went to each process's %q row in FileStats (process totals stay whole)", iv.Dropped, fileio.OtherFilesPath)
	}
	return warn, nil
}

// forgetSmallest drops the half of the totals that wrote least.
func (r *recordFiles) forgetSmallest() {
	sizes := make([]uint64, 0, len(r.totals))
	for _, t := range r.totals {
		sizes = append(sizes, t.bytes)
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	median := sizes[len(sizes)/2]
	for k, t := range r.totals {
		if t.bytes < median {
			delete(r.totals, k)
		}
	}
}

// topFile is the summary's phrase for the file written most.
func (r *recordFiles) topFile() string {
	var top *recordFileTotal
	var key fileio.FileKey
	for k, t := range r.totals {
		if top == nil || t.bytes > top.bytes || (t.bytes == top.bytes && (k.Path < key.Path || (k.Path == key.Path && k.Proc.PID < key.Proc.PID))) {
			top, key = t, k
		}
	}
	if top == nil {
		if r.dropped > 0 {
			return fmt.Sprintf("top file: none (no file written); %d (process, file) pairs counted only in \"other files\" rows (table full)", r.dropped)
		}
		return "top file: none (no file written)"
	}
	msg := fmt.Sprintf("top file: %s (%s, PID %d) %s written", key.Path, top.name, key.Proc.PID, units.Bytes(float64(top.bytes)))
	if r.dropped > 0 {
		msg += fmt.Sprintf("; %d (process, file) pairs counted only in \"other files\" rows (table full)", r.dropped)
	}
	return msg
}

// close ends the per-file recording.
func (r *recordFiles) close() error {
	var err error
	if r.rec != nil {
		err = r.rec.Close()
	}
	if r.src != nil {
		if cerr := r.src.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close per-file backend %s: %w", r.info.Backend, cerr)
		}
		r.src = nil
	}
	return err
}
