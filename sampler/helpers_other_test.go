//go:build !linux

package sampler

// snapshotHelper is only used by the Linux privilege test.
func snapshotHelper() int { return 2 }
