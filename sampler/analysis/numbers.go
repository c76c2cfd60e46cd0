package analysis

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
)

// parseNum reads a non-negative number. Integers (what the recorder writes)
// take a fast path; decimals and exponents go through strconv.
func parseNum(b []byte) (float64, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, fmt.Errorf("empty value")
	}
	if len(b) <= 18 {
		var n int64
		ok := true
		for _, c := range b {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			n = n*10 + int64(c-'0')
		}
		if ok {
			return float64(n), nil
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number", b)
	}
	if f < 0 {
		return 0, fmt.Errorf("%q is negative", b)
	}
	return f, nil
}

// parseUint reads a non-negative integer counter.
func parseUint(b []byte) (uint64, error) {
	b = bytes.TrimSpace(b)
	n, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole non-negative number", b)
	}
	return n, nil
}

// parseInt reads a signed integer (process start times).
func parseInt(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", b)
	}
	return n, nil
}

// parsePID reads a process ID.
func parsePID(b []byte) (int32, error) {
	b = bytes.TrimSpace(b)
	n, err := strconv.ParseInt(string(b), 10, 32)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("PID %q is not a whole non-negative number", b)
	}
	return int32(n), nil
}
