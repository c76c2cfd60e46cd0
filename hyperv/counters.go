package hyperv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Series is one counter over time from a performance-counter CSV
// (Export-Counter -FileFormat CSV, or relog -f csv): object, instance and
// counter as the column header names them, e.g. Hyper-V Replica VM /
// SQL01 / Last Replication Size.
type Series struct {
	Object, Instance, Counter string
	Points                    []Point
}

// Point is one sample of a Series.
type Point struct {
	T time.Time
	V float64
}

// ReplicaCounterObject is the performance-counter object of Hyper-V
// Replica's per-VM counters (instance = VM name): Average Replication
// Latency, Average Replication Size, Compression Efficiency, Last
// Replication Size, Network Bytes Recv, Network Bytes Sent, Replication
// Count, Replication Latency, Resynchronized Bytes (names from an unmerged
// windows_exporter collector; units not documented).
const ReplicaCounterObject = "Hyper-V Replica VM"

// MaxCounterColumns bounds the columns read from one counter CSV.
const MaxCounterColumns = 4096

// parseCounterCSV reads the PDH CSV format: a header whose first cell
// starts with "(PDH-CSV 4.0)" and whose other cells are counter paths
// (\\HOST\Object(Instance)\Counter), then one row per sample with the
// time first ("12/06/2026 09:00:00.000", month first) and values, blank
// when a sample is missing.
func parseCounterCSV(data []byte) ([]Series, error) {
	return readCounterCSV(bytes.NewReader(stripBOM(data)))
}

// MaxCounterPoints bounds the samples kept from one counter CSV (all its
// columns together): Get-Counter's 30 samples of a few thousand counters
// are far below it, and 32 bytes a sample keep a hostile file's cost to
// tens of MB instead of half a gigabyte.
const MaxCounterPoints = 1 << 20

// maxCounterLine bounds one line of a counter CSV (a header of
// MaxCounterColumns paths is under 1 MiB).
const maxCounterLine = 4 << 20

// readCounterCSV is parseCounterCSV reading a stream.
func readCounterCSV(in io.Reader) ([]Series, error) {
	r := csv.NewReader(&lineLimit{r: in, max: maxCounterLine})
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("counter CSV: %v", oneLine(err.Error()))
	}
	if len(head) == 0 || !strings.HasPrefix(strings.TrimSpace(head[0]), "(PDH-CSV") {
		return nil, errors.New("counter CSV: the first cell is not (PDH-CSV 4.0): save it with Export-Counter -FileFormat CSV")
	}
	if len(head) > MaxCounterColumns+1 {
		return nil, fmt.Errorf("counter CSV has %d columns, more than the %d read: save only the Hyper-V Replica VM counters", len(head)-1, MaxCounterColumns)
	}
	series := make([]Series, len(head)-1)
	for i, h := range head[1:] {
		series[i].Object, series[i].Instance, series[i].Counter = splitCounterPath(h)
	}
	line, points := 1, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("counter CSV line %d: %v", line, oneLine(err.Error()))
		}
		if len(rec) == 0 || strings.TrimSpace(rec[0]) == "" {
			continue
		}
		t, err := parsePDHTime(rec[0])
		if err != nil {
			return nil, fmt.Errorf("counter CSV line %d: time %s is not month/day/year hours:minutes:seconds", line, quoteCut(rec[0], 40))
		}
		for i := 1; i < len(rec) && i <= len(series); i++ {
			v := strings.TrimSpace(rec[i])
			if v == "" {
				continue
			}
			// The counters read are sizes, rates, counts and latencies:
			// a negative, infinite or absurd value (over 10^18) is a
			// damaged cell, left out like a blank one rather than
			// summed into an average.
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f != f || f < 0 || f > 1e18 {
				continue
			}
			if points++; points > MaxCounterPoints {
				return nil, fmt.Errorf("counter CSV holds more than %d samples: save fewer counters or samples (-MaxSamples)", MaxCounterPoints)
			}
			series[i-1].Points = append(series[i-1].Points, Point{T: t, V: f})
		}
	}
	return series, nil
}

// lineLimit fails a read once a line grows past max bytes, so that one
// endless line (a file that is not a counter CSV) is refused instead of
// being buffered whole by the CSV reader.
type lineLimit struct {
	r   io.Reader
	max int
	cur int
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			l.cur = 0
		} else if l.cur++; l.cur > l.max {
			return 0, fmt.Errorf("a line is longer than %d MiB", l.max>>20)
		}
	}
	return n, err
}

// splitCounterPath splits \\HOST\Object(Instance)\Counter.
func splitCounterPath(p string) (object, instance, counter string) {
	p = strings.TrimSpace(p)
	p = strings.TrimPrefix(p, `\\`)
	if i := strings.Index(p, `\`); i >= 0 {
		p = p[i+1:] // drop the host
	}
	j := strings.LastIndex(p, `\`)
	if j < 0 {
		return p, "", ""
	}
	object, counter = p[:j], p[j+1:]
	if open := strings.Index(object, "("); open >= 0 && strings.HasSuffix(object, ")") {
		instance = object[open+1 : len(object)-1]
		object = object[:open]
	}
	return object, instance, counter
}

func parsePDHTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var last error
	for _, l := range []string{"01/02/2006 15:04:05.000", "01/02/2006 15:04:05", "1/2/2006 15:04:05.000", "1/2/2006 15:04:05"} {
		t, err := time.Parse(l, s)
		if err == nil {
			return t, nil
		}
		last = err
	}
	return time.Time{}, last
}
