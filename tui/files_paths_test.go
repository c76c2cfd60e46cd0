package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// tempRunPath is one of fifteen test runs' input files: they differ only
// in the temporary directory's number.
func tempRunPath(i int) string {
	return fmt.Sprintf("/tmp/TestRecordWritesPerFileAcrossRuns%010d/001/in.csv", 3954821000+i*7919)
}

// Fifteen files that differ only in a middle directory are fifteen
// different rows on screen at 80x24 and at 200x50 (they all read
// `/tmp/…/001/in.csv` before, even at 200 columns), and the selected
// row's full path is on screen. Files deleted after they were written
// (their rows start with "del:") stay distinct too.
func TestFilesTabKeepsDistinctPathsDistinct(t *testing.T) {
	for _, c := range []struct {
		sz      [2]int
		deleted bool
	}{{[2]int{80, 24}, false}, {[2]int{200, 50}, false}, {[2]int{80, 24}, true}, {[2]int{200, 50}, true}} {
		sz := c.sz
		n := 6
		ivs := make([]fileio.Interval, n)
		for i := range ivs {
			iv := fileio.Interval{Time: sceneStart.Add(time.Duration(i) * time.Second), Elapsed: time.Second}
			if i == 0 {
				iv.Elapsed = 0
			}
			for f := 0; f < 15 && i > 0; f++ {
				iv.Files = append(iv.Files, fileio.FileActivity{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: 4242, Start: 100}, Path: tempRunPath(f)},
					Name: "sqlservr.exe", WriteBytes: uint64(f+1) * mib, WriteCalls: 4, Deleted: c.deleted})
			}
			ivs[i] = iv
		}
		src := sampler.NewReplaySourceInfo(sceneSnapshots(n), sampler.SourceInfo{Name: "replay", WriteLabel: "storage-layer writes"})
		e, err := sampler.NewEngine(src, sampler.Config{Interval: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm", Mode: views.Braille,
			FileSource: &replayFiles{info: etwInfo, ivs: ivs}})
		m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		start(m)
		step(m, n-2)
		pressAll(m, "2", "down", "down")
		checkFits(t, m, sz[0], sz[1])
		lines := screen(m)
		seen := map[string]bool{}
		rows := 0
		for _, l := range lines {
			i := strings.Index(l, "sqlservr.exe")
			if i < 0 || !strings.Contains(l, "in.csv") {
				continue
			}
			if j := strings.LastIndex(l[:i], "│"); j >= 0 {
				continue // the Processes half on a wide screen
			}
			rows++
			cell := strings.Fields(l[i:])[2] // image, PID, path
			if c.deleted != strings.HasPrefix(cell, "del:") {
				t.Errorf("%dx%d: deleted=%v but the path cell is %q", sz[0], sz[1], c.deleted, cell)
			}
			if seen[cell] {
				t.Errorf("%dx%d: two rows show %q:\n%s", sz[0], sz[1], cell, strings.Join(lines, "\n"))
			}
			seen[cell] = true
		}
		if rows < 10 {
			t.Fatalf("%dx%d: %d file rows on screen:\n%s", sz[0], sz[1], rows, strings.Join(lines, "\n"))
		}
		sel := m.filesTab.rows[m.filesTab.sel].Key.Path
		if scr := strings.Join(lines, "\n"); !strings.Contains(scr, sel) {
			// Short enough to fit its cell, or under the table.
			t.Errorf("%dx%d: the selected row's full path %s is not on screen:\n%s", sz[0], sz[1], sel, scr)
		}
	}
}
