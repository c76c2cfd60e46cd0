//go:build !linux && !windows

package fileio

import (
	"fmt"
	"runtime"
)

// Open reports that per-file attribution has no backend on this system.
func Open(opts Options) (Source, error) {
	return nil, fmt.Errorf("per-file activity is not available on %s: hvrdoctor attributes files with eBPF or /proc on Linux and ETW on Windows", runtime.GOOS)
}
