package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// perDiskFrames are three 2 s block-layer intervals: "both" writes 6 MiB
// to sdb in the first and 2 MiB to sda in each; the journal (a kernel
// row) writes 2 MiB to sdb in the first only and is absent from the later
// frames, as the block layer reports no row for an idle kernel owner.
func perDiskFrames() []sampler.Frame {
	k := sampler.ProcKey{PID: 10, Start: 1}
	journal := sampler.ProcKey{PID: 0, Start: -1}
	var out []sampler.Frame
	var sda, sdb uint64
	for i := range 3 {
		both := sampler.ProcessRates{Key: k, Name: "both", DiskBytes: true, OnDisk: map[string]sampler.DiskIO{"sda": {WriteBytes: 2 << 20}}}
		sda += 2 << 20
		w := uint64(2 << 20)
		if i == 0 {
			both.OnDisk["sdb"] = sampler.DiskIO{WriteBytes: 6 << 20}
			sdb += 6 << 20
			w += 6 << 20
		}
		both.WriteRate = float64(w) / 2
		both.WrittenOnDisk = map[string]uint64{"sda": sda, "sdb": sdb}
		both.WriteTotal = sda + sdb
		f := sampler.Frame{Time: sceneStart.Add(time.Duration(2*(i+1)) * time.Second), Elapsed: 2 * time.Second, DiskBytes: true,
			Processes: []sampler.ProcessRates{both}}
		if i == 0 {
			f.Processes = append(f.Processes, sampler.ProcessRates{Key: journal, Name: "(fs journal)", Kernel: true, DiskBytes: true,
				WriteRate: 1 << 20, WriteTotal: 2 << 20, OnDisk: map[string]sampler.DiskIO{"sdb": {WriteBytes: 2 << 20}},
				WrittenOnDisk: map[string]uint64{"sdb": 2 << 20}})
		}
		out = append(out, f)
	}
	return out
}

func showFrame(p *samplerPane, f sampler.Frame) {
	p.frame = f
	p.noteActivity(f)
	p.noteAverage(f)
	p.refreshRows()
}

func rowsByName(rows []sampler.ProcessRates) map[string]sampler.ProcessRates {
	got := map[string]sampler.ProcessRates{}
	for _, r := range rows {
		got[r.Name] = r
	}
	return got
}

// A list limited to one disk shows that disk's Written, not the row's
// total over all disks; with the 1-minute averages on (m) it averages
// that disk's bytes over the minute and keeps the rows that had requests
// on it earlier in the minute (the journal, idle and absent from the last
// frame), and the title no longer says "(last interval)".
func TestLimitedListWrittenAndAveragesAreThatDisks(t *testing.T) {
	p := &samplerPane{ctx: &Context{Theme: views.NewTheme(true), Disk: "sdb"}, tableH: 10, lastActive: map[sampler.ProcKey]time.Time{}}
	frames := perDiskFrames()
	showFrame(p, frames[0])
	got := rowsByName(p.rows)
	if got["both"].WriteTotal != 6<<20 || got["(fs journal)"].WriteTotal != 2<<20 {
		t.Errorf("on sdb after one interval: Written both %d, journal %d; want sdb's 6 MiB and 2 MiB", got["both"].WriteTotal, got["(fs journal)"].WriteTotal)
	}
	showFrame(p, frames[1])
	showFrame(p, frames[2])
	// Last interval: nobody wrote to sdb.
	if len(p.rows) != 0 {
		t.Errorf("on sdb, last interval: rows %v; want none (no requests on sdb)", rowsByName(p.rows))
	}
	p.ctx.Average = true
	p.refreshRows()
	got = rowsByName(p.rows)
	// 6 MiB and 2 MiB over the 6 s of the window.
	if b, j := got["both"], got["(fs journal)"]; len(p.rows) != 2 || b.WriteRate != float64(6<<20)/6 || j.WriteRate != float64(2<<20)/6 {
		t.Errorf("on sdb, 1-minute averages: rows %+v; want both at 1 MiB/s and the journal at 341 KiB/s", got)
	}
	if b := got["both"]; b.WriteTotal != 6<<20 {
		t.Errorf("on sdb, averaged: both's Written %d, want sdb's 6 MiB (not the 12 MiB on all disks)", b.WriteTotal)
	}
	if title := ansi.Strip(p.tableTitle()); !strings.Contains(title, "on sdb |") || strings.Contains(title, "last interval") {
		t.Errorf("averaged title %q; want on sdb, averaged like the rest", title)
	}
	// All disks, averaged: both's 12 MiB over 6 s.
	p.ctx.Disk = ""
	p.refreshRows()
	if b := rowsByName(p.rows)["both"]; b.WriteRate != float64(12<<20)/6 || b.WriteTotal != 12<<20 {
		t.Errorf("all disks, averaged: both %+v; want 2 MiB/s and Written 12 MiB", b)
	}
}

