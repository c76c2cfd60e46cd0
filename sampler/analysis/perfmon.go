package analysis

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// perfmon exports (relog -f csv, or Performance Monitor's "save as CSV")
// are wide: the first column is the time, headed "(PDH-CSV 4.0) (zone)(bias)",
// and every other column is one counter instance, headed by its full path
// "\\HOST\Process(sqlservr)\IO Write Bytes/sec". Missing values are a single
// space. Counter names are the English ones (relog on a localized Windows
// writes localized names, which this reader does not know).

// isPerfmonHeader reports whether a header is a PDH-CSV header.
func isPerfmonHeader(h []string) bool {
	return len(h) > 1 && strings.HasPrefix(h[0], "(PDH-CSV")
}

// counterPath is one parsed "\\HOST\Object(Instance)\Counter" header.
type counterPath struct {
	object, instance, counter string
}

// parseCounterPath splits a perfmon counter path; ok is false for anything
// that is not one.
func parseCounterPath(s string) (counterPath, bool) {
	s = strings.TrimPrefix(s, `\\`)
	if i := strings.IndexByte(s, '\\'); i >= 0 {
		s = s[i+1:] // drop the host
	} else {
		return counterPath{}, false
	}
	i := strings.LastIndexByte(s, '\\')
	if i < 0 {
		return counterPath{}, false
	}
	objInst, counter := s[:i], s[i+1:]
	c := counterPath{object: objInst, counter: counter}
	if open := strings.IndexByte(objInst, '('); open >= 0 && strings.HasSuffix(objInst, ")") {
		c.object = objInst[:open]
		c.instance = objInst[open+1 : len(objInst)-1]
	}
	return c, true
}

type perfmonProc struct {
	name             string
	write, read, pid int
}

// perfmonParser reads the wide format: one row per sample, one process per
// instance of \Process(*)\IO Write Bytes/sec.
type perfmonParser struct {
	tp    *timeParser
	procs []perfmonProc
	// Disk columns: \PhysicalDisk(_Total) when present, else each instance.
	diskTotalW, diskTotalR int
	disks                  []diskCols
}

func newPerfmonParser(header []string, tp *timeParser) (*perfmonParser, error) {
	p := &perfmonParser{tp: tp, diskTotalW: -1, diskTotalR: -1}
	procIdx := map[string]int{}
	diskIdx := map[string]int{}
	for i, h := range header[1:] {
		col := i + 1
		c, ok := parseCounterPath(h)
		if !ok {
			continue
		}
		switch strings.ToLower(c.object) {
		case "process":
			if c.instance == "" || strings.EqualFold(c.instance, "_Total") || strings.EqualFold(c.instance, "Idle") {
				continue
			}
			j, seen := procIdx[c.instance]
			if !seen {
				j = len(p.procs)
				procIdx[c.instance] = j
				p.procs = append(p.procs, perfmonProc{name: textsafe.Clean(c.instance), write: -1, read: -1, pid: -1})
			}
			switch strings.ToLower(c.counter) {
			case "io write bytes/sec":
				p.procs[j].write = col
			case "io read bytes/sec":
				p.procs[j].read = col
			case "id process":
				p.procs[j].pid = col
			}
		case "physicaldisk":
			counter := strings.ToLower(c.counter)
			if counter != "disk write bytes/sec" && counter != "disk read bytes/sec" {
				continue
			}
			isWrite := counter == "disk write bytes/sec"
			if strings.EqualFold(c.instance, "_Total") {
				if isWrite {
					p.diskTotalW = col
				} else {
					p.diskTotalR = col
				}
				continue
			}
			j, seen := diskIdx[c.instance]
			if !seen {
				j = len(p.disks)
				diskIdx[c.instance] = j
				p.disks = append(p.disks, diskCols{name: textsafe.Clean(c.instance), write: -1, r: -1})
			}
			if isWrite {
				p.disks[j].write = col
			} else {
				p.disks[j].r = col
			}
		}
	}
	// Keep processes that have a write counter; perfmon numbers repeated
	// image names svchost, svchost#1, ...: with an ID Process column the
	// PID tells them apart and the name loses its suffix.
	kept := p.procs[:0]
	for _, pr := range p.procs {
		if pr.write < 0 {
			continue
		}
		if pr.pid >= 0 {
			if i := strings.LastIndexByte(pr.name, '#'); i > 0 {
				pr.name = pr.name[:i]
			}
		}
		kept = append(kept, pr)
	}
	p.procs = kept
	if len(p.procs) == 0 {
		return nil, fmt.Errorf(`%w \Process(*)\IO Write Bytes/sec: export it with relog FILE.blg -f csv -c "\Process(*)\IO Write Bytes/sec" "\Process(*)\ID Process" -o FILE.csv`, ErrMissingColumn)
	}
	return p, nil
}

