//go:build !windows

package hyperv

import "context"

// ReadLive reads the host's replication state. Off Windows it returns
// ErrNotHyperVHost.
func ReadLive(context.Context) (*Snapshot, error) { return nil, ErrNotHyperVHost }

// HostHasHyperV reports whether this machine runs Hyper-V: never off
// Windows.
func HostHasHyperV() bool { return false }
