package resync

import (
	"math"
	"testing"
	"time"
)

// The forecast arithmetic: half the disk over the rate, less what is
// already logged, capped, and no forecast without a disk or a rate.
func TestUntil(t *testing.T) {
	const gib = 1 << 30
	cases := []struct {
		name         string
		disk, logged int64
		rate         float64
		want         time.Duration
		ok           bool
	}{
		{"empty log, 1 MiB/s, 2 GiB disk", 2 * gib, 0, 1 << 20, 1024 * time.Second, true},
		{"half already logged", 2 * gib, gib / 2, 1 << 20, 512 * time.Second, true},
		{"at the threshold", 2 * gib, gib, 1 << 20, 0, true},
		{"past the threshold", 2 * gib, 3 * gib / 2, 1 << 20, 0, true},
		{"negative logged counts as empty", 2 * gib, -5, 1 << 20, 1024 * time.Second, true},
		{"127 GiB at 10 MB/s", 127 * gib, 0, 10e6, time.Duration(63.5 * gib / 10e6 * float64(time.Second)), true},
		{"tiny rate is capped", 2 * gib, 0, 1e-9, MaxUntil, true},
		{"no rate", 2 * gib, 0, 0, 0, false},
		{"negative rate", 2 * gib, 0, -1, 0, false},
		{"NaN rate", 2 * gib, 0, math.NaN(), 0, false},
		{"infinite rate", 2 * gib, 0, math.Inf(1), 0, false},
		{"no disk", 0, 0, 1 << 20, 0, false},
		{"negative disk", -gib, 0, 1 << 20, 0, false},
	}
	for _, c := range cases {
		got, ok := Until(c.disk, c.logged, c.rate)
		if ok != c.ok || got != c.want {
			t.Errorf("%s: Until(%d, %d, %g) = %v, %v; want %v, %v", c.name, c.disk, c.logged, c.rate, got, ok, c.want, c.ok)
		}
	}
	if got := Threshold(127 * gib); got != 127*gib/2 {
		t.Errorf("Threshold(127 GiB) = %d, want %d", got, 127*gib/2)
	}
}
