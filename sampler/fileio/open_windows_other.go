//go:build windows && !amd64

package fileio

import (
	"fmt"
	"runtime"
)

// Open reports that this Windows build has no per-file backend: the ETW
// library (github.com/tekert/golang-etw) builds for amd64 only.
func Open(opts Options) (Source, error) {
	return nil, fmt.Errorf("per-file activity is not in this windows/%s build: the ETW backend is built for windows/amd64; use the amd64 hvrdoctor.exe (it runs on arm64 Windows under emulation)", runtime.GOARCH)
}
