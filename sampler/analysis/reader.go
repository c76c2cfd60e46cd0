package analysis

import (
	"errors"
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"io"
	"os"
	"strings"
	"time"
)

// errNoValues marks a row that holds no sample (perfmon's first row, whose
// rate counters are blank): ignored, not counted as skipped.
var errNoValues = errors.New("row has no values")

// rowParser turns one record into a part of a Sample: it sets the disk
// fields or appends to Procs/Files of out, and returns the row's time.
type rowParser interface {
	parseRow(fields [][]byte, out *Sample) (time.Time, error)
}

// csvReader is the streaming reader shared by every input kind: it reads
// rows, skips and counts bad ones, groups rows with the same timestamp into
// one Sample and fills in each Sample's elapsed time and byte counts.
type csvReader struct {
	path    string
	kind    Kind
	f       io.Closer
	rr      *rowReader
	header  []string
	parser  rowParser
	skipped Skipped
	// strictLast: a last line without a newline is a cut-off row (our
	// recordings always end rows with a newline).
	strictLast bool
	// sparse: rows exist only for active items, so a gap between two
	// timestamps can span samples without rows.
	sparse bool

	row       Sample // the row being parsed
	cur, out  Sample // the group being built, the group returned last
	haveCur   bool
	curTime   time.Time
	prevTime  time.Time // time of the group returned before
	minGap    time.Duration
	eof       bool
	fill      filler
	bytesOnly bool // input gives bytes per interval, not rates
	// note says how the file was read (a generic CSV's column mapping).
	note func() string
}

// Note is how the file was read, "" when there is nothing to say.
func (r *csvReader) Note() string {
	if r.note == nil {
		return ""
	}
	return r.note()
}

// MissingColumns are the optional columns the file's header lacks that
// its kind can have (an HVRStats file's disk time columns), nil for none.
func (r *csvReader) MissingColumns() []string {
	if p, ok := r.parser.(interface{ missingColumns() []string }); ok {
		return p.missingColumns()
	}
	return nil
}

func (r *csvReader) Path() string     { return r.path }
func (r *csvReader) Kind() Kind       { return r.kind }
func (r *csvReader) Skipped() Skipped { return r.skipped }
func (r *csvReader) Close() error     { return r.f.Close() }
func (r *csvReader) fileErr(line int, err error) error {
	return &FileError{File: r.path, Line: line, Err: err}
}

// readHeader reads the first record and returns its cells trimmed.
func readHeader(path string, rr *rowReader) ([]string, error) {
	fields, err := rr.Read()
	if err == io.EOF {
		return nil, &FileError{File: path, Err: ErrEmpty}
	}
	if err != nil {
		return nil, &FileError{File: path, Line: rr.Line(), Err: fmt.Errorf("header: %w", err)}
	}
	h := make([]string, len(fields))
	for i, f := range fields {
		h[i] = strings.TrimSpace(string(f))
	}
	return h, nil
}

// nextRow reads and parses rows until one parses, returning its time; bad
// rows are counted in skipped. It returns io.EOF at the end.
func (r *csvReader) nextRow() (time.Time, error) {
	for {
		fields, err := r.rr.Read()
		if err == io.EOF {
			return time.Time{}, io.EOF
		}
		line := r.rr.Line()
		if err != nil {
			if errors.Is(err, errOpenQuote) || errors.Is(err, errQuote) {
				r.skip(line, err.Error())
				continue
			}
			return time.Time{}, r.fileErr(line, fmt.Errorf("read: %w", err))
		}
		if r.strictLast && !r.rr.complete {
			r.skip(line, "incomplete line (no line end)")
			continue
		}
		if len(fields) != len(r.header) {
			r.skip(line, fmt.Sprintf("has %d fields, the header has %d", len(fields), len(r.header)))
			continue
		}
		r.row.Procs = r.row.Procs[:0]
		r.row.Files = r.row.Files[:0]
		r.row.Disks = r.row.Disks[:0]
		r.row.HasDisks = false
		r.row.Elapsed = 0
		r.row.Seq, r.row.Host = 0, ""
		t, err := r.parser.parseRow(fields, &r.row)
		if err == errNoValues {
			continue
		}
		if err != nil {
			r.skip(line, err.Error())
			continue
		}
		return t, nil
	}
}

func (r *csvReader) skip(line int, reason string) {
	r.skipped.add(line, reason)
	if !r.rr.complete {
		r.skipped.TruncatedLast = true
	}
}

