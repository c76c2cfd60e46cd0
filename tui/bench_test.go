package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
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
	m := New(Options{Sampler: e, Interval: time.Second, Host: "bench", Mode: views.Braille, ReportDir: testutil.TempDir(b),
		Wizard: WizardOptions{Fields: TargetFields{Replica: "127.0.0.1", Port: "43713"}, Plan: recordedPlan, RunAtStart: true,
			ReadVMs: func(context.Context) ([]VMReplication, error) { return nil, nil }}})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	runAll(m, m.Init()) // the baseline sample and every wizard step, done
	step(m, samples-1)
	if len(m.wizard.reports) != 1 {
		b.Fatal("the wizard's steps did not all run")
	}
	return m
}

// BenchmarkView measures one full View() with 500 processes and every
// wizard step done: the process tab and the wizard tab with the failing
// step's card at 80x24, both halves side by side at 200x50. The program
// calls View after every message (at most 60 times a second).
func BenchmarkView(b *testing.B) {
	for _, c := range []struct {
		name string
		w, h int
		keys []string
	}{
		{"80x24", 80, 24, nil},
		{"80x24_wizard", 80, 24, []string{"2"}},
		{"200x50", 200, 50, nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := benchModel(b, c.w, c.h)
			pressAll(m, c.keys...)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkReport measures r: the incident report of a session of 120
// samples of 500 processes, analysis and Markdown.
func BenchmarkReport(b *testing.B) {
	m := benchModel(b, 80, 24)
	b.ReportAllocs()
	for b.Loop() {
		m.sess.cacheAt = -1 // as after a new sample
		_ = views.IncidentMarkdown(m.incident())
	}
}

// BenchmarkApplySample measures what the UI goroutine does when a sample
// arrives: filter, sort and keep the selection, over 500 processes.
func BenchmarkApplySample(b *testing.B) {
	m := benchModel(b, 80, 24)
	msg := frameMsg{frame: m.sampler.frame, total: m.sampler.total, times: m.sampler.times, series: m.sampler.series}
	b.ReportAllocs()
	for b.Loop() {
		m.sampler.apply(msg)
	}
}
