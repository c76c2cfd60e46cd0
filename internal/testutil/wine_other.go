//go:build !windows

package testutil

// UnderWine reports whether this process runs under wine: never on a
// non-Windows build.
func UnderWine() bool { return false }
