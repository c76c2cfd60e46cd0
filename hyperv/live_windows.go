//go:build windows

package hyperv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yusufpapurcu/wmi"
)

// LiveTimeout bounds the WMI queries of ReadLive.
const LiveTimeout = 30 * time.Second

const namespace = `root\virtualization\v2`

// ReadLive reads the host's replication relationships from WMI
// (root\virtualization\v2: Msvm_ReplicationRelationship, with the VMs'
// names from Msvm_ComputerSystem): state, health and last replication;
// and the replica server's settings and authorization entries for the
// audit. Statistics, events and counters are not read live yet: save them as the README shows and use --from. Off a
// Hyper-V host (no such namespace) the error says it is not one.
func ReadLive(ctx context.Context) (*Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, LiveTimeout)
	defer cancel()
	type result struct {
		snap *Snapshot
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		// A WMI query cannot be cancelled: on timeout this goroutine
		// finishes on its own and its result is dropped.
		var rels []WMIRelationship
		if err := query(&rels, "Msvm_ReplicationRelationship"); err != nil {
			ch <- result{err: err}
			return
		}
		var systems []WMISystem
		if err := query(&systems, "Msvm_ComputerSystem"); err != nil {
			ch <- result{err: err}
			return
		}
		snap := FromWMI(rels, systems)
		// The replica server's settings, for the audit: a host that is
		// not a replica server still answers; a failure here only leaves
		// the audit out.
		var settings []WMIServiceSettings
		var auths []WMIAuthorization
		if query(&settings, "Msvm_ReplicationServiceSettingData") == nil && query(&auths, "Msvm_ReplicationAuthorizationSettingData") == nil {
			snap.AddWMIServer(settings, auths)
		}
		ch <- result{snap: snap}
	}()
	select {
	case r := <-ch:
		return r.snap, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("WMI %s did not answer within %s: save the PowerShell outputs (see the README) and use --from", namespace, LiveTimeout)
	}
}

func query(dst any, class string) error {
	q := wmi.CreateQuery(dst, "", class)
	err := wmi.QueryNamespace(q, dst, namespace)
	var mismatch *wmi.ErrFieldMismatch
	if err == nil || errors.As(err, &mismatch) {
		return nil // a property missing on this Windows version stays zero
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if strings.Contains(strings.ToLower(msg), "invalid namespace") || strings.Contains(msg, "0x8004100E") {
		return fmt.Errorf("this is not a Hyper-V host (WMI has no %s namespace): run it on the host, or save the PowerShell outputs and use --from", namespace)
	}
	return fmt.Errorf("WMI %s %s: %s; run as Administrator on the Hyper-V host, or save the PowerShell outputs and use --from", namespace, class, msg)
}

// HostHasHyperV reports, without blocking, whether this machine runs the
// Virtual Machine Management service (vmms.exe in System32): the terminal
// UI then reads replication live for its Replication tab.
func HostHasHyperV() bool {
	root := os.Getenv("SystemRoot")
	if root == "" {
		root = `C:\Windows`
	}
	st, err := os.Stat(filepath.Join(root, "System32", "vmms.exe"))
	return err == nil && st.Mode().IsRegular()
}
