package exporter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// scriptSource is a sampler.Source whose snapshots the test writes: the
// unit tests check the exporter's arithmetic and bounds on exact numbers
// (the live source is exercised by the Prometheus integration test).
type scriptSource struct {
	fail  error // returned by Snapshot when set
	now   time.Time
	procs map[int32]sampler.ProcessCounters
	disk  sampler.DiskCounters
	calls int
}

func newScript() *scriptSource {
	return &scriptSource{now: time.Unix(1_800_000_000, 0), procs: map[int32]sampler.ProcessCounters{}, disk: sampler.DiskCounters{Name: "sda"}}
}

func (s *scriptSource) Snapshot(context.Context) (sampler.Snapshot, error) {
	s.calls++
	if s.fail != nil {
		return sampler.Snapshot{}, s.fail
	}
	snap := sampler.Snapshot{Time: s.now, Disks: []sampler.DiskCounters{s.disk}, Hidden: 3}
	for _, p := range s.procs {
		snap.Processes = append(snap.Processes, p)
	}
	return snap, nil
}

func (s *scriptSource) Info() sampler.SourceInfo {
	return sampler.SourceInfo{Name: "script", WriteLabel: "storage-layer writes", CancelledWrites: true}
}

func (s *scriptSource) write(pid int32, name string, bytes uint64) {
	p, ok := s.procs[pid]
	if !ok {
		p = sampler.ProcessCounters{Key: sampler.ProcKey{PID: pid, Start: int64(pid)}, Name: name}
	}
	p.WriteBytes += bytes
	s.procs[pid] = p
	s.disk.WriteBytes += bytes
}

type fixedClock struct{ s *scriptSource }

func (c fixedClock) Now() time.Time { return c.s.now }

