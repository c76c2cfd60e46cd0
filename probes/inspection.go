package probes

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
)

// InspectionProbe detects HTTPS inspection: it compares the certificate the
// replica presents directly with the one seen through the proxy's CONNECT
// tunnel, or checks the proxied chain against the CA the user named
// (Target.CABundle).
type InspectionProbe struct{}

// ID implements Probe.
func (InspectionProbe) ID() string { return IDHTTPSInspection }

// Title implements Probe.
func (InspectionProbe) Title() string { return "HTTPS inspection" }

// About implements Probe.
func (InspectionProbe) About() string {
	return "Compares the replica's certificate seen directly with the one seen through the proxy. A proxy that inspects HTTPS " +
		"re-signs the connection with its own CA, which breaks Replica's mutual certificate authentication (0x00002EF3)."
}

// AppliesTo implements Probe.
func (InspectionProbe) AppliesTo(a AuthType) bool { return a == AuthCertificate }

// Run implements Probe.
func (InspectionProbe) Run(ctx context.Context, t *Target) Result {
	inPath, why := t.ProxyInPath()
	if !inPath {
		return Result{Status: StatusSkip, Summary: "No proxy in the path: nothing can inspect HTTPS between the hosts here.", Evidence: []string{why}}
	}
	proxied, err := dialReplicaTLS(ctx, t, true)
	if f, ok := tunnelFinding(t, err, []string{why}); ok {
		return f
	}
	if err != nil {
		return Result{Status: StatusFail, Evidence: []string{why, err.Error()},
			Summary: "No TLS session with the replica through the proxy: " + err.Error(),
			Reason:  "Certificate replication needs the proxy to tunnel HTTPS (CONNECT) to the replica's port; a refusal or a broken handshake stops it (a proxy failing during HTTPS inspection answers Bad Gateway).",
			Codes:   []string{"0x00002EF3", "0x00002EFE"},
			Fixes: append([]Fix{{Text: fmt.Sprintf("Allow CONNECT to %s on the proxy and exclude it from HTTPS inspection.", t.Addr()), Where: OnProxy}},
				fixesBypassProxy(t)...)}
	}
	ev := []string{why, "through proxy: " + chainSummary(proxied)}

	if t.CABundle != "" {
		roots, err := loadCABundle(t.CABundle)
		if err != nil {
			return Result{Status: StatusError, Evidence: ev, Summary: err.Error()}
		}
		if err := chainsTo(proxied, roots); err != nil {
			return inspected(t, append(ev, fmt.Sprintf("not issued by the CA in %s: %v", t.CABundle, err)),
				fmt.Sprintf("Through proxy %s the replica's certificate is issued by %s, not by the CA in %s: the proxy inspects HTTPS.", t.Proxy.Host, leafIssuer(proxied[0]), t.CABundle))
		}
		return Result{Status: StatusPass, Evidence: append(ev, "chains to the CA in "+t.CABundle),
			Summary: fmt.Sprintf("Through proxy %s the replica presents a certificate from the expected CA: no HTTPS inspection.", t.Proxy.Host)}
	}

	direct, err := dialReplicaTLS(ctx, t, false)
	if err != nil {
		return Result{Status: StatusWarn, Evidence: append(ev, "directly: "+err.Error()),
			Summary: fmt.Sprintf("Could not reach the replica directly to compare; through the proxy it shows %s issued by %s.", leafName(proxied[0]), leafIssuer(proxied[0])),
			Fixes: []Fix{{Text: "Name the CA that issued the replica's certificate so the proxied chain can be checked against it.",
				Command: fmt.Sprintf("hvrdoctor check --replica %s --port %d --auth certificate --ca <root-ca.pem>", t.replicaArg(), t.Port), Where: OnThisHost}}}
	}
	ev = append(ev, "directly:      "+chainSummary(direct))
	if leafSHA256(direct[0]) == leafSHA256(proxied[0]) {
		return Result{Status: StatusPass, Evidence: ev,
			Summary: fmt.Sprintf("Proxy %s tunnels HTTPS untouched: the replica's certificate is the same directly and through it.", t.Proxy.Host)}
	}
	return inspected(t, ev, fmt.Sprintf("Proxy %s inspects HTTPS: through it the replica presents a certificate issued by %s instead of %s.",
		t.Proxy.Host, leafIssuer(proxied[0]), leafIssuer(direct[0])))
}

