package views

import (
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// The forecast block: the figure and its one-line basis, or the reason
// there is none; the time worded in hours, days or capped.
func TestForecastBlock(t *testing.T) {
	r := analysis.Report{ForecastNote: "No resync forecast: disk sizes: no whole disk found in /sys/block; give --disk-size."}
	if b := forecastBlock(r); len(b.Lines) != 1 || b.Lines[0] != r.ForecastNote || b.Key != "forecast" {
		t.Errorf("no forecast: %+v", b)
	}
	r.Forecast = &analysis.GuestForecast{DiskBytes: 256 << 30, ThresholdBytes: 128 << 30, RateBytesPerSec: 1 << 20,
		Until: 128 * 1024 * time.Second, Basis: "Basis: one line."}
	b := forecastBlock(r)
	if len(b.Lines) != 2 || !strings.Contains(b.Lines[0], "could reach 128 GiB, 50% of the 256 GiB of disks, in as little as about 36 h 25 min") || b.Lines[1] != "Basis: one line." {
		t.Errorf("forecast: %q", b.Lines)
	}
	for _, c := range []struct {
		d      time.Duration
		capped bool
		want   string
	}{{90 * time.Second, false, "as little as about 2 min"}, {3 * 24 * time.Hour, false, "as little as about 3.0 days"},
		{100 * 365 * 24 * time.Hour, true, "more than 100 years"}} {
		if got := ForecastSpan(c.d, c.capped); got != c.want {
			t.Errorf("ForecastSpan(%v, %v) = %q, want %q", c.d, c.capped, got, c.want)
		}
	}
}
