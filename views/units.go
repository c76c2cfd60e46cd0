package views

import (
	"math"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
)

// Bytes formats a byte count through the one units package: "0 B",
// "512 B", "1.5 KiB", "0.98 MiB". At most BytesWidth characters.
func Bytes(n uint64) string { return units.Bytes(float64(n)) }

// Rate formats bytes per second through the one units package: "0 B/s",
// "1.5 KiB/s", "99.9 MiB/s". At most RateWidth characters.
func Rate(bps float64) string { return units.Rate(bps) }

// RateWidth is the widest string Rate returns ("99.9 MiB/s").
const RateWidth = units.RateWidth

// BytesWidth is the widest string Bytes returns ("99.9 MiB").
const BytesWidth = units.BytesWidth

// NiceCeil rounds a positive rate up to a round scale maximum: 1, 2, 2.5, 5
// or 10 times a power of ten, in the binary unit that fits the value, so
// axis labels read "4 MiB/s", "250 KiB/s". Values at or below zero give
// 1 KiB/s, the smallest scale the graphs use.
func NiceCeil(bps float64) float64 {
	if math.IsNaN(bps) || bps <= 1024 {
		return 1024
	}
	v, u := units.Scaled(bps)
	unit := units.UnitSize(u)
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
