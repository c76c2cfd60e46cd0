package views

import (
	"math"
	"testing"
)

func TestRate(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0 B/s"},
		{-5, "0 B/s"},
		{math.NaN(), "0 B/s"},
		{math.Inf(1), "0 B/s"},
		{512, "512 B/s"},
		{999, "999 B/s"},
		{1000, "0.98 KiB/s"},
		{1536, "1.5 KiB/s"},
		{10 * 1024, "10.0 KiB/s"},
		{99.9 * 1024, "99.9 KiB/s"},
		{500 * 1024, "500 KiB/s"},
		{50 * 1024 * 1024, "50.0 MiB/s"},
		{1.3 * 1024 * 1024 * 1024, "1.3 GiB/s"},
	}
	for _, c := range cases {
		got := Rate(c.in)
		if got != c.want {
			t.Errorf("Rate(%v) = %q, want %q", c.in, got, c.want)
		}
		if len(got) > RateWidth {
			t.Errorf("Rate(%v) = %q is wider than RateWidth %d", c.in, got, RateWidth)
		}
	}
}

func TestBytes(t *testing.T) {
	cases := []struct {
		in   uint64
		want string
	}{
		{0, "0 B"},
		{1023, "1.00 KiB"},
		{4096, "4.0 KiB"},
		{52428800, "50.0 MiB"},
		{5 << 40, "5.0 TiB"},
		{math.MaxUint64, "16.0 EiB"},
	}
	for _, c := range cases {
		if got := Bytes(c.in); got != c.want {
			t.Errorf("Bytes(%d) = %q, want %q", c.in, got, c.want)
		}
		if got := Bytes(c.in); len(got) > BytesWidth {
			t.Errorf("Bytes(%d) = %q is wider than BytesWidth %d", c.in, got, BytesWidth)
		}
	}
}

// Every value a counter can produce fits the table's fixed columns.
func TestUnitWidthsOverRange(t *testing.T) {
	for v := 1.0; v < 1e19; v *= 1.07 {
		if s := Rate(v); len(s) > RateWidth {
			t.Fatalf("Rate(%g) = %q, wider than %d", v, s, RateWidth)
		}
		if s := Bytes(uint64(v)); len(s) > BytesWidth {
			t.Fatalf("Bytes(%g) = %q, wider than %d", v, s, BytesWidth)
		}
	}
}

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
