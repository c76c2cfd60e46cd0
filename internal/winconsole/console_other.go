//go:build !windows

package winconsole

// Setup changes nothing outside Windows; the State it returns restores
// nothing and never pauses.
func Setup() *State { return nil }
