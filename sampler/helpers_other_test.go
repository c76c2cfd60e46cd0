//go:build !linux

package sampler

// snapshotHelper is only used by the Linux privilege test.
func snapshotHelper() int { return 2 }

// fexecHelper is only used by the Linux memfd naming test.
func fexecHelper([]string) int { return 2 }

// evilNameHelper is only used by the Linux hostile-name test.
func evilNameHelper([]string) int { return 2 }
