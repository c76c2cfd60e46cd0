//go:build windows

package etwsession

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

var procQueryPerformanceFrequency = windows.NewLazySystemDLL("kernel32.dll").NewProc("QueryPerformanceFrequency")

// QPCFrequency is the performance counter's ticks per second
// (QueryPerformanceFrequency), the unit of the Kernel-Disk events'
// HighResResponseTime (see ResponseNanos); 0 when it cannot be read.
func QPCFrequency() uint64 {
	var f int64
	if r, _, _ := procQueryPerformanceFrequency.Call(uintptr(unsafe.Pointer(&f))); r == 0 || f <= 0 {
		return 0
	}
	return uint64(f)
}
