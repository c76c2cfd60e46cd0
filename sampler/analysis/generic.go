package analysis

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ColumnMap tells the generic reader which columns of a foreign CSV hold
// what. Each column is named by its header text (case-insensitive) or by its
// 1-based position ("3"). Empty fields take the defaults shown.
type ColumnMap struct {
	Time    string // default: Timestamp, Time, DateTime...
	Process string // default: Process, ProcessName, Image, Name...
	PID     string // default: PID, ProcessId...; optional unless set
	Write   string // default: WriteBytesPerSec, Write Bytes/sec, WriteBytes, BytesWritten...
	Read    string // optional
	Class   string // optional: workload, inbox, third-party
	// WriteKind is "rate" (bytes per second) or "bytes" (bytes written in
	// the interval ending at the row's time); "" decides from the write
	// column's name.
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
	// bytesOnly: the write column holds bytes per interval, not a rate.
	bytesOnly bool
	// decimalComma: numbers may use a comma as the decimal mark (a
	// semicolon-separated file).
	decimalComma bool
	// mapping says which column was read as what, for the output.
	mapping []string
	path    string
	sep     byte
}

// Column names recognised without flags, case-insensitive and ignoring
// spaces, underscores and hyphens: what Excel exports, PowerShell
// (Get-Process, Get-Counter), Resource Monitor and common tools call them.
var (
	timeNames    = []string{"Timestamp", "Time", "DateTime", "Date Time", "Date/Time", "TimeStamp (UTC)", "Time Stamp", "When", "SampleTime"}
	processNames = []string{"Process", "ProcessName", "Process Name", "Image", "ImageName", "Image Name", "Name", "Executable"}
	pidNames     = []string{"PID", "ProcessId", "Process ID", "Id", "ID Process"}
	writeRates   = []string{"WriteBytesPerSec", "Write Bytes/sec", "Write B/sec", "Write Bytes per sec", "WriteBytesPerSecond", "IO Write Bytes/sec", "Disk Write Bytes/sec", "WriteRate", "Write (B/sec)", "Writes B/s"}
	writeBytes   = []string{"WriteBytes", "BytesWritten", "Bytes Written", "Write Bytes", "WrittenBytes", "Written"}
	readRates    = []string{"ReadBytesPerSec", "Read Bytes/sec", "Read B/sec", "Read Bytes per sec", "ReadBytesPerSecond", "IO Read Bytes/sec", "Disk Read Bytes/sec", "ReadRate", "Read (B/sec)"}
	readBytes    = []string{"ReadBytes", "BytesRead", "Bytes Read", "Read Bytes"}
)

// normName folds a header for matching: lower case, without spaces,
// underscores, hyphens and dots.
func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case ' ', '_', '-', '.':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// findAlias is the first header column named like one of names (in the
// order of names), or -1.
func findAlias(header []string, names []string) int {
	for _, n := range names {
		want := normName(n)
		for i, h := range header {
			if normName(h) == want {
				return i
			}
		}
	}
	return -1
}

func findColumn(header []string, spec string, flag string) (int, error) {
	if n, err := strconv.Atoi(spec); err == nil {
		if n < 1 || n > len(header) {
			return -1, fmt.Errorf("%s %d: the header has %d columns", flag, n, len(header))
		}
		return n - 1, nil
	}
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), spec) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("%w %q: name the column with %s (the header has: %s)", ErrMissingColumn, spec, flag, headerText(header))
}

// pick finds a column by the flag's value when given, else by the names a
// user's CSV usually has; required columns not found are an error saying
// which flag names them.
func pick(header []string, spec string, names []string, required bool, flag, what string) (int, error) {
	if spec != "" {
		return findColumn(header, spec, flag)
	}
	i := findAlias(header, names)
	if i < 0 && required {
		return -1, fmt.Errorf("%w: no %s column (%s...); name it with %s (the header has: %s)", ErrMissingColumn, what,
			strings.Join(names[:min(3, len(names))], ", "), flag, headerText(header))
	}
	return i, nil
}

