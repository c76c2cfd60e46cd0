package hyperv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// VMReplication is one VM's replication relationship as Get-VMReplication
// reports it on a Hyper-V host: where the VM replicates to and how.
type VMReplication struct {
	VMName, State, Health, Mode string
	// VMId is the VM's ID when the output gives it (events name it too).
	VMId string
	// modeKey is the host's replication mode as the output gives it, a
	// name or (Windows PowerShell 5.1) its number, so that two hosts'
	// views of one relationship (a primary's and a replica's files in
	// one directory) stay apart; "" when not given.
	modeKey                      string
	PrimaryServer, ReplicaServer string
	ReplicaPort                  int
	// AuthType is "Kerberos", "Certificate" or "CertificateAndKerberos"
	// as the cmdlet prints it; "" when the output gave a number.
	AuthType     string
	FrequencySec int
	Thumbprint   string
	BypassProxy  bool
	// Extended is true for the extended relationship (Relationship
	// "Extended", or a WMI InstanceID ending in \HVR\1).
	Extended bool
	// AuthNumber is the authentication type as a number when the output
	// gave one (-1 otherwise). The cmdlet's numbering is not in
	// hvrdoctor's sources (WMI's for the server settings is, 1 Kerberos,
	// 2 Certificate, but this is the cmdlet's own enum): it is shown as a
	// number, never read as a name.
	AuthNumber int
	// StateNumber is the state as a number when the output gave one
	// (Windows PowerShell 5.1): State is then "" because the cmdlet's
	// numbering is not documented in hvrdoctor's sources. -1 otherwise.
	StateNumber int
}

// VMReplicationScript is what a reader on Windows runs through
// PowerShell. It emits the cmdlet's documented column names (VMName State
// Health Mode FrequencySec PrimaryServer ReplicaServer ReplicaPort AuthType
// Relationship) and the longer property names the objects may carry
// instead, with enums turned into their names, so ConvertTo-Json does not
// print them as numbers.
const VMReplicationScript = `Get-VMReplication | ForEach-Object { [pscustomobject]@{` +
	`VMName=$_.VMName; VMId="$($_.VMId)"; State="$($_.State)"; ReplicationState="$($_.ReplicationState)"; ` +
	`Health="$($_.Health)"; ReplicationHealth="$($_.ReplicationHealth)"; Mode="$($_.Mode)"; ReplicationMode="$($_.ReplicationMode)"; ` +
	`FrequencySec=$_.FrequencySec; ReplicationFrequencySec=$_.ReplicationFrequencySec; ` +
	`PrimaryServer=$_.PrimaryServer; PrimaryServerName=$_.PrimaryServerName; ` +
	`ReplicaServer=$_.ReplicaServer; ReplicaServerName=$_.ReplicaServerName; ` +
	`ReplicaPort=$_.ReplicaPort; ReplicaServerPort=$_.ReplicaServerPort; ` +
	`AuthType="$($_.AuthType)"; AuthenticationType="$($_.AuthenticationType)"; ` +
	`Relationship="$($_.Relationship)"; ReplicationRelationshipType="$($_.ReplicationRelationshipType)"; ` +
	`CertificateThumbprint=$_.CertificateThumbprint; BypassProxyServer=$_.BypassProxyServer } } | ConvertTo-Json -Compress`

// ParseVMReplicationJSON reads the JSON of `Get-VMReplication |
// ConvertTo-Json` (or of VMReplicationScript): one object for one VM, an
// array for several, nothing when no VM replicates. Property names are
// matched without regard to case, by the cmdlet's column name or the
// longer property name. A state printed as a number is kept in
// StateNumber, not named (the cmdlet's numbering is not in hvrdoctor's
// sources); a health number is read with WMI's ReplicationHealth
// numbering (0 NotApplicable, 1 Normal, 2 Warning, 3 Critical).
func ParseVMReplicationJSON(data []byte) ([]VMReplication, error) {
	objs, err := decodeObjects(data)
	if err != nil {
		return nil, fmt.Errorf("Get-VMReplication output: %w", err)
	}
	out := vmReplications(objs)
	if len(out) == 0 && len(objs) > 0 {
		return nil, errors.New("Get-VMReplication output has no VMName or ReplicaServer properties")
	}
	return out, nil
}

func vmReplications(objs []map[string]any) []VMReplication {
	var out []VMReplication
	for _, o := range objs {
		if o == nil {
			continue
		}
		p := props(o)
		bypass, _ := p.boolean("BypassProxyServer", "BypassProxy")
		v := VMReplication{
			VMName:        p.str("VMName", "Name", "ElementName"),
			VMId:          p.str("VMId", "VMID"),
			State:         p.str("State", "ReplicationState"),
			Health:        p.str("Health", "ReplicationHealth"),
			Mode:          p.str("Mode", "ReplicationMode"),
			PrimaryServer: p.str("PrimaryServer", "PrimaryServerName"),
			ReplicaServer: p.str("ReplicaServer", "ReplicaServerName"),
			ReplicaPort:   p.num("ReplicaPort", "ReplicaServerPort"),
			AuthType:      p.str("AuthType", "AuthenticationType"),
			FrequencySec:  p.num("FrequencySec", "ReplicationFrequencySec"),
			Thumbprint:    p.str("CertificateThumbprint", "Thumbprint"),
			BypassProxy:   bypass,
			Extended:      isExtended(p),
			StateNumber:   -1,
			AuthNumber:    -1,
		}
		v.modeKey = strings.ToLower(v.Mode)
		if n, ok := p.raw("Mode", "ReplicationMode").(float64); ok && v.Mode == "" {
			v.modeKey = fmt.Sprintf("#%g", n)
		}
		if _, ok := p.raw("AuthType", "AuthenticationType").(float64); ok {
			v.AuthNumber = p.num("AuthType", "AuthenticationType")
		}
		if _, ok := p.raw("State", "ReplicationState").(float64); ok {
			v.StateNumber = p.num("State", "ReplicationState")
		}
		if v.Health == "" {
			v.Health = p.enum(healthNames, "Health", "ReplicationHealth")
		}
		if v.VMName == "" && v.ReplicaServer == "" {
			continue
		}
		out = append(out, v)
	}
	return out
}

// isExtended reads the relationship type: "Extended" by name, 1 as a
// number, or the WMI InstanceID Microsoft:<vmid>\HVR\1 (1 = extended).
func isExtended(p props) bool {
	if n, ok := p.raw("Relationship", "ReplicationRelationshipType", "RelationshipType").(float64); ok {
		// A number (Windows PowerShell 5.1): read with the WMI InstanceID
		// numbering, 0 primary, 1 extended.
		return n == 1
	}
	rel := p.str("Relationship", "ReplicationRelationshipType", "RelationshipType")
	if strings.EqualFold(rel, "Extended") {
		return true
	}
	id := strings.ReplaceAll(p.str("InstanceID"), "/", `\`)
	return strings.HasSuffix(strings.ToUpper(id), `\HVR\1`)
}

// Describe is the VM's line in a picker.
func (v VMReplication) Describe() string {
	port := ""
	if v.ReplicaPort > 0 {
		port = ":" + strconv.Itoa(v.ReplicaPort)
	}
	s := fmt.Sprintf("%s -> %s%s", v.VMName, v.ReplicaServer, port)
	var extra []string
	for _, e := range []string{v.AuthType, v.Mode, v.State, v.Health} {
		if e != "" {
			extra = append(extra, e)
		}
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}
