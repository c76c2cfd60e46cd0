package hyperv

import (
	"strconv"
	"strings"
)

// ReplicaServer is a replica server's settings as Get-VMReplicationServer
// reports them (property names of Set-VMReplicationServer's parameters;
// the WMI names of Msvm_ReplicationServiceSettingData are read too).
type ReplicaServer struct {
	ComputerName string
	// Enabled is ReplicationEnabled (WMI RecoveryServerEnabled); HasEnabled
	// is false when the file does not say.
	Enabled, HasEnabled bool
	// AllowedAuth is "Kerberos", "Certificate" or "CertificateAndKerberos"
	// (WMI 1, 2, 3: numbers are read so only from WMI's own class). A
	// cmdlet's output that gives a number (Windows PowerShell 5.1 without
	// -EnumsAsStrings) leaves it "" and AllowedAuthNumber holds the
	// number (-1 otherwise): the cmdlet's numbering is not in hvrdoctor's
	// sources, so the audit does not compare it.
	AllowedAuth       string
	AllowedAuthNumber int
	KerberosPort      int // KerberosAuthenticationPort (WMI HttpPort)
	CertificatePort   int // CertificateAuthenticationPort (WMI HttpsPort)
	Thumbprint        string
	// AnyServer is ReplicationAllowedFromAnyServer: the authorization
	// entries apply only when it is false.
	AnyServer, HasAnyServer bool
	DefaultStorageLocation  string
}

// AuthEntry is one authorization entry (Get-VMReplicationAuthorizationEntry,
// WMI Msvm_ReplicationAuthorizationSettingData).
type AuthEntry struct {
	AllowedPrimaryServer string
	TrustGroup           string
	StorageLocation      string
}

var serverKeys = []string{"ReplicationEnabled", "RecoveryServerEnabled", "AllowedAuthenticationType", "KerberosAuthenticationPort",
	"CertificateAuthenticationPort", "ReplicationAllowedFromAnyServer", "RepEnabled", "KerbAuthPort", "CertAuthPort"}

var authEntryKeys = []string{"AllowedPrimaryServer", "AllowedPrimaryHostSystem", "TrustGroup"}

func replicaServers(objs []map[string]any) []ReplicaServer {
	var out []ReplicaServer
	for _, o := range objs {
		p := props(o)
		s := ReplicaServer{
			ComputerName:           p.str("ComputerName", "PSComputerName", "SystemName"),
			AllowedAuthNumber:      -1,
			KerberosPort:           p.num("KerberosAuthenticationPort", "KerbAuthPort", "HttpPort"),
			CertificatePort:        p.num("CertificateAuthenticationPort", "CertAuthPort", "HttpsPort"),
			Thumbprint:             strings.ToUpper(strings.ReplaceAll(p.str("CertificateThumbprint", "CertificateThumbPrint"), " ", "")),
			DefaultStorageLocation: p.str("DefaultStorageLocation", "DefaultStorage"),
		}
		s.AllowedAuth, s.AllowedAuthNumber = allowedAuth(p)
		s.Enabled, s.HasEnabled = p.boolean("ReplicationEnabled", "RepEnabled", "RecoveryServerEnabled")
		s.AnyServer, s.HasAnyServer = p.boolean("ReplicationAllowedFromAnyServer", "AllowAnyServer", "AllowedFromAnyServer")
		out = append(out, s)
	}
	return out
}

func authEntries(objs []map[string]any) []AuthEntry {
	var out []AuthEntry
	for _, o := range objs {
		p := props(o)
		out = append(out, AuthEntry{
			AllowedPrimaryServer: p.str("AllowedPrimaryServer", "AllowedPrimaryHostSystem"),
			TrustGroup:           p.str("TrustGroup"),
			StorageLocation:      p.str("ReplicaStorageLocation", "StorageLoc", "StorageLocation"),
		})
	}
	return out
}

// FirewallRule is a firewall rule's name and whether it is enabled
// (Get-NetFirewallRule -Name ... | Select-Object Name, Enabled).
type FirewallRule struct {
	Name, DisplayName string
	// Enabled is read when the file names it ("True"/"False" or a JSON
	// boolean); Known is false for a number (the enum's numbering is not
	// in hvrdoctor's sources).
	Enabled, Known bool
}

// The replica's listener rules by internal name (community scripts; the
// names are not confirmed by Microsoft), safer than the localized display
// names "Hyper-V Replica HTTP Listener (TCP-In)" / "... HTTPS ...".
const (
	RuleHTTP  = "VIRT-HVRHTTPL-In-TCP-NoScope"
	RuleHTTPS = "VIRT-HVRHTTPSL-In-TCP-NoScope"
)

func firewallRules(objs []map[string]any) []FirewallRule {
	var out []FirewallRule
	for _, o := range objs {
		p := props(o)
		r := FirewallRule{Name: p.str("Name", "InstanceID"), DisplayName: p.str("DisplayName")}
		switch v := p.raw("Enabled").(type) {
		case bool:
			r.Enabled, r.Known = v, true
		case string:
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "true":
				r.Enabled, r.Known = true, true
			case "false":
				r.Known = true
			}
		}
		out = append(out, r)
	}
	return out
}

// Certificate is a certificate in LocalMachine\My as
// `Get-ChildItem Cert:\LocalMachine\My | Select-Object Thumbprint, Subject, NotAfter` lists it.
type Certificate struct {
	Thumbprint, Subject string
}

func certificates(objs []map[string]any) []Certificate {
	var out []Certificate
	for _, o := range objs {
		p := props(o)
		out = append(out, Certificate{Thumbprint: strings.ToUpper(p.str("Thumbprint")), Subject: p.str("Subject")})
	}
	return out
}

// allowedAuth reads AllowedAuthenticationType: a name as given; a number
// with WMI's numbering when the object is WMI's own
// (Msvm_ReplicationServiceSettingData: RecoveryServerEnabled, HttpPort),
// else as a number only (the cmdlet's numbering is not in hvrdoctor's
// sources).
func allowedAuth(p props) (string, int) {
	names := []string{"AllowedAuthenticationType", "AuthType"}
	n := -1
	switch v := p.raw(names...).(type) {
	case float64:
		n = int(v)
	case string:
		if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			n = i
		}
	}
	if n < 0 || p.raw("RecoveryServerEnabled", "HttpPort", "HttpsPort") != nil {
		return p.enum(authTypes, names...), -1
	}
	return "", n
}
