package sampler

import "time"

// Clock tells the time. Tests inject a fake one so rates are deterministic.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
