package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
)

// Resolver looks names up; *net.Resolver satisfies it. Tests and training
// may inject one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

// DNSProbe checks that the replica's name resolves, to which addresses, and
// whether a short name or an FQDN was given.
type DNSProbe struct {
	// Resolver is nil for the system resolver.
	Resolver Resolver
}

// ID implements Probe.
func (DNSProbe) ID() string { return IDDNS }

// Title implements Probe.
func (DNSProbe) Title() string { return "Name resolution" }

// About implements Probe.
func (DNSProbe) About() string {
	return "Resolves the replica server's name to its IPv4/IPv6 addresses, as the primary must before it connects. " +
		"Kerberos and certificates identify the replica by name, so it also notes whether a short name or an FQDN was given."
}

// AppliesTo implements Probe.
func (DNSProbe) AppliesTo(AuthType) bool { return true }

func (p DNSProbe) resolver() Resolver {
	if p.Resolver != nil {
		return p.Resolver
	}
	return net.DefaultResolver
}

// Run implements Probe.
func (p DNSProbe) Run(ctx context.Context, t *Target) Result {
	viaProxy, _ := t.ProxyInPath()
	if ip := net.ParseIP(t.Replica); ip != nil {
		return Result{
			Status:   StatusWarn,
			Summary:  fmt.Sprintf("%s is an IP address: nothing to resolve, but authentication needs a name.", t.Replica),
			Evidence: []string{"replica given as IP address " + t.Replica},
			Reason: "Hyper-V Replica identifies the replica by name: Kerberos looks up the SPN Hyper-V Replica Service/<name> and certificate " +
				"authentication matches the certificate's subject or SAN against the name. With an IP address authentication usually fails; use the FQDN.",
			Fixes: []Fix{{Text: "Find the replica's FQDN and use it as -ReplicaServerName.", Command: "Resolve-DnsName " + t.replicaArg(), Where: OnPrimary}},
		}
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout())
	defer cancel()
	start := t.now()
	addrs, err := p.resolver().LookupIPAddr(ctx, t.Replica)
	took := t.now().Sub(start)
	if err != nil {
		res := dnsFailure(t, err, fmtDur(took))
		if viaProxy {
			res.Status = StatusWarn
			res.Summary += " The proxy resolves names for the primary, so this matters only when the proxy is bypassed."
		}
		return res
	}
	var v4, v6 []string
	for _, a := range addrs {
		if a.IP.To4() != nil {
			v4 = append(v4, a.IP.String())
		} else {
			v6 = append(v6, a.IP.String())
		}
	}
	sort.Strings(v4)
	sort.Strings(v6)
	ev := []string{fmt.Sprintf("%s resolved in %s", t.Replica, fmtDur(took))}
	for _, a := range v4 {
		ev = append(ev, "A    "+a)
	}
	for _, a := range v6 {
		ev = append(ev, "AAAA "+a)
	}
	res := Result{Status: StatusPass, Evidence: ev,
		Summary: fmt.Sprintf("%s resolves to %s.", t.Replica, joinAddrs(v4, v6))}
	if !t.IsShortName() {
		return res
	}
	// A short name resolved through the DNS suffix search list: find the
	// FQDN the certificate and SPN must carry.
	fqdn := ""
	if names, err := p.resolver().LookupAddr(ctx, addrs[0].IP.String()); err == nil && len(names) > 0 {
		fqdn = strings.TrimSuffix(names[0], ".")
		res.Evidence = append(res.Evidence, fmt.Sprintf("reverse lookup of %s: %s", addrs[0].IP, fqdn))
	}
	res.Evidence = append(res.Evidence, t.Replica+" is a short name: it resolved through the DNS suffix search list")
	if t.Auth == AuthCertificate {
		res.Status = StatusWarn
		res.Summary = fmt.Sprintf("%s is a short name; certificate authentication needs the FQDN.", t.Replica)
		res.Reason = "The replica's certificate must carry the name the primary uses (subject CN or a SAN DNS name), and certificates carry FQDNs."
		name := fqdn
		if name == "" {
			name = "<replica FQDN>"
		}
		res.Fixes = []Fix{{Text: "Use the FQDN as the replica server name.", Command: "hvrdoctor check --replica " + psQuote(name) + " --auth certificate", Where: OnPrimary}}
	}
	return res
}

func joinAddrs(v4, v6 []string) string {
	all := append(append([]string{}, v4...), v6...)
	if len(all) > 4 {
		return strings.Join(all[:4], ", ") + fmt.Sprintf(" and %d more", len(all)-4)
	}
	return strings.Join(all, ", ")
}

func dnsFailure(t *Target, err error, took string) Result {
	var de *net.DNSError
	cause := err.Error()
	summary := fmt.Sprintf("%s does not resolve: %s.", t.Replica, cause)
	if errors.As(err, &de) {
		switch {
		case de.IsNotFound:
			summary = fmt.Sprintf("%s does not resolve: no such name in DNS.", t.Replica)
		case de.IsTimeout:
			summary = fmt.Sprintf("%s does not resolve: the DNS server did not answer within %s.", t.Replica, t.timeout())
		}
	} else if errors.Is(err, context.DeadlineExceeded) {
		summary = fmt.Sprintf("%s does not resolve: no answer within %s.", t.Replica, t.timeout())
	}
	fixes := []Fix{
		{Text: "Check what the primary resolves; clear its cache after fixing the record.", Command: "Resolve-DnsName " + t.replicaArg() + "; ipconfig /flushdns", Where: OnPrimary},
		{Text: "Register the replica's address in DNS (or re-register it from the replica).", Command: "ipconfig /registerdns", Where: OnReplica},
	}
	if t.IsShortName() {
		fixes = append(fixes, Fix{Text: "A short name depends on the primary's DNS suffix search list; use the replica's FQDN instead.", Where: OnPrimary})
	}
	return Result{
		Status:   StatusFail,
		Summary:  summary,
		Evidence: []string{fmt.Sprintf("lookup %s after %s: %s", t.Replica, took, cause)},
		Reason:   "The primary cannot connect to a replica whose name it cannot resolve; Windows reports 0x80072EE7 (ERROR_WINHTTP_NAME_NOT_RESOLVED).",
		Codes:    []string{"0x80072EE7"},
		Fixes:    fixes,
	}
}
