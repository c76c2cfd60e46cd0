package sampler

import "golang.org/x/sys/windows"

// isPrivileged reports whether the process token is elevated
// (Administrator), which lets the sampler read every process.
func isPrivileged() bool {
	return windows.GetCurrentProcessToken().IsElevated()
}