func newGenericParser(header []string, m ColumnMap, tp *timeParser, path string, sep byte) (*genericParser, error) {
	p := &genericParser{tp: tp, names: interner{}, path: path, sep: sep, decimalComma: sep == ';'}
	var err error
	if p.time, err = pick(header, m.Time, timeNames, true, "--time-col", "time"); err != nil {
		return nil, err
	}
	if p.proc, err = pick(header, m.Process, processNames, true, "--process-col", "process name"); err != nil {
		return nil, err
	}
	if p.pid, err = pick(header, m.PID, pidNames, false, "--pid-col", "PID"); err != nil {
		return nil, err
	}
	// The write column: given, or found by name; its name says whether it
	// holds a rate or bytes unless --write-kind says so.
	kind := m.WriteKind
	switch {
	case m.Write != "":
		if p.write, err = findColumn(header, m.Write, "--write-col"); err != nil {
			return nil, err
		}
		if kind == "" {
			kind = "rate"
			if findAlias([]string{header[p.write]}, writeBytes) == 0 {
				kind = "bytes"
			}
		}
	default:
		rate, bytes := findAlias(header, writeRates), findAlias(header, writeBytes)
		switch {
		case kind == "bytes" && bytes >= 0, kind == "" && rate < 0 && bytes >= 0:
			p.write, kind = bytes, "bytes"
		case kind != "bytes" && rate >= 0:
			p.write, kind = rate, "rate"
		default:
			return nil, fmt.Errorf("%w: no write column (WriteBytesPerSec, WriteBytes...); name it with --write-col, and --write-kind rate or bytes (the header has: %s)",
				ErrMissingColumn, headerText(header))
		}
	}
	p.bytesOnly = kind == "bytes"
	p.read = -1
	if m.Read != "" {
		if p.read, err = findColumn(header, m.Read, "--read-col"); err != nil {
			return nil, err
		}
	} else if p.bytesOnly {
		p.read = findAlias(header, readBytes)
	} else {
		p.read = findAlias(header, readRates)
	}
	if p.cl, err = pick(header, m.Class, []string{"Class"}, false, "--class-col", "class"); err != nil {
		return nil, err
	}
	p.writeName = header[p.write]
	if p.read >= 0 {
		p.readName = header[p.read]
	}
	p.mapping = []string{fmt.Sprintf("time from %q", header[p.time]), fmt.Sprintf("process from %q", header[p.proc])}
	if p.pid >= 0 {
		p.mapping = append(p.mapping, fmt.Sprintf("PID from %q", header[p.pid]))
	} else {
		p.mapping = append(p.mapping, "no PID column")
	}
	unit := "bytes per second"
	if p.bytesOnly {
		unit = "bytes per interval"
	}
	p.mapping = append(p.mapping, fmt.Sprintf("writes from %q (%s)", p.writeName, unit))
	if p.read >= 0 {
		p.mapping = append(p.mapping, fmt.Sprintf("reads from %q", p.readName))
	}
	if p.cl >= 0 {
		p.mapping = append(p.mapping, fmt.Sprintf("class from %q", header[p.cl]))
	}
	return p, nil
}

// note is the mapping used, one line for the output.
func (p *genericParser) note() string {
	sep := "comma-separated"
	if p.sep == ';' {
		sep = "semicolon-separated, decimal comma accepted"
	}
	tf := ""
	if p.tp.name != "" {
		tf = " (" + p.tp.name + ")"
	}
	m := append([]string(nil), p.mapping...)
	m[0] += tf
	return fmt.Sprintf("Generic CSV %s, %s: %s.", filepath.Base(p.path), sep, strings.Join(m, ", "))
}

// num reads a number, with a decimal comma in a semicolon-separated file.
func (p *genericParser) num(b []byte) (float64, error) {
	if p.decimalComma && bytes.IndexByte(b, ',') >= 0 && bytes.IndexByte(b, '.') < 0 {
		b = bytes.Replace(b, []byte{','}, []byte{'.'}, 1)
	}
	return parseNum(b)
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
	w, err := p.num(f[p.write])
	if err != nil {
		return t, colErr(p.writeName, err)
	}
	var rd float64
	if p.read >= 0 {
		if rd, err = p.num(f[p.read]); err != nil {
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
