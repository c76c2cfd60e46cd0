// Package resync is the one home of Hyper-V Replica's forced
// resynchronization trigger and of the arithmetic of how long a change log
// takes to reach it. The host side (hyperv) and the guest side
// (sampler/analysis) both forecast through it.
package resync

import (
	"math"
	"time"
)

// Share is the documented trigger of a forced resynchronization: the
// change-tracking log (.hrl) exceeding 50% of the VM's total virtual disk
// size (Hyper-V Replica team blog, 2013-05-10).
const Share = 0.5

// MaxUntil caps a forecast: a log that would take longer than this to
// reach the threshold is reported as taking at least this long.
const MaxUntil = 100 * 365 * 24 * time.Hour

// Threshold is Share of diskBytes: the log size that forces a
// resynchronization.
func Threshold(diskBytes int64) int64 {
	return int64(Share * float64(diskBytes))
}

// Until is how long a change log of loggedBytes growing by rate bytes per
// second takes to reach Threshold(diskBytes), if nothing is sent
// meanwhile: 0 when it is already there, at most MaxUntil. ok is false
// when there is no forecast: no disk size, or a rate that is not a
// positive finite number.
func Until(diskBytes, loggedBytes int64, rate float64) (d time.Duration, ok bool) {
	if diskBytes <= 0 || math.IsNaN(rate) || math.IsInf(rate, 0) || rate <= 0 {
		return 0, false
	}
	left := Threshold(diskBytes) - max(loggedBytes, 0)
	if left <= 0 {
		return 0, true
	}
	sec := float64(left) / rate
	if sec >= MaxUntil.Seconds() {
		return MaxUntil, true
	}
	return time.Duration(sec * float64(time.Second)), true
}
