package analysis

import (
	"fmt"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/resync"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
)

// GuestForecast is the guest side of the resync forecast: how long the
// change log would grow, at the recording's sustained write rate, before
// it reached resync.Share of the guest's total disk size, if replication
// stalled and sent nothing. The host side is hyperv.Forecast; both use
// resync.Until.
type GuestForecast struct {
	// DiskBytes is the guest's total disk size and DiskSource where it
	// comes from; ThresholdBytes is resync.Share of it.
	DiskBytes      int64
	DiskSource     string
	ThresholdBytes int64
	// RateBytesPerSec is the sustained write rate: the minute totals
	// (RateSource says what they count) over the Recorded span.
	RateBytesPerSec float64
	RateSource      string
	Recorded        time.Duration
	// Until is the time to the threshold from an empty log (at most
	// resync.MaxUntil); Capped is true when it was capped.
	Until  time.Duration
	Capped bool
	// Basis states what the forecast rests on, in one line.
	Basis string
}

// forecast is the guest's resync forecast, or the reason there is none.
// It needs what the measured impact figures need: one complete
// replication cycle of the shortest interval analysed.
func (a *Analyzer) forecast(r Report) (*GuestForecast, string) {
	o := a.opt
	if o.DiskBytes <= 0 && o.DiskSource != "" {
		return nil, "No resync forecast: " + o.DiskSource + "."
	}
	if o.DiskBytes <= 0 {
		return nil, "No resync forecast: the disk size is not known. Recordings do not carry disk sizes; give the guest's total disk size with --disk-size (such as 127GiB, or 127GiB,40GiB for two disks)."
	}
	var shortest *Impact
	for i := range r.Impact {
		if shortest == nil || r.Impact[i].Interval < shortest.Interval {
			shortest = &r.Impact[i]
		}
	}
	if shortest == nil || shortest.Cycles == 0 {
		need := "one complete replication cycle"
		if shortest != nil {
			need = fmt.Sprintf("one complete %s replication cycle, as the impact figures do", units.Interval(shortest.Interval))
		}
		return nil, "No resync forecast yet: too little recorded; it needs " + need + "."
	}
	f := &GuestForecast{DiskBytes: o.DiskBytes, DiskSource: o.DiskSource, ThresholdBytes: resync.Threshold(o.DiskBytes),
		RateSource: r.TotalSource, Recorded: shortest.Recorded}
	if f.Recorded > 0 {
		f.RateBytesPerSec = r.TotalBytes / f.Recorded.Seconds()
	}
	until, ok := resync.Until(f.DiskBytes, 0, f.RateBytesPerSec)
	if !ok {
		return nil, fmt.Sprintf("No resync forecast: nothing was written in the %s recorded, so the change log would not grow.", units.Interval(f.Recorded))
	}
	f.Until, f.Capped = until, until >= resync.MaxUntil
	src := f.DiskSource
	if src == "" {
		src = "--disk-size"
	}
	f.Basis = fmt.Sprintf("Basis: the sustained write rate %s (%s, averaged over the %s recorded) taken as the change log's growth from empty "+
		"(an upper bound, so the time is the shortest), against 50%% of the guest's total disk size %s (%s), the documented trigger of a forced resynchronization; only if replication stalls and sends nothing.",
		units.Rate(f.RateBytesPerSec), f.RateSource, units.Interval(f.Recorded), units.Bytes(float64(f.DiskBytes)), src)
	return f, ""
}
