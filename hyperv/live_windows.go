//go:build windows

package hyperv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/yusufpapurcu/wmi"
	"golang.org/x/sys/windows"
)

// LiveTimeout bounds the WMI queries of ReadLive.
const LiveTimeout = 30 * time.Second

const namespace = `root\virtualization\v2`

// ReadLive reads the host's replication state live: from WMI
// (root\virtualization\v2) the relationships (Msvm_ReplicationRelationship,
// with the VMs' names from Msvm_ComputerSystem) and their statistics
// (Msvm_ReplicationStatistics through
// Msvm_ReplicationService.GetReplicationStatisticsEx), the replica
// server's settings and authorization entries for the audit; the
// "Hyper-V Replica VM" counters through PDH (English names); and the
// Microsoft-Windows-Hyper-V-VMMS-Admin events of the last 7 days through
// the Event Log API. Off a Hyper-V host (no such namespace) the error says
// it is not one; a part that cannot be read is left out and named in
// LiveNotes.
func ReadLive(ctx context.Context) (*Snapshot, error) {
	if vmmsService() == serviceMissing {
		return nil, ErrNoVMMS
	}
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
		if len(rels) > 0 {
			stats, err := readWMIStatistics(rels)
			snap.AddWMIStatistics(stats)
			switch {
			case err != nil:
				snap.LiveNotes = append(snap.LiveNotes, "statistics not read for every VM: "+oneLine(err.Error()))
			case len(stats) > 0:
				snap.LiveNotes = append(snap.LiveNotes, StatisticsDerivation)
			}
		}
		// The replica server's settings, for the audit: a host that is
		// not a replica server still answers; a failure here only leaves
		// the audit out.
		var settings []WMIServiceSettings
		var auths []WMIAuthorization
		if query(&settings, "Msvm_ReplicationServiceSettingData") == nil && query(&auths, "Msvm_ReplicationAuthorizationSettingData") == nil {
			snap.AddWMIServer(settings, auths)
		}
		if series, err := readReplicaCounters(); err != nil {
			snap.LiveNotes = append(snap.LiveNotes, "counters not read: "+oneLine(err.Error()))
		} else {
			snap.Counters = series
			snap.Files = append(snap.Files, FileKind{Path: "PDH", Kind: Kind(ReplicaCounterObject + " counters"), Items: len(series)})
		}
		if evs, err := readVMMSEvents(); err != nil {
			snap.LiveNotes = append(snap.LiveNotes, "events not read: "+oneLine(err.Error()))
		} else {
			snap.Events, snap.HasEvents = evs, true
			snap.Files = append(snap.Files, FileKind{Path: "Event Log", Kind: Kind(VMMSAdminChannel + " events, last 7 days"), Items: len(evs)})
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
	// go-ole's text for an HRESULT without a message ("error 2147614725
	// (FormatMessage failed with: ...) (<nil>)"): keep the code, in hex.
	if i := strings.Index(msg, " (FormatMessage failed"); i > 0 {
		if n, perr := strconv.ParseUint(strings.TrimPrefix(msg[:i], "error "), 10, 32); perr == nil {
			msg = fmt.Sprintf("error 0x%08X", n)
		}
	}
	if strings.Contains(strings.ToLower(msg), "invalid namespace") || strings.Contains(msg, "0x8004100E") {
		return fmt.Errorf("this is not a Hyper-V host (WMI has no %s namespace): run it on the host, or save the PowerShell outputs and use --from", namespace)
	}
	return fmt.Errorf("WMI %s %s: %s; run as Administrator on the Hyper-V host, or save the PowerShell outputs and use --from", namespace, class, msg)
}

// HostHasHyperV reports, without blocking, whether this machine runs the
// Virtual Machine Management service (vmms.exe in System32): the terminal
// UI then reads replication live for its Replication tab.
func HostHasHyperV() bool {
	switch vmmsService() {
	case serviceMissing:
		return false
	case serviceExists:
		return true
	}
	root := os.Getenv("SystemRoot")
	if root == "" {
		root = `C:\Windows`
	}
	st, err := os.Stat(filepath.Join(root, "System32", "vmms.exe"))
	return err == nil && st.Mode().IsRegular()
}

type serviceState int

const (
	serviceUnknown serviceState = iota
	serviceMissing
	serviceExists
)

// vmmsService asks the service control manager (connect right only, which
// every user has) whether the vmms service exists.
func vmmsService() serviceState {
	scm, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return serviceUnknown
	}
	defer windows.CloseServiceHandle(scm)
	name, _ := windows.UTF16PtrFromString("vmms")
	h, err := windows.OpenService(scm, name, windows.SERVICE_QUERY_STATUS)
	if err == nil {
		windows.CloseServiceHandle(h)
		return serviceExists
	}
	if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
		return serviceMissing
	}
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		return serviceExists // it exists; reading it is refused
	}
	return serviceUnknown
}
