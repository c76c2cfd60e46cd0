package analysis

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
)

// maxNum bounds a number read from a recording (bytes, bytes per second,
// seconds): larger is damage, and summed it would overflow to +Inf, which
// JSON cannot carry (analyze --format json failed on one such cell).
const maxNum = 1e18

// parseNum reads a non-negative number up to maxNum. Integers (what the
// recorder writes) take a fast path; decimals and exponents go through
// strconv.
func parseNum(b []byte) (float64, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, fmt.Errorf("empty value")
	}
	if n, ok := digits(b); ok {
		return float64(n), nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number", b)
	}
	if f < 0 {
		return 0, fmt.Errorf("%q is negative", b)
	}
	if f > maxNum {
		return 0, fmt.Errorf("%q is over 10^18, more than a recording's rate or count can be", b)
	}
	return f, nil
}

// digits parses a run of 1 to 18 decimal digits without allocating (the
// strconv functions keep their input in errors, so it escapes).
func digits(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// parseUint reads a non-negative integer counter.
func parseUint(b []byte) (uint64, error) {
	b = bytes.TrimSpace(b)
	if n, ok := digits(b); ok {
		return uint64(n), nil
	}
	n, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole non-negative number", b)
	}
	return n, nil
}

// parseInt reads a signed integer (process start times).
func parseInt(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	if n, ok := digits(b); ok {
		return n, nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", b)
	}
	return n, nil
}

// parsePID reads a process ID.
func parsePID(b []byte) (int32, error) {
	b = bytes.TrimSpace(b)
	if n, ok := digits(b); ok && n <= 1<<31-1 {
		return int32(n), nil
	}
	n, err := strconv.ParseInt(string(b), 10, 32)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("PID %q is not a whole non-negative number", b)
	}
	return int32(n), nil
}
