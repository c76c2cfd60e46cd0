package probes

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"strings"
	"time"
)

// Step IDs of the certificate checks (part 2).
const (
	IDCertLoad       = "cert-load"
	IDCertPrivateKey = "cert-private-key"
	IDCertValidity   = "cert-validity"
	IDCertEKU        = "cert-eku"
	IDCertName       = "cert-name"
	IDCertChain      = "cert-chain"
	IDCertKeySize    = "cert-key-size"
	IDCertRevocation = "cert-revocation"
	IDCertMutualTLS  = "cert-mutual-tls"
)

// expiryWarning is how close to its end a certificate's validity must be
// for the validity check to warn.
const expiryWarning = 30 * 24 * time.Hour

// CertCheck is one rule of the certificate checks. Each rule loads the
// certificate from t.CertSource itself, so that every broken rule is named
// on its own.
type CertCheck struct {
	id, title, about string
	check            func(ctx context.Context, t *Target, lc *LoadedCert) Result
}

// ID implements Probe.
func (c CertCheck) ID() string { return c.id }

// Title implements Probe.
func (c CertCheck) Title() string { return c.title }

// About implements Probe.
func (c CertCheck) About() string { return c.about }

// AppliesTo implements Probe: certificate authentication only.
func (c CertCheck) AppliesTo(a AuthType) bool { return a == AuthCertificate }

// Run implements Probe.
func (c CertCheck) Run(ctx context.Context, t *Target) Result {
	if t.CertSource == "" {
		return Result{Status: StatusSkip, Summary: "No certificate given: pass --cert FILE (PEM, DER, PFX) or --cert THUMBPRINT (Windows)."}
	}
	lc, err := LoadCertificate(t.CertSource, t.CertPassword)
	if err != nil {
		if c.id == IDCertLoad {
			return Result{Status: StatusError, Summary: oneLine(err.Error()),
				Fixes: []Fix{{Text: "Give the certificate as a PEM, DER (.cer) or PFX file, or on Windows its thumbprint from LocalMachine\\My.",
					Command: "certutil -store my", Where: OnThisHost}}}
		}
		return Result{Status: StatusSkip, Summary: "Skipped: the certificate could not be loaded (see " + IDCertLoad + ")."}
	}
	return c.check(ctx, t, lc)
}

// CertificateChecks returns the certificate rules in plan order.
func CertificateChecks() []CertCheck {
	return []CertCheck{
		{IDCertLoad, "Certificate", "Loads the certificate replication uses (PEM, DER, PFX file, or LocalMachine\\My by thumbprint) and shows what it is.", checkLoad},
		{IDCertPrivateKey, "Certificate private key", "Replica proves its identity with the certificate's private key; a certificate without it cannot be used.", checkPrivateKey},
		{IDCertValidity, "Certificate validity", "The certificate must be within its validity period; it warns 30 days before the end.", checkValidity},
		{IDCertEKU, "Certificate key usages", "Replica certificates need both Client Authentication (1.3.6.1.5.5.7.3.2) and Server Authentication (1.3.6.1.5.5.7.3.1): each server is client and server of the other.", checkEKU},
		{IDCertName, "Certificate name", "The subject CN or a SAN DNS name must be the server's FQDN (wildcards such as *.contoso.com allowed).", checkName},
		{IDCertChain, "Certificate chain", "The chain must end at a root the peer trusts (Trusted Root Certification Authorities).", checkChain},
		{IDCertKeySize, "Certificate key size", "RSA keys under 2048 bits are commonly refused; Microsoft's Replica documentation names no minimum, so this only warns.", checkKeySize},
		{IDCertRevocation, "Revocation endpoints", "Replica checks revocation by default: the CRL distribution points and OCSP responders must be reachable, through the same proxy.", checkRevocation},
		{IDCertMutualTLS, "Mutual TLS with the replica", "A real TLS handshake with the replica's HTTPS listener presenting this certificate: shows the replica's certificate and whether each side trusts the other.", checkMutualTLS},
	}
}

