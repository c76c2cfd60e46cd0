package exporter

import (
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"
)

// TestReplicationCollectorShape checks the metric set the host view will
// feed: unknown fields are left out, health is an enum, lint is clean.
func TestReplicationCollectorShape(t *testing.T) {
	rows := []VMReplication{
		{VM: "sql01", Mode: "primary", State: "Replicating", Health: "Warning", PendingBytes: 1 << 20, HasPendingBytes: true,
			LastReplication: time.Unix(1_800_000_000, 0), HasStatistics: true, SuccessfulCycles: 100, MissedCycles: 30,
			AverageLatency: 40 * time.Second, MaximumLatency: 5 * time.Minute},
		{VM: "web01", Mode: "primary", State: "Suspended"},
	}
	c := replicationCollector{rows: func() []VMReplication { return rows }}
	if n := promtest.CollectAndCount(c); n != 1+3+1+1+6+1 {
		t.Errorf("%d series, want 13 (unknown fields of web01 left out)", n)
	}
	problems, err := promtest.CollectAndLint(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}
