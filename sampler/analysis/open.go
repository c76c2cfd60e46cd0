package analysis

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// recordingName matches the names the recorder gives its files.
var recordingName = regexp.MustCompile(`(?i)^(HVRStats|ProcStats|FileStats)-(\d+)\.csv$`)

// kindFromHeader recognises a header; "" when it is none of ours.
func kindFromHeader(h []string) Kind {
	has := func(name string) bool {
		for _, c := range h {
			if strings.EqualFold(c, name) {
				return true
			}
		}
		return false
	}
	switch {
	case isPerfmonHeader(h):
		return KindPerfmon
	case has("TotalWriteBytesPerSec") && has("IntervalSeconds"):
		return KindHVRStats
	case has("WriteBytesTotal") && has("ProcessStart"):
		return KindProcStats
	case has("File") && has("WriteBytes") && has("WriteBytesPerSec"):
		return KindFileStats
	}
	return ""
}

// OpenFile opens one input file and recognises its kind: by the recorder's
// file names (HVRStats-N.csv, ProcStats-N.csv, FileStats-N.csv), else by
// the header (ours, or perfmon's PDH-CSV), else as a generic CSV mapped by
// m. A header lacking a needed column is a *FileError naming the columns.
func OpenFile(path string, m ColumnMap) (SampleReader, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	f, rr, header, err := openCSV(path)
	if err != nil {
		return nil, err
	}
	kind := kindFromHeader(header)
	if mm := recordingName.FindStringSubmatch(filepath.Base(path)); mm != nil {
		kind = Kind(mm[1])
		for _, k := range []Kind{KindHVRStats, KindProcStats, KindFileStats} {
			if strings.EqualFold(string(k), mm[1]) {
				kind = k
			}
		}
	}
	if kind == "" {
		kind = KindGeneric
	}
	tp, err := newTimeParser(m.TimeFormat)
	if err != nil {
		f.Close()
		return nil, err
	}
	r := &csvReader{path: path, kind: kind, f: f, rr: rr, header: header}
	r.skipped.File = path
	switch kind {
	case KindHVRStats:
		r.parser, err = newHVRParser(header, tp)
		r.strictLast = true
	case KindProcStats:
		r.parser, err = newProcParser(header, tp)
		r.strictLast, r.sparse = true, true
	case KindFileStats:
		r.parser, err = newFileParser(header, tp)
		r.strictLast, r.sparse = true, true
	case KindPerfmon:
		r.parser, err = newPerfmonParser(header, tp)
	default:
		r.parser, err = newGenericParser(header, m, tp)
		r.sparse = true
		r.bytesOnly = m.WriteKind == "bytes"
	}
	if err != nil {
		f.Close()
		return nil, &FileError{File: path, Line: 1, Err: err}
	}
	return r, nil
}

// ExpandPaths turns the command line's DIR|FILES into a file list: a
// directory stands for the recordings in it (HVRStats/ProcStats/FileStats
// of every N, in N order), or for all its .csv files when it holds none.
func ExpandPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("input %s: %w: give a recording directory or CSV files", a, fs.ErrNotExist)
		}
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", a, err)
		}
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				// A FIFO or device would block or never end.
				return nil, fmt.Errorf("input %s: not a regular file (a FIFO or device): give a recording directory or CSV files", a)
			}
			out = append(out, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", a, err)
		}
		type rec struct {
			n    int
			kind string
			path string
		}
		var recs []rec
		var csvs []string
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			name := e.Name()
			if m := recordingName.FindStringSubmatch(name); m != nil {
				n, _ := strconv.Atoi(m[2])
				recs = append(recs, rec{n, m[1], filepath.Join(a, name)})
			} else if strings.EqualFold(filepath.Ext(name), ".csv") {
				csvs = append(csvs, filepath.Join(a, name))
			}
		}
		if len(recs) > 0 {
			sort.Slice(recs, func(i, j int) bool {
				if recs[i].n != recs[j].n {
					return recs[i].n < recs[j].n
				}
				return recs[i].kind < recs[j].kind
			})
			for _, r := range recs {
				out = append(out, r.path)
			}
			continue
		}
		if len(csvs) == 0 {
			return nil, fmt.Errorf("input %s: no .csv files in this directory: give a directory with HVRStats-N.csv/ProcStats-N.csv, or the CSV files", a)
		}
		sort.Strings(csvs)
		out = append(out, csvs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no input: give a recording directory or CSV files")
	}
	return dedupeFiles(out), nil
}

// dedupeFiles drops a file named twice (a directory and a file in it, the
// same directory twice, a symbolic link), which would count its samples
// twice; the first mention keeps its place.
func dedupeFiles(paths []string) []string {
	var seen []os.FileInfo
	out := paths[:0:0]
next:
	for _, p := range paths {
		st, err := os.Stat(p)
		if err == nil {
			for _, s := range seen {
				if os.SameFile(s, st) {
					continue next
				}
			}
			seen = append(seen, st)
		}
		out = append(out, p)
	}
	return out
}