func checkLoad(_ context.Context, t *Target, lc *LoadedCert) Result {
	return Result{
		Status:   StatusPass,
		Summary:  fmt.Sprintf("Loaded %q from %s.", lc.Leaf.Subject.CommonName, lc.Source),
		Evidence: describeCert(lc.Leaf, t),
	}
}

// describeCert lists what a certificate is, never anything secret.
func describeCert(c *x509.Certificate, t *Target) []string {
	kd, _ := keyDescription(c)
	ev := []string{
		"subject: " + c.Subject.String(),
		"issuer: " + c.Issuer.String(),
		"thumbprint: " + Thumbprint(c),
		fmt.Sprintf("valid: %s to %s", c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339)),
		"key: " + kd,
	}
	if len(c.DNSNames) > 0 {
		ev = append(ev, "SAN DNS: "+strings.Join(c.DNSNames, ", "))
	}
	ev = append(ev, "EKU: "+ekuList(c))
	return ev
}

func ekuList(c *x509.Certificate) string {
	var out []string
	for _, u := range c.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageServerAuth:
			out = append(out, "Server Authentication")
		case x509.ExtKeyUsageClientAuth:
			out = append(out, "Client Authentication")
		case x509.ExtKeyUsageAny:
			out = append(out, "Any Purpose")
		default:
			out = append(out, fmt.Sprintf("usage %d", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	if len(out) == 0 {
		return "(none)"
	}
	return strings.Join(out, ", ")
}

func checkPrivateKey(_ context.Context, t *Target, lc *LoadedCert) Result {
	if lc.HasKey {
		return Result{Status: StatusPass, Summary: "The certificate's private key is present.", Evidence: []string{lc.KeyNote}}
	}
	thumb := Thumbprint(lc.Leaf)
	return Result{
		Status:   StatusFail,
		Summary:  "No private key for the certificate: " + lc.KeyNote + ".",
		Evidence: []string{"source: " + lc.Source, "thumbprint: " + thumb},
		Reason: "Replica authenticates each server with its certificate's private key; a certificate imported without it " +
			"(a .cer file, a PFX exported without the key) cannot be selected or fails the handshake.",
		Fixes: []Fix{
			{Text: "Import the certificate together with its private key (the PFX the CA or the exporting server gave you) into the computer's Personal store.",
				Command: `Import-PfxCertificate -FilePath C:\certs\` + certFileBase(lc.Leaf) + `.pfx -CertStoreLocation Cert:\LocalMachine\My -Password (Read-Host -AsSecureString "PFX password")`,
				Where:   OnThisHost},
			{Text: "Check that Windows sees the key: the output must say \"Encryption test passed\".",
				Command: "certutil -store my " + thumb, Where: OnThisHost},
		},
	}
}

func checkValidity(_ context.Context, t *Target, lc *LoadedCert) Result {
	c, now := lc.Leaf, t.now()
	ev := []string{
		fmt.Sprintf("valid from %s to %s", c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339)),
		"checked at " + now.UTC().Format(time.RFC3339),
	}
	switch {
	case now.Before(c.NotBefore):
		return Result{Status: StatusFail, Summary: fmt.Sprintf("The certificate is not valid yet: it starts on %s.", c.NotBefore.UTC().Format("2006-01-02 15:04 MST")),
			Evidence: ev, Codes: []string{"0x800B0101"},
			Reason: "A certificate outside its validity period is refused (CERT_E_EXPIRED). Either it was issued with a future start date or this computer's clock is wrong.",
			Fixes:  append([]Fix{{Text: "Check this computer's clock and time source.", Command: "w32tm /query /status", Where: OnThisHost}}, fixesNewCert(t, lc)...)}
	case now.After(c.NotAfter):
		return Result{Status: StatusFail, Summary: fmt.Sprintf("The certificate expired on %s.", c.NotAfter.UTC().Format("2006-01-02 15:04 MST")),
			Evidence: ev, Codes: []string{"0x800B0101"},
			Reason: "An expired certificate is refused (CERT_E_EXPIRED): replication with certificate authentication stops until it is renewed.",
			Fixes:  fixesNewCert(t, lc)}
	case c.NotAfter.Sub(now) < expiryWarning:
		days := int(c.NotAfter.Sub(now).Hours() / 24)
		return Result{Status: StatusWarn, Summary: fmt.Sprintf("The certificate expires in %d days (%s).", days, c.NotAfter.UTC().Format("2006-01-02")),
			Evidence: ev, Reason: "Replication will stop when it expires; renew it and point Replica at the new thumbprint first.",
			Fixes: fixesNewCert(t, lc)}
	}
	return Result{Status: StatusPass, Summary: fmt.Sprintf("The certificate is valid until %s.", c.NotAfter.UTC().Format("2006-01-02")), Evidence: ev}
}

func checkEKU(_ context.Context, t *Target, lc *LoadedCert) Result {
	c := lc.Leaf
	var server, client, any bool
	for _, u := range c.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageServerAuth:
			server = true
		case x509.ExtKeyUsageClientAuth:
			client = true
		case x509.ExtKeyUsageAny:
			any = true
		}
	}
	ev := []string{"EKU: " + ekuList(c)}
	if server && client {
		return Result{Status: StatusPass, Summary: "The certificate has both Client and Server Authentication.", Evidence: ev}
	}
	if any {
		return Result{Status: StatusWarn, Summary: "The certificate has the Any Purpose usage instead of Client and Server Authentication.", Evidence: ev,
			Reason: "Replica's documentation asks for both Client and Server Authentication listed; whether Any Purpose is accepted is not documented.",
			Fixes:  fixesNewCert(t, lc)}
	}
	var missing []string
	if !client {
		missing = append(missing, "Client Authentication (1.3.6.1.5.5.7.3.2)")
	}
	if !server {
		missing = append(missing, "Server Authentication (1.3.6.1.5.5.7.3.1)")
	}
	return Result{
		Status:   StatusFail,
		Summary:  "The certificate lacks " + strings.Join(missing, " and ") + ".",
		Evidence: ev,
		Reason: "Each Replica server is TLS client of its peer when sending and TLS server when receiving, so one certificate needs both " +
			"usages; a certificate made from the plain Web Server template has only Server Authentication.",
		Fixes: fixesNewCert(t, lc),
	}
}

func checkName(ctx context.Context, t *Target, lc *LoadedCert) Result {
	want, how := certName(ctx, t)
	c := lc.Leaf
	ev := []string{"expected name: " + want + " (" + how + ")", "subject CN: " + c.Subject.CommonName}
	if want == "" {
		ev[0] = "expected name: " + how
	}
	if len(c.DNSNames) > 0 {
		ev = append(ev, "SAN DNS: "+strings.Join(c.DNSNames, ", "))
	}
	if want == "" {
		return Result{Status: StatusSkip, Summary: "No name to check against: pass --cert-name with the FQDN this server's peer uses for it.", Evidence: ev}
	}
	if by, ok := certMatchesName(c, want); ok {
		return Result{Status: StatusPass, Summary: fmt.Sprintf("The certificate names %s (%s).", want, by), Evidence: ev}
	}
	return Result{
		Status:   StatusFail,
		Summary:  fmt.Sprintf("Neither the subject CN nor a SAN DNS name of the certificate matches %s.", want),
		Evidence: ev,
		Codes:    []string{"0x800B010F"},
		Reason: "The peer checks that the certificate names the server it talks to (CERT_E_CN_NO_MATCH). The name must be the FQDN " +
			"the peer uses (a short name or an IP address does not match); in a cluster each node also needs the Replica Broker's FQDN.",
		Fixes: fixesNewCert(t, lc),
	}
}

// certName returns the FQDN the certificate must carry and where it came
// from: --cert-name, else this computer's name when the system already
// knows it as an FQDN. No name is looked up in DNS (only names the user
// gave are): with a short host name it returns "" and what to give.
func certName(_ context.Context, t *Target) (string, string) {
	if t.CertName != "" {
		return strings.ToLower(strings.TrimSuffix(t.CertName, ".")), "--cert-name"
	}
	h, err := os.Hostname()
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if err != nil || h == "" {
		return "", "no --cert-name, and this computer's name is unknown"
	}
	if !strings.Contains(h, ".") {
		return "", fmt.Sprintf("no --cert-name, and this computer's name %q is not an FQDN (not looked up in DNS)", h)
	}
	return h, "this computer's FQDN; pass --cert-name to check another"
}

// certMatchesName reports whether the subject CN or a SAN DNS name of c
// matches host, allowing a left-most wildcard label, and which one did.
func certMatchesName(c *x509.Certificate, host string) (string, bool) {
	for _, n := range c.DNSNames {
		if nameMatches(n, host) {
			return "SAN DNS " + n, true
		}
	}
	if nameMatches(c.Subject.CommonName, host) {
		return "subject CN " + c.Subject.CommonName, true
	}
	return "", false
}

// nameMatches compares a certificate name with a host name, case-
// insensitively; "*.contoso.com" matches exactly one label.
func nameMatches(pattern, host string) bool {
	p := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(pattern), "."))
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if p == "" || h == "" {
		return false
	}
	if p == h {
		return true
	}
	if strings.HasPrefix(p, "*.") {
		suffix := p[1:] // ".contoso.com"
		if strings.HasSuffix(h, suffix) {
			label := strings.TrimSuffix(h, suffix)
			return label != "" && !strings.Contains(label, ".")
		}
	}
	return false
}

func checkChain(_ context.Context, t *Target, lc *LoadedCert) Result {
	roots, rootsFrom, err := trustedRoots(t)
	if err != nil {
		return Result{Status: StatusError, Summary: oneLine(err.Error()),
			Fixes: []Fix{{Text: "Give a PEM file holding the peer's trusted root certificate(s).", Command: "", Where: OnThisHost}}}
	}
	inter := x509.NewCertPool()
	for _, c := range lc.Chain {
		inter.AddCert(c)
	}
	c := lc.Leaf
	// Dates are the validity check's business: evaluate the chain at a
	// moment inside the certificate's validity so it is judged once.
	at := t.now()
	if at.Before(c.NotBefore) {
		at = c.NotBefore.Add(time.Minute)
	}
	if at.After(c.NotAfter) {
		at = c.NotAfter.Add(-time.Minute)
	}
	chains, verr := c.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	ev := []string{"trusted roots: " + rootsFrom, "issuer: " + c.Issuer.String()}
	if verr == nil && len(chains) > 0 {
		var names []string
		for _, x := range chains[0] {
			names = append(names, x.Subject.CommonName)
		}
		ev = append(ev, "chain: "+strings.Join(names, " -> "))
		return Result{Status: StatusPass, Summary: "The certificate chains to a trusted root (" + chains[0][len(chains[0])-1].Subject.CommonName + ").", Evidence: ev}
	}
	ev = append(ev, "verification: "+oneLine(verr.Error()))
	root := rootOf(lc)
	rootFile := `C:\certs\` + certFileBase(root) + ".cer"
	export := Fix{
		Text:    fmt.Sprintf("Export the root (%s) on a server that has it.", root.Subject.CommonName),
		Command: fmt.Sprintf(`Export-Certificate -Cert Cert:\LocalMachine\Root\%s -FilePath %s`, Thumbprint(root), rootFile),
		Where:   OnThisHost,
	}
	if root == c {
		export = Fix{Text: "The certificate is self-signed: it is its own root. Export it (without the key).",
			Command: fmt.Sprintf(`Export-Certificate -Cert Cert:\LocalMachine\My\%s -FilePath %s`, Thumbprint(c), rootFile), Where: OnThisHost}
	}
	return Result{
		Status:   StatusFail,
		Summary:  fmt.Sprintf("The certificate does not chain to a trusted root (issuer %q).", c.Issuer.CommonName),
		Evidence: ev,
		Codes:    []string{"0x800B0109"},
		Reason: "The peer refuses a certificate whose root is not in its Trusted Root Certification Authorities store " +
			"(CERT_E_UNTRUSTEDROOT); with a private CA or self-signed certificates, each server must import the other's root.",
		Fixes: []Fix{export,
			{Text: "Import the root into Trusted Root Certification Authorities on the peer (the replica for the primary's certificate, the primary for the replica's).",
				Command: "certutil -addstore -f Root " + rootFile, Where: OnReplica},
			{Text: "And on the primary, for the replica's certificate root.", Command: "certutil -addstore -f Root " + rootFile, Where: OnPrimary},
		},
	}
}

// trustedRoots returns the roots to verify against: the --ca bundle when
// given, else the system's.
func trustedRoots(t *Target) (*x509.CertPool, string, error) {
	if t.CABundle == "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			return nil, "", fmt.Errorf("system trusted roots: %w (give --ca FILE)", err)
		}
		return pool, "this system's trusted roots", nil
	}
	data, err := ReadInputFile("--ca", t.CABundle, MaxCABundleSize)
	if err != nil {
		return nil, "", err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		certs, err := x509.ParseCertificates(data)
		if err != nil || len(certs) == 0 {
			return nil, "", inputErrPath("--ca", t.CABundle, "no PEM or DER certificate in the file")
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	}
	return pool, "--ca " + t.CABundle, nil
}

// rootOf returns the self-signed top of lc's chain as far as the file
// shows it (the leaf itself when self-signed or when the file has no
// issuer).
func rootOf(lc *LoadedCert) *x509.Certificate {
	cur := lc.Leaf
	for i := 0; i < 8; i++ {
		if isSelfSigned(cur) {
			return cur
		}
		var next *x509.Certificate
		for _, c := range lc.Chain {
			if cur.CheckSignatureFrom(c) == nil {
				next = c
				break
			}
		}
		if next == nil {
			return cur
		}
		cur = next
	}
	return cur
}

func isSelfSigned(c *x509.Certificate) bool {
	return c.Subject.String() == c.Issuer.String() && c.CheckSignatureFrom(c) == nil
}

func checkKeySize(_ context.Context, t *Target, lc *LoadedCert) Result {
	kd, bits := keyDescription(lc.Leaf)
	ev := []string{"key: " + kd}
	if strings.HasPrefix(kd, "RSA") {
		if bits < 2048 {
			return Result{Status: StatusWarn, Summary: fmt.Sprintf("The certificate's RSA key is %d bits, under 2048.", bits), Evidence: ev,
				Reason: "A 2048-bit minimum is widely enforced and commonly quoted for Replica, but Microsoft's Replica documentation does not " +
					"state it (unconfirmed): replace the key to be safe.",
				Fixes: fixesNewCert(t, lc)}
		}
		return Result{Status: StatusPass, Summary: fmt.Sprintf("The certificate's key is %s.", kd), Evidence: ev}
	}
	return Result{Status: StatusWarn, Summary: fmt.Sprintf("The certificate's key is %s, not RSA.", kd), Evidence: ev,
		Reason: "Replica's documentation and lab recipes use RSA key-exchange keys; whether other key types work is not documented (unconfirmed).",
		Fixes:  fixesNewCert(t, lc)}
}

// oneLine keeps the first line of s.
func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// certFileBase is a file name (no extension) for c: its CN with unsafe
// characters replaced.
func certFileBase(c *x509.Certificate) string {
	name := c.Subject.CommonName
	if name == "" {
		name = "certificate"
	}
	name = strings.NewReplacer("*", "wildcard", " ", "-", `\`, "-", "/", "-", ":", "-").Replace(name)
	return name
}
