package analysis

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// The columns of hvrdoctor's recordings (see sampler's recorder).
var (
	hvrColumns  = []string{"Timestamp", "HourMinute", "IntervalSeconds", "TotalWriteBytesPerSec", "TotalReadBytesPerSec"}
	procColumns = []string{"Timestamp", "HourMinute", "Process", "PID", "Class", "WriteBytesPerSec", "ReadBytesPerSec", "WriteBytesTotal", "ReadBytesTotal", "ProcessStart"}
	fileColumns = []string{"Timestamp", "HourMinute", "Process", "PID", "File", "WriteBytesPerSec", "ReadBytesPerSec", "WriteBytes", "ReadBytes"}
)

// columnIndex finds each wanted column in header (case-insensitive) and
// returns their indexes in order, or an error listing the missing ones.
func columnIndex(header []string, want []string) ([]int, error) {
	idx := make([]int, len(want))
	var missing []string
	for i, w := range want {
		idx[i] = -1
		for j, h := range header {
			if strings.EqualFold(h, w) {
				idx[i] = j
				break
			}
		}
		if idx[i] < 0 {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w %s (the header has: %s)", ErrMissingColumn, strings.Join(missing, ", "), headerText(header))
	}
	return idx, nil
}

// optionalColumn is the index of a column the header may have (newer
// recordings add Sample and Host), or -1.
func optionalColumn(header []string, name string) int {
	for j, h := range header {
		if strings.EqualFold(h, name) {
			return j
		}
	}
	return -1
}

// parseSeq reads the optional Sample column into out.Seq.
func parseSeq(f [][]byte, col int, out *Sample) error {
	if col < 0 {
		return nil
	}
	n, err := parseUint(f[col])
	if err != nil {
		return colErr("Sample", err)
	}
	out.Seq = int64(n)
	return nil
}

// colErr names the column a bad value was in.
func colErr(col string, err error) error { return fmt.Errorf("column %s: %w", col, err) }

// hvrParser reads HVRStats rows: disk totals, one row per sample.
type hvrParser struct {
	tp        *timeParser
	idx       []int
	disks     []diskCols
	seq, host int // optional Sample and Host columns, -1 when absent
	hosts     interner
	// missing are the disk time columns the header lacks, by name.
	missing []string
}

type diskCols struct {
	name     string
	write, r int
	// active, queue and resp are the disk time columns of newer
	// recordings (sampler.DiskActiveSuffix...), -1 when absent.
	active, queue, resp int
}

func newHVRParser(header []string, tp *timeParser) (*hvrParser, error) {
	idx, err := columnIndex(header, hvrColumns)
	if err != nil {
		return nil, err
	}
	p := &hvrParser{tp: tp, idx: idx, seq: optionalColumn(header, "Sample"), host: optionalColumn(header, "Host"), hosts: interner{}}
	for i, h := range header {
		name, ok := strings.CutSuffix(h, ".WriteBytesPerSec")
		if !ok {
			continue
		}
		rd := -1
		for j, h2 := range header {
			if h2 == name+".ReadBytesPerSec" {
				rd = j
			}
		}
		p.disks = append(p.disks, diskCols{name: textsafe.Clean(name), write: i, r: rd,
			active: optionalColumn(header, name+sampler.DiskActiveSuffix),
			queue:  optionalColumn(header, name+sampler.DiskQueueSuffix),
			resp:   optionalColumn(header, name+sampler.DiskResponseSuffix)})
		for _, suffix := range []string{sampler.DiskActiveSuffix, sampler.DiskQueueSuffix, sampler.DiskResponseSuffix} {
			if optionalColumn(header, name+suffix) < 0 {
				p.missing = append(p.missing, name+suffix)
			}
		}
	}
	return p, nil
}

// missingColumns are the disk time columns (sampler.DiskActiveSuffix...)
// the header lacks for its disks: an older recording has none.
func (p *hvrParser) missingColumns() []string { return p.missing }

func (p *hvrParser) parseRow(f [][]byte, out *Sample) (time.Time, error) {
	t, err := p.tp.parse(f[p.idx[0]])
	if err != nil {
		return t, colErr("Timestamp", err)
	}
	iv, err := parseNum(f[p.idx[2]])
	if err != nil {
		return t, colErr("IntervalSeconds", err)
	}
	w, err := parseNum(f[p.idx[3]])
	if err != nil {
		return t, colErr("TotalWriteBytesPerSec", err)
	}
	rd, err := parseNum(f[p.idx[4]])
	if err != nil {
		return t, colErr("TotalReadBytesPerSec", err)
	}
	if err := parseSeq(f, p.seq, out); err != nil {
		return t, err
	}
	if p.host >= 0 {
		out.Host = p.hosts.get(sampler.UnguardCellBytes(bytes.TrimSpace(f[p.host])))
	}
	out.Elapsed = time.Duration(iv * float64(time.Second))
	out.HasDisks = true
	out.DiskWriteRate, out.DiskReadRate = w, rd
	for _, d := range p.disks {
		dw, err := parseNum(f[d.write])
		if err != nil {
			return t, colErr(d.name+".WriteBytesPerSec", err)
		}
		var dr float64
		if d.r >= 0 {
			if dr, err = parseNum(f[d.r]); err != nil {
				return t, colErr(d.name+".ReadBytesPerSec", err)
			}
		}
		dk := sampler.DiskRates{Name: d.name, WriteRate: dw, ReadRate: dr}
		if err := parseDiskTimes(f, d, &dk); err != nil {
			return t, err
		}
		out.Disks = append(out.Disks, dk)
	}
	return t, nil
}

// maxDiskTime bounds a recorded queue length and response time (ms): a
// million is past any disk (a response of over 16 minutes).
const maxDiskTime = 1e6

// parseDiskTimes reads a disk's time columns when the recording has them
// and the cells are not empty (a source that does not measure them).
func parseDiskTimes(f [][]byte, d diskCols, out *sampler.DiskRates) error {
	if d.active < 0 || d.queue < 0 || d.resp < 0 || len(bytes.TrimSpace(f[d.active])) == 0 {
		return nil
	}
	cols := []struct {
		i      int
		suffix string
		v      *float64
	}{{d.active, sampler.DiskActiveSuffix, &out.ActivePercent}, {d.queue, sampler.DiskQueueSuffix, &out.QueueLength},
		{d.resp, sampler.DiskResponseSuffix, &out.ResponseMs}}
	for _, c := range cols {
		v, err := parseNum(f[c.i])
		if err != nil {
			return colErr(d.name+c.suffix, err)
		}
		*c.v = v
	}
	// A busy share over 100% (a little over is rounding) or a queue or
	// response time past any disk's is damage, not a figure to average.
	if out.ActivePercent > 100.5 {
		return colErr(d.name+sampler.DiskActiveSuffix, fmt.Errorf("%g is over 100 (a share of the interval)", out.ActivePercent))
	}
	if out.QueueLength > maxDiskTime {
		return colErr(d.name+sampler.DiskQueueSuffix, fmt.Errorf("%g is not a queue length", out.QueueLength))
	}
	if out.ResponseMs > maxDiskTime {
		return colErr(d.name+sampler.DiskResponseSuffix, fmt.Errorf("%g ms is not a response time", out.ResponseMs))
	}
	out.HasTimes = true
	return nil
}

// procParser reads ProcStats rows: one row per active process per sample.
type procParser struct {
	tp    *timeParser
	idx   []int
	seq   int
	names interner
}

func newProcParser(header []string, tp *timeParser) (*procParser, error) {
	idx, err := columnIndex(header, procColumns)
	if err != nil {
		return nil, err
	}
	return &procParser{tp: tp, idx: idx, seq: optionalColumn(header, "Sample"), names: interner{}}, nil
}

func (p *procParser) parseRow(f [][]byte, out *Sample) (time.Time, error) {
	t, err := p.tp.parse(f[p.idx[0]])
	if err != nil {
		return t, colErr("Timestamp", err)
	}
	if err := parseSeq(f, p.seq, out); err != nil {
		return t, err
	}
	var ps ProcSample
	ps.Name = p.names.get(sampler.UnguardCellBytes(f[p.idx[2]]))
	if ps.PID, err = parsePID(f[p.idx[3]]); err != nil {
		return t, colErr("PID", err)
	}
	if ps.Class, err = parseClass(f[p.idx[4]]); err != nil {
		return t, colErr("Class", err)
	}
	if ps.WriteRate, err = parseNum(f[p.idx[5]]); err != nil {
		return t, colErr("WriteBytesPerSec", err)
	}
	if ps.ReadRate, err = parseNum(f[p.idx[6]]); err != nil {
		return t, colErr("ReadBytesPerSec", err)
	}
	if ps.WriteTotal, err = parseUint(f[p.idx[7]]); err != nil {
		return t, colErr("WriteBytesTotal", err)
	}
	if ps.ReadTotal, err = parseUint(f[p.idx[8]]); err != nil {
		return t, colErr("ReadBytesTotal", err)
	}
	if ps.Start, err = parseInt(f[p.idx[9]]); err != nil {
		return t, colErr("ProcessStart", err)
	}
	ps.HasTotals = true
	out.Procs = append(out.Procs, ps)
	return t, nil
}

// parseClass accepts the three class names; an empty cell is unclassified.
func parseClass(b []byte) (sampler.Class, error) {
	b = bytes.TrimSpace(b)
	switch string(b) { // compiled without allocating
	case string(sampler.ClassWorkload):
		return sampler.ClassWorkload, nil
	case string(sampler.ClassInbox):
		return sampler.ClassInbox, nil
	case string(sampler.ClassThirdParty):
		return sampler.ClassThirdParty, nil
	case "":
		return "", nil
	default:
		return "", fmt.Errorf("%q is not workload, inbox or third-party", b)
	}
}

// fileParser reads FileStats rows: one row per active (process, file).
type fileParser struct {
	tp    *timeParser
	idx   []int
	seq   int
	names interner
	paths interner
}

func newFileParser(header []string, tp *timeParser) (*fileParser, error) {
	idx, err := columnIndex(header, fileColumns)
	if err != nil {
		return nil, err
	}
	return &fileParser{tp: tp, idx: idx, seq: optionalColumn(header, "Sample"), names: interner{}, paths: interner{}}, nil
}

func (p *fileParser) parseRow(f [][]byte, out *Sample) (time.Time, error) {
	t, err := p.tp.parse(f[p.idx[0]])
	if err != nil {
		return t, colErr("Timestamp", err)
	}
	if err := parseSeq(f, p.seq, out); err != nil {
		return t, err
	}
	var fs FileSample
	fs.Process = p.names.get(sampler.UnguardCellBytes(f[p.idx[2]]))
	if fs.PID, err = parsePID(f[p.idx[3]]); err != nil {
		return t, colErr("PID", err)
	}
	fs.Path = p.paths.get(sampler.UnguardCellBytes(f[p.idx[4]]))
	if fs.WriteRate, err = parseNum(f[p.idx[5]]); err != nil {
		return t, colErr("WriteBytesPerSec", err)
	}
	if fs.ReadRate, err = parseNum(f[p.idx[6]]); err != nil {
		return t, colErr("ReadBytesPerSec", err)
	}
	if fs.WriteBytes, err = parseNum(f[p.idx[7]]); err != nil {
		return t, colErr("WriteBytes", err)
	}
	if fs.ReadBytes, err = parseNum(f[p.idx[8]]); err != nil {
		return t, colErr("ReadBytes", err)
	}
	out.Files = append(out.Files, fs)
	return t, nil
}
