package views

import (
	"math"
	"testing"
)

// Bytes, Rate and their widths are pinned by internal/units' table test.

func TestNiceCeil(t *testing.T) {
	const k, m = 1024.0, 1024.0 * 1024
	cases := []struct{ in, want float64 }{
		{0, k},
		{100, k},
		{3.7 * m, 5 * m},
		{4 * m, 5 * m},
		{1.9 * k, 2 * k},
		{2.2 * k, 2.5 * k},
		{180 * k, 200 * k},
		{900 * k, m}, // not "1000 KiB/s"
		{50 * m, 50 * m},
	}
	for _, c := range cases {
		if got := NiceCeil(c.in); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("NiceCeil(%v) = %v (%s), want %v (%s)", c.in, got, Rate(got), c.want, Rate(c.want))
		}
		if got := NiceCeil(c.in); got < c.in {
			t.Errorf("NiceCeil(%v) = %v is below the value", c.in, got)
		}
	}
}
