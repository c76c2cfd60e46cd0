package exporter

import (
	"context"
	"errors"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"
)

// fixedSource returns its fields on every Read.
type fixedSource struct {
	read ReplicationRead
	err  error
}

func (f *fixedSource) Read(context.Context) (ReplicationRead, error) { return f.read, f.err }

// TestReplicationCollectorShape: unknown fields are left out, health is
// an enum, a VM named twice gives no duplicate series, lint is clean.
func TestReplicationCollectorShape(t *testing.T) {
	src := &fixedSource{read: ReplicationRead{AsOf: time.Unix(1_800_000_000, 0), VMs: []VMReplication{
		{VM: "sql01", Relationship: "primary", Mode: "Primary", State: "Replicating", Health: "Warning", PendingBytes: 1 << 20, HasPendingBytes: true,
			LastReplication: time.Unix(1_800_000_000, 0), HasCycles: true, HasErrors: true, SuccessfulCycles: 100, MissedCycles: 30,
			AverageLatency: 40 * time.Second, HasAverageLatency: true, MaximumLatency: 5 * time.Minute, HasMaximumLatency: true,
			Rules: []ReplicationRule{{ID: "missed-cycles", Level: "Warning"}}},
		{VM: "web01", Relationship: "primary", State: "Suspended"},
		{VM: "web01", Relationship: "primary", State: "Replicating"},
	}}}
	r := NewReplication(src, "files", time.Minute)
	if err := r.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	// 5 source series; sql01: state, 3 health, rule, pending, last, 3 cycles, 2 latency; web01: state.
	if n := promtest.CollectAndCount(r); n != 5+12+1 {
		t.Errorf("%d series, want 18 (unknown fields of web01 left out, its second row ignored)", n)
	}
	problems, err := promtest.CollectAndLint(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

// TestReplicationKeepsLastGoodRead: a failed re-read keeps the VMs of the
// last good one and says so with replication_source_up 0 and the error
// counter.
func TestReplicationKeepsLastGoodRead(t *testing.T) {
	src := &fixedSource{read: ReplicationRead{AsOf: time.Unix(1_800_000_000, 0), VMs: []VMReplication{
		{VM: "sql01", Relationship: "primary", Health: "Critical"}}}}
	r := NewReplication(src, "files", time.Minute)
	if err := r.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	src.err = errors.New("--replication-from x: cannot read")
	if err := r.Step(context.Background()); err == nil {
		t.Fatal("Step hid the read error")
	}
	got := gather(t, r)
	for name, want := range map[string]float64{
		`hvrdoctor_replication_source_up`:                                                      0,
		`hvrdoctor_replication_source_reads_total`:                                             2,
		`hvrdoctor_replication_source_read_errors_total`:                                       1,
		`hvrdoctor_vm_replication_health{health="Critical",relationship="primary",vm="sql01"}`: 1,
	} {
		if v, ok := got[name]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", name, v, ok, want)
		}
	}
}

// TestReplicationFirstFailure: the first read's error reaches the caller
// (serve refuses saved files it cannot read), and the collector still
// works, with replication_source_up 0.
func TestReplicationFirstFailure(t *testing.T) {
	r := NewReplication(&fixedSource{err: errors.New("bad")}, "wmi", time.Minute)
	if err := r.Step(context.Background()); err == nil {
		t.Fatal("Step hid a first read that failed")
	}
	if got := gather(t, r); got["hvrdoctor_replication_source_up"] != 0 || got["hvrdoctor_replication_source_read_errors_total"] != 1 {
		t.Errorf("after a failed first read: %v", got)
	}
}

// TestReplicationRunReadsFirst: Run reads at once when nothing was read
// (the WMI path), not only after the first interval.
func TestReplicationRunReadsFirst(t *testing.T) {
	src := &fixedSource{read: ReplicationRead{VMs: []VMReplication{{VM: "sql01", Relationship: "primary", Health: "Normal"}}}}
	r := NewReplication(src, "wmi", time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for gather(t, r)["hvrdoctor_replication_source_reads_total"] != 1 {
		if time.Now().After(deadline) {
			t.Fatal("Run did not read within 10 s with a 1 h interval")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

// TestReplicationOddNames: names from files with invalid UTF-8 or markup
// are exposed (replaced characters), never panic a scrape.
func TestReplicationOddNames(t *testing.T) {
	src := &fixedSource{read: ReplicationRead{VMs: []VMReplication{
		{VM: "bad\xff\xfename", Relationship: "primary", State: "Repl\xffing", Health: "Normal"},
		{VM: "q\"uote\n{x}", Relationship: "primary", Health: "Warning"},
	}}}
	r := NewReplication(src, "files", time.Minute)
	if err := r.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := gather(t, r)
	if got["hvrdoctor_vm_replication_health{health=\"Normal\",relationship=\"primary\",vm=\"bad\uFFFD\uFFFDname\"}"] != 1 {
		t.Errorf("invalid UTF-8 name not exposed with a replacement character: %v", keysWith(got, "health{"))
	}
	if got["hvrdoctor_vm_replication_health{health=\"Warning\",relationship=\"primary\",vm=\"q\"uote\uFFFD{x}\"}"] != 1 {
		t.Errorf("name with quotes and a newline (replaced, as every control character) missing: %v", keysWith(got, "health{"))
	}
	if problems, err := promtest.CollectAndLint(r); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}
