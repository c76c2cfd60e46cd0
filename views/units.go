package views

import (
	"fmt"
	"math"
)

// binaryUnits are the IEC prefixes used for sizes and rates.
var binaryUnits = []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// scaled returns v expressed in the largest binary unit that keeps it below
// 1000, and that unit's index. Values of 1000 to 1023 move up a unit so the
// number never needs four digits.
func scaled(v float64) (float64, int) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		v = 0
	}
	i := 0
	for v >= 1000 && i < len(binaryUnits)-1 {
		v /= 1024
		i++
	}
	return v, i
}

// number formats a scaled value with three significant digits at most:
// "0.98", "9.5", "99.5", "999". Whole bytes never get decimals.
func number(v float64, unit int) string {
	switch {
	case unit == 0 || v == 0:
		return fmt.Sprintf("%.0f", v)
	case v < 1:
		return fmt.Sprintf("%.2f", v)
	case v < 99.95:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// Bytes formats a byte count in binary units: "0 B", "512 B", "1.5 KiB",
// "12.3 MiB", "0.98 GiB". The result is at most 8 characters wide.
func Bytes(n uint64) string {
	v, u := scaled(float64(n))
	return number(v, u) + " " + binaryUnits[u]
}

// Rate formats bytes per second in binary units: "0 B/s", "512 B/s",
// "1.5 KiB/s", "99.9 MiB/s". Negative, NaN and infinite rates show as 0.
// The result is at most RateWidth characters wide.
func Rate(bps float64) string {
	v, u := scaled(bps)
	return number(v, u) + " " + binaryUnits[u] + "/s"
}

// RateWidth is the widest string Rate returns ("99.9 MiB/s").
const RateWidth = 10

// BytesWidth is the widest string Bytes returns ("99.9 MiB").
const BytesWidth = 8

// NiceCeil rounds a positive rate up to a round scale maximum: 1, 2, 2.5, 5
// or 10 times a power of ten, in the binary unit that fits the value, so
// axis labels read "4 MiB/s", "250 KiB/s". Values at or below zero give
// 1 KiB/s, the smallest scale the graphs use.
func NiceCeil(bps float64) float64 {
	if math.IsNaN(bps) || bps <= 1024 {
		return 1024
	}
	v, u := scaled(bps)
	unit := math.Pow(1024, float64(u))
	exp := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if c := m * exp; c >= v*(1-1e-9) {
			if c >= 1000 {
				return 1024 * unit // "1.0 MiB/s" rather than "1000 KiB/s"
			}
			return c * unit
		}
	}
	return 10 * exp * unit
}
