//go:build windows

package hyperv

import "context"

// ReadLive reads the host's replication state. The live readers (WMI
// root\virtualization\v2, the Hyper-V Replica VM counters, the VMMS-Admin
// event log) are not built yet: it returns ErrLiveNotImplemented rather
// than anything made up.
func ReadLive(context.Context) (*Snapshot, error) { return nil, ErrLiveNotImplemented }
