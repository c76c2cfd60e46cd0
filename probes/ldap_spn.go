package probes

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// LDAPSPNProbe finds the replica's SPNs in the directory (--ldap URL):
// which account holds each, and whether one is registered on two accounts.
type LDAPSPNProbe struct{}

// ID implements Probe.
func (LDAPSPNProbe) ID() string { return IDSPNDirectory }

// Title implements Probe.
func (LDAPSPNProbe) Title() string { return "Replica SPNs in the directory" }

// About implements Probe.
func (LDAPSPNProbe) About() string {
	return "Searches the directory (LDAP) for the \"" + ReplicaSPNService + "\" SPNs: they must sit on the replica's computer account " +
		"and on no other; a duplicate makes Kerberos fail with 0x80090322."
}

// AppliesTo implements Probe.
func (LDAPSPNProbe) AppliesTo(a AuthType) bool { return a == AuthKerberos }

// spnHolder is an account holding an SPN.
type spnHolder struct{ dn, sam string }

// Run implements Probe.
func (LDAPSPNProbe) Run(ctx context.Context, t *Target) Result {
	if t.LDAPURL == "" {
		return Result{Status: StatusSkip, Summary: "No directory given: pass --ldap ldap://DC to see which account holds the SPNs and find duplicates."}
	}
	realm := strings.ToUpper(t.Realm)
	if realm == "" {
		if ks, err := kerberosFor(t); err == nil {
			realm = ks.realm
		}
	}
	names, err := replicaNames(ctx, t, realm)
	if err != nil {
		return Result{Status: StatusError, Summary: oneLine(err.Error())}
	}
	conn, bindAs, err := ldapConnect(ctx, t)
	if err != nil {
		return Result{Status: StatusError, Summary: oneLine(err.Error()) + ".",
			Fixes: []Fix{{Text: "Check the URL (ldap://dc.contoso.com or ldaps://...:636) and that the port is open from this host."}}}
	}
	defer conn.Close()
	base, err := ldapBaseDN(conn)
	if err != nil {
		return Result{Status: StatusError, Summary: fmt.Sprintf("LDAP %s: %s.", t.LDAPURL, oneLine(err.Error()))}
	}
	ev := []string{fmt.Sprintf("method: LDAP search of %s under %s (%s)", t.LDAPURL, base, bindAs)}
	if names.Note != "" {
		ev = append(ev, names.Note)
	}
	var missing []string
	var dupes []string
	var wrong []string
	var fixes []Fix
	want := strings.ToLower(names.Short + "$")
	for _, spn := range names.SPNs() {
		holders, err := ldapSPNHolders(ctx, conn, base, spn)
		if err != nil {
			return Result{Status: StatusError, Summary: fmt.Sprintf("LDAP search for %q: %s.", spn, oneLine(err.Error())), Evidence: ev}
		}
		var desc []string
		for _, h := range holders {
			desc = append(desc, fmt.Sprintf("%s (sAMAccountName %s)", h.dn, h.sam))
		}
		switch {
		case len(holders) == 0:
			ev = append(ev, fmt.Sprintf("%q: on no account", spn))
			missing = append(missing, spn)
		case len(holders) > 1:
			ev = append(ev, fmt.Sprintf("%q: on %d accounts: %s", spn, len(holders), strings.Join(desc, "; ")))
			dupes = append(dupes, spn)
			for _, h := range holders {
				if strings.ToLower(h.sam) != want {
					fixes = append(fixes, Fix{Text: fmt.Sprintf("Remove %q from %s, which is not the replica's computer account.", spn, h.dn),
						Command: fmt.Sprintf(`setspn -D "%s" %s`, spn, strings.TrimSuffix(h.sam, "$")), Where: OnReplica})
				}
			}
		default:
			ev = append(ev, fmt.Sprintf("%q: on %s", spn, desc[0]))
			if strings.ToLower(holders[0].sam) != want {
				wrong = append(wrong, spn)
				fixes = append(fixes,
					Fix{Text: fmt.Sprintf("Move %q from %s to the replica's computer account: remove it there,", spn, holders[0].dn),
						Command: fmt.Sprintf(`setspn -D "%s" %s`, spn, strings.TrimSuffix(holders[0].sam, "$")), Where: OnReplica},
					Fix{Text: "then let vmms register it again.", Command: "Restart-Service vmms", Where: OnReplica})
			}
		}
	}
	switch {
	case len(dupes) > 0 || len(wrong) > 0:
		summary := fmt.Sprintf("%s is registered on more than one account.", quoteList(dupes))
		if len(dupes) == 0 {
			summary = fmt.Sprintf("%s is registered on an account other than %s.", quoteList(wrong), names.Short+"$")
		}
		fixes = append([]Fix{{Text: "List every duplicate SPN in the forest.", Command: "setspn -X -F", Where: OnReplica}}, fixes...)
		if len(missing) > 0 {
			fixes = append(fixes, fixesMissingSPN(names, missing)...)
		}
		return Result{Status: StatusFail, Summary: summary, Evidence: ev, Codes: []string{"0x80090322"},
			Reason: "The KDC encrypts the ticket for the account that holds the SPN; when the SPN sits on another account, or on two, " +
				"the replica cannot decrypt it and Kerberos fails with \"The target principal name is incorrect\" (0x80090322, SEC_E_WRONG_PRINCIPAL).",
			Fixes: fixes}
	case len(missing) > 0:
		return Result{Status: StatusFail, Summary: fmt.Sprintf("No account holds %s: %s.", quoteList(missing), missingWhat(missing)),
			Evidence: ev, Codes: []string{"0x80090303"}, Reason: reasonMissingSPN, Fixes: fixesMissingSPN(names, missing)}
	}
	return Result{Status: StatusPass, Summary: fmt.Sprintf("Both SPNs are on the replica's computer account %s only.", names.Short+"$"), Evidence: ev}
}

