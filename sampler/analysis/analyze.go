package analysis

import (
	"fmt"
	"io"
)

// Input describes one file that was analysed.
type Input struct {
	Path    string
	Kind    Kind
	Samples int // samples read from it
	Skipped Skipped
}

// Result is a finished analysis of files: the report, what was read, and
// what was skipped.
type Result struct {
	Report Report
	Inputs []Input
	// Host is the host the recording names ("" when it has no Host column).
	Host string
	// Notes are one-line remarks about the inputs (what a counter means,
	// the column mapping used for a generic CSV).
	Notes []string
}

// Partial reports whether rows were skipped.
func (r *Result) Partial() bool {
	for _, in := range r.Inputs {
		if in.Skipped.Count > 0 {
			return true
		}
	}
	return false
}

// SkippedLines are the skipped rows per file, one line each.
func (r *Result) SkippedLines() []string {
	var out []string
	for _, in := range r.Inputs {
		if s := in.Skipped.String(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// AnalyzeFiles reads the files together as one replay (the parts of one
// sample in HVRStats, ProcStats and FileStats merged, so the sample count
// is the recording's) through one Analyzer. A file whose header cannot be
// used stops the analysis with a *FileError; bad rows are skipped and
// counted in the Inputs.
func AnalyzeFiles(paths []string, m ColumnMap, opt Options) (*Result, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	rp, err := OpenReplay(paths, m)
	if err != nil {
		return nil, err
	}
	defer rp.Close()
	a := NewAnalyzer(opt)
	res := &Result{}
	for {
		s, err := rp.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		a.AddSample(s)
	}
	res.Inputs = rp.Inputs()
	res.Host = rp.Host()
	res.Notes = inputNotes(rp, opt)
	res.Report = a.Report()
	if res.Report.Samples == 0 {
		return res, fmt.Errorf("no usable samples in %d file(s): every data row was skipped or the files have only a header", len(paths))
	}
	return res, nil
}

// inputNotes are the remarks on how the inputs were read: each generic
// CSV's column mapping, what perfmon's counters count, what totals mean
// without HVRStats.
func inputNotes(rp *Replay, opt Options) []string {
	notes := rp.Notes()
	kinds := map[Kind]bool{}
	for _, in := range rp.Inputs() {
		kinds[in.Kind] = true
	}
	if kinds[KindPerfmon] {
		notes = append(notes, `perfmon's \Process(*)\IO Write Bytes/sec counts all I/O writes of a process (disk, network, devices), so process numbers can exceed disk writes.`)
	}
	if kinds[KindProcStats] && !kinds[KindHVRStats] {
		notes = append(notes, "No HVRStats file: minute totals are the sum of process writes, and minutes without any writing process are not counted in the baseline.")
	}
	if kinds[KindGeneric] && opt.Classify == nil {
		notes = append(notes, "Generic CSV without a Class column: processes are unclassified.")
	}
	return notes
}
