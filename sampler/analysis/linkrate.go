package analysis

import (
	"fmt"
	"strconv"
	"strings"
)

// linkUnits maps a unit (lower case) to bytes per second per 1 unit. Bit
// units are decimal (networks: 1 Mbit = 10^6 bit); byte units "MB/s" are
// decimal too, "MiB/s" binary.
var linkUnits = map[string]float64{
	"bit": 1.0 / 8, "bps": 1.0 / 8, "bit/s": 1.0 / 8, "b/s": 1.0 / 8,
	"kbit": 1e3 / 8, "kbps": 1e3 / 8, "kbit/s": 1e3 / 8, "kb/s": 1e3 / 8,
	"mbit": 1e6 / 8, "mbps": 1e6 / 8, "mbit/s": 1e6 / 8, "mb/s": 1e6 / 8,
	"gbit": 1e9 / 8, "gbps": 1e9 / 8, "gbit/s": 1e9 / 8, "gb/s": 1e9 / 8,
	"tbit": 1e12 / 8, "tbps": 1e12 / 8, "tbit/s": 1e12 / 8,
}

// byteUnits are case-sensitive on the B (byte) so "Mb/s" stays bits.
var byteUnits = map[string]float64{
	"B/s": 1, "Bps": 1,
	"KB/s": 1e3, "kB/s": 1e3, "MB/s": 1e6, "GB/s": 1e9, "TB/s": 1e12,
	"KiB/s": 1 << 10, "MiB/s": 1 << 20, "GiB/s": 1 << 30, "TiB/s": 1 << 40,
	"KBps": 1e3, "MBps": 1e6, "GBps": 1e9,
}

// ParseLinkRate reads a link speed such as "100Mbit", "1Gbit", "10 Mbps",
// "50MB/s" or "12.5MiB/s" and returns bytes per second. A capital B means
// bytes, a lower-case b or "bit" means bits; a bare number is refused
// because bits and bytes differ eightfold.
func ParseLinkRate(s string) (float64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("link %q: expected a positive number and a unit, like 100Mbit, 1Gbit or 50MB/s", s)
	}
	if unit == "" {
		return 0, fmt.Errorf("link %q: add a unit, bits (100Mbit, 1Gbit) or bytes (50MB/s)", s)
	}
	if f, ok := byteUnits[unit]; ok {
		return v * f, nil
	}
	if strings.ContainsRune(unit, 'B') && !strings.Contains(strings.ToLower(unit), "bit") && !strings.HasSuffix(unit, "ps") {
		return 0, fmt.Errorf("link %q: unknown unit %q; use bits (Mbit, Gbit, Mbps) or bytes (MB/s, MiB/s)", s, unit)
	}
	if f, ok := linkUnits[strings.ToLower(unit)]; ok {
		return v * f, nil
	}
	return 0, fmt.Errorf("link %q: unknown unit %q; use bits (Mbit, Gbit, Mbps) or bytes (MB/s, MiB/s)", s, unit)
}
