package probes

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// mtlsOutcome is what one mutual-TLS attempt showed.
type mtlsOutcome struct {
	serverChain    []*x509.Certificate
	version        uint16
	serverAccepted bool   // the replica let the request through
	serverRefusal  string // the alert or error when it did not
	response       string // the HTTP status line when it did
	via            string
}

func checkMutualTLS(ctx context.Context, t *Target, lc *LoadedCert) Result {
	if !lc.HasKey {
		return Result{Status: StatusSkip, Summary: "Skipped: no private key to present (see " + IDCertPrivateKey + ")."}
	}
	if lc.Key == nil {
		return Result{Status: StatusSkip, Summary: "Skipped: the key stays in the Windows store; export the certificate with its key to a PFX and pass the file to test the handshake.",
			Fixes: []Fix{{Text: "Export with the key (protect the file, delete it afterwards).",
				Command: fmt.Sprintf(`Export-PfxCertificate -Cert Cert:\LocalMachine\My\%s -FilePath C:\certs\hvr.pfx -Password (Read-Host -AsSecureString "PFX password")`, Thumbprint(lc.Leaf)),
				Where:   OnThisHost}}}
	}
	if t.Replica == "" || t.Port == 0 {
		return Result{Status: StatusSkip, Summary: "Skipped: no replica listener to connect to (--replica, --port)."}
	}
	out, err := mutualTLS(ctx, t, lc)
	if f, ok := tunnelFinding(t, err, []string{"path: " + out.via}); ok {
		return f
	}
	if err != nil {
		return Result{Status: StatusError, Summary: oneLine(err.Error()), Evidence: []string{"path: " + out.via},
			Fixes: fixesListener(t)}
	}
	ev := []string{"path: " + out.via, "TLS version: " + tls.VersionName(out.version), "client certificate presented: " + lc.Leaf.Subject.String()}
	if len(out.serverChain) == 0 {
		return Result{Status: StatusError, Summary: "The replica listener at " + t.Addr() + " presented no certificate.", Evidence: ev}
	}
	srv := out.serverChain[0]
	for _, line := range describeCert(srv, t) {
		ev = append(ev, "replica certificate "+line)
	}
	var problems []string
	var codes []string
	var fixes []Fix

	// Do we (this host, like the primary) trust the replica's certificate?
	roots, rootsFrom, rerr := trustedRoots(t)
	trustErr := rerr
	if rerr == nil {
		inter := x509.NewCertPool()
		for _, c := range out.serverChain[1:] {
			inter.AddCert(c)
		}
		_, trustErr = srv.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: t.now(),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	}
	if trustErr != nil {
		ev = append(ev, "this host trusts the replica's certificate: no ("+oneLine(trustErr.Error())+"; roots: "+rootsFrom+")")
		problems = append(problems, "this host does not trust the replica's certificate")
		codes = append(codes, "0x800B0109")
		fixes = append(fixes, Fix{Text: fmt.Sprintf("Import the root of the replica's certificate (issuer %q) into Trusted Root Certification Authorities here.", srv.Issuer.CommonName),
			Command: `certutil -addstore -f Root C:\certs\` + certFileBase(rootOfChain(out.serverChain)) + ".cer", Where: OnPrimary})
	} else {
		ev = append(ev, "this host trusts the replica's certificate: yes ("+rootsFrom+")")
	}
	if net.ParseIP(t.Replica) == nil && strings.Contains(t.Replica, ".") {
		if by, ok := certMatchesName(srv, t.Replica); ok {
			ev = append(ev, "replica certificate names "+t.Replica+": yes ("+by+")")
		} else {
			ev = append(ev, "replica certificate names "+t.Replica+": no")
			problems = append(problems, "the replica's certificate does not name "+t.Replica)
			codes = append(codes, "0x800B010F")
			fixes = append(fixes, Fix{Text: "Give the replica a certificate whose CN or SAN DNS name is " + t.Replica + " and select it.",
				Command: "Set-VMReplicationServer -CertificateThumbprint <NEW-THUMBPRINT>", Where: OnReplica})
		}
	} else {
		ev = append(ev, "replica certificate name not checked: --replica is not an FQDN")
	}
	if out.serverAccepted {
		ev = append(ev, "the replica trusts this certificate: yes (answered "+out.response+")")
	} else {
		ev = append(ev, "the replica trusts this certificate: no ("+out.serverRefusal+")")
		problems = append(problems, "the replica refused this certificate")
		codes = append(codes, "0x800B0109")
		fixes = append(fixes,
			Fix{Text: fmt.Sprintf("Import the root of this certificate (issuer %q) into Trusted Root Certification Authorities on the replica.", lc.Leaf.Issuer.CommonName),
				Command: `certutil -addstore -f Root C:\certs\` + certFileBase(rootOf(lc)) + ".cer", Where: OnReplica},
			Fix{Text: "Then enable replication with this certificate.",
				Command: fmt.Sprintf("Enable-VMReplication -VMName %s -ReplicaServerName %s -ReplicaServerPort %d -AuthenticationType Certificate -CertificateThumbprint %s",
					t.vm(), t.replicaArg(), certPort(t), Thumbprint(lc.Leaf)), Where: OnPrimary})
	}
	if len(problems) == 0 {
		return Result{Status: StatusPass, Summary: "Mutual TLS with " + t.Addr() + " works: each side trusts the other.", Evidence: ev}
	}
	return Result{
		Status:   StatusFail,
		Summary:  "Mutual TLS with " + t.Addr() + " fails: " + strings.Join(problems, "; ") + ".",
		Evidence: ev,
		Codes:    dedupeCodes(codes),
		Reason: "Replica authenticates both ends: the primary must trust the replica's certificate and the replica must trust the primary's. " +
			"Each server needs the other's root in Trusted Root Certification Authorities.",
		Fixes: fixes,
	}
}

// mutualTLS connects to the replica listener (through the proxy's CONNECT
// when the proxy is in the path), performs a TLS handshake presenting lc,
// and sends one small GET so that a TLS 1.3 server's verdict on the client
// certificate (sent after the handshake) is seen.
func mutualTLS(ctx context.Context, t *Target, lc *LoadedCert) (mtlsOutcome, error) {
	var out mtlsOutcome
	var c net.Conn
	var err error
	if in, _ := t.ProxyInPath(); in {
		out.via = "through proxy " + t.Proxy.Host + " (CONNECT)"
		c, _, err = connectTunnel(ctx, t)
		if err != nil {
			return out, err
		}
	} else {
		out.via = "direct to " + t.Addr()
		d := net.Dialer{Timeout: t.timeout()}
		c, err = d.DialContext(ctx, "tcp", t.Addr())
		if err != nil {
			err = fmt.Errorf("connect to %s: %s", t.Addr(), describeConnErr(err, t.timeout()))
		}
	}
	if err != nil {
		return out, err
	}
	defer c.Close()
	deadline := time.Now().Add(t.timeout())
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	chain := [][]byte{lc.Leaf.Raw}
	for _, x := range lc.Chain {
		chain = append(chain, x.Raw)
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: chain, PrivateKey: lc.Key, Leaf: lc.Leaf}},
		// The replica's certificate is verified below against the chosen
		// roots, so that both verdicts (ours and the replica's) are shown.
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			for _, r := range raw {
				if x, err := x509.ParseCertificate(r); err == nil {
					out.serverChain = append(out.serverChain, x)
				}
			}
			return nil
		},
	}
	if net.ParseIP(t.Replica) == nil {
		cfg.ServerName = t.Replica
	}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		if len(out.serverChain) > 0 && isTLSAlert(err) {
			// TLS 1.2: the replica rejects the client certificate inside
			// the handshake.
			out.serverRefusal = oneLine(err.Error())
			return out, nil
		}
		return out, fmt.Errorf("TLS handshake with %s: %w", t.Addr(), err)
	}
	out.version = tc.ConnectionState().Version
	head := requestHead("GET", "/", t.Addr(), "Connection: close")
	if _, err := tc.Write([]byte(head)); err != nil {
		out.serverRefusal = oneLine(err.Error())
		return out, nil
	}
	r, err := readReply(tc, tc, exchangeOptions{})
	resp := r.resp
	if err != nil {
		if isTLSAlert(err) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset") || strings.Contains(err.Error(), "EOF") {
			out.serverRefusal = oneLine(err.Error())
			return out, nil
		}
		return out, fmt.Errorf("reading the replica's answer: %w", err)
	}
	resp.Body.Close()
	out.serverAccepted = true
	out.response = statusLine(resp)
	return out, nil
}

// isTLSAlert reports whether err is an alert from the peer ("remote error:
// tls: unknown certificate authority").
func isTLSAlert(err error) bool {
	var ae tls.AlertError
	if errors.As(err, &ae) {
		return true
	}
	return strings.Contains(err.Error(), "remote error: tls:")
}

// rootOfChain returns the last certificate of a presented chain.
func rootOfChain(chain []*x509.Certificate) *x509.Certificate {
	return chain[len(chain)-1]
}

func dedupeCodes(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
