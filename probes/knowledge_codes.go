package probes

import "fmt"

// knownCodes is the error-code table: every code of the Hyper-V Replica
// reference table, with the system message, the Replica context and the
// fixes. Replica context that is inferred rather than documented says so.
var knownCodes = []CodeInfo{
	{
		Code: 12019, Name: "ERROR_WINHTTP_INCORRECT_HANDLE_STATE",
		Message: "The handle is in the wrong state for the requested operation.",
		Meaning: "WinHTTP was asked to do something its connection could not do in its current state.",
		Replica: "With certificate authentication behind a forward proxy, this is the signature of HTTPS inspection: the proxy ends the TLS session " +
			"and re-signs it, which breaks Replica's mutual certificate authentication. The proxy's log shows Bad Gateway during HTTPS inspection.",
		Auth: AuthCertificate, Probes: []string{IDProxyPath, IDHTTPSInspection}, Source: "Hyper-V Replica team blog, certificate authentication and proxy servers",
		phrases: []string{"handle is in the wrong state", "wrong state for the requested operation"},
		fixes: func(t *Target) []Fix {
			return append([]Fix{{Text: fmt.Sprintf("Exclude %s from HTTPS inspection on the proxy.", t.Replica), Where: OnProxy}}, fixesBypassProxy(t)...)
		},
	},
	{
		Code: 12002, Name: "ERROR_WINHTTP_TIMEOUT",
		Message: "The operation timed out.",
		Meaning: "A WinHTTP request got no answer in time.",
		Replica: "Behind a forward proxy with Kerberos authentication, a proxy that refuses uploads over 4 GB (Forefront TMG) makes the primary say it " +
			"\"cannot connect to the specified Replica server due to connection timed out\"; the code shown is usually this one (inferred, the blog shows no code). " +
			"Without a proxy: a firewall dropping the replica's port.",
		Auth: AuthKerberos, Probes: []string{IDTCP, IDProxyPath, IDProxyLargeUpload}, Source: "Hyper-V Replica team blog, proxy servers on the primary site",
		phrases: []string{"timed out", "timeout", "cannot connect to the specified replica server due to connection timed out",
			"verify if a network connection exists to the replica server or if the proxy settings have been configured appropriately"},
		fixes: func(t *Target) []Fix { return append(fixesBypassProxy(t), fixesListener(t)[0]) },
	},
	{
		Code: 12029, Name: "ERROR_WINHTTP_CANNOT_CONNECT",
		Message: "A connection with the server could not be established.",
		Meaning: "The TCP connection to the server (or the proxy) failed.",
		Replica: "Nothing accepts connections on the replica's port: the listener is not enabled for this authentication type or port, the firewall rule is off, or the wrong port was given.",
		Probes:  []string{IDDNS, IDTCP, IDListener, IDProxyPath}, Source: "WinHTTP error reference; Set up Hyper-V Replica",
		phrases: []string{"connection with the server could not be established", "could not be established", "cannot connect"},
		fixes:   func(t *Target) []Fix { return append(fixesListener(t), fixTestConnection(t, false)) },
	},
	{
		Code: 12030, Name: "ERROR_WINHTTP_CONNECTION_ERROR",
		Message: "The connection with the server was terminated abnormally.",
		Meaning: "The connection was reset or closed in the middle of a request, or TLS could not be negotiated.",
		Replica: "Seen with Kerberos authentication failures and with proxies or firewalls that cut the connection; for certificates also a TLS mismatch.",
		Probes:  []string{IDListener, IDProxyPath, IDProxyLargeUpload, IDHTTPSInspection}, Source: "WinHTTP error reference",
		phrases: []string{"terminated abnormally", "connection with the server was reset", "connection was reset"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "Run the full check from the primary to see which step breaks the connection.", Command: fmt.Sprintf("hvrdoctor check --replica %s --port %d --auth %s", t.replicaArg(), t.Port, t.Auth), Where: OnPrimary},
				fixTestConnection(t, false),
			}
		},
	},
	{
		Code: 12017, Name: "ERROR_WINHTTP_OPERATION_CANCELLED",
		Message: "The operation has been canceled.",
		Meaning: "A WinHTTP request was cancelled, usually because its connection was closed.",
		Replica: "Event 32022 (could not replicate changes) with this code was seen while the replica's disk was being backed up; replication retries on its own.",
		Probes:  []string{IDTCP, IDListener}, Source: "WinHTTP error reference; field reports (event 32022)",
		phrases: []string{"operation has been canceled", "operation has been cancelled", "operation was canceled", "operation was cancelled"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "Check whether a backup of the replica's storage ran at that time; let replication catch up, then check its health.", Command: "Measure-VMReplication -VMName " + t.vm(), Where: OnPrimary},
				{Text: "If it stays in error, resume it.", Command: "Resume-VMReplication -VMName " + t.vm(), Where: OnPrimary},
			}
		},
	},
	{
		Code: 12175, Name: "ERROR_WINHTTP_SECURE_FAILURE",
		Message: "A security error occurred.",
		Meaning: "The server's certificate failed validation (untrusted root, wrong name, expired, revoked).",
		Replica: "With certificate authentication: the replica's certificate is not accepted by the primary. Check the chain, the name, the dates and revocation.",
		Auth:    AuthCertificate, Probes: []string{IDListener, IDHTTPSInspection, "certificate checks of hvrdoctor check --auth certificate"}, Source: "WinHTTP error reference",
		phrases: []string{"a security error occurred", "security error"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "Check the replica's certificate (look for \"Encryption test passed\").", Command: "certutil -store my", Where: OnReplica},
				{Text: "Run the certificate checks.", Command: fmt.Sprintf("hvrdoctor check --replica %s --port %d --auth certificate", t.replicaArg(), t.Port), Where: OnPrimary},
			}
		},
	},
	{
		Code: 0x80072EE7, Name: "ERROR_WINHTTP_NAME_NOT_RESOLVED",
		Message: "The server name or address could not be resolved.",
		Meaning: "DNS lookup of the server name failed.",
		Replica: "The primary cannot resolve the replica server's name (or the proxy's). Check the name given to Enable-VMReplication and DNS.",
		Probes:  []string{IDDNS}, Source: "WinHTTP error reference",
		phrases: []string{"name or address could not be resolved", "could not be resolved", "name not resolved"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "Check what the primary resolves, then clear its cache after fixing the record.", Command: "Resolve-DnsName " + t.replicaArg() + "; ipconfig /flushdns", Where: OnPrimary},
				{Text: "Re-register the replica in DNS.", Command: "ipconfig /registerdns", Where: OnReplica},
			}
		},
	},
	{
		Code: 0x80090303, Name: "SEC_E_TARGET_UNKNOWN",
		Message: "The specified target is unknown or unreachable.",
		Meaning: "Kerberos could not find the service principal name (SPN) of the target.",
		Replica: "The replica's computer account lacks the SPNs \"Hyper-V Replica Service/<name>\" that the Virtual Machine Management service (vmms) registers. " +
			"The replica logs event 14050 (failed to register service principal name) when registration fails.",
		Auth: AuthKerberos, Probes: []string{IDDNS, IDSPN, IDSPNDirectory}, Source: "Hyper-V Replica team blog, error 0x80090303",
		phrases: []string{"target is unknown or unreachable", "failed to authenticate the replica server using kerberos"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "List the SPNs of the replica's computer account; look for Hyper-V Replica Service/<name> and /<FQDN>.", Command: "setspn -L " + t.replicaArg(), Where: OnReplica},
				{Text: "Restart the Virtual Machine Management service so it registers them again (running VMs keep running).", Command: "Restart-Service vmms", Where: OnReplica},
				{Text: "If registration keeps failing, look for event 14050 (dynamic port range or service hardening rules can block vmms).",
					Command: `Get-WinEvent -LogName Microsoft-Windows-Hyper-V-VMMS-Admin | Where-Object Id -eq 14050`, Where: OnReplica},
			}
		},
	},
	{
		Code: 0x8009030C, Name: "SEC_E_LOGON_DENIED",
		Message: "The logon attempt failed.",
		Meaning: "Authentication was rejected: bad credentials, clock skew, or a trust problem.",
		Replica: "Kerberos between primary and replica failed: check that both are in the same or trusting domains and that their clocks are within 5 minutes.",
		Auth:    AuthKerberos, Probes: []string{IDSPN, IDClockSkew}, Source: "[MS-ERREF]; Set up Hyper-V Replica",
		phrases: []string{"logon attempt failed"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "Compare the clocks of primary and replica (Kerberos allows 5 minutes of skew by default).", Command: "w32tm /stripchart " + t.computerArg() + " /samples:3 /dataonly", Where: OnPrimary},
				{Text: "Check the secure channel to the domain.", Command: "Test-ComputerSecureChannel -Verbose", Where: OnPrimary},
			}
		},
	},
	{
		Code: 0x80090322, Name: "SEC_E_WRONG_PRINCIPAL",
		Message: "The target principal name is incorrect.",
		Meaning: "The ticket was issued for a principal other than the one the service runs as.",
		Replica: "The Hyper-V Replica SPN is registered on the wrong account, or twice (a duplicate SPN).",
		Auth:    AuthKerberos, Probes: []string{IDSPN, IDSPNDirectory}, Source: "[MS-ERREF]",
		phrases: []string{"target principal name is incorrect"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "Find duplicate SPNs in the domain.", Command: "setspn -X", Where: OnReplica},
				{Text: "List the replica's SPNs; remove a duplicate from the wrong account with setspn -D.", Command: "setspn -L " + t.replicaArg(), Where: OnReplica},
			}
		},
	},
	{
		Code: 0x800B0109, Name: "CERT_E_UNTRUSTEDROOT",
		Message: "A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.",
		Meaning: "The peer's certificate chains to a root this machine does not trust.",
		Replica: "Primary and replica must each trust the root that issued the other's certificate (Trusted Root Certification Authorities). Self-signed lab certificates need the root imported on the other side.",
		Auth:    AuthCertificate, Probes: []string{IDHTTPSInspection, IDCertChain, IDCertMutualTLS}, Source: "[MS-ERREF]; Set up Hyper-V Replica",
		phrases: []string{"root certificate which is not trusted", "not trusted by the trust provider"},
		fixes: func(t *Target) []Fix {
			return []Fix{{Text: "Import the issuing root into the machine's trusted roots (on the side that does not trust it).", Command: "certutil -addstore -f Root root.cer", Where: OnPrimary}}
		},
	},
	{
		Code: 0x80092013, Name: "CRYPT_E_REVOCATION_OFFLINE",
		Message: "The revocation function was unable to check revocation because the revocation server was offline.",
		Meaning: "The certificate's CRL distribution point (or OCSP responder) could not be reached.",
		Replica: "Replica checks revocation by default; an unreachable CRL fails authentication. Make the CRL reachable, or (lab only) turn the check off.",
		Auth:    AuthCertificate, Probes: []string{IDCertRevocation}, Source: "[MS-ERREF]; KB2767928",
		phrases: []string{"revocation server was offline"},
		fixes:   revocationFixes,
	},
	{
		Code: 0x80092012, Name: "CRYPT_E_NO_REVOCATION_CHECK",
		Message: "The revocation function was unable to check revocation for the certificate.",
		Meaning: "The certificate has no usable revocation information, or the check could not run.",
		Replica: "Typical of self-signed certificates or certificates without a CRL distribution point.",
		Auth:    AuthCertificate, Probes: []string{IDCertRevocation}, Source: "[MS-ERREF]; KB2767928",
		phrases: []string{"unable to check revocation for the certificate"},
		fixes:   revocationFixes,
	},
	{
		Code: 0x800B010F, Name: "CERT_E_CN_NO_MATCH",
		Message: "The certificate's CN name does not match the passed value.",
		Meaning: "The certificate's subject name or SANs do not contain the name that was used to connect.",
		Replica: "The certificate must carry the replica server's FQDN (subject CN or a SAN DNS name, wildcards allowed); in a cluster also the Replica Broker's FQDN.",
		Auth:    AuthCertificate, Probes: []string{IDDNS, IDCertName}, Source: "[MS-ERREF]; Set-VMReplicationServer",
		phrases: []string{"cn name does not match", "does not match the passed value"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "Show the names on the replica's certificate and compare with the name the primary uses.", Command: "certutil -store my", Where: OnReplica},
				{Text: "Connect with the FQDN the certificate carries.", Command: "Resolve-DnsName " + t.replicaArg(), Where: OnPrimary},
			}
		},
	},
	{
		Code: 0x8007052E, Name: "ERROR_LOGON_FAILURE",
		Message: "The user name or password is incorrect.",
		Meaning: "Logon failure: unknown user name or bad password.",
		Replica: "Seen when the Replica Broker (failover cluster) cannot register its SPN, and with bad credentials between the hosts.",
		Auth:    AuthKerberos, Probes: []string{IDSPN, IDSPNDirectory}, Source: "[MS-ERREF]; Replica Broker notes",
		phrases: []string{"unknown user name or bad password", "user name or password is incorrect"},
		fixes: func(t *Target) []Fix {
			return []Fix{{Text: "On the cluster, check the Replica Broker's SPNs on its computer object.", Command: "setspn -L <broker name>", Where: OnReplica}}
		},
	},
	{
		Code: 0x80070005, Name: "E_ACCESSDENIED",
		Message: "Access is denied.",
		Meaning: "The caller lacks the rights for the operation.",
		Replica: "The replica refuses the primary (it is not allowed, see the authorization entries), or the storage location is not writable, or the command did not run elevated.",
		Probes:  []string{"hvrdoctor check"}, Source: "[MS-ERREF]",
		phrases: []string{"access is denied"},
		fixes: func(t *Target) []Fix {
			return []Fix{
				{Text: "Check which primaries the replica accepts and where it stores replicas.", Command: "Get-VMReplicationServer; Get-VMReplicationAuthorizationEntry", Where: OnReplica},
				{Text: "Run PowerShell as Administrator (member of Hyper-V Administrators).", Where: OnPrimary},
			}
		},
	},
}

func revocationFixes(t *Target) []Fix {
	return []Fix{
		{Text: "Make the CRL distribution point in the certificate reachable from both hosts; test it.", Command: "certutil -verify -urlfetch <cert.cer>", Where: OnPrimary},
		{Text: "Lab or isolated sites only: turn off Replica's revocation check (on both servers; it weakens security).",
			Command: `reg add "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization\Replication" /v DisableCertRevocationCheck /t REG_DWORD /d 1 /f`, Where: OnReplica},
	}
}