func inspected(t *Target, ev []string, summary string) Result {
	res := Result{
		Status:   StatusFail,
		Summary:  summary,
		Evidence: ev,
		Reason: "A proxy doing HTTPS inspection ends the TLS session itself and opens a new one to the replica as a man-in-the-middle. " +
			"Hyper-V Replica authenticates both ends with their certificates, so this fails with \"The handle is in the wrong state for the requested operation (0x00002EF3)\"; " +
			"the proxy's log shows Bad Gateway during HTTPS inspection.",
		Codes: []string{"0x00002EF3"},
		Fixes: append(append([]Fix{{
			Text:  fmt.Sprintf("Exclude %s (port %d) from HTTPS inspection on the proxy (a destination exception / \"do not inspect\" rule).", t.Replica, t.Port),
			Where: OnProxy,
		}}, fixesBypassProxy(t)...), fixTestConnection(t, false)),
	}
	if squidSSLBump(ev) {
		res.Fixes = append(res.Fixes[:1:1], append([]Fix{
			{Text: "Squid with ssl_bump: add to squid.conf, above the ssl_bump lines, this line naming the replica", Command: squidACLLine(t), Where: OnProxy},
			{Text: "and after it this line, which tunnels its connections untouched (splice); then run squid -k reconfigure.", Command: "ssl_bump splice hvr_replica", Where: OnProxy},
		}, res.Fixes[1:]...)...)
	}
	res.Cause = &Cause{Kind: "https-inspection", What: "HTTPS inspection on proxy " + t.Proxy.Host, Fixes: res.Fixes}
	return res
}

// squidSSLBump reports whether the evidence shows a squid-issued chain.
func squidSSLBump(ev []string) bool {
	for _, e := range ev {
		if strings.Contains(strings.ToLower(e), "squid") {
			return true
		}
	}
	return false
}

// chainSummary renders a chain's leaf for evidence.
func chainSummary(chain []*x509.Certificate) string {
	leaf := chain[0]
	return fmt.Sprintf("%s, issued by %s, SHA-256 %s", leafName(leaf), leafIssuer(leaf), leafSHA256(leaf)[:16]+"...")
}

// leafName is the certificate's subject CN, else its first DNS SAN, else
// the whole subject.
func leafName(c *x509.Certificate) string {
	switch {
	case c.Subject.CommonName != "":
		return "CN=" + c.Subject.CommonName
	case len(c.DNSNames) > 0:
		return "DNS:" + c.DNSNames[0]
	}
	return c.Subject.String()
}

func leafIssuer(c *x509.Certificate) string {
	parts := []string{}
	if c.Issuer.CommonName != "" {
		parts = append(parts, "CN="+c.Issuer.CommonName)
	}
	if len(c.Issuer.Organization) > 0 {
		parts = append(parts, "O="+c.Issuer.Organization[0])
	}
	if len(parts) == 0 {
		return c.Issuer.String()
	}
	return strings.Join(parts, ", ")
}

func leafSHA256(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// loadCABundle reads PEM (or a single DER) certificates to trust.
func loadCABundle(path string) (*x509.CertPool, error) {
	data, err := ReadInputFile("--ca", path, MaxCABundleSize)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	n := 0
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			pool.AddCert(c)
			n++
		}
	}
	if n == 0 {
		if c, err := x509.ParseCertificate(data); err == nil {
			pool.AddCert(c)
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("--ca %s: no certificate found (give a PEM or DER file)", path)
	}
	return pool, nil
}

// chainsTo checks that chain leads to one of roots; names and dates
// are not checked here (certificate probes do that).
func chainsTo(chain []*x509.Certificate, roots *x509.CertPool) error {
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter,
		CurrentTime: chain[0].NotBefore.Add(chain[0].NotAfter.Sub(chain[0].NotBefore) / 2),
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	return err
}