// Bounds on what a directory may send: one LDAP message (the root DSE or
// an entry with its sAMAccountName is a few KB) and the accounts read per
// SPN (an SPN sits on one account, on two when duplicated).
const (
	maxLDAPMessage = 256 << 10
	maxSPNHolders  = 20
)

func init() {
	// go-ldap reads messages through asn1-ber, whose only size limit is
	// this package variable (2 GiB by default); hvrdoctor uses LDAP only
	// here.
	ber.MaxPacketLengthBytes = maxLDAPMessage
}

// ldapConnect dials and binds: anonymous when no account is given,
// otherwise a simple bind with the account (--ldap-user, else --principal)
// and its password, only over TLS (ldaps://, or StartTLS on ldap://): a
// password is never sent in clear. The connection is closed when ctx ends,
// which ends any operation in progress (go-ldap's calls take no context).
func ldapConnect(ctx context.Context, t *Target) (*ldap.Conn, string, error) {
	dctx, cancel := context.WithTimeout(ctx, t.timeout())
	defer cancel()
	d := &net.Dialer{Timeout: t.timeout()}
	tlsCfg, err := ldapTLSConfig(t)
	if err != nil {
		return nil, "", err
	}
	conn, err := withContext(dctx, func() (*ldap.Conn, error) {
		return ldap.DialURL(t.LDAPURL, ldap.DialWithDialer(d), ldap.DialWithTLSConfig(tlsCfg))
	})
	if err != nil {
		return nil, "", fmt.Errorf("LDAP %s: %s", t.LDAPURL, describeConnErr(err, t.timeout()))
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	fail := func(err error) (*ldap.Conn, string, error) {
		stop()
		conn.Close()
		return nil, "", err
	}
	timeout := t.timeout()
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = time.Until(dl)
	}
	conn.SetTimeout(timeout)
	who := t.LDAPBindDN
	if who == "" {
		who = t.Principal
	}
	if who == "" {
		return conn, "anonymous", nil
	}
	if t.Password == "" {
		return fail(fmt.Errorf("LDAP bind as %s needs a password (--password-stdin or the prompt)", ShowValue(who)))
	}
	over := "ldaps"
	if !strings.HasPrefix(t.LDAPURL, "ldaps://") {
		if _, err := withContext(dctx, func() (struct{}, error) { return struct{}{}, conn.StartTLS(tlsCfg) }); err != nil {
			return fail(fmt.Errorf("LDAP %s: StartTLS failed (%s), so the password of %s was not sent: a simple bind needs TLS; "+
				"give ldaps://HOST:636 (and --ca for the directory's root), or leave out --ldap-user and --principal for an anonymous search",
				t.LDAPURL, oneLine(err.Error()), ShowValue(who)))
		}
		over = "StartTLS"
	}
	if _, err := withContext(dctx, func() (struct{}, error) { return struct{}{}, conn.Bind(who, t.Password) }); err != nil {
		return fail(fmt.Errorf("LDAP bind as %s at %s failed: %s", ShowValue(who), t.LDAPURL, oneLine(err.Error())))
	}
	return conn, "simple bind as " + who + " over " + over, nil
}

