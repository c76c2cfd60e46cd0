//go:build linux && !(amd64 || arm64)

package fileio

import (
	"errors"
	"runtime"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// ebpfSource exists on every Linux architecture so Open compiles; the
// counting program is built for amd64 and arm64 only.
type ebpfSource struct{ procSource }

func openEBPF(sampler.Clock) (*ebpfSource, error) {
	return nil, errors.New("the eBPF file counter is built for amd64 and arm64, not " + runtime.GOARCH)
}
