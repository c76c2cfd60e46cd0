//go:build !linux && !(windows && amd64)

package sampler

import (
	"runtime"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
)

// withDiskEvents leaves the source as it is: ETW disk events exist only in
// the windows/amd64 build. A Windows build for another architecture says
// so in its status line.
func withDiskEvents(s *gopsutilSource) Source {
	if runtime.GOOS == "windows" {
		if _, err := etwsession.Subscribe(etwsession.Provider{}, nil); err != nil {
			s.diskNote = err.Error()
		}
	}
	return s
}
