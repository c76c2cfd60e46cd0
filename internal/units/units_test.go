package units

import (
	"math"
	"testing"
	"time"
)

// The one table of how hvrdoctor prints quantities: every screen, report
// and command prints through these functions, so 1,024,000 bytes reads
// "0.98 MiB" everywhere (it read "0.98 MiB", "1000 KiB" or "1000.0 KiB"
// depending on the screen before there was one formatter).
func TestUnitsTable(t *testing.T) {
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"Bytes 0", Bytes(0), "0 B"},
		{"Bytes 512", Bytes(512), "512 B"},
		{"Bytes 1023", Bytes(1023), "1.00 KiB"},
		{"Bytes 4096", Bytes(4096), "4.0 KiB"},
		{"Bytes 1,024,000", Bytes(1_024_000), "0.98 MiB"},
		{"Bytes 50 MiB", Bytes(52428800), "50.0 MiB"},
		{"Bytes 516 MiB", Bytes(516 << 20), "516 MiB"},
		{"Bytes 5 TiB", Bytes(5 << 40), "5.0 TiB"},
		{"Bytes max", Bytes(math.MaxUint64), "16.0 EiB"},
		{"Bytes NaN", Bytes(math.NaN()), "0 B"},
		{"Rate 0", Rate(0), "0 B/s"},
		{"Rate -5", Rate(-5), "0 B/s"},
		{"Rate Inf", Rate(math.Inf(1)), "0 B/s"},
		{"Rate 1000", Rate(1000), "0.98 KiB/s"},
		{"Rate 1,024,000", Rate(1_024_000), "0.98 MiB/s"},
		{"Rate 1536", Rate(1536), "1.5 KiB/s"},
		{"Rate 500 KiB", Rate(500 * 1024), "500 KiB/s"},
		{"Rate 16 MiB", Rate(16 << 20), "16.0 MiB/s"},
		{"Bits 0", Bits(0), "0 bit/s"},
		{"Bits 100 Mbit", Bits(100e6 / 8), "100 Mbit/s"},
		{"Bits 16 MiB/s", Bits(16 << 20), "134 Mbit/s"},
		{"Bits 1,024,000 B/s", Bits(1_024_000), "8.2 Mbit/s"},
		{"Bits 9.1 Mbit", Bits(9.1e6 / 8), "9.1 Mbit/s"},
		{"Bits NaN", Bits(math.NaN()), "0 bit/s"},
		{"Sampling 250ms", Sampling(250 * time.Millisecond), "250ms"},
		{"Sampling 1s", Sampling(time.Second), "1s"},
		{"Sampling 1m", Sampling(time.Minute), "1m"},
		{"Interval 30s", Interval(30 * time.Second), "30 s"},
		{"Interval 29s", Interval(29 * time.Second), "29 s"},
		{"Interval 5m", Interval(5 * time.Minute), "5 min"},
		{"Interval 15m", Interval(15 * time.Minute), "15 min"},
		{"Interval 4m30s", Interval(270 * time.Second), "4 min 30 s"},
		{"Interval 2h", Interval(2 * time.Hour), "2 h"},
		{"Interval 5.04 s span", Interval(5041755963), "5.0 s"},
		{"Interval 29.6 s span", Interval(29600 * time.Millisecond), "30 s"},
		{"Interval 60 s", Interval(time.Minute), "1 min"},
		{"Interval 59.9 s", Interval(59900 * time.Millisecond), "1 min"},
		{"Interval 1h30m", Interval(90 * time.Minute), "1 h 30 min"},
		{"Lag 12s", Lag(12 * time.Second), "12 s"},
		{"Lag 4m", Lag(4*time.Minute + 10*time.Second), "4 min"},
		{"Lag 2h5m", Lag(125 * time.Minute), "2 h 5 min"},
		{"Age 3m20s", Age(200 * time.Second), "3m20s"},
		{"Age 2h50m", Age(170 * time.Minute), "2h50m"},
		{"Age 3d4h", Age(76 * time.Hour), "3d4h"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

// Every value a counter can produce fits the tables' fixed columns.
func TestUnitWidthsOverRange(t *testing.T) {
	for v := 1.0; v < 1e19; v *= 1.07 {
		if s := Rate(v); len(s) > RateWidth {
			t.Fatalf("Rate(%g) = %q, wider than %d", v, s, RateWidth)
		}
		if s := Bytes(v); len(s) > BytesWidth {
			t.Fatalf("Bytes(%g) = %q, wider than %d", v, s, BytesWidth)
		}
	}
}

// ParseSize: a number and a unit, SI or binary; no unit, a sign, NaN,
// infinity or an overflow are refused.
func TestParseSize(t *testing.T) {
	for in, want := range map[string]float64{"500GiB": 500 << 30, "2 TB": 2e12, "127GB": 127e9, "1.5kib": 1536, "7B": 7} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %g, %v; want %g", in, got, err, want)
		}
	}
	for _, in := range []string{"", "100", "-5GiB", "NaN", "NaNGiB", "Inf", "0GiB", "1e999GiB", "9000000000TiB", "5 parsecs", "GiB"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %g, want an error", in, got)
		}
	}
}
