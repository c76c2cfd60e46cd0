package probes

import (
	"context"
	"fmt"
)

// regReplication is the registry key of Hyper-V Replica's settings (KB2767928).
const regReplication = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization\Replication`

// fixesNewCert are the remedies when the certificate itself must be
// replaced: a lab self-signed certificate with both EKUs and the right DNS
// name (production: request one from your CA with both usages), then point
// Replica at its thumbprint on the side that uses it.
func fixesNewCert(t *Target, lc *LoadedCert) []Fix {
	name, _ := certName(context.Background(), t)
	dnsName := psQuote(name)
	if name == "" {
		name, dnsName = "<FQDN of this server>", "<FQDN of this server>"
	}
	return []Fix{
		{Text: "Production: request a certificate for " + name + " from your CA with both Client and Server Authentication usages " +
			"(for example a copy of the Computer template), stored in the computer's Personal store with its private key."},
		{Text: "Lab only: create a self-signed certificate with both usages and the right name (the peer must then import it as a trusted root, " +
			"and revocation cannot be checked for it).",
			Command: fmt.Sprintf(`New-SelfSignedCertificate -DnsName %s -CertStoreLocation Cert:\LocalMachine\My -KeySpec KeyExchange -KeyLength 2048 `+
				`-KeyExportPolicy Exportable -TextExtension @("2.5.29.37={text}1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.7.3.2") -NotAfter (Get-Date).AddYears(2)`, dnsName),
			Where: OnThisHost},
		{Text: "If this is the replica's certificate: make the replica server use the new one.",
			Command: "Set-VMReplicationServer -CertificateThumbprint <NEW-THUMBPRINT>", Where: OnReplica},
		{Text: "If this is the primary's certificate: enable replication with the new one.",
			Command: fmt.Sprintf("Enable-VMReplication -VMName %s -ReplicaServerName %s -ReplicaServerPort %d -AuthenticationType Certificate -CertificateThumbprint <NEW-THUMBPRINT>",
				t.vm(), t.replicaArg(), certPort(t)),
			Where: OnPrimary},
	}
}

// fixesDisableRevocation is the documented workaround when revocation cannot
// be checked (KB2767928), with its trade-off.
func fixesDisableRevocation() []Fix {
	cmd := `reg add "` + regReplication + `" /v DisableCertRevocationCheck /t REG_DWORD /d 1 /f`
	text := "Or, if the endpoints cannot be made reachable, turn off Replica's revocation check (KB2767928; revoked certificates are then accepted)"
	return []Fix{
		{Text: text + " on the replica,", Command: cmd, Where: OnReplica},
		{Text: "and on the primary.", Command: cmd, Where: OnPrimary},
	}
}

// certPort is the certificate listener port for fix commands.
func certPort(t *Target) int {
	if t.Port > 0 {
		return t.Port
	}
	return DefaultCertificatePort
}
