//go:build !linux || !(amd64 || arm64)

package blockio

import (
	"errors"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Open loads the block-layer source; it exists on Linux (amd64, arm64)
// only.
func Open(clock sampler.Clock) (Source, error) {
	return nil, errors.New("block-layer disk bytes need Linux eBPF (amd64 or arm64)")
}
