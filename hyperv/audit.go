package hyperv

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// AuditCheck is one check of the replica server audit.
type AuditCheck struct {
	// ID is stable for scripts: "replication-enabled", "auth-consistent",
	// "authorization", "storage", "firewall", "listener", "certificate".
	ID string
	// Result is "pass", "fail", "warn" or "not checked" (the saved files
	// do not hold what the check needs; Fix says how to look).
	Result string
	Text   string
	Fixes  []Fix
}

// Audit checks a replica server's saved settings (Get-VMReplicationServer,
// Get-VMReplicationAuthorizationEntry, the listener firewall rules, the
// certificates of LocalMachine\My) against the relationships that use it
// (Get-VMReplication on the primary or the replica). Nil when the snapshot
// holds no replica server settings.
func Audit(s *Snapshot) []AuditCheck {
	if len(s.Servers) == 0 {
		return nil
	}
	srv := s.Servers[0]
	here := whereHost("the replica", srv.ComputerName)
	var out []AuditCheck
	add := func(id, result, text string, fixes ...Fix) {
		out = append(out, AuditCheck{ID: id, Result: result, Text: text, Fixes: fixes})
	}
	switch {
	case !srv.HasEnabled:
		add("replication-enabled", "not checked", "The server settings do not say whether replication is enabled (ReplicationEnabled).")
	case srv.Enabled:
		add("replication-enabled", "pass", "Replication to this server is enabled.")
	default:
		add("replication-enabled", "fail", "Replication to this server is not enabled (ReplicationEnabled False).",
			Fix{Text: "Enable it as a replica server.", Command: "Set-VMReplicationServer -ReplicationEnabled $true", Where: here})
	}

	// An authentication type or a port the saved settings do not give
	// is not checked: a missing AllowedAuthenticationType made every
	// relationship a mismatch ("the server allows (not given)": fail).
	known := srv.AllowedAuth != ""
	kerb := strings.EqualFold(srv.AllowedAuth, "Kerberos") || strings.EqualFold(srv.AllowedAuth, "CertificateAndKerberos")
	cert := strings.EqualFold(srv.AllowedAuth, "Certificate") || strings.EqualFold(srv.AllowedAuth, "CertificateAndKerberos")
	thumb := ""
	if srv.Thumbprint == "" {
		thumb = " -CertificateThumbprint <THUMBPRINT>" // certificate authentication needs the replica's certificate
	}
	var mism, unchecked []string
	var fixes []Fix
	used := 0
	for _, r := range s.Replications {
		if srv.ComputerName != "" && r.ReplicaServer != "" && !sameHost(r.ReplicaServer, srv.ComputerName) {
			continue
		}
		used++
		switch {
		case strings.EqualFold(r.AuthType, "Certificate"):
			switch {
			case known && !cert:
				mism = append(mism, fmt.Sprintf("%s uses certificate authentication, the server allows %s", r.VMName, srv.AllowedAuth))
				fixes = append(fixes, Fix{Text: "Allow certificate authentication (keeping Kerberos if it is used).",
					Command: "Set-VMReplicationServer -AllowedAuthenticationType CertificateAndKerberos -CertificateAuthenticationPort " + strconv.Itoa(portOr(r.ReplicaPort, 443)) + thumb, Where: here})
			case r.ReplicaPort > 0 && srv.CertificatePort > 0 && r.ReplicaPort != srv.CertificatePort:
				mism = append(mism, fmt.Sprintf("%s sends to port %d, the server listens for certificates on %d", r.VMName, r.ReplicaPort, srv.CertificatePort))
				fixes = append(fixes, Fix{Text: fmt.Sprintf("Listen on the port %s uses (or change the VM's replication to port %d; the replica's firewall must match).", r.VMName, srv.CertificatePort),
					Command: fmt.Sprintf("Set-VMReplicationServer -CertificateAuthenticationPort %d", r.ReplicaPort), Where: here})
			case !known || r.ReplicaPort == 0 || srv.CertificatePort == 0:
				unchecked = append(unchecked, r.VMName)
			}
		case strings.EqualFold(r.AuthType, "Kerberos"):
			switch {
			case known && !kerb:
				mism = append(mism, fmt.Sprintf("%s uses Kerberos authentication, the server allows %s", r.VMName, srv.AllowedAuth))
				fixes = append(fixes, Fix{Text: "Allow Kerberos authentication (keeping certificates if they are used).",
					Command: "Set-VMReplicationServer -AllowedAuthenticationType CertificateAndKerberos -KerberosAuthenticationPort " + strconv.Itoa(portOr(r.ReplicaPort, 80)), Where: here})
			case r.ReplicaPort > 0 && srv.KerberosPort > 0 && r.ReplicaPort != srv.KerberosPort:
				mism = append(mism, fmt.Sprintf("%s sends to port %d, the server listens for Kerberos on %d", r.VMName, r.ReplicaPort, srv.KerberosPort))
				fixes = append(fixes, Fix{Text: fmt.Sprintf("Listen on the port %s uses (or change the VM's replication to port %d; the replica's firewall must match).", r.VMName, srv.KerberosPort),
					Command: fmt.Sprintf("Set-VMReplicationServer -KerberosAuthenticationPort %d", r.ReplicaPort), Where: here})
			case !known || r.ReplicaPort == 0 || srv.KerberosPort == 0:
				unchecked = append(unchecked, r.VMName)
			}
		default:
			unchecked = append(unchecked, r.VMName)
		}
	}
	switch {
	case used == 0:
		add("auth-consistent", "not checked", fmt.Sprintf("Allows %s (Kerberos port %s, certificate port %s); no Get-VMReplication output names this server, so nothing to compare.",
			allowedText(srv), portText(srv.KerberosPort), portText(srv.CertificatePort)))
	case len(mism) > 0:
		add("auth-consistent", "fail", strings.Join(mism, "; ")+".", fixes...)
	case len(unchecked) > 0:
		add("auth-consistent", "not checked", fmt.Sprintf("The saved settings do not give the authentication type or port to compare for %s (server allows %s, Kerberos port %s, certificate port %s).",
			strings.Join(unchecked, ", "), allowedText(srv), portText(srv.KerberosPort), portText(srv.CertificatePort)))
	default:
		add("auth-consistent", "pass", fmt.Sprintf("%s: an allowed authentication type and the server's port.", count(used, "relationship", "relationships")))
	}

	switch {
	case srv.HasAnyServer && srv.AnyServer:
		add("authorization", "pass", "Replication is allowed from any server; authorization entries do not apply.")
		if srv.DefaultStorageLocation != "" {
			out = append(out, storageCheck(srv.DefaultStorageLocation, here))
		}
	case !srv.HasAnyServer && !s.Live:
		// The entries apply only when ReplicationAllowedFromAnyServer is
		// false: saved settings without it make neither an empty list nor
		// a primary without an entry a failure. (Over WMI the setting
		// has no property of its own; the entries are judged as read.)
		add("authorization", "not checked", "The server settings do not say whether replication is allowed from any server (ReplicationAllowedFromAnyServer), which decides whether authorization entries apply.")
	case !s.HasAuthEntries:
		add("authorization", "not checked", "Replication is limited to authorized primaries but no Get-VMReplicationAuthorizationEntry output was given.")
	case len(s.AuthEntries) == 0:
		add("authorization", "fail", "Replication is limited to authorized primaries and there is no authorization entry: no primary can replicate here.",
			Fix{Text: "Authorize the primary.", Command: "New-VMReplicationAuthorizationEntry -AllowedPrimaryServer <primary FQDN> -ReplicaStorageLocation <path> -TrustGroup <group>", Where: here})
	default:
		var probs []string
		for _, e := range s.AuthEntries {
			if e.TrustGroup == "" {
				probs = append(probs, fmt.Sprintf("entry %s has no trust group", orNone(e.AllowedPrimaryServer)))
			}
			if e.StorageLocation == "" {
				probs = append(probs, fmt.Sprintf("entry %s has no storage location", orNone(e.AllowedPrimaryServer)))
			}
		}
		for _, r := range s.Replications {
			if r.PrimaryServer == "" || (srv.ComputerName != "" && r.ReplicaServer != "" && !sameHost(r.ReplicaServer, srv.ComputerName)) {
				continue
			}
			ok := false
			for _, e := range s.AuthEntries {
				if hostMatches(e.AllowedPrimaryServer, r.PrimaryServer) {
					ok = true
				}
			}
			if !ok {
				probs = append(probs, fmt.Sprintf("no entry allows %s (primary of %s)", r.PrimaryServer, r.VMName))
			}
		}
		if len(probs) > 0 {
			add("authorization", "fail", strings.Join(probs, "; ")+".")
		} else {
			add("authorization", "pass", fmt.Sprintf("%s, each with a trust group and a storage location, allowing every primary named.", count(len(s.AuthEntries), "authorization entry", "authorization entries")))
		}
		for _, e := range s.AuthEntries {
			if e.StorageLocation != "" {
				out = append(out, storageCheck(e.StorageLocation, here))
			}
		}
	}

	if !known && len(s.Firewall) > 0 {
		var states []string
		for _, f := range s.Firewall {
			st := "state not given"
			if f.Known && f.Enabled {
				st = "enabled"
			} else if f.Known {
				st = "disabled"
			}
			states = append(states, f.Name+" "+st)
		}
		add("firewall", "not checked", "The server's allowed authentication is not known ("+allowedText(srv)+"), so which listener rule must be enabled is not decided; saved: "+strings.Join(states, ", ")+".")
	}
	var rules []string
	if kerb {
		rules = append(rules, RuleHTTP)
	}
	if cert {
		rules = append(rules, RuleHTTPS)
	}
	for _, name := range rules {
		var found *FirewallRule
		for i := range s.Firewall {
			if strings.EqualFold(s.Firewall[i].Name, name) {
				found = &s.Firewall[i]
			}
		}
		enable := Fix{Text: "Enable the listener's firewall rule (by its internal name, taken from community scripts and not confirmed by Microsoft; " +
			"the display name is localized).", Command: "Enable-NetFirewallRule -Name " + probes.PSQuote(name), Where: here}
		switch {
		case found == nil:
			add("firewall", "not checked", "No saved state of firewall rule "+name+".", enable)
		case !found.Known:
			add("firewall", "not checked", "Firewall rule "+name+": Enabled is not given as True or False (save it with the README's line).", enable)
		case found.Enabled:
			add("firewall", "pass", "Firewall rule "+name+" is enabled.")
		default:
			add("firewall", "fail", "Firewall rule "+name+" is disabled: the listener's port is closed.", enable)
		}
	}
	add("listener", "not checked", "Whether the HTTP listener is registered is not in the saved files.",
		Fix{Text: "List the registered HTTP listeners on the replica.", Command: "netsh http show servicestate", Where: here})
	if cert {
		switch {
		case srv.Thumbprint == "":
			add("certificate", "fail", "Certificate authentication is allowed but no certificate thumbprint is set.",
				Fix{Text: "Set the server's certificate.", Command: "Set-VMReplicationServer -CertificateThumbprint <THUMBPRINT>", Where: here})
		case !s.HasCerts:
			add("certificate", "not checked", "Thumbprint "+srv.Thumbprint+" is set; the certificate store was not saved.",
				Fix{Text: "Look for it in the computer's Personal store.", Command: "Test-Path " + probes.PSQuote(`Cert:\LocalMachine\My\`+srv.Thumbprint), Where: here})
		default:
			found := false
			for _, c := range s.Certificates {
				if c.Thumbprint == srv.Thumbprint {
					found = true
				}
			}
			if found {
				add("certificate", "pass", "The certificate "+srv.Thumbprint+" is in LocalMachine\\My.")
			} else {
				add("certificate", "fail", "The certificate "+srv.Thumbprint+" is not in LocalMachine\\My: certificate authentication cannot work.",
					Fix{Text: "Import the certificate (with its private key) into LocalMachine\\My, or set the thumbprint of one that is there.",
						Command: "Set-VMReplicationServer -CertificateThumbprint <THUMBPRINT>", Where: here})
			}
		}
	}
	return out
}

func storageCheck(loc, here string) AuditCheck {
	return AuditCheck{ID: "storage", Result: "not checked",
		Text:  "Storage location " + loc + ": whether it exists and has free space is not in the saved files.",
		Fixes: []Fix{{Text: "Check that it exists on the replica (then its volume's free space).", Command: "Test-Path " + probes.PSQuote(loc), Where: here}}}
}

// allowedText is the server's allowed authentication for the audit's
// text: its name, the number a cmdlet's output gave, or "(not given)".
func allowedText(srv ReplicaServer) string {
	if srv.AllowedAuth == "" && srv.AllowedAuthNumber >= 0 {
		return fmt.Sprintf("%d (a number: the cmdlet's numbering is not in hvrdoctor's sources; PowerShell 7's ConvertTo-Json -EnumsAsStrings saves its name)", srv.AllowedAuthNumber)
	}
	return orNone(srv.AllowedAuth)
}

func orNone(s string) string {
	if s == "" {
		return "(not given)"
	}
	return s
}

func portOr(p, def int) int {
	if p > 0 {
		return p
	}
	return def
}

func portText(p int) string {
	if p == 0 {
		return "(not given)"
	}
	return strconv.Itoa(p)
}

// sameHost compares host names, a short name matching the FQDN's first
// label.
func sameHost(a, b string) bool {
	a, b = strings.ToLower(strings.TrimSuffix(a, ".")), strings.ToLower(strings.TrimSuffix(b, "."))
	if a == b {
		return true
	}
	fa, _, _ := strings.Cut(a, ".")
	fb, _, _ := strings.Cut(b, ".")
	return (!strings.Contains(a, ".") || !strings.Contains(b, ".")) && fa == fb
}

// hostMatches reports whether an authorization entry's AllowedPrimaryServer
// (a name or a wildcard such as *.contoso.com) allows host.
func hostMatches(pattern, host string) bool {
	pattern, host = strings.ToLower(strings.TrimSpace(pattern)), strings.ToLower(host)
	if pattern == "*" {
		return true
	}
	if strings.HasPrefix(pattern, "*.") {
		return strings.HasSuffix(host, pattern[1:])
	}
	return sameHost(pattern, host)
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