func newTestChurn(t *testing.T, s *scriptSource, opt Options) *Churn {
	t.Helper()
	opt.Interval = time.Second
	opt.Clock = fixedClock{s}
	c, err := NewChurn(context.Background(), s, nil, "test: no per-file source", opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// step advances the script by one interval and samples.
func step(c *Churn, s *scriptSource) {
	s.now = s.now.Add(time.Second)
	c.Step(context.Background())
}

func TestCountersSumPIDsOfOneName(t *testing.T) {
	s := newScript()
	c := newTestChurn(t, s, Options{})
	s.write(10, "sqlservr.exe", 1000)
	s.write(11, "sqlservr.exe", 500)
	s.write(12, "svchost.exe", 7)
	step(c, s)
	s.write(10, "sqlservr.exe", 250)
	step(c, s)
	// PID 11 exits: its last interval must not be counted again.
	delete(s.procs, 11)
	step(c, s)
	step(c, s)

	want := `
# HELP hvrdoctor_process_written_bytes_total ` + helpOf(procWritten) + `
# TYPE hvrdoctor_process_written_bytes_total counter
hvrdoctor_process_written_bytes_total{basis="storage",class="inbox",name="svchost.exe"} 7
hvrdoctor_process_written_bytes_total{basis="storage",class="workload",name="sqlservr.exe"} 1750
`
	if err := promtest.CollectAndCompare(c, strings.NewReader(want), "hvrdoctor_process_written_bytes_total"); err != nil {
		t.Fatal(err)
	}
	if got := promtest.ToFloat64(singleMetric(c, "hvrdoctor_disk_written_bytes_total")); got != 1757 {
		t.Errorf("disk written = %v, want 1757", got)
	}
}

func TestScrapeNeverSamples(t *testing.T) {
	s := newScript()
	c := newTestChurn(t, s, Options{})
	before := s.calls
	reg := NewRegistry(c)
	for range 3 {
		if _, err := reg.Gather(); err != nil {
			t.Fatal(err)
		}
	}
	if s.calls != before {
		t.Errorf("3 scrapes read the source %d times; a scrape must only read the loop's totals", s.calls-before)
	}
}

func TestProcessSeriesBounded(t *testing.T) {
	s := newScript()
	c := newTestChurn(t, s, Options{MaxProcessSeries: 10})
	var want float64
	for i := range 50 {
		s.write(int32(100+i), fmt.Sprintf("p%02d", i), 100)
		want += 100
		step(c, s)
	}
	c.mu.Lock()
	n := len(c.procs)
	var sum float64
	for _, p := range c.procs {
		sum += p.written
	}
	other := c.procs[procSeriesKey{OtherProcesses, "workload", sampler.BasisStorage}]
	c.mu.Unlock()
	if n > 11 { // 10 names plus the "(other processes)" series of the class
		t.Errorf("%d process series kept for 50 names with a bound of 10", n)
	}
	if sum != want {
		t.Errorf("series sum to %v bytes, want %v: bytes of names without room must go to %q", sum, want, OtherProcesses)
	}
	if other == nil || other.written < 3900 {
		t.Errorf("%q holds %+v, want the 40 names past the bound", OtherProcesses, other)
	}
	// After an hour of silence the bound makes room again for new names.
	s.now = s.now.Add(ProcessIdleAfter)
	s.write(999, "late", 5)
	step(c, s)
	c.mu.Lock()
	late := c.procs[procSeriesKey{"late", "workload", sampler.BasisStorage}]
	c.mu.Unlock()
	if late == nil || late.written != 5 {
		t.Errorf("a new name after an hour idle got %+v, want its own series with 5 bytes", late)
	}
}

func TestTopPIDsOffByDefault(t *testing.T) {
	s := newScript()
	c := newTestChurn(t, s, Options{})
	s.write(10, "dd", 4096)
	step(c, s)
	if n := promtest.CollectAndCount(c, "hvrdoctor_top_process_write_bytes_per_second"); n != 0 {
		t.Errorf("top PID metric has %d series without TopPIDs", n)
	}
	c2 := newTestChurn(t, s, Options{TopPIDs: 1})
	s.write(10, "dd", 4096)
	s.write(11, "cp", 1)
	step(c2, s)
	if n := promtest.CollectAndCount(c2, "hvrdoctor_top_process_write_bytes_per_second"); n != 1 {
		t.Errorf("top PID metric has %d series with TopPIDs 1", n)
	}
}

func TestSpikeFactorFromAnalysisRule(t *testing.T) {
	s := newScript()
	c := newTestChurn(t, s, Options{})
	if n := promtest.CollectAndCount(c, "hvrdoctor_churn_spike_factor"); n != 0 {
		t.Fatalf("spike factor present before any baseline")
	}
	// Five quiet minutes at 1000 B/s, then one minute at 20x and a few
	// seconds of the next (partial) minute.
	for i := range 6*60 + 5 {
		b := uint64(1000)
		if i >= 5*60 && i < 6*60 {
			b = 20000
		}
		s.write(1, "writer", b)
		step(c, s)
	}
	c.mu.Lock()
	f := c.spikeFactor
	c.mu.Unlock()
	if f < 15 || f > 25 {
		t.Errorf("spike factor after a 20x minute = %v, want about 20", f)
	}
}

func TestLintClean(t *testing.T) {
	s := newScript()
	c := newTestChurn(t, s, Options{TopPIDs: 3})
	s.write(10, "dd", 4096)
	step(c, s)
	problems, err := promtest.CollectAndLint(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

func helpOf(d *prometheus.Desc) string {
	s := d.String()
	i := strings.Index(s, `help: "`)
	j := strings.Index(s, `", unit: `)
	if j < 0 {
		j = strings.Index(s, `", constLabels`)
	}
	return strings.ReplaceAll(s[i+7:j], `\"`, `"`)
}

// singleMetric is a collector of the one series named name.
func singleMetric(c prometheus.Collector, name string) prometheus.Collector {
	return filterCollector{c, name}
}

type filterCollector struct {
	c    prometheus.Collector
	name string
}

func (f filterCollector) Describe(ch chan<- *prometheus.Desc) { prometheus.DescribeByCollect(f, ch) }
func (f filterCollector) Collect(ch chan<- prometheus.Metric) {
	all := make(chan prometheus.Metric)
	go func() { f.c.Collect(all); close(all) }()
	for m := range all {
		if strings.Contains(m.Desc().String(), `"`+f.name+`"`) {
			ch <- m
		}
	}
}

// TestFailedSampleCountedAndLoopGoesOn: a failed reading is counted, and
// the bytes of its interval arrive with the next good one.
func TestFailedSampleCountedAndLoopGoesOn(t *testing.T) {
	s := newScript()
	c := newTestChurn(t, s, Options{})
	s.write(10, "dd", 100)
	step(c, s)
	s.fail = errors.New("proc: permission denied")
	s.write(10, "dd", 50)
	step(c, s)
	s.fail = nil
	step(c, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.errors != 1 || c.samples != 2 {
		t.Errorf("errors %d samples %d, want 1 and 2", c.errors, c.samples)
	}
	if got := c.procs[procSeriesKey{"dd", "workload", sampler.BasisStorage}].written; got != 150 {
		t.Errorf("dd written %v, want 150 (the failed interval's bytes in the next)", got)
	}
}
