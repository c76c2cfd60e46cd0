package testutil

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FioClat is fio's completion latency of writes, in milliseconds: the
// mean and the 5th, 50th and 95th percentiles.
type FioClat struct{ Mean, P5, P50, P95 float64 }

// FioWriteClat reads fio's write completion latency (clat_ns) from its
// JSON report (--output-format=json); it fails the test when the report
// has none.
func FioWriteClat(t testing.TB, b []byte) FioClat {
	t.Helper()
	if i := bytes.IndexByte(b, '{'); i > 0 {
		b = b[i:] // fio may print notes before the document
	}
	var doc struct {
		Jobs []struct {
			Write struct {
				ClatNs struct {
					Mean       float64            `json:"mean"`
					Percentile map[string]float64 `json:"percentile"`
				} `json:"clat_ns"`
			} `json:"write"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Jobs) == 0 {
		t.Fatalf("fio JSON: %v\n%s", err, b)
	}
	c := doc.Jobs[0].Write.ClatNs
	p5, ok5 := c.Percentile["5.000000"]
	p50, ok50 := c.Percentile["50.000000"]
	p95, ok95 := c.Percentile["95.000000"]
	if !ok5 || !ok50 || !ok95 || c.Mean == 0 {
		t.Fatalf("fio JSON has no write completion latency with 5th, 50th and 95th percentiles:\n%s", b)
	}
	return FioClat{Mean: c.Mean / 1e6, P5: p5 / 1e6, P50: p50 / 1e6, P95: p95 / 1e6}
}