// A kernel row that was busy a moment ago stays listed, idle, when the
// next frame does not carry it (it does not blink out between intervals),
// as idle processes do; a process row that leaves the frame is listed as
// exited. Past activeSpan both go.
func TestRowsLeavingTheFrameLingerIdle(t *testing.T) {
	p := &samplerPane{ctx: &Context{Theme: views.NewTheme(true)}, tableH: 10, activeOnly: true, lastActive: map[sampler.ProcKey]time.Time{}}
	frames := perDiskFrames()
	first := frames[0]
	first.Processes = append(first.Processes, sampler.ProcessRates{Key: sampler.ProcKey{PID: 77, Start: 5}, Name: "dd", WriteRate: 1 << 20, DiskBytes: true})
	showFrame(p, first)
	showFrame(p, frames[1])
	got := rowsByName(p.rows)
	j, ok := got["(fs journal)"]
	if !ok || j.WriteRate != 0 || j.Exited || j.WriteTotal != 2<<20 {
		t.Errorf("journal after an idle interval: %+v (listed %v); want listed at 0 B/s, Written 2 MiB, not exited", j, ok)
	}
	if dd, ok := got["dd"]; !ok || !dd.Exited || dd.WriteRate != 0 {
		t.Errorf("dd after leaving the frame: %+v (listed %v); want listed as exited at 0 B/s", dd, ok)
	}
	late := frames[2]
	late.Time = first.Time.Add(activeSpan + 2*time.Second)
	showFrame(p, late)
	got = rowsByName(p.rows)
	if _, ok := got["(fs journal)"]; ok {
		t.Errorf("journal still listed %v after activeSpan idle", activeSpan)
	}
	if _, ok := got["dd"]; ok {
		t.Errorf("dd still listed %v after it exited", activeSpan)
	}
}

// The Files tab's Disk/s column is averaged with m too, in all and on one
// disk: a file written to sdb in one 2 s interval of three shows a third
// of its rate.
func TestFilesDiskColumnAveraged(t *testing.T) {
	key := fileio.FileKey{Proc: sampler.ProcKey{PID: 10, Start: 1}, Path: "/data/f"}
	p := &filesPane{ctx: &Context{}, hist: newFileHistory()}
	p.hist.disk, p.hist.elapsed = true, 2*time.Second
	for i := range 3 {
		iv := fileio.Interval{Time: sceneStart.Add(time.Duration(2*(i+1)) * time.Second), Elapsed: 2 * time.Second}
		if i == 0 {
			iv.Files = []fileio.FileActivity{{Key: key, Name: "both", WriteBytes: 6 << 20, DiskWriteBytes: 6 << 20,
				OnDisk: map[string]sampler.DiskIO{"sdb": {WriteBytes: 6 << 20}}}}
		}
		p.noteAverage(iv)
	}
	row := func() []views.FileTableRow {
		return []views.FileTableRow{{Key: key, Name: "both", DiskKnown: true}}
	}
	p.ctx.Average = true
	rows := row()
	p.averaged(rows)
	if rows[0].DiskRate != 1<<20 || rows[0].WriteRate != 1<<20 {
		t.Errorf("averaged: Disk/s %v, Write/s %v; want 1 MiB/s both (6 MiB over 6 s)", rows[0].DiskRate, rows[0].WriteRate)
	}
	got, ok := p.onDiskFiles(row(), "sdb")
	if !ok || len(got) != 1 || got[0].DiskRate != 1<<20 {
		t.Errorf("averaged on sdb: %+v (limited %v); want the file at 1 MiB/s", got, ok)
	}
	if got, _ := p.onDiskFiles(row(), "sda"); len(got) != 0 {
		t.Errorf("averaged on sda: %+v; want none (no requests on sda)", got)
	}
	p.ctx.Average = false
	if got, _ := p.onDiskFiles(row(), "sdb"); len(got) != 0 {
		t.Errorf("last interval on sdb: %+v; want none (idle in the last interval)", got)
	}
}
