package tui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// benchModel is the screen over 500 processes, all writing, after 120
// samples, so graphs and sparklines are full.
func benchModel(b *testing.B, w, h int) *Model {
	const procs, samples = 500, 120
	snaps := make([]sampler.Snapshot, samples)
	for i := range snaps {
		s := sampler.Snapshot{Time: sceneStart.Add(time.Duration(i) * time.Second)}
		var disk uint64
		for p := 0; p < procs; p++ {
			wb := uint64(i) * uint64((p%37+1)<<14) * uint64(1+i%5)
			disk += wb
			s.Processes = append(s.Processes, sampler.ProcessCounters{
				Key: sampler.ProcKey{PID: int32(1000 + p), Start: 1}, Name: fmt.Sprintf("worker-%03d.exe", p),
				WriteBytes: wb, ReadBytes: wb / 3,
			})
		}
		s.Disks = []sampler.DiskCounters{{Name: "sda", WriteBytes: disk}}
		snaps[i] = s
	}
	e, err := sampler.NewEngine(sampler.NewReplaySource(snaps), sampler.Config{Interval: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	m := New(Options{Sampler: e, Interval: time.Second, Host: "bench", Mode: views.Braille})
	m.sampler.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	start(m)
	step(m, samples-1)
	return m
}

// BenchmarkView measures one full View() of the sampler screen; the
// program calls it after every message (at most 60 times a second).
func BenchmarkView(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			m := benchModel(b, size[0], size[1])
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkApplySample measures what the UI goroutine does when a sample
// arrives: filter, sort and keep the selection, over 500 processes.
func BenchmarkApplySample(b *testing.B) {
	m := benchModel(b, 80, 24)
	msg := sampleMsg{frame: m.sampler.frame, total: m.sampler.total, times: m.sampler.times, series: m.sampler.series}
	b.ReportAllocs()
	for b.Loop() {
		m.sampler.apply(msg)
	}
}
