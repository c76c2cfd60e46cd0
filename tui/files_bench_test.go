package tui

import (
	"fmt"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// benchInterval is one interval of n files written by n/10 processes,
// every path deep enough to be shortened at 80 columns.
func benchInterval(at time.Time, n int) fileio.Interval {
	iv := fileio.Interval{Time: at, Elapsed: time.Second}
	for i := 0; i < n; i++ {
		iv.Files = append(iv.Files, fileio.FileActivity{
			Key:  fileio.FileKey{Proc: sampler.ProcKey{PID: int32(1000 + i%(n/10+1)), Start: 1}, Path: fmt.Sprintf("/srv/data/tenant-%03d/shard-%02d/segment-%06d.log", i%97, i%13, i)},
			Name: fmt.Sprintf("worker-%03d", i%(n/10+1)), WriteBytes: uint64(4096 * (1 + i%50)), ReadBytes: uint64(512 * (i % 7)),
		})
	}
	return iv
}

// BenchmarkFileHistoryAdd measures what each sample costs the UI
// goroutine on the Files tab's side: adding an interval of 10,000 active
// files to the history and rebuilding the sorted rows.
func BenchmarkFileHistoryAdd(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, _ := newFilesModel(b, 3, 80, 24)
			start(m)
			fp := m.filesTab
			iv := benchInterval(sceneStart, n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				iv.Time = iv.Time.Add(time.Second)
				fp.hist.add(iv, m.sampler.frame)
				fp.refresh()
			}
		})
	}
}

// BenchmarkFilesView measures one full View() of the Files tab with 10,000
// active files: at 80x24, and at 200x50 beside the wizard.
func BenchmarkFilesView(b *testing.B) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		b.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(b *testing.B) {
			m, _ := newFilesModel(b, 3, sz[0], sz[1])
			start(m)
			pressAll(m, "2")
			at := sceneStart
			for i := 0; i < 60; i++ {
				at = at.Add(time.Second)
				m.filesTab.hist.add(benchInterval(at, 10000), m.sampler.frame)
			}
			m.filesTab.have = true
			m.filesTab.refresh()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = m.View()
			}
		})
	}
}
