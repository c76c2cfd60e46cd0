//go:build !linux && !windows

package sampler

// ReadIOPriority returns ErrIOPriorityUnsupported: this OS has no I/O
// priority call the program uses.
func ReadIOPriority(int32) (IOPriority, error) { return IOPriority{}, ErrIOPriorityUnsupported }
