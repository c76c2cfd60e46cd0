package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/storage"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// scriptedStorage is the test double for storage.Sampler: two disks whose
// /proc/diskstats counters advance by fixed amounts each reading (turned
// into rates by the real storage.Delta), and two volumes. The real
// sampler is tested against fio, iostat and df in sampler/storage.
type scriptedStorage struct {
	n    int
	prev []storage.DiskCounters
	last time.Time
}

func (s *scriptedStorage) Sample(now time.Time) (storage.Stats, error) {
	// Per second: sda 900 ms busy, 4000 ms weighted, 200 writes of 64 KiB
	// taking 20 ms each, 10 reads of 4 KiB taking 2 ms; sdb idle but for
	// one write of 4 KiB in 1 ms every reading.
	i := uint64(s.n)
	cur := []storage.DiskCounters{
		{Name: "sda", ReadIOs: 10 * i, ReadSectors: 80 * i, ReadTicks: 20 * i, WriteIOs: 200 * i,
			WriteSectors: 200 * 128 * i, WriteTicks: 4000 * i, InFlight: 4, IOTicks: 900 * i, Weighted: 4020 * i},
		{Name: "sdb", WriteIOs: i, WriteSectors: 8 * i, WriteTicks: i, IOTicks: i, Weighted: i},
	}
	st := storage.Stats{Time: now, Source: "/proc/diskstats, statfs", Volumes: []storage.Volume{
		{Mount: "/", Device: "/dev/sda1", FSType: "ext4", Total: 100 << 30, Available: 37 << 30},
		{Mount: "/var/lib/mssql", Device: "/dev/sdb1", FSType: "xfs", Total: 512 << 30, Available: 3 << 30},
	}}
	if s.prev != nil {
		st.Interval = now.Sub(s.last)
		for j := range cur {
			st.Disks = append(st.Disks, storage.Delta(s.prev[j], cur[j], st.Interval))
		}
	}
	s.prev, s.last = cur, now
	s.n++
	return st, nil
}

func (s *scriptedStorage) Close() error { return nil }

// sceneClock is the scene's time, one second a reading.
type sceneClock struct{ n int }

func (c *sceneClock) Now() time.Time {
	c.n++
	return sceneStart.Add(time.Duration(c.n) * time.Second)
}

// newStorageModel is the scene with the scripted storage at w x h.
func newStorageModel(t testing.TB, n, w, h int) *Model {
	t.Helper()
	e := sceneEngine(t, n)
	m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm", Mode: views.Braille,
		Storage: &scriptedStorage{}, Clock: &sceneClock{}})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// stepStorage takes n samples and a storage reading after each, as the
// program does (run does not follow a sample's commands).
func stepStorage(m *Model, n int) {
	for i := 0; i < n; i++ {
		step(m, 1)
		m.storage.busy = false
		run(m, m.storage.read())
	}
}

func TestStorageGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		w, h int
		keys []string
	}{
		{"80x24_storage_page", 80, 24, []string{"v"}},
		{"200x50_storage_panel", 200, 50, nil},
		{"200x50_averaged_disk_sda", 200, 50, []string{"m", "D", "D"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newStorageModel(t, 10, c.w, c.h)
			start(m)
			stepStorage(m, 5)
			for _, k := range c.keys {
				_, cmd := m.Update(keyMsg(k))
				run(m, cmd)
			}
			checkFits(t, m, c.w, c.h)
			golden.RequireEqual(t, render(t, m, colorprofile.ASCII))
		})
	}
}

func TestStorageFigures(t *testing.T) {
	m := newStorageModel(t, 10, 80, 24)
	start(m)
	stepStorage(m, 3)
	if got := strings.Join(screen(m), "\n"); !strings.Contains(got, "(i: all)  v: storage") {
		t.Errorf("the process table's title should say v shows the storage:\n%s", got)
	}
	press(m, "v")
	got := strings.Join(screen(m), "\n")
	// sda: 90% busy, queue 4.02, 200 x 64 KiB = 12.5 MiB/s written, 20 ms
	// a write, 2 ms a read; the MSSQL volume has 3 of 512 GiB left.
	for _, want := range []string{"Storage · last 1 s · /proc/diskstats, statfs",
		" sda                  90%   4.02 40.0 KiB/s 12.5 MiB/s     2.00       20",
		" sdb                   0%   0.00      0 B/s  4.0 KiB/s        -     1.00",
		"/var/lib/mssql", "512 GiB", "3.0 GiB   1%"} {
		if !strings.Contains(got, want) {
			t.Errorf("storage page lacks %q:\n%s", want, got)
		}
	}
	press(m, "v")
	if strings.Contains(strings.Join(screen(m), "\n"), "/var/lib/mssql") {
		t.Errorf("v again should go back to the processes")
	}
}

