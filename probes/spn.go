package probes

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"
)

// ReplicaSPNService is the service class of the SPNs the Virtual Machine
// Management service registers on the replica's computer account.
const ReplicaSPNService = "Hyper-V Replica Service"

// Step IDs of the Kerberos checks (part 2).
const (
	IDSPN          = "spn"
	IDSPNDirectory = "spn-directory"
	IDClockSkew    = "clock-skew"
)

// ReplicaNames are the replica's names as the SPNs use them.
type ReplicaNames struct {
	// Short is the NetBIOS-style name in upper case (REPLICA01).
	Short string
	// FQDN is the DNS name in lower case (replica01.contoso.com).
	FQDN string
	// Note says how a name was derived when it was not typed
	// ("FQDN from reverse DNS of 10.0.0.5").
	Note string
}

// SPNs returns the two SPNs the replica must hold: short name, then FQDN.
func (n ReplicaNames) SPNs() []string {
	return []string{ReplicaSPNService + "/" + n.Short, ReplicaSPNService + "/" + n.FQDN}
}

// replicaNames derives the short name and FQDN of t.Replica: an FQDN is
// split, a short name is completed by DNS (canonical name) or with the
// realm's domain, and an IP address is looked up in reverse DNS.
func replicaNames(ctx context.Context, t *Target, realm string) (ReplicaNames, error) {
	host := strings.TrimSuffix(strings.TrimSpace(t.Replica), ".")
	if host == "" {
		return ReplicaNames{}, fmt.Errorf("no replica name given")
	}
	var n ReplicaNames
	lctx, cancel := context.WithTimeout(ctx, minDur(t.timeout(), 3*time.Second))
	defer cancel()
	switch {
	case net.ParseIP(host) != nil:
		names, err := net.DefaultResolver.LookupAddr(lctx, host)
		if err != nil || len(names) == 0 {
			return n, fmt.Errorf("replica %s is an IP address and reverse DNS has no name for it: SPNs hold names, so give --replica as the replica's FQDN", host)
		}
		fqdn := ""
		for _, nm := range names {
			nm = strings.TrimSuffix(nm, ".")
			if strings.Contains(nm, ".") {
				fqdn = nm
				break
			}
		}
		if fqdn == "" {
			return n, fmt.Errorf("replica %s: reverse DNS gives %q, not an FQDN: give --replica as the replica's FQDN", host, names[0])
		}
		n.FQDN = fqdn
		n.Note = "FQDN " + fqdn + " from reverse DNS of " + host
	case strings.Contains(host, "."):
		n.FQDN = host
	default:
		if cname, err := net.DefaultResolver.LookupCNAME(lctx, host); err == nil && strings.Contains(strings.TrimSuffix(cname, "."), ".") {
			n.FQDN = strings.TrimSuffix(cname, ".")
			n.Note = "FQDN " + n.FQDN + " from DNS"
		} else if realm != "" {
			n.FQDN = host + "." + strings.ToLower(realm)
			n.Note = "FQDN " + strings.ToLower(n.FQDN) + " assumed from the realm (DNS did not say): give --replica as the FQDN if it differs"
		} else {
			return n, fmt.Errorf("replica %s: cannot tell its FQDN (DNS does not know it and no realm is given): give --replica as the FQDN", host)
		}
	}
	n.FQDN = strings.ToLower(n.FQDN)
	n.Short = strings.ToUpper(strings.SplitN(n.FQDN, ".", 2)[0])
	return n, nil
}

// fixesMissingSPN are the remedies when the replica's SPNs are missing,
// with the real names filled in.
func fixesMissingSPN(n ReplicaNames, missing []string) []Fix {
	fixes := []Fix{
		{Text: "The Virtual Machine Management service registers both SPNs on the replica's computer account when it starts: restart it.",
			Command: "Restart-Service vmms", Where: OnReplica},
		{Text: "List the SPNs on the replica's computer account: both \"" + ReplicaSPNService + "/...\" entries must be there.",
			Command: "setspn -L " + psQuote(n.Short), Where: OnReplica},
		{Text: "Look for event 14050 (\"Failed to register service principal name\") in the VMMS Admin log; per KB2761899 a restricted dynamic port range or service hardening rules can block the registration.",
			Command: "Get-WinEvent -FilterHashtable @{LogName='Microsoft-Windows-Hyper-V-VMMS-Admin'; Id=14050} -MaxEvents 5 | Format-List TimeCreated,Message",
			Where:   OnReplica},
	}
	for i, spn := range missing {
		text := "If the restart does not register it: add the SPN by hand (a domain admin; this manual command is inferred from the setspn " +
			"documentation, not documented by Microsoft for Replica: unconfirmed, prefer fixing the registration)."
		if i > 0 {
			text = "Likewise for the other missing SPN (same caveat)."
		}
		fixes = append(fixes, Fix{Text: text, Command: fmt.Sprintf(`setspn -S %s %s`, psQuote(spn), psQuote(n.Short)), Where: OnReplica})
	}
	return fixes
}

// reasonMissingSPN is the 0x80090303 explanation.
const reasonMissingSPN = "Without the \"" + ReplicaSPNService + "\" SPNs on the replica's computer account the KDC cannot issue the primary a ticket " +
	"for the replica, and enabling replication fails with \"Hyper-V failed to authenticate the Replica server using Kerberos authentication. " +
	"Error: The specified target is unknown or unreachable (0x80090303)\". vmms registers them at start and retries; when that fails, " +
	"event 14050 is logged on the replica."

func minDur(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}
