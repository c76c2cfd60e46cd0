//go:build !linux && !windows

package disksize

import (
	"fmt"
	"runtime"
)

func read() ([]Disk, error) {
	return nil, fmt.Errorf("disk sizes: not read on %s; give --disk-size", runtime.GOOS)
}
