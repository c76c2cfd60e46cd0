//go:build !linux && !windows

package sampler

import "os"

// isPrivileged reports whether the process runs as root, which lets the
// sampler read every process.
func isPrivileged() bool { return os.Geteuid() == 0 }
