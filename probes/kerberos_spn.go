package probes

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// SPNProbe checks that the replica's "Hyper-V Replica Service" SPNs exist,
// the best way available: by asking the KDC for a service ticket for each
// with the user's credentials, or on a Windows domain member without
// Kerberos flags by listing the replica's SPNs with setspn. The evidence
// names the method used.
type SPNProbe struct{}

// ID implements Probe.
func (SPNProbe) ID() string { return IDSPN }

// Title implements Probe.
func (SPNProbe) Title() string { return "Replica SPNs (Kerberos)" }

// About implements Probe.
func (SPNProbe) About() string {
	return "Kerberos authentication needs the SPNs \"" + ReplicaSPNService + "/<short name>\" and \"" + ReplicaSPNService +
		"/<FQDN>\" on the replica's computer account; without them replication fails with 0x80090303. " +
		"Asks the KDC for a ticket to each (or lists them with setspn on Windows)."
}

// AppliesTo implements Probe.
func (SPNProbe) AppliesTo(a AuthType) bool { return a == AuthKerberos }

// Run implements Probe.
func (SPNProbe) Run(ctx context.Context, t *Target) Result {
	ks, kerr := kerberosFor(t)
	explicitCreds := t.Keytab != "" || t.Password != "" || t.CCache != "" || os.Getenv("KRB5CCNAME") != ""
	if errors.Is(kerr, errNoKerberos) || (setspnAvailable() && t.KDC == "" && !explicitCreds) {
		if setspnAvailable() {
			return spnBySetspn(ctx, t)
		}
		if t.LDAPURL != "" {
			return Result{Status: StatusSkip, Summary: "No KDC given: the SPNs are checked in the directory instead (" + IDSPNDirectory + ")."}
		}
		return Result{Status: StatusSkip,
			Summary: "Cannot check the SPNs from here: give --kdc and --realm with credentials (--keytab and --principal, --principal for a password prompt, or --ccache), or --ldap URL.",
			Fixes:   []Fix{{Text: "Or check by hand on a domain member.", Command: "setspn -L " + psQuote(strings.ToUpper(strings.SplitN(t.Replica, ".", 2)[0])), Where: OnReplica}}}
	}
	if kerr != nil {
		return Result{Status: StatusError, Summary: oneLine(kerr.Error())}
	}
	names, err := replicaNames(ctx, t, ks.realm)
	if err != nil {
		return Result{Status: StatusError, Summary: oneLine(err.Error())}
	}
	method := fmt.Sprintf("method: Kerberos service-ticket requests to KDC %s (realm %s, from %s)", strings.Join(ks.kdcs, ", "), ks.realm, ks.from)
	ev := []string{method}
	if names.Note != "" {
		ev = append(ev, names.Note)
	}
	// Reachability first, bounded by the timeout and ctx (the Kerberos
	// library has neither).
	user, _ := splitPrincipal(t.Principal, ks.realm)
	if user == "" {
		user = "hvrdoctor-probe"
	}
	if _, err := pingKDC(ctx, ks, user, t.timeout(), t.now); err != nil {
		return Result{Status: StatusError, Summary: "Cannot reach the KDC: " + oneLine(err.Error()) + ".", Evidence: ev,
			Fixes: []Fix{
				{Text: "Check the KDC address (--kdc) and that TCP port 88 is open from this host; on a domain member, find a domain controller with:",
					Command: "nltest " + psQuote("/dsgetdc:"+strings.ToLower(ks.realm)), Where: OnThisHost},
			}}
	}
	// The Kerberos library talks to the KDC through loopback relays that
	// bound each reply and end with the step.
	rcfg, relays, err := relayedConfig(ctx, ks, t.timeout())
	if err != nil {
		return Result{Status: StatusError, Summary: oneLine(err.Error()) + ".", Evidence: ev}
	}
	defer relays.Close()
	relayed := *ks
	relayed.cfg = rcfg
	cl, creds, err := kerberosClient(ctx, t, &relayed)
	if err != nil && relays.refused() > 0 {
		err = fmt.Errorf("KDC %s announced a %d-byte reply, more than the %d a Kerberos message can be: refused (not a KDC, or a broken one)",
			strings.Join(ks.kdcs, ", "), relays.refused(), maxKDCMessage)
	}
	if err != nil {
		return Result{Status: StatusError, Summary: oneLine(err.Error()) + ".", Evidence: ev}
	}
	defer cl.Destroy()
	ev = append(ev, "credentials: "+creds)
	var missing []string
	for _, spn := range names.SPNs() {
		_, err := withContext(ctx, func() (struct{}, error) {
			_, _, err := cl.GetServiceTicket(spn)
			return struct{}{}, err
		})
		switch {
		case err == nil:
			ev = append(ev, fmt.Sprintf("%q: ticket issued", spn))
		case strings.Contains(err.Error(), "KDC_ERR_S_PRINCIPAL_UNKNOWN"):
			ev = append(ev, fmt.Sprintf("%q: KDC_ERR_S_PRINCIPAL_UNKNOWN (not found in the Kerberos database)", spn))
			missing = append(missing, spn)
		default:
			why := describeKrbErr(err)
			if n := relays.refused(); n > 0 {
				why = fmt.Sprintf("the KDC announced a %d-byte reply, more than the %d a Kerberos message can be: refused", n, maxKDCMessage)
			}
			return Result{Status: StatusError, Summary: fmt.Sprintf("Ticket request for %q failed: %s.", spn, why), Evidence: ev}
		}
	}
	if len(missing) == 0 {
		return Result{Status: StatusPass, Summary: fmt.Sprintf("The KDC knows both SPNs of %s.", names.FQDN), Evidence: ev}
	}
	return Result{
		Status:   StatusFail,
		Summary:  fmt.Sprintf("The KDC does not know %s: %s.", quoteList(missing), missingWhat(missing)),
		Evidence: ev,
		Reason:   reasonMissingSPN,
		Codes:    []string{"0x80090303"},
		Fixes:    fixesMissingSPN(names, missing),
	}
}