// blank is perfmon's missing value.
func blank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

func (p *perfmonParser) parseRow(f [][]byte, out *Sample) (time.Time, error) {
	t, err := p.tp.parse(f[0])
	if err != nil {
		return t, err
	}
	// Rate counters have no value in a log's first row: not a sample.
	empty := true
	for _, pr := range p.procs {
		if !blank(f[pr.write]) {
			empty = false
			break
		}
	}
	if empty && (p.diskTotalW < 0 || blank(f[p.diskTotalW])) {
		return t, errNoValues
	}
	for _, pr := range p.procs {
		if blank(f[pr.write]) {
			continue
		}
		w, err := parseNum(f[pr.write])
		if err != nil {
			return t, colErr(fmt.Sprintf(`\Process(%s)\IO Write Bytes/sec`, pr.name), err)
		}
		var rd float64
		if pr.read >= 0 && !blank(f[pr.read]) {
			if rd, err = parseNum(f[pr.read]); err != nil {
				return t, colErr(fmt.Sprintf(`\Process(%s)\IO Read Bytes/sec`, pr.name), err)
			}
		}
		if w == 0 && rd == 0 {
			continue
		}
		ps := ProcSample{Name: pr.name, WriteRate: w, ReadRate: rd}
		if pr.pid >= 0 && !blank(f[pr.pid]) {
			pid, err := parseNum(f[pr.pid])
			if err != nil {
				return t, colErr(fmt.Sprintf(`\Process(%s)\ID Process`, pr.name), err)
			}
			ps.PID = int32(pid)
		}
		out.Procs = append(out.Procs, ps)
	}
	var sumW, sumR float64
	var haveDisk bool
	for _, d := range p.disks {
		var w, rd float64
		if d.write >= 0 && !blank(f[d.write]) {
			if w, err = parseNum(f[d.write]); err != nil {
				return t, colErr(fmt.Sprintf(`\PhysicalDisk(%s)\Disk Write Bytes/sec`, d.name), err)
			}
			haveDisk = true
		}
		if d.r >= 0 && !blank(f[d.r]) {
			if rd, err = parseNum(f[d.r]); err != nil {
				return t, colErr(fmt.Sprintf(`\PhysicalDisk(%s)\Disk Read Bytes/sec`, d.name), err)
			}
		}
		sumW += w
		sumR += rd
		out.Disks = append(out.Disks, sampler.DiskRates{Name: d.name, WriteRate: w, ReadRate: rd})
	}
	if p.diskTotalW >= 0 && !blank(f[p.diskTotalW]) {
		if sumW, err = parseNum(f[p.diskTotalW]); err != nil {
			return t, colErr(`\PhysicalDisk(_Total)\Disk Write Bytes/sec`, err)
		}
		haveDisk = true
		sumR = 0
		if p.diskTotalR >= 0 && !blank(f[p.diskTotalR]) {
			if sumR, err = parseNum(f[p.diskTotalR]); err != nil {
				return t, colErr(`\PhysicalDisk(_Total)\Disk Read Bytes/sec`, err)
			}
		}
	}
	if haveDisk {
		out.HasDisks = true
		out.DiskWriteRate, out.DiskReadRate = sumW, sumR
	}
	return t, nil
}
