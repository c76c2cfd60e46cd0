//go:build !windows

package tui

import "context"

// readVMReplication has nothing to read off Windows: Hyper-V hosts run
// Windows, so the form starts from the flags and environment only.
func readVMReplication(context.Context) ([]VMReplication, error) { return nil, nil }
