package tui

import (
	"strconv"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// VMReplication is one VM's replication relationship as Get-VMReplication
// reports it; the hyperv package reads it.
type VMReplication = hyperv.VMReplication

// ParseVMReplicationJSON reads the JSON of Get-VMReplication (see
// hyperv.ParseVMReplicationJSON).
func ParseVMReplicationJSON(data []byte) ([]VMReplication, error) {
	return hyperv.ParseVMReplicationJSON(data)
}

// vmFields turns a relationship into the wizard form's values: the replica
// server, its port, the authentication type and the proxy bypass, with the
// VM's name for the fix commands.
func vmFields(v VMReplication) TargetFields {
	f := TargetFields{Replica: v.ReplicaServer, VM: v.VMName, Bypass: "no"}
	if v.ReplicaPort > 0 {
		f.Port = strconv.Itoa(v.ReplicaPort)
	}
	switch strings.ToLower(v.AuthType) {
	case "certificate":
		f.Auth = "certificate"
	case "kerberos", "":
		f.Auth = "kerberos"
	default:
		// CertificateAndKerberos is a replica server setting; a VM's
		// relationship uses one of the two. Check Kerberos first.
		f.Auth = "kerberos"
	}
	if v.Thumbprint != "" && f.Auth == "certificate" {
		f.Cert = v.Thumbprint
	}
	if v.BypassProxy {
		f.Bypass = "yes"
	}
	return f
}
