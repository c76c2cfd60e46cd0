// Package units formats the quantities hvrdoctor prints: sizes in bytes,
// disk rates in bytes per second, WAN bandwidth in bits per second, and
// durations (sampling intervals, replication intervals, lags). It is the
// one home of these formats: the screens, the reports, `analyze` and
// `record` all print through it, so a number reads the same everywhere.
package units

import (
	"fmt"
	"math"
	"time"
)

// binaryUnits are the IEC prefixes used for sizes and rates.
var binaryUnits = []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// Scaled returns v expressed in the largest binary unit that keeps it below
// 1000, and that unit's power of 1024. Values of 1000 to 1023 move up a
// unit so the number never needs four digits. NaN, infinite and negative
// values count as 0.
func Scaled(v float64) (float64, int) {
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

// Bytes formats a size in binary units: "0 B", "512 B", "1.5 KiB",
// "12.3 MiB", "0.98 MiB" (1,024,000 bytes). At most BytesWidth characters.
func Bytes(n float64) string {
	v, u := Scaled(n)
	return number(v, u) + " " + binaryUnits[u]
}

// Rate formats bytes per second in binary units: "0 B/s", "1.5 KiB/s",
// "99.9 MiB/s". At most RateWidth characters.
func Rate(bps float64) string {
	v, u := Scaled(bps)
	return number(v, u) + " " + binaryUnits[u] + "/s"
}

// RateWidth is the widest string Rate returns ("99.9 MiB/s").
const RateWidth = 10

// BytesWidth is the widest string Bytes returns ("99.9 MiB").
const BytesWidth = 8

// UnitSize is the number of bytes in binary unit i (1024^i).
func UnitSize(i int) float64 { return math.Pow(1024, float64(i)) }

// Bits formats a bandwidth given in bytes per second as decimal bits per
// second, the way links are sold: "23.1 Mbit/s", "315 Mbit/s".
func Bits(bytesPerSec float64) string {
	v := bytesPerSec * 8
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		v = 0
	}
	names := []string{"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"}
	i := 0
	for v >= 1000 && i < len(names)-1 {
		v /= 1000
		i++
	}
	if v >= 99.95 || i == 0 {
		return fmt.Sprintf("%.0f %s", v, names[i])
	}
	return fmt.Sprintf("%.1f %s", v, names[i])
}

// Sampling formats a sampling interval compactly: "250ms", "1s", "1m".
func Sampling(d time.Duration) string {
	switch {
	case d <= 0:
		return "?"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", int(d/time.Second))
	default:
		return d.String()
	}
}

// Interval formats a replication interval or a span for reading: "30 s",
// "5 min", "15 min", "29 s", "4 min 30 s", "1 h 30 min"; a span under 10 s
// keeps one decimal ("5.0 s"), longer ones are rounded to the second.
func Interval(d time.Duration) string {
	switch {
	case d < 10*time.Second && d%time.Second != 0:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Minute-time.Second/2:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		d = d.Round(time.Second)
		if d%time.Minute == 0 {
			return fmt.Sprintf("%d min", int(d/time.Minute))
		}
		return fmt.Sprintf("%d min %d s", int(d/time.Minute), int(d%time.Minute/time.Second))
	default:
		d = d.Round(time.Minute)
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
}

// Lag formats a delay rounded for humans: "12 s", "4 min", "2 h 5 min".
func Lag(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	default:
		return Interval(d)
	}
}

// Age formats how long ago something happened, to the second below an
// hour, to the minute below three days, then to the hour: "3m20s",
// "2h15m", "3d4h".
func Age(d time.Duration) string {
	switch {
	case d < time.Hour:
		return d.Round(time.Second).String()
	case d < 72*time.Hour:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	d = d.Round(time.Hour)
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}
