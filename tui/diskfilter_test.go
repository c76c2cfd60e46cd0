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

// diskFrame is a block-layer frame: a writer on sda and sdb, one on sdb
// only, one with no requests.
func diskFrame() sampler.Frame {
	k := func(pid int32) sampler.ProcKey { return sampler.ProcKey{PID: pid, Start: 1} }
	return sampler.Frame{Time: sceneStart.Add(2 * time.Second), Elapsed: 2 * time.Second, DiskBytes: true,
		Processes: []sampler.ProcessRates{
			{Key: k(10), Name: "both", WriteRate: 3 << 20, WritebackRate: 3 << 20, DiskBytes: true, OnDisk: map[string]sampler.DiskIO{
				"sda": {WriteBytes: 2 << 20, IONanos: 4e6, IOCount: 2}, "sdb": {WriteBytes: 4 << 20, ReadBytes: 2 << 10, IONanos: 3e6, IOCount: 1}}},
			{Key: k(11), Name: "onlyb", WriteRate: 1 << 20, DiskBytes: true, OnDisk: map[string]sampler.DiskIO{"sdb": {WriteBytes: 2 << 20}}},
			{Key: k(12), Name: "idle", ReadRate: 100, DiskBytes: true},
		}}
}

// With the block layer's per-disk split, a disk chosen with D limits the
// Processes list to the processes with requests on it, at that disk's
// figures, and the title says "on sdb"; all disks list every process.
func TestProcessesLimitedToOneDisk(t *testing.T) {
	p := &samplerPane{ctx: &Context{Theme: views.NewTheme(true)}, tableH: 10, lastActive: map[sampler.ProcKey]time.Time{}}
	p.frame = diskFrame()
	p.refreshRows()
	if len(p.rows) != 3 || strings.Contains(ansi.Strip(p.tableTitle()), "on ") {
		t.Fatalf("all disks: %d rows, title %q; want 3 rows, no disk", len(p.rows), ansi.Strip(p.tableTitle()))
	}
	p.ctx.Disk = "sdb"
	p.refreshRows()
	got := map[string]sampler.ProcessRates{}
	for _, r := range p.rows {
		got[r.Name] = r
	}
	if len(p.rows) != 2 || got["both"].WriteRate != 2<<20 || got["onlyb"].WriteRate != 1<<20 || got["both"].ReadRate != 1<<10 {
		t.Errorf("on sdb: rows %+v; want both at 2 MiB/s written, 1 KiB/s read and onlyb at 1 MiB/s", p.rows)
	}
	if r := got["both"]; r.DiskIOCount != 1 || r.DiskIONanos != 3e6 || r.WritebackRate != 2<<20 {
		t.Errorf("on sdb: both's response %d ns / %d, writeback %v; want sdb's 3 ms over 1 and writeback scaled to 2 MiB/s", r.DiskIONanos, r.DiskIOCount, r.WritebackRate)
	}
	if title := ansi.Strip(p.tableTitle()); !strings.Contains(title, "Processes | on sdb |") {
		t.Errorf("title %q does not say on sdb", title)
	}
	// Without the block layer the list stays on all disks.
	f := diskFrame()
	f.DiskBytes = false
	p.frame = f
	p.refreshRows()
	if len(p.rows) != 3 || strings.Contains(ansi.Strip(p.tableTitle()), "on sdb") {
		t.Errorf("no block layer: %d rows, title %q; want all 3, no disk named", len(p.rows), ansi.Strip(p.tableTitle()))
	}
}

// The Files list limited to a disk keeps the files with requests on it,
// with that disk's Disk/s and ms/req; without the block layer it is not
// limited.
func TestFilesLimitedToOneDisk(t *testing.T) {
	k := func(path string) fileio.FileKey {
		return fileio.FileKey{Proc: sampler.ProcKey{PID: 10, Start: 1}, Path: path}
	}
	rows := func() []views.FileTableRow {
		return []views.FileTableRow{
			{Key: k("/a/f"), Name: "both", DiskKnown: true, DiskRate: 9, OnDisk: map[string]sampler.DiskIO{"sda": {WriteBytes: 4 << 20, IONanos: 2e6, IOCount: 4}}},
			{Key: k("/b/g"), Name: "both", DiskKnown: true, OnDisk: map[string]sampler.DiskIO{"sdb": {WriteBytes: 2 << 20}}},
			{Key: k("/tmp/x"), Name: "both", WriteRate: 100, DiskKnown: true},
		}
	}
	p := &filesPane{ctx: &Context{}, hist: newFileHistory()}
	p.hist.disk, p.hist.elapsed = true, 2*time.Second
	got, ok := p.onDiskFiles(rows(), "sda")
	if !ok || len(got) != 1 || got[0].Key.Path != "/a/f" || got[0].DiskRate != 2<<20 || got[0].DiskIOCount != 4 {
		t.Errorf("on sda: %+v (limited %v); want /a/f alone at 2 MiB/s with its 4 requests", got, ok)
	}
	if got, ok := p.onDiskFiles(rows(), ""); ok || len(got) != 3 {
		t.Errorf("all disks: %d rows, limited %v; want all 3", len(got), ok)
	}
	p.hist.disk = false
	if got, ok := p.onDiskFiles(rows(), "sda"); ok || len(got) != 3 {
		t.Errorf("no block layer: %d rows, limited %v; want all 3", len(got), ok)
	}
	th := views.NewTheme(true)
	if s := ansi.Strip(onDiskTitle("sda", true, th)); s != "on sda | " {
		t.Errorf("title part %q", s)
	}
}

// Without the block layer, D on one disk says the lists stay on all disks.
func TestDiskSelectorSaysListsNeedTheBlockLayer(t *testing.T) {
	m, _ := newSceneModel(t, 10, 120, 40, false)
	start(m)
	step(m, 3)
	press(m, "D")
	press(m, "D")
	if s := strings.Join(screen(m), "\n"); !strings.Contains(s, "lists stay on all disks") {
		t.Errorf("D on sda without the block layer does not say the lists stay on all disks:\n%s", s)
	}
}
