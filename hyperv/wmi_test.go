package hyperv

import (
	"testing"
	"time"
)

// The WMI rows are typed from Microsoft's root\virtualization\v2 class
// reference as summarised in the facts file (InstanceID
// Microsoft:<vmid>\HVR\<0|1>, ReplicationState 3 Replicating, 9
// WaitingToStartResync, ReplicationHealth 1 Ok, 3 Critical); no Hyper-V
// host was at hand to query.
func TestFromWMI(t *testing.T) {
	const id = "1F2E3D4C-0000-4000-8000-00000000A001"
	last := time.Date(2026, 12, 6, 6, 10, 0, 0, time.UTC)
	snap := FromWMI([]WMIRelationship{
		{InstanceID: `Microsoft:` + id + `\HVR\0`, ReplicationState: 9, ReplicationHealth: 3, LastReplicationTime: last},
		{InstanceID: `Microsoft:` + id + `\HVR\1`, ReplicationState: 3, ReplicationHealth: 1, LastReplicationTime: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)},
		{InstanceID: `garbage`, ReplicationState: 3},
	}, []WMISystem{{Name: "HV1", ElementName: "HV1"}, {Name: "1f2e3d4c-0000-4000-8000-00000000a001", ElementName: "SQL01"}})
	if !snap.Live || len(snap.Replications) != 2 {
		t.Fatalf("snapshot: %+v", snap)
	}
	vms := Status(snap, last.Add(30*time.Minute))
	if len(vms) != 2 {
		t.Fatalf("%d VMs", len(vms))
	}
	p, e := vms[0], vms[1]
	if p.Name != "SQL01" || p.Relationship != "primary" || p.State != "WaitingToStartResync" || p.Health != LevelCritical ||
		!p.LastReplication.Equal(last) || ruleIDs(p) != "resync-required" {
		t.Errorf("primary: %+v rules %q", p, ruleIDs(p))
	}
	if e.Name != "SQL01" || e.Relationship != "extended" || e.State != "Replicating" || e.Health != LevelNormal || !e.LastReplication.IsZero() {
		t.Errorf("extended: %+v", e)
	}
	if got := fixCommands(p); got == "" {
		t.Error("no fix for a VM needing resync")
	}
}

// Replica server settings typed from the WMI class reference
// (Msvm_ReplicationServiceSettingData: RecoveryServerEnabled,
// AllowedAuthenticationType 1 Kerberos, HttpPort, HttpsPort;
// Msvm_ReplicationAuthorizationSettingData: AllowedPrimaryHostSystem,
// TrustGroup, ReplicaStorageLocation) feed the audit.
func TestAddWMIServer(t *testing.T) {
	s := FromWMI(nil, nil)
	s.AddWMIServer([]WMIServiceSettings{{RecoveryServerEnabled: false, AllowedAuthenticationType: 1, HttpPort: 80, HttpsPort: 443}},
		[]WMIAuthorization{{AllowedPrimaryHostSystem: "hv1.contoso.com", TrustGroup: "DEFAULT", ReplicaStorageLocation: `D:\Replica`}})
	res := map[string]string{}
	for _, a := range Audit(s) {
		if _, ok := res[a.ID]; !ok {
			res[a.ID] = a.Result
		}
	}
	if res["replication-enabled"] != "fail" || res["authorization"] != "pass" || res["storage"] != "not checked" || res["firewall"] != "not checked" {
		t.Errorf("%v", res)
	}
}
