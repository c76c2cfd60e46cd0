package probes

import (
	"fmt"
	"strings"
)

// vm returns the VM name for fix commands, "<VM>" when unknown.
func (t *Target) vm() string {
	if t.VMName == "" {
		return "<VM>"
	}
	return psQuote(t.VMName)
}

// authName is the -AuthenticationType value for t.
func (t *Target) authName() string {
	if t.Auth == AuthCertificate {
		return "Certificate"
	}
	return "Kerberos"
}

// firewallRule is the display name of the replica's built-in inbound rule
// for t's listener.
func (t *Target) firewallRule() string {
	if t.Auth == AuthCertificate {
		return "Hyper-V Replica HTTPS Listener (TCP-In)"
	}
	return "Hyper-V Replica HTTP Listener (TCP-In)"
}

func (t *Target) defaultPort() int {
	if t.Auth == AuthCertificate {
		return DefaultCertificatePort
	}
	return DefaultKerberosPort
}

// fixesListener are the fixes for a replica that does not accept or answer
// connections on t.Port: firewall rule, replica server settings, listener
// state.
func fixesListener(t *Target) []Fix {
	fixes := []Fix{{
		Text:    fmt.Sprintf("Enable the built-in firewall rule for the %s listener (created disabled with the role).", strings.ToUpper(map[AuthType]string{AuthKerberos: "http", AuthCertificate: "https"}[t.Auth])),
		Command: fmt.Sprintf(`Enable-NetFirewallRule -DisplayName "%s"`, t.firewallRule()),
		Where:   OnReplica,
	}}
	if t.Port != t.defaultPort() {
		fixes = append(fixes, Fix{
			Text: fmt.Sprintf("The built-in rule is usually for port %d only (check: Get-NetFirewallRule -DisplayName \"%s\" | Get-NetFirewallPortFilter); allow port %d too.",
				t.defaultPort(), t.firewallRule(), t.Port),
			Command: fmt.Sprintf(`New-NetFirewallRule -DisplayName "Hyper-V Replica %s port %d" -Direction Inbound -Protocol TCP -LocalPort %d -Action Allow`, t.authName(), t.Port, t.Port),
			Where:   OnReplica,
		})
	}
	portFlag := "-KerberosAuthenticationPort"
	if t.Auth == AuthCertificate {
		portFlag = "-CertificateAuthenticationPort"
	}
	fixes = append(fixes,
		Fix{
			Text:    fmt.Sprintf("Check that the server accepts replication with %s authentication on port %d, and enable it if not.", t.authName(), t.Port),
			Command: fmt.Sprintf("Get-VMReplicationServer; Set-VMReplicationServer -ReplicationEnabled $true -AllowedAuthenticationType %s %s %d", t.authName(), portFlag, t.Port),
			Where:   OnReplica,
		},
		Fix{
			Text:    "Check that the Hyper-V Replica listener is registered with HTTP.sys (look for the port in the URL list).",
			Command: "netsh http show servicestate",
			Where:   OnReplica,
		},
	)
	return fixes
}

// fixTestConnection is the primary's own end-to-end test for t.
func fixTestConnection(t *Target, bypass bool) Fix {
	cmd := fmt.Sprintf("Test-VMReplicationConnection %s %d %s", t.replicaArg(), t.Port, t.authName())
	if t.Auth == AuthCertificate {
		cmd += " " + t.thumbprint()
	}
	if bypass {
		cmd += " -BypassProxyServer $true"
	}
	return Fix{Text: "Confirm from the primary (success says the connection \"was successful\").", Command: cmd, Where: OnPrimary}
}

// fixesBypassProxy are the ways to keep replication traffic off the proxy.
func fixesBypassProxy(t *Target) []Fix {
	enable := fmt.Sprintf("Enable-VMReplication -VMName %s -ReplicaServerName %s -ReplicaServerPort %d -AuthenticationType %s",
		t.vm(), t.replicaArg(), t.Port, t.authName())
	if t.Auth == AuthCertificate {
		enable += " -CertificateThumbprint " + t.thumbprint()
	}
	fixes := []Fix{
		{Text: "New replication: bypass the proxy (PowerShell or WMI only; Hyper-V Manager has no such option).",
			Command: enable + " -BypassProxyServer $true", Where: OnPrimary},
		{Text: "Existing replication: switch it to bypass the proxy.",
			Command: fmt.Sprintf("Set-VMReplication -VMName %s -BypassProxyServer $true", t.vm()), Where: OnPrimary},
	}
	return append(fixes, fixesWinHTTPBypass(t)...)
}

// winHTTPNote is why the WinHTTP fix is offered at all.
const winHTTPNote = "Replica appears to use WinHTTP's settings, inferred from its WinHTTP error codes (unconfirmed): verify afterwards with Test-VMReplicationConnection from the primary."

// fixesWinHTTPBypass adds the replica to the WinHTTP machine proxy's
// bypass list without losing what is there: netsh winhttp set proxy
// replaces the whole setting, so the command repeats the proxy and the
// current bypass list when they were read from the machine (WinHTTP
// source), and otherwise tells the admin to read them first.
func fixesWinHTTPBypass(t *Target) []Fix {
	if t.ProxySource == "WinHTTP" && t.WinHTTPServer != "" && netshSafe(t.WinHTTPServer) && allNetshSafe(t.NoProxy) {
		list := append(append([]string{}, t.NoProxy...), t.Replica)
		kept := "its bypass list is empty"
		if len(t.NoProxy) > 0 {
			kept = "keeps its bypass list (" + strings.Join(t.NoProxy, ";") + ")"
		}
		return []Fix{{
			Text: "Or add the replica to the WinHTTP machine proxy's bypass list. The command sets the proxy read from this machine again (" + t.WinHTTPServer +
				") and " + kept + ", adding the replica. " + winHTTPNote,
			Command: "netsh winhttp set proxy " + psKeyValue("proxy-server", t.WinHTTPServer) + " " + psKeyValue("bypass-list", strings.Join(list, ";")),
			Where:   OnPrimary,
		}}
	}
	proxy := "<proxy:port>"
	if t.Proxy != nil {
		proxy = psSingle(t.Proxy.Host)
	}
	return []Fix{
		{Text: "Or add the replica to the WinHTTP machine proxy's bypass list. netsh replaces the whole setting, so first read the current proxy and bypass list.",
			Command: "netsh winhttp show proxy", Where: OnPrimary},
		{Text: "Then set them again with the replica appended: copy the \"Proxy Server(s)\" value over the proxy if it differs, and replace <current bypass list> " +
			"with the \"Bypass List\" value (drop it and its ';' when the list says (none)). " + winHTTPNote,
			Command: "netsh winhttp set proxy proxy-server=" + proxy + " bypass-list='<current bypass list>;" + bypassEntry(t.Replica) + "'",
			Where:   OnPrimary},
	}
}

// netshSafe reports whether a proxy or bypass entry holds only the
// characters such entries use, so that repeating it in a command cannot
// change the command.
func netshSafe(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune(".-_:;=*<>[]/", r):
		default:
			return false
		}
	}
	return true
}

func allNetshSafe(list []string) bool {
	for _, e := range list {
		if !netshSafe(e) {
			return false
		}
	}
	return true
}

// bypassEntry is the replica as typed into the bypass-list placeholder
// command; a name netsh would not take stays a placeholder.
func bypassEntry(replica string) string {
	if netshSafe(replica) {
		return replica
	}
	return "<replica>"
}
