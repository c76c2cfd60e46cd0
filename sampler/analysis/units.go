package analysis

import (
	"fmt"
	"time"
)

// FormatBytes renders a size in binary units: "512 B", "34.4 MiB".
func FormatBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	if b >= 100 {
		return fmt.Sprintf("%.0f %s", b, units[i])
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// FormatBits renders a bandwidth in bytes per second as decimal bits per
// second, the way links are sold: "23.1 Mbit/s".
func FormatBits(bytesPerSec float64) string {
	v := bytesPerSec * 8
	units := []string{"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"}
	i := 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	if v >= 100 || i == 0 {
		return fmt.Sprintf("%.0f %s", v, units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// formatInterval renders 30s, 5m, 15m as "30 s", "5 min", "15 min".
func formatInterval(d time.Duration) string {
	if d < time.Minute || d%time.Minute != 0 {
		return fmt.Sprintf("%g s", d.Seconds())
	}
	return fmt.Sprintf("%d min", int(d/time.Minute))
}

// formatLag renders a lag rounded for humans.
func formatLag(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	default:
		return d.Round(time.Minute).String()
	}
}

func className(c string) string {
	if c == "" {
		return "unclassified"
	}
	return c
}