// spnBySetspn lists the replica's SPNs with setspn -L (Windows).
func spnBySetspn(ctx context.Context, t *Target) Result {
	names, err := replicaNames(ctx, t, os.Getenv("USERDNSDOMAIN"))
	if err != nil {
		return Result{Status: StatusError, Summary: oneLine(err.Error())}
	}
	ev := []string{"method: setspn -L " + names.Short + " (the directory, as this Windows user)"}
	if names.Note != "" {
		ev = append(ev, names.Note)
	}
	out, err := runSetspnList(ctx, names.Short)
	listing, perr := ParseSetspnList(out)
	if perr != nil {
		msg := perr.Error()
		if err != nil {
			msg = err.Error() + ": " + msg
		}
		return Result{Status: StatusError, Summary: "setspn -L " + names.Short + ": " + oneLine(msg) + ".", Evidence: ev}
	}
	ev = append(ev, "account: "+listing.Account)
	var missing []string
	for _, spn := range names.SPNs() {
		if listing.Has(spn) {
			ev = append(ev, fmt.Sprintf("%q: registered", spn))
		} else {
			ev = append(ev, fmt.Sprintf("%q: not registered", spn))
			missing = append(missing, spn)
		}
	}
	if len(missing) == 0 {
		return Result{Status: StatusPass, Summary: fmt.Sprintf("Both SPNs are registered on %s.", listing.Account), Evidence: ev}
	}
	return Result{Status: StatusFail,
		Summary:  fmt.Sprintf("%s not registered on the replica's account: %s.", quoteList(missing), missingWhat(missing)),
		Evidence: ev, Reason: reasonMissingSPN, Codes: []string{"0x80090303"}, Fixes: fixesMissingSPN(names, missing)}
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, " and ")
}

// missingWhat says "the replica's SPN is missing" in the right number.
func missingWhat(missing []string) string {
	if len(missing) > 1 {
		return "both of the replica's SPNs are missing"
	}
	return "the replica's SPN is missing"
}
