// Package synth writes synthetic recordings in hvrdoctor's recording format
// (HVRStats-N.csv, ProcStats-N.csv, FileStats-N.csv) from a scenario: which
// processes write how much to which files, and when. Tests and benchmarks
// use it for fixtures with exactly known numbers; training walkthroughs can
// use it for reproducible incident recordings.
package synth

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// FileRate is one file a process writes, at Rate(t) bytes per second.
type FileRate struct {
	Path string
	Rate func(t time.Time) int64
}

// Process is one scripted writer. Its write rate is the sum of its files'
// rates; a process with no file writes nothing.
type Process struct {
	Name  string
	PID   int32
	Start int64
	Class sampler.Class
	Files []FileRate
}

// Scenario is a recording to write: samples at Start+Interval, ...,
// Start+Duration-Interval... precisely Samples samples, the first at Start.
type Scenario struct {
	Start    time.Time
	Interval time.Duration
	Samples  int
	Disk     string // disk name for the HVRStats per-disk columns
	// NoFiles leaves out FileStats (only the per-process recording).
	NoFiles   bool
	Processes []Process
	// Host is the Host column of HVRStats ("" writes an empty cell).
	Host string
	// Legacy writes the format of recordings made before the Sample and
	// Host columns existed.
	Legacy bool
	// FileSkew shifts FileStats' timestamps from the sample's (the
	// recorder writes FileStats a few milliseconds after the other two).
	FileSkew time.Duration
}

// Paths are the files Write created.
type Paths struct{ HVRStats, ProcStats, FileStats string }

// rateAt is the process's write rate at t.
func (p *Process) rateAt(t time.Time) int64 {
	var r int64
	for _, f := range p.Files {
		r += f.Rate(t)
	}
	return r
}

const stamp = "2006-01-02T15:04:05.000Z07:00"

// Write writes the scenario as recording number n in dir. Every process
// row has a rate that is an exact integer, so bytes per sample are
// rate x interval exactly.
func Write(dir string, n int, sc Scenario) (Paths, error) {
	p := Paths{
		HVRStats:  filepath.Join(dir, fmt.Sprintf("HVRStats-%d.csv", n)),
		ProcStats: filepath.Join(dir, fmt.Sprintf("ProcStats-%d.csv", n)),
	}
	if !sc.NoFiles {
		p.FileStats = filepath.Join(dir, fmt.Sprintf("FileStats-%d.csv", n))
	}
	disk := sc.Disk
	if disk == "" {
		disk = "sda"
	}
	type out struct {
		f *os.File
		w *bufio.Writer
	}
	open := func(path, header string) (out, error) {
		f, err := os.Create(path)
		if err != nil {
			return out{}, fmt.Errorf("synth: %w", err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		w.WriteString(header + "\n")
		return out{f, w}, nil
	}
	hvrTail, seqTail := ",Sample,Host", ",Sample"
	if sc.Legacy {
		hvrTail, seqTail = "", ""
	}
	hvr, err := open(p.HVRStats, fmt.Sprintf("Timestamp,HourMinute,IntervalSeconds,TotalWriteBytesPerSec,TotalReadBytesPerSec,%s.WriteBytesPerSec,%s.ReadBytesPerSec%s", disk, disk, hvrTail))
	if err != nil {
		return p, err
	}
	proc, err := open(p.ProcStats, "Timestamp,HourMinute,Process,PID,Class,WriteBytesPerSec,ReadBytesPerSec,WriteBytesTotal,ReadBytesTotal,ProcessStart"+seqTail)
	if err != nil {
		return p, err
	}
	outs := []out{hvr, proc}
	var files out
	if !sc.NoFiles {
		if files, err = open(p.FileStats, "Timestamp,HourMinute,Process,PID,File,WriteBytesPerSec,ReadBytesPerSec,WriteBytes,ReadBytes"+seqTail); err != nil {
			return p, err
		}
		outs = append(outs, files)
	}
	totals := make([]int64, len(sc.Processes))
	sec := sc.Interval.Seconds()
	isec := int64(sc.Interval / time.Second)
	exactSec := sc.Interval%time.Second == 0
	var buf []byte
	for i := 0; i < sc.Samples; i++ {
		t := sc.Start.Add(time.Duration(i) * sc.Interval)
		ts := t.Format(stamp)
		hm := t.Format("15:04")
		fts, fhm := t.Add(sc.FileSkew).Format(stamp), t.Add(sc.FileSkew).Format("15:04")
		seq := ""
		if !sc.Legacy {
			seq = "," + strconv.Itoa(i+1)
		}
		var sum int64
		for j := range sc.Processes {
			pr := &sc.Processes[j]
			r := pr.rateAt(t)
			if r <= 0 {
				continue
			}
			bytes := int64(float64(r) * sec)
			if exactSec {
				bytes = r * isec
			}
			totals[j] += bytes
			sum += r
			buf = buf[:0]
			buf = append(buf, ts...)
			buf = append(buf, ',')
			buf = append(buf, hm...)
			buf = append(buf, ',')
			buf = appendCSV(buf, pr.Name)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, int64(pr.PID), 10)
			buf = append(buf, ',')
			buf = append(buf, pr.Class...)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, r, 10)
			buf = append(buf, ",0,"...)
			buf = strconv.AppendInt(buf, totals[j], 10)
			buf = append(buf, ",0,"...)
			buf = strconv.AppendInt(buf, pr.Start, 10)
			buf = append(buf, seq...)
			buf = append(buf, '\n')
			proc.w.Write(buf)
			if sc.NoFiles {
				continue
			}
			for _, f := range pr.Files {
				fr := f.Rate(t)
				if fr <= 0 {
					continue
				}
				fb := int64(float64(fr) * sec)
				if exactSec {
					fb = fr * isec
				}
				fmt.Fprintf(files.w, "%s,%s,%s,%d,%s,%d,0,%d,0%s\n", fts, fhm, csvField(pr.Name), pr.PID, csvField(f.Path), fr, fb, seq)
			}
		}
		host := ""
		if !sc.Legacy {
			host = "," + csvField(sc.Host)
		}
		fmt.Fprintf(hvr.w, "%s,%s,%.3f,%d,0,%d,0%s%s\n", ts, hm, sec, sum, sum, seq, host)
	}
	for _, o := range outs {
		if err := o.w.Flush(); err != nil {
			return p, fmt.Errorf("synth: %w", err)
		}
		if err := o.f.Close(); err != nil {
			return p, fmt.Errorf("synth: %w", err)
		}
	}
	return p, nil
}

// csvField quotes a field when RFC 4180 requires it.
func csvField(s string) string { return string(appendCSV(nil, s)) }

func appendCSV(b []byte, s string) []byte {
	need := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			need = true
			break
		}
	}
	if !need {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
