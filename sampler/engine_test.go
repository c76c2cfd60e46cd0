package sampler

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable Clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

var t0 = time.Date(2026, 11, 24, 4, 57, 0, 0, time.FixedZone("CET", 3600))

const mib = 1 << 20

func proc(pid int32, start int64, name string, write, read uint64) ProcessCounters {
	return ProcessCounters{Key: ProcKey{PID: pid, Start: start}, Name: name, WriteBytes: write, ReadBytes: read, LogicalWriteBytes: write}
}

func snapAt(d time.Duration, procs ...ProcessCounters) Snapshot {
	return Snapshot{Time: t0.Add(d), Processes: procs}
}

func newTestEngine(t *testing.T, cfg Config, snaps ...Snapshot) *Engine {
	t.Helper()
	if cfg.Clock == nil {
		cfg.Clock = &fakeClock{t: t0}
	}
	e, err := NewEngine(NewReplaySource(snaps), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func sample(t *testing.T, e *Engine) Frame {
	t.Helper()
	f, err := e.Sample(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func find(f Frame, pid int32, start int64) (ProcessRates, bool) {
	for _, p := range f.Processes {
		if p.Key == (ProcKey{pid, start}) {
			return p, true
		}
	}
	return ProcessRates{}, false
}

func TestBaselineFrameHasZeroRates(t *testing.T) {
	e := newTestEngine(t, Config{}, Snapshot{
		Time:       t0,
		Processes:  []ProcessCounters{proc(10, 1, "sqlservr.exe", 500*mib, 20*mib)},
		Disks:      []DiskCounters{{Name: "sda", WriteBytes: 900 * mib}},
		Hidden:     3,
		Unreadable: 2,
	})
	f := sample(t, e)
	if f.Elapsed != 0 || f.DiskWriteRate != 0 {
		t.Fatalf("baseline: Elapsed %v, disk rate %v; want 0, 0", f.Elapsed, f.DiskWriteRate)
	}
	p, ok := find(f, 10, 1)
	if !ok || p.WriteRate != 0 || p.ReadRate != 0 {
		t.Fatalf("baseline process = %+v (found %v); want it listed with zero rates", p, ok)
	}
	if p.WriteTotal != 500*mib {
		t.Errorf("WriteTotal = %d, want the cumulative counter %d", p.WriteTotal, 500*mib)
	}
	if f.Hidden != 3 || f.Unreadable != 2 || f.Info.Name != "replay" {
		t.Errorf("Hidden %d, Unreadable %d, Info %+v; want 3, 2 and the source's info", f.Hidden, f.Unreadable, f.Info)
	}
	if n := len(e.TotalSeries()); n != 0 {
		t.Errorf("history after the baseline has %d points, want 0", n)
	}
}

func TestRatesUseRealElapsedTime(t *testing.T) {
	// Snapshots 1.5 s apart although the interval is 1 s: the rate must
	// use 1.5 s.
	e := newTestEngine(t, Config{},
		Snapshot{Time: t0, Processes: []ProcessCounters{proc(10, 1, "sqlservr.exe", 100*mib, 0)},
			Disks: []DiskCounters{{Name: "sda", WriteBytes: 1000 * mib, ReadBytes: 10 * mib}, {Name: "sdb"}}},
		Snapshot{Time: t0.Add(1500 * time.Millisecond), Processes: []ProcessCounters{proc(10, 1, "sqlservr.exe", 103*mib, 3*mib)},
			Disks: []DiskCounters{{Name: "sda", WriteBytes: 1006 * mib, ReadBytes: 10 * mib}, {Name: "sdb", WriteBytes: 3 * mib}}},
	)
	sample(t, e)
	f := sample(t, e)
	if f.Elapsed != 1500*time.Millisecond {
		t.Fatalf("Elapsed = %v, want 1.5s", f.Elapsed)
	}
	p, _ := find(f, 10, 1)
	if p.WriteRate != 2*mib || p.ReadRate != 2*mib || p.LogicalWriteRate != 2*mib {
		t.Errorf("rates = write %v read %v logical %v, want %d each", p.WriteRate, p.ReadRate, p.LogicalWriteRate, 2*mib)
	}
	if f.DiskWriteRate != 6*mib {
		t.Errorf("DiskWriteRate = %v, want %d (sum over disks: 4 MiB/s + 2 MiB/s)", f.DiskWriteRate, 6*mib)
	}
	if len(f.Disks) != 2 || f.Disks[0].Name != "sda" || f.Disks[0].WriteRate != 4*mib || f.Disks[1].WriteRate != 2*mib {
		t.Errorf("Disks = %+v", f.Disks)
	}
	if got := e.TotalSeries(); len(got) != 1 || got[0] != 6*mib {
		t.Errorf("TotalSeries = %v, want [%d]", got, 6*mib)
	}
	if got := e.SeriesTimes(); len(got) != 1 || !got[0].Equal(t0.Add(1500*time.Millisecond)) {
		t.Errorf("SeriesTimes = %v", got)
	}
}

func TestNewProcessCountsFromZero(t *testing.T) {
	// A process that appears after the baseline started in the interval:
	// everything it wrote counts (a short dd must not vanish).
	e := newTestEngine(t, Config{},
		snapAt(0),
		snapAt(time.Second, proc(42, 7, "dd", 50*mib, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	p, ok := find(f, 42, 7)
	if !ok || p.WriteRate != 50*mib {
		t.Fatalf("new process = %+v (found %v), want WriteRate 50 MiB/s", p, ok)
	}
	if f.Processes[0].Key.PID != 42 {
		t.Errorf("top writer PID %d, want 42", f.Processes[0].Key.PID)
	}
}

func TestPreexistingProcessStartsAtItsCounters(t *testing.T) {
	// A process a replay brings in before its first recorded row ran
	// before: the counters first seen are its baseline, not the interval's.
	late := proc(42, 7, "late", 5<<30, 0)
	late.Preexisting = true
	next := late
	next.WriteBytes += 10 * mib
	e := newTestEngine(t, Config{}, snapAt(0), snapAt(time.Second, late), snapAt(2*time.Second, next))
	sample(t, e)
	if p, ok := find(sample(t, e), 42, 7); !ok || p.WriteRate != 0 {
		t.Fatalf("first seen: %+v (found %v), want WriteRate 0", p, ok)
	}
	if p, ok := find(sample(t, e), 42, 7); !ok || p.WriteRate != 10*mib {
		t.Fatalf("next interval: %+v (found %v), want WriteRate 10 MiB/s", p, ok)
	}
}

func TestCountersGoingBackwardsGiveZero(t *testing.T) {
	// Linux subtracts cancelled writes: write_bytes can go down.
	e := newTestEngine(t, Config{},
		snapAt(0, proc(5, 1, "tar", 80*mib, 80*mib)),
		snapAt(time.Second, proc(5, 1, "tar", 70*mib, 81*mib)),
		snapAt(2*time.Second, proc(5, 1, "tar", 72*mib, 81*mib)),
	)
	sample(t, e)
	f := sample(t, e)
	p, _ := find(f, 5, 1)
	if p.WriteRate != 0 || p.ReadRate != mib {
		t.Fatalf("after a backwards counter: write %v read %v, want 0 and 1 MiB/s", p.WriteRate, p.ReadRate)
	}
	f = sample(t, e)
	p, _ = find(f, 5, 1)
	if p.WriteRate != 2*mib {
		t.Errorf("next interval write %v, want 2 MiB/s measured from the lower counter", p.WriteRate)
	}
}

func TestPIDReuseKeepsHistoriesApart(t *testing.T) {
	e := newTestEngine(t, Config{},
		snapAt(0, proc(100, 1, "backup.exe", 10*mib, 0)),
		snapAt(time.Second, proc(100, 1, "backup.exe", 14*mib, 0)),
		// PID 100 is now another program, started later.
		snapAt(2*time.Second, proc(100, 9, "sqlservr.exe", 1*mib, 0)),
		snapAt(3*time.Second, proc(100, 9, "sqlservr.exe", 2*mib, 0)),
	)
	sample(t, e)
	sample(t, e)
	f := sample(t, e)
	old, ok := find(f, 100, 1)
	if !ok || !old.Exited || old.WriteRate != 4*mib || old.Name != "backup.exe" {
		t.Fatalf("old instance = %+v (found %v), want Exited with its last rate 4 MiB/s", old, ok)
	}
	nw, ok := find(f, 100, 9)
	if !ok || nw.Exited || nw.WriteRate != 1*mib || nw.Name != "sqlservr.exe" {
		t.Fatalf("new instance = %+v (found %v), want 1 MiB/s from zero, not a delta against the old one", nw, ok)
	}
	sample(t, e)
	if got, want := e.ProcessSeries(ProcKey{100, 1}), []float64{4 * mib, 0, 0}; !equalSeries(got, want) {
		t.Errorf("old series = %v, want %v", got, want)
	}
	if got, want := e.ProcessSeries(ProcKey{100, 9}), []float64{0, 1 * mib, 1 * mib}; !equalSeries(got, want) {
		t.Errorf("new series = %v, want %v", got, want)
	}
}

func TestExitedProcessAppearsOnceThenHistoryAgesOut(t *testing.T) {
	snaps := []Snapshot{
		snapAt(0, proc(7, 1, "defrag.exe", 0, 0), proc(8, 1, "idle", 0, 0)),
		snapAt(time.Second, proc(7, 1, "defrag.exe", 3*mib, mib), proc(8, 1, "idle", 0, 0)),
	}
	for i := 2; i <= 6; i++ {
		snaps = append(snaps, snapAt(time.Duration(i)*time.Second))
	}
	e := newTestEngine(t, Config{Interval: time.Second, Window: 3 * time.Second}, snaps...)
	sample(t, e)
	sample(t, e)
	f := sample(t, e)
	p, ok := find(f, 7, 1)
	if !ok || !p.Exited || p.WriteRate != 3*mib || p.ReadRate != mib || p.Class.Class != ClassInbox {
		t.Fatalf("exit frame: %+v (found %v); want Exited with last interval's rates and its class", p, ok)
	}
	if _, ok := find(f, 8, 1); !ok {
		t.Errorf("an idle process that exits is reported once too")
	}
	f = sample(t, e)
	if _, ok := find(f, 7, 1); ok {
		t.Fatalf("exited process still in the next frame")
	}
	if s := e.ProcessSeries(ProcKey{7, 1}); !equalSeries(s, []float64{3 * mib, 0, 0}) {
		t.Fatalf("history of the exited process = %v, want it kept while in the window", s)
	}
	if s := e.ProcessSeries(ProcKey{8, 1}); s != nil {
		t.Errorf("idle exited process still has a series: %v", s)
	}
	sample(t, e) // the 3 MiB/s point leaves the 3-point window
	if s := e.ProcessSeries(ProcKey{7, 1}); s != nil {
		t.Errorf("history after it left the window = %v, want nil", s)
	}
	if n := e.TrackedSeries(); n != 0 {
		t.Errorf("TrackedSeries = %d, want 0", n)
	}
}

func TestProcessesSortedByWriteThenReadNamePID(t *testing.T) {
	e := newTestEngine(t, Config{},
		snapAt(0),
		snapAt(time.Second,
			proc(4, 1, "b", 1*mib, 0),
			proc(3, 1, "a", 1*mib, 0),
			proc(2, 1, "a", 1*mib, 0),
			proc(9, 1, "z", 1*mib, 5),
			proc(1, 1, "top", 9*mib, 0),
			proc(6, 1, "idle", 0, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	var got []int32
	for _, p := range f.Processes {
		got = append(got, p.Key.PID)
	}
	want := []int32{1, 9, 2, 3, 4, 6}
	if len(got) != len(want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	if top := f.Top(2); len(top) != 2 || top[0].Key.PID != 1 {
		t.Errorf("Top(2) = %v", top)
	}
}

func TestSeriesAlignment(t *testing.T) {
	e := newTestEngine(t, Config{},
		Snapshot{Time: t0, Disks: []DiskCounters{{Name: "sda"}}},
		Snapshot{Time: t0.Add(time.Second), Disks: []DiskCounters{{Name: "sda", WriteBytes: 1 * mib}}},
		Snapshot{Time: t0.Add(2 * time.Second), Disks: []DiskCounters{{Name: "sda", WriteBytes: 3 * mib}},
			Processes: []ProcessCounters{proc(11, 1, "robocopy.exe", 2*mib, 0)}},
		Snapshot{Time: t0.Add(3 * time.Second), Disks: []DiskCounters{{Name: "sda", WriteBytes: 3 * mib}},
			Processes: []ProcessCounters{proc(11, 1, "robocopy.exe", 2*mib, 0)}},
	)
	for range 4 {
		sample(t, e)
	}
	if got := e.TotalSeries(); !equalSeries(got, []float64{mib, 2 * mib, 0}) {
		t.Errorf("TotalSeries = %v", got)
	}
	if got := e.ProcessSeries(ProcKey{11, 1}); !equalSeries(got, []float64{0, 2 * mib, 0}) {
		t.Errorf("ProcessSeries = %v, want zeros before it appeared", got)
	}
	if got := e.ProcessSeries(ProcKey{99, 1}); got != nil {
		t.Errorf("unknown process series = %v, want nil", got)
	}
	times := e.SeriesTimes()
	if len(times) != 3 || !times[0].Equal(t0.Add(time.Second)) || !times[2].Equal(t0.Add(3*time.Second)) {
		t.Errorf("SeriesTimes = %v", times)
	}
}

func TestHistoryBoundedWhileProcessesComeAndGo(t *testing.T) {
	// 1,000 idle processes live throughout; every sample 20 short-lived
	// writers start and exit. With a 60-point window the number of series
	// must stop growing once the window is full.
	const idle = 1000
	base := make([]ProcessCounters, idle)
	for i := range base {
		base[i] = proc(int32(10000+i), 1, "sleep", 0, 0)
	}
	var snaps []Snapshot
	pid := int32(20000)
	for i := 0; i < 400; i++ {
		procs := append([]ProcessCounters(nil), base...)
		for j := 0; j < 20; j++ {
			procs = append(procs, proc(pid, int64(i), "worker", uint64(j+1)*mib, 0))
			pid++
		}
		snaps = append(snaps, snapAt(time.Duration(i)*time.Second, procs...))
	}
	e := newTestEngine(t, Config{Interval: time.Second, Window: time.Minute}, snaps...)
	var max int
	for i := range snaps {
		sample(t, e)
		n := e.TrackedSeries()
		if i >= 100 && n > max {
			max = n
		}
		if i == 100 {
			// Memory is flat from here on: remember the count.
			max = n
		}
	}
	// Each writer holds a series for the 60 samples after it wrote.
	if max > 20*61 {
		t.Errorf("tracked series grew to %d with a 60-point window; want at most %d", max, 20*61)
	}
	if got := e.TrackedSeries(); got < 20*59 || got > 20*61 {
		t.Errorf("TrackedSeries = %d, want about %d (20 writers per sample x 60-point window)", got, 20*60)
	}
	if got := len(e.TotalSeries()); got != 60 {
		t.Errorf("TotalSeries has %d points, want the 60-point window", got)
	}
	for i := 0; i < idle; i++ {
		if s := e.ProcessSeries(ProcKey{int32(10000 + i), 1}); len(s) != 60 {
			t.Fatalf("idle process series length %d, want 60 zeros", len(s))
		}
	}
}

func TestIdleProcessesHoldNoSeries(t *testing.T) {
	var snaps []Snapshot
	for i := 0; i < 5; i++ {
		var procs []ProcessCounters
		for p := 0; p < 1000; p++ {
			procs = append(procs, proc(int32(p+1), 1, "sleep", 4096, 0))
		}
		snaps = append(snaps, snapAt(time.Duration(i)*time.Second, procs...))
	}
	e := newTestEngine(t, Config{}, snaps...)
	for range snaps {
		sample(t, e)
	}
	if n := e.TrackedSeries(); n != 0 {
		t.Errorf("1,000 idle processes hold %d series, want 0", n)
	}
}

func TestIntervalLimits(t *testing.T) {
	for _, d := range []time.Duration{100 * time.Millisecond, 61 * time.Second} {
		_, err := NewEngine(NewReplaySource(nil), Config{Interval: d})
		if err == nil || !strings.Contains(err.Error(), d.String()) {
			t.Errorf("interval %v: err = %v, want an error naming the value", d, err)
		}
	}
	e := newTestEngine(t, Config{Interval: time.Second, Window: 10 * time.Second})
	if err := e.SetInterval(10 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "10ms") {
		t.Errorf("SetInterval(10ms) = %v, want an error naming 10ms", err)
	}
	if err := e.SetInterval(250 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if e.Interval() != 250*time.Millisecond {
		t.Errorf("Interval = %v", e.Interval())
	}
	if e.total.Cap() != 40 {
		t.Errorf("history capacity after SetInterval(250ms) with a 10s window = %d, want 40", e.total.Cap())
	}
}

func TestSetIntervalShrinksHistoryKeepingNewest(t *testing.T) {
	var snaps []Snapshot
	for i := 0; i <= 10; i++ {
		snaps = append(snaps, Snapshot{Time: t0.Add(time.Duration(i) * time.Second),
			Disks: []DiskCounters{{Name: "sda", WriteBytes: uint64(i*i) * mib}}})
	}
	e := newTestEngine(t, Config{Interval: time.Second, Window: 10 * time.Second}, snaps...)
	for range snaps {
		sample(t, e)
	}
	if err := e.SetInterval(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if got := e.TotalSeries(); !equalSeries(got, []float64{17 * mib, 19 * mib}) {
		t.Errorf("after SetInterval(5s): %v, want the 2 newest points", got)
	}
}

func TestClockSteppingBackRebaselines(t *testing.T) {
	e := newTestEngine(t, Config{},
		snapAt(10*time.Second, proc(1, 1, "a", 0, 0)),
		snapAt(5*time.Second, proc(1, 1, "a", 5*mib, 0)),
		snapAt(6*time.Second, proc(1, 1, "a", 6*mib, 0)),
	)
	sample(t, e)
	f := sample(t, e)
	if f.Elapsed != 0 || f.Processes[0].WriteRate != 0 {
		t.Fatalf("clock went back: Elapsed %v rate %v, want a zero-rate re-baseline", f.Elapsed, f.Processes[0].WriteRate)
	}
	f = sample(t, e)
	if f.Processes[0].WriteRate != mib {
		t.Errorf("after re-baseline rate %v, want 1 MiB/s", f.Processes[0].WriteRate)
	}
}

func TestSourceEndAndErrorsAreWrapped(t *testing.T) {
	e := newTestEngine(t, Config{})
	_, err := e.Sample(context.Background())
	if !errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "replay") {
		t.Errorf("err = %v, want io.EOF wrapped with the source name", err)
	}
}

func TestSnapshotWithoutTimeUsesEngineClock(t *testing.T) {
	clk := &fakeClock{t: t0}
	e := newTestEngine(t, Config{Clock: clk},
		Snapshot{Processes: []ProcessCounters{proc(1, 1, "a", 0, 0)}},
		Snapshot{Processes: []ProcessCounters{proc(1, 1, "a", mib, 0)}},
	)
	sample(t, e)
	clk.mu.Lock()
	clk.t = t0.Add(2 * time.Second)
	clk.mu.Unlock()
	f := sample(t, e)
	if f.Elapsed != 2*time.Second || f.Processes[0].WriteRate != mib/2 {
		t.Errorf("Elapsed %v rate %v, want 2s and 0.5 MiB/s from the injected clock", f.Elapsed, f.Processes[0].WriteRate)
	}
}

func TestConcurrentSampleAndReads(t *testing.T) {
	var snaps []Snapshot
	for i := 0; i < 300; i++ {
		snaps = append(snaps, snapAt(time.Duration(i)*time.Second, proc(1, 1, "a", uint64(i)*mib, 0), proc(int32(i+2), 1, "b", mib, 0)))
	}
	e := newTestEngine(t, Config{Interval: time.Second, Window: 50 * time.Second}, snaps...)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range snaps {
			if _, err := e.Sample(context.Background()); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for {
		select {
		case <-done:
			if n := len(e.ProcessSeries(ProcKey{1, 1})); n != 50 {
				t.Errorf("series length %d, want 50", n)
			}
			return
		default:
			tot := e.TotalSeries()
			if s := e.ProcessSeries(ProcKey{1, 1}); s != nil && len(s) < len(tot)-1 {
				t.Fatalf("series length %d vs total %d", len(s), len(tot))
			}
			e.SeriesTimes()
			e.TrackedSeries()
		}
	}
}

func equalSeries(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestEngineClassifiesKernelThreads: the engine classifies with everything
// the source knows, so a kernel thread no rule names is inbox.
func TestEngineClassifiesKernelThreads(t *testing.T) {
	rcu := proc(15, 1, "rcu_preempt", 0, 0)
	rcu.KernelThread = true
	e := newTestEngine(t, Config{}, snapAt(0, rcu, proc(900, 1, "rcu_preempt", 0, 0)))
	f := sample(t, e)
	if p, _ := find(f, 15, 1); p.Class != (Classification{ClassInbox, KernelThreadRule}) {
		t.Errorf("kernel thread rcu_preempt = %+v, want inbox (%s)", p.Class, KernelThreadRule)
	}
	if p, _ := find(f, 900, 1); p.Class.Class != ClassWorkload {
		t.Errorf("a user process named rcu_preempt = %+v, want workload", p.Class)
	}
}

func TestExitedHistoryBoundedUnderProcessChurn(t *testing.T) {
	// With the default hour-long window, every sample 2,000 writers start
	// and exit (a build, or a user churning on purpose): the exited
	// processes' history grew with each of them for an hour. It stays at
	// MaxExitedSeries, and the ones kept are the latest writers.
	const perSample, samples = 2000, 12
	// Each writer is seen in two snapshots (its counters grow: it wrote)
	// and is gone at the third.
	var snaps []Snapshot
	for i := 0; i < samples; i++ {
		var procs []ProcessCounters
		for _, gen := range []int{i - 1, i} {
			if gen < 0 {
				continue
			}
			for j := 0; j < perSample; j++ {
				pid := int32(20000 + gen*perSample + j)
				procs = append(procs, proc(pid, int64(gen), "worker", uint64(i-gen+1)*4096, 0))
			}
		}
		snaps = append(snaps, snapAt(time.Duration(i)*time.Second, procs...))
	}
	e := newTestEngine(t, Config{Interval: time.Second}, snaps...)
	for range snaps {
		sample(t, e)
	}
	if got := e.TrackedSeries(); got > MaxExitedSeries+2*perSample {
		t.Errorf("TrackedSeries = %d after %d short-lived writers, want at most %d exited + %d live", got, perSample*samples, MaxExitedSeries, 2*perSample)
	}
	// The writers seen last at the sample before the last exited at the last:
	// their history is kept; those of the first samples are forgotten.
	last := int32(20000 + perSample*(samples-3))
	if s := e.ProcessSeries(ProcKey{last + perSample - 1, int64(samples - 3)}); len(s) == 0 {
		t.Error("a writer that exited at the last sample has no history")
	}
	if s := e.ProcessSeries(ProcKey{20000 + perSample, 1}); len(s) != 0 {
		t.Errorf("the first sample's writer is still kept: %d points", len(s))
	}
}
