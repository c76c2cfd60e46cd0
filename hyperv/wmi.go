package hyperv

import (
	"strings"
	"time"
)

// WMIRelationship is what hvrdoctor reads of Msvm_ReplicationRelationship
// (root\virtualization\v2): InstanceID Microsoft:<vmid>\HVR\<0|1> (0 the
// primary relationship, 1 the extended one), ReplicationState,
// ReplicationHealth, LastReplicationTime and LastReplicationType, by
// Microsoft's WMI class reference.
type WMIRelationship struct {
	InstanceID          string
	ReplicationState    uint16
	ReplicationHealth   uint16
	LastReplicationTime time.Time
	LastReplicationType uint16
}

// WMISystem is Msvm_ComputerSystem's Name (a VM's ID) and ElementName
// (its name as Hyper-V Manager shows it).
type WMISystem struct {
	Name        string
	ElementName string
}

// FromWMI builds a snapshot from the WMI classes: one relationship per
// Msvm_ReplicationRelationship with the VM's name from Msvm_ComputerSystem,
// its state and health named by the documented WMI numbers, and its last
// replication time. Statistics, server settings, events and counters are
// not read from WMI (yet).
func FromWMI(rels []WMIRelationship, systems []WMISystem) *Snapshot {
	names := map[string]string{}
	for _, s := range systems {
		names[strings.ToUpper(s.Name)] = s.ElementName
	}
	snap := &Snapshot{Live: true}
	for _, r := range rels {
		id, extended, ok := parseRelationshipID(r.InstanceID)
		if !ok {
			continue
		}
		name := names[strings.ToUpper(id)]
		if name == "" {
			name = id
		}
		state := ""
		if int(r.ReplicationState) < len(replicationStates) {
			state = replicationStates[r.ReplicationState]
		}
		health := ""
		if int(r.ReplicationHealth) < len(healthNames) {
			health = healthNames[r.ReplicationHealth]
		}
		snap.Replications = append(snap.Replications, VMReplication{VMName: name, VMId: id, State: state, Health: health,
			Extended: extended, StateNumber: -1, AuthNumber: -1})
		last := r.LastReplicationTime
		if last.Year() < 1970 {
			last = time.Time{} // WMI's zero date: never replicated
		}
		snap.Measurements = append(snap.Measurements, Measurement{VMName: name, VMId: id, Extended: extended, State: state,
			Health: health, StateNumber: -1, LastReplicationTime: last.UTC()})
	}
	snap.Files = append(snap.Files, FileKind{Path: `WMI root\virtualization\v2`, Kind: "Msvm_ReplicationRelationship", Items: len(rels)})
	return snap
}

// parseRelationshipID reads Microsoft:<vmid>\HVR\<0|1>.
func parseRelationshipID(s string) (vmid string, extended, ok bool) {
	s = strings.ReplaceAll(s, "/", `\`)
	rest, found := strings.CutPrefix(s, "Microsoft:")
	if !found {
		return "", false, false
	}
	i := strings.LastIndex(strings.ToUpper(rest), `\HVR\`)
	if i <= 0 {
		return "", false, false
	}
	switch rest[i+5:] {
	case "0":
		return rest[:i], false, true
	case "1":
		return rest[:i], true, true
	}
	return "", false, false
}

// WMIServiceSettings is what hvrdoctor reads of
// Msvm_ReplicationServiceSettingData: whether this host accepts
// replication, the allowed authentication (1 Kerberos, 2 Certificate, 3
// both), the certificate and the two ports (WMI class reference).
type WMIServiceSettings struct {
	RecoveryServerEnabled     bool
	AllowedAuthenticationType uint16
	CertificateThumbPrint     string
	HttpPort                  uint16
	HttpsPort                 uint16
}

// WMIAuthorization is Msvm_ReplicationAuthorizationSettingData: one
// authorization entry.
type WMIAuthorization struct {
	AllowedPrimaryHostSystem string
	TrustGroup               string
	ReplicaStorageLocation   string
}

// AddWMIServer adds the replica server settings and authorization entries
// read from WMI to snap, for the audit. Whether replication is allowed
// from any server is not among the documented properties, so the entries
// are checked whenever there are some.
func (s *Snapshot) AddWMIServer(settings []WMIServiceSettings, auths []WMIAuthorization) {
	for _, st := range settings {
		srv := ReplicaServer{Enabled: st.RecoveryServerEnabled, HasEnabled: true, AllowedAuthNumber: -1,
			KerberosPort: int(st.HttpPort), CertificatePort: int(st.HttpsPort),
			Thumbprint: strings.ToUpper(strings.ReplaceAll(st.CertificateThumbPrint, " ", ""))}
		if int(st.AllowedAuthenticationType) < len(authTypes) {
			srv.AllowedAuth = authTypes[st.AllowedAuthenticationType]
		}
		s.Servers = append(s.Servers, srv)
	}
	if len(settings) == 0 {
		return
	}
	s.HasAuthEntries = true
	for _, a := range auths {
		s.AuthEntries = append(s.AuthEntries, AuthEntry{AllowedPrimaryServer: a.AllowedPrimaryHostSystem, TrustGroup: a.TrustGroup,
			StorageLocation: a.ReplicaStorageLocation})
	}
	s.Files = append(s.Files, FileKind{Path: `WMI root\virtualization\v2`, Kind: "Msvm_ReplicationServiceSettingData", Items: len(settings)},
		FileKind{Path: `WMI root\virtualization\v2`, Kind: "Msvm_ReplicationAuthorizationSettingData", Items: len(auths)})
}
