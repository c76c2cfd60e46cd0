package analysis

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ColumnMap tells the generic reader which columns of a foreign CSV hold
// what. Each column is named by its header text (case-insensitive) or by its
// 1-based position ("3"). Empty fields take the defaults shown.
type ColumnMap struct {
	Time    string // default "Timestamp"
	Process string // default "Process"
	PID     string // default "PID"; optional unless set
	Write   string // default "WriteBytesPerSec"
	Read    string // optional
	Class   string // optional: workload, inbox, third-party
	// WriteKind is "rate" (bytes per second, the default) or "bytes"
	// (bytes written in the interval ending at the row's time).
	WriteKind string
	// TimeFormat is used for every input kind; "" detects it.
	TimeFormat TimeFormat
}

// Validate checks the fixed-choice fields.
func (m ColumnMap) Validate() error {
	switch m.WriteKind {
	case "", "rate", "bytes":
	default:
		return fmt.Errorf("write kind %q: use rate (bytes per second) or bytes (bytes per interval)", m.WriteKind)
	}
	_, err := newTimeParser(m.TimeFormat)
	return err
}

// genericParser reads a long CSV: one row per process per sample.
type genericParser struct {
	tp                               *timeParser
	time, proc, pid, write, read, cl int
	names                            interner
	writeName, readName              string
}

func findColumn(header []string, spec, def string, required bool, flag string) (int, error) {
	explicit := spec != ""
	if !explicit {
		spec = def
	}
	if n, err := strconv.Atoi(spec); err == nil {
		if n < 1 || n > len(header) {
			return -1, fmt.Errorf("%s %d: the header has %d columns", flag, n, len(header))
		}
		return n - 1, nil
	}
	for i, h := range header {
		if strings.EqualFold(h, spec) {
			return i, nil
		}
	}
	if explicit || required {
		return -1, fmt.Errorf("%w %q: name the column with %s (the header has: %s)", ErrMissingColumn, spec, flag, headerText(header))
	}
	return -1, nil
}

func newGenericParser(header []string, m ColumnMap, tp *timeParser) (*genericParser, error) {
	p := &genericParser{tp: tp, names: interner{}}
	var err error
	if p.time, err = findColumn(header, m.Time, "Timestamp", true, "--time-col"); err != nil {
		return nil, err
	}
	if p.proc, err = findColumn(header, m.Process, "Process", true, "--process-col"); err != nil {
		return nil, err
	}
	if p.pid, err = findColumn(header, m.PID, "PID", false, "--pid-col"); err != nil {
		return nil, err
	}
	defWrite := "WriteBytesPerSec"
	if m.WriteKind == "bytes" {
		defWrite = "WriteBytes"
	}
	if p.write, err = findColumn(header, m.Write, defWrite, true, "--write-col"); err != nil {
		return nil, err
	}
	if p.read, err = findColumn(header, m.Read, "", false, "--read-col"); err != nil {
		return nil, err
	}
	if m.Read == "" {
		p.read = -1
	}
	if p.cl, err = findColumn(header, m.Class, "Class", false, "--class-col"); err != nil {
		return nil, err
	}
	p.writeName = header[p.write]
	if p.read >= 0 {
		p.readName = header[p.read]
	}
	return p, nil
}

func (p *genericParser) parseRow(f [][]byte, out *Sample) (time.Time, error) {
	t, err := p.tp.parse(f[p.time])
	if err != nil {
		return t, err
	}
	var ps ProcSample
	ps.Name = p.names.get([]byte(strings.TrimSpace(string(f[p.proc]))))
	if ps.Name == "" {
		return t, fmt.Errorf("empty process name")
	}
	if p.pid >= 0 {
		if ps.PID, err = parsePID(f[p.pid]); err != nil {
			return t, err
		}
	}
	w, err := parseNum(f[p.write])
	if err != nil {
		return t, colErr(p.writeName, err)
	}
	var rd float64
	if p.read >= 0 {
		if rd, err = parseNum(f[p.read]); err != nil {
			return t, colErr(p.readName, err)
		}
	}
	if p.cl >= 0 {
		if ps.Class, err = parseClass(f[p.cl]); err != nil {
			return t, colErr("Class", err)
		}
	}
	// The filler completes the other half from the elapsed time.
	ps.WriteRate, ps.ReadRate = w, rd
	ps.WriteBytes, ps.ReadBytes = w, rd
	out.Procs = append(out.Procs, ps)
	return t, nil
}
