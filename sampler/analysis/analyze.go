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
	// Notes are one-line remarks about the inputs (what a counter means).
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

// AnalyzeFiles streams each file once through one Analyzer. A file whose
// header cannot be used stops the analysis with a *FileError; bad rows are
// skipped and counted in the Inputs.
func AnalyzeFiles(paths []string, m ColumnMap, opt Options) (*Result, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	a := NewAnalyzer(opt)
	res := &Result{}
	kinds := map[Kind]bool{}
	for _, p := range paths {
		r, err := OpenFile(p, m)
		if err != nil {
			return nil, err
		}
		in := Input{Path: p, Kind: r.Kind()}
		for {
			s, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				r.Close()
				return nil, err
			}
			in.Samples++
			a.AddSample(s)
		}
		in.Skipped = r.Skipped()
		r.Close()
		res.Inputs = append(res.Inputs, in)
		kinds[in.Kind] = true
	}
	if kinds[KindPerfmon] {
		res.Notes = append(res.Notes, `perfmon's \Process(*)\IO Write Bytes/sec counts all I/O writes of a process (disk, network, devices), so process numbers can exceed disk writes.`)
	}
	if kinds[KindProcStats] && !kinds[KindHVRStats] {
		res.Notes = append(res.Notes, "No HVRStats file: minute totals are the sum of process writes, and minutes without any writing process are not counted in the baseline.")
	}
	if kinds[KindGeneric] && opt.Classify == nil {
		res.Notes = append(res.Notes, "Generic CSV without a Class column: processes are unclassified.")
	}
	res.Report = a.Report()
	if res.Report.Samples == 0 {
		return res, fmt.Errorf("no usable samples in %d file(s): every data row was skipped or the files have only a header", len(paths))
	}
	return res, nil
}