// merge adds the parsed row to the current group.
func (r *csvReader) merge(t time.Time) {
	if !r.haveCur {
		r.cur.Time = t
		r.cur.Elapsed = 0
		r.cur.HasDisks = false
		r.cur.DiskWriteRate, r.cur.DiskReadRate = 0, 0
		r.cur.Disks = r.cur.Disks[:0]
		r.cur.Procs = r.cur.Procs[:0]
		r.cur.Files = r.cur.Files[:0]
		r.cur.Seq, r.cur.Host = 0, ""
		r.haveCur = true
		r.curTime = t
	}
	if r.row.Seq > 0 {
		r.cur.Seq = r.row.Seq
	}
	if r.row.Host != "" {
		r.cur.Host = r.row.Host
	}
	if r.row.HasDisks {
		r.cur.HasDisks = true
		r.cur.DiskWriteRate += r.row.DiskWriteRate
		r.cur.DiskReadRate += r.row.DiskReadRate
		r.cur.Disks = append(r.cur.Disks, r.row.Disks...)
	}
	if r.row.Elapsed > 0 {
		r.cur.Elapsed = r.row.Elapsed
	}
	r.cur.Procs = append(r.cur.Procs, r.row.Procs...)
	r.cur.Files = append(r.cur.Files, r.row.Files...)
}

// Next returns the next Sample: all rows sharing one timestamp.
func (r *csvReader) Next() (Sample, error) {
	for !r.eof {
		t, err := r.nextRow()
		if err == io.EOF {
			r.eof = true
			break
		}
		if err != nil {
			return Sample{}, err
		}
		if !r.haveCur || t.Equal(r.curTime) {
			r.merge(t)
			continue
		}
		// A new timestamp: the current group is complete.
		r.cur, r.out = r.out, r.cur
		r.haveCur = false
		r.merge(t)
		r.finish(&r.out, t)
		return r.out, nil
	}
	if !r.haveCur {
		return Sample{}, io.EOF
	}
	r.cur, r.out = r.out, r.cur
	r.haveCur = false
	r.finish(&r.out, time.Time{})
	return r.out, nil
}

// finish sets the group's elapsed time (from the file when it has an
// interval column, else the gap to the previous group, or for the first
// group the gap to the next one) and fills the missing rates or bytes.
func (r *csvReader) finish(s *Sample, next time.Time) {
	if s.Elapsed <= 0 {
		var gap time.Duration
		switch {
		case !r.prevTime.IsZero():
			gap = s.Time.Sub(r.prevTime)
		case !next.IsZero():
			gap = next.Sub(s.Time)
		}
		if gap > 0 {
			if r.minGap == 0 || gap < r.minGap {
				r.minGap = gap
			}
			// Rows only for active items: a long gap means samples with no
			// rows in between; the interval itself is the usual one.
			if r.sparse && gap > r.minGap*3/2 {
				gap = r.minGap
			}
			s.Elapsed = gap
		}
	}
	r.prevTime = s.Time
	r.fill.fill(s, r.bytesOnly)
}

// filler completes rates and bytes of a Sample from its elapsed time and,
// where a process's cumulative counters are known, from their deltas (which
// are exact, unlike rate x elapsed after rounding).
type filler struct {
	prev map[procIdent]totals
}

type procIdent struct {
	name  string
	pid   int32
	start int64
}

type totals struct{ w, r uint64 }

// defaultElapsed is assumed for a sample whose interval cannot be known (a
// file with a single timestamp): the recorder's default interval.
const defaultElapsed = time.Second

func (f *filler) fill(s *Sample, bytesOnly bool) {
	el := s.Elapsed.Seconds()
	if el <= 0 {
		el = defaultElapsed.Seconds()
	}
	for i := range s.Procs {
		p := &s.Procs[i]
		if bytesOnly {
			p.WriteRate, p.ReadRate = p.WriteBytes/el, p.ReadBytes/el
			continue
		}
		p.WriteBytes, p.ReadBytes = p.WriteRate*el, p.ReadRate*el
		if !p.HasTotals {
			continue
		}
		if f.prev == nil {
			f.prev = map[procIdent]totals{}
		}
		id := procIdent{p.Name, p.PID, p.Start}
		if old, ok := f.prev[id]; ok {
			if p.WriteTotal >= old.w {
				p.WriteBytes = float64(p.WriteTotal - old.w)
			}
			if p.ReadTotal >= old.r {
				p.ReadBytes = float64(p.ReadTotal - old.r)
			}
		}
		f.prev[id] = totals{p.WriteTotal, p.ReadTotal}
	}
	for i := range s.Files {
		fl := &s.Files[i]
		if bytesOnly {
			fl.WriteRate, fl.ReadRate = fl.WriteBytes/el, fl.ReadBytes/el
		}
	}
}

// openCSV opens path and reads its header.
func openCSV(path string) (*os.File, *rowReader, []string, error) {
	// A FIFO or device would block or never end: refuse before opening.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, nil, nil, fmt.Errorf("open %s: not a regular file (a directory, FIFO or device): give a CSV file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	rr := newRowReader(f)
	rr.detectSeparator()
	h, err := readHeader(path, rr)
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	return f, rr, h, nil
}

// interner returns one shared string per distinct name, so millions of rows
// naming the same few hundred processes allocate a few hundred strings.
type interner map[string]string

func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	// The name as the reports show it: control characters (escape
	// sequences in a process name, a file path or a host) and
	// bidirectional controls replaced, so that no output of analyze
	// passes them to the terminal.
	s := textsafe.Clean(string(b))
	in[string(b)] = s
	return s
}
