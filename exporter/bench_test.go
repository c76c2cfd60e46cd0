package exporter

import (
	"fmt"
	"io"
	"testing"

	"github.com/prometheus/common/expfmt"
)

// churnWith returns a Churn over n processes that all wrote in the last
// interval, named distinct (worst case for the series bound) or all alike.
func churnWith(b *testing.B, n int, distinct bool) *Churn {
	s := newScript()
	c, err := NewChurn(b.Context(), s, nil, "", Options{Clock: fixedClock{s}, TopPIDs: 10})
	if err != nil {
		b.Fatal(err)
	}
	for range 3 {
		for i := range n {
			name := "svchost.exe"
			if distinct {
				name = fmt.Sprintf("proc%04d", i)
			}
			s.write(int32(1000+i), name, 4096)
		}
		step(c, s)
	}
	return c
}

// BenchmarkScrape is the cost of one /metrics scrape of the churn
// collector (gather and encode as the text format), 1,000 processes:
//
//	go test -run '^$' -bench Scrape -benchmem ./exporter/
func BenchmarkScrape(b *testing.B) {
	for _, distinct := range []bool{false, true} {
		name := "1000procs-same-name"
		if distinct {
			name = "1000procs-distinct-names"
		}
		b.Run(name, func(b *testing.B) {
			c := churnWith(b, 1000, distinct)
			reg := NewRegistry(c)
			mfs, _ := reg.Gather()
			series := 0
			for _, mf := range mfs {
				if len(mf.GetName()) > 10 && mf.GetName()[:10] == "hvrdoctor_" {
					series += len(mf.GetMetric())
				}
			}
			for b.Loop() {
				mfs, err := reg.Gather()
				if err != nil {
					b.Fatal(err)
				}
				enc := expfmt.NewEncoder(io.Discard, expfmt.NewFormat(expfmt.TypeTextPlain))
				for _, mf := range mfs {
					enc.Encode(mf)
				}
			}
			b.ReportMetric(float64(series), "hvrdoctor-series")
		})
	}
}

// BenchmarkStep is the cost of one sample's bookkeeping (not the reading
// of /proc) with 1,000 processes writing.
func BenchmarkStep(b *testing.B) {
	s := newScript()
	c, err := NewChurn(b.Context(), s, nil, "", Options{Clock: fixedClock{s}})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for i := range 1000 {
			s.write(int32(1000+i), fmt.Sprintf("proc%04d", i%300), 4096)
		}
		step(c, s)
	}
}