// ldapTLSConfig verifies the directory's certificate against this system's
// roots and those of --ca (an AD's enterprise CA usually issues both the
// DC's and the Replica certificates).
func ldapTLSConfig(t *Target) (*tls.Config, error) {
	u, err := url.Parse(t.LDAPURL)
	if err != nil {
		return nil, fmt.Errorf("--ldap %s: %w", ShowValue(t.LDAPURL), err)
	}
	cfg := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if t.CABundle == "" {
		return cfg, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	data, err := ReadInputFile("--ca", t.CABundle, MaxCABundleSize)
	if err != nil {
		return nil, err
	}
	if !pool.AppendCertsFromPEM(data) {
		certs, err := x509.ParseCertificates(data)
		if err != nil {
			return nil, inputErrPath("--ca", t.CABundle, "no PEM or DER certificate in the file")
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// ldapBaseDN reads the naming context from the root DSE: AD's
// defaultNamingContext, else the first namingContexts value.
func ldapBaseDN(conn *ldap.Conn) (string, error) {
	res, err := conn.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{"defaultNamingContext", "namingContexts"}, nil))
	if err != nil {
		return "", fmt.Errorf("read root DSE: %w", err)
	}
	if len(res.Entries) == 0 {
		return "", fmt.Errorf("empty root DSE")
	}
	e := res.Entries[0]
	if v := e.GetAttributeValue("defaultNamingContext"); v != "" {
		return v, nil
	}
	if v := e.GetAttributeValues("namingContexts"); len(v) > 0 {
		return v[0], nil
	}
	return "", fmt.Errorf("the root DSE names no naming context")
}

// ldapSPNHolders returns the accounts whose servicePrincipalName equals
// spn: at most maxSPNHolders (the search stops there: a directory that
// sends more is not answering this question), within ctx.
func ldapSPNHolders(ctx context.Context, conn *ldap.Conn, base, spn string) ([]spnHolder, error) {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req := ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, maxSPNHolders+1, 0, false,
		"(servicePrincipalName="+ldap.EscapeFilter(spn)+")", []string{"sAMAccountName"}, nil)
	r := conn.SearchAsync(sctx, req, 4)
	var out []spnHolder
	for r.Next() {
		e := r.Entry()
		if e == nil {
			continue
		}
		if len(out) == maxSPNHolders {
			return nil, fmt.Errorf("more than %d accounts hold it: the directory's answer was cut there", maxSPNHolders)
		}
		out = append(out, spnHolder{dn: e.DN, sam: e.GetAttributeValue("sAMAccountName")})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := r.Err(); err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return nil, err
	}
	return out, nil
}
