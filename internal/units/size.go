package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the units ParseSize accepts (bytes; SI and binary).
var sizeUnits = map[string]float64{
	"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
	"KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40,
}

// ParseSize reads a size such as "500GiB", "2 TB" or "127GB" and returns
// bytes. The unit is required (GB and GiB differ by 7%).
func ParseSize(s string) (float64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i <= 0 {
		return 0, fmt.Errorf("size %q: give a number and a unit, such as 500GiB or 2TB", s)
	}
	n, err := strconv.ParseFloat(t[:i], 64)
	unit, ok := sizeUnits[strings.ToUpper(strings.TrimSpace(t[i:]))]
	if err != nil || !ok || n <= 0 || math.IsInf(n*unit, 0) || n*unit >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q: give a positive number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), such as 500GiB", s)
	}
	return n * unit, nil
}
