//go:build !linux && !windows

package storage

// New returns ErrUnsupported: there is no storage source for this OS.
func New() (Sampler, error) { return nil, ErrUnsupported }