func TestDiskSelectorCyclesAllDisksAndEachDisk(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 4)
	titles := []string{"Disk reads, all disks  now 0 B/s", "Disk writes, sda  now 71.2 MiB/s",
		"Disk reads, sda  now 0 B/s", "Disk writes, all disks  now 71.2 MiB/s"}
	for _, want := range titles {
		press(m, "D")
		if got := screen(m)[3]; !strings.HasPrefix(got, want) {
			t.Errorf("after D the graph title is %q, want %q", got, want)
		}
	}
}

func TestAverageToggleAveragesTheLastMinute(t *testing.T) {
	p := &samplerPane{ctx: &Context{}, tableH: 10, lastActive: map[sampler.ProcKey]time.Time{}}
	k := sampler.ProcKey{PID: 7, Start: 1}
	for i := 1; i <= 4; i++ {
		w := 0.0
		if i == 1 {
			w = 4096 // one burst, then three idle seconds
		}
		f := sampler.Frame{Time: sceneStart.Add(time.Duration(i) * time.Second), Elapsed: time.Second,
			Processes: []sampler.ProcessRates{{Key: k, Name: "burst", WriteRate: w, ReadRate: 100}}}
		p.noteAverage(f)
		p.frame = f
	}
	p.refreshRows()
	if p.rows[0].WriteRate != 0 {
		t.Fatalf("last interval: %v B/s, want 0", p.rows[0].WriteRate)
	}
	p.ctx.Average = true
	p.refreshRows()
	if p.rows[0].WriteRate != 1024 || p.rows[0].ReadRate != 100 {
		t.Errorf("1-minute average = %v/%v B/s, want 4096 B over 4 s = 1024 written, 100 read", p.rows[0].WriteRate, p.rows[0].ReadRate)
	}
}

func TestAverageToggleIsInTheHeader(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 2)
	if strings.Contains(screen(m)[0], "1-min av") {
		t.Fatalf("averages marked before m")
	}
	press(m, "m")
	// At 80 columns the short form, so what the counters are reads whole.
	if h := screen(m)[0]; !strings.Contains(h, "1-min avg") || !strings.Contains(h, "storage-layer writes") {
		t.Errorf("header does not mark the averages with the counters' label whole:\n%s", strings.Join(screen(m), "\n"))
	}
	press(m, "m")
	if strings.Contains(screen(m)[0], "1-min av") {
		t.Errorf("m again should go back to the last interval")
	}
}

func TestMarkedProcessesFilterTheFilesTab(t *testing.T) {
	m, _ := newFilesModel(t, 10, 120, 40)
	start(m)
	step(m, 3)
	// The top writer is sqlservr.exe; mark it.
	press(m, "space")
	if !strings.Contains(strings.Join(screen(m), "\n"), "* sqlservr.exe") {
		t.Fatalf("the marked process is not drawn marked:\n%s", strings.Join(screen(m), "\n"))
	}
	press(m, "2")
	step(m, 3) // the status line's message about the mark goes
	got := strings.Join(screen(m), "\n")
	if !strings.Contains(got, "tempdb.mdf") || strings.Contains(got, "SQL01.vm") || strings.Contains(got, "mpcache") {
		t.Errorf("the Files tab should show only sqlservr.exe's files:\n%s", got)
	}
	if !strings.Contains(screen(m)[1], "files of marked sqlservr.exe 4242") {
		t.Errorf("the header does not say the files are limited:\n%s", got)
	}
	press(m, "1", "space", "2")
	if got := strings.Join(screen(m), "\n"); !strings.Contains(got, "mpcache") {
		t.Errorf("after unmarking, every process's files should show:\n%s", got)
	}
}
