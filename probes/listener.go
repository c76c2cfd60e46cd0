package probes

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// ListenerProbe checks that what listens on the replica's port speaks the
// protocol of the auth type: HTTP for Kerberos, TLS for certificates.
type ListenerProbe struct{}

// ID implements Probe.
func (ListenerProbe) ID() string { return IDListener }

// Title implements Probe.
func (ListenerProbe) Title() string { return "Replica listener" }

// About implements Probe.
func (ListenerProbe) About() string {
	return "Checks that the port answers the protocol the authentication type uses: HTTP for Kerberos, TLS for certificates. " +
		"An open port that speaks the other protocol, or nothing, points at the wrong port or a listener that is off."
}

// AppliesTo implements Probe.
func (ListenerProbe) AppliesTo(AuthType) bool { return true }

// Run implements Probe.
func (p ListenerProbe) Run(ctx context.Context, t *Target) Result {
	// Directly when the port is reachable, else through the proxy the
	// primary would use.
	viaProxy := false
	d := net.Dialer{Timeout: t.timeout()}
	c, derr := d.DialContext(ctx, "tcp", t.Addr())
	if derr != nil {
		inPath, _ := t.ProxyInPath()
		if !inPath {
			return Result{Status: StatusFail, Summary: fmt.Sprintf("Cannot connect to %s: %s.", t.Addr(), classifyConnErr(derr)),
				Evidence: []string{trimOpErr(derr).Error()}, Fixes: fixesListener(t)}
		}
		viaProxy = true
	} else {
		defer c.Close()
	}
	if t.Auth == AuthCertificate {
		return p.runTLS(ctx, t, c, viaProxy)
	}
	return p.runHTTP(ctx, t, c, viaProxy)
}

func (p ListenerProbe) runHTTP(ctx context.Context, t *Target, c net.Conn, viaProxy bool) Result {
	head := requestHead("GET", "/", t.Addr(), "Connection: close")
	where := "directly"
	if viaProxy {
		pc, err := dialProxy(ctx, t)
		if err != nil {
			return Result{Status: StatusFail, Summary: "Cannot reach the replica directly nor the proxy: " + err.Error(), Fixes: fixesListener(t)}
		}
		defer pc.Close()
		c = pc
		head = requestHead("GET", "http://"+t.Addr()+"/", t.Addr(), "Connection: close")
		where = "through proxy " + t.Proxy.Host
	}
	resp, _, err := exchange(ctx, t, c, head)
	if err != nil {
		res := Result{Status: StatusFail, Fixes: fixesListener(t), Evidence: []string{fmt.Sprintf("GET http://%s/ %s: %v", t.Addr(), where, err)}}
		if looksLikeTLS(err) {
			res.Summary = fmt.Sprintf("Port %d speaks TLS, not HTTP: it looks like a certificate (HTTPS) listener.", t.Port)
			res.Reason = "Kerberos replication uses plain HTTP. Use the Kerberos port (80 by default), or --auth certificate if the replica uses certificates."
			return res
		}
		res.Summary = fmt.Sprintf("Port %d accepted the connection but did not answer HTTP (%s).", t.Port, classifyConnErr(err))
		res.Reason = "Something other than the Hyper-V Replica HTTP listener holds the port, or it is not answering."
		return res
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	line := statusLine(resp)
	if resp.StatusCode == 400 && strings.Contains(string(body), "HTTPS server") {
		return Result{Status: StatusFail, Fixes: fixesListener(t),
			Evidence: []string{fmt.Sprintf("GET http://%s/ %s: %s %q", t.Addr(), where, line, strings.TrimSpace(string(body)))},
			Summary:  fmt.Sprintf("Port %d speaks TLS, not HTTP: it looks like a certificate (HTTPS) listener.", t.Port),
			Reason:   "Kerberos replication uses plain HTTP. Use the Kerberos port (80 by default), or --auth certificate if the replica uses certificates."}
	}
	ev := []string{fmt.Sprintf("GET http://%s/ %s: %s", t.Addr(), where, line)}
	if viaProxy && resp.StatusCode >= 500 {
		return Result{Status: StatusFail, Evidence: ev, Fixes: fixesListener(t),
			Summary: fmt.Sprintf("The proxy could not reach the replica listener: %s %s.", resp.Proto, resp.Status),
			Reason:  "A 5xx answer through the proxy usually comes from the proxy itself: it could not connect to the replica."}
	}
	res := Result{Status: StatusPass, Evidence: ev, Summary: fmt.Sprintf("Port %d answers HTTP %s: %s %s.", t.Port, where, resp.Proto, resp.Status)}
	if sv := resp.Header.Get("Server"); sv != "" && !strings.Contains(sv, "Microsoft-HTTPAPI") && !viaProxy {
		res.Evidence = append(res.Evidence, "the Server header is not Microsoft-HTTPAPI (HTTP.sys, which the Windows listener usually uses): check it is the replica")
	}
	return res
}

func (p ListenerProbe) runTLS(ctx context.Context, t *Target, c net.Conn, viaProxy bool) Result {
	where := "directly"
	if viaProxy {
		tc, resp, err := connectTunnel(ctx, t)
		if err != nil {
			res := Result{Status: StatusFail, Summary: "Cannot reach the replica directly nor through the proxy: " + err.Error(), Fixes: fixesListener(t)}
			if resp != nil {
				res.Evidence = []string{"CONNECT " + t.Addr() + ": " + statusLine(resp)}
			}
			return res
		}
		defer tc.Close()
		c = tc
		where = "through proxy " + t.Proxy.Host
	}
	chain, version, err := tlsPeer(ctx, t, c)
	if err != nil {
		res := Result{Status: StatusFail, Fixes: fixesListener(t), Evidence: []string{fmt.Sprintf("TLS handshake with %s %s: %v", t.Addr(), where, err)}}
		var rh tls.RecordHeaderError
		if errors.As(err, &rh) && strings.HasPrefix(string(rh.RecordHeader[:]), "HTTP") {
			res.Summary = fmt.Sprintf("Port %d speaks plain HTTP, not TLS: it looks like a Kerberos (HTTP) listener.", t.Port)
			res.Reason = "Certificate replication uses HTTPS. Use the certificate port (443 by default), or --auth kerberos if the replica uses Kerberos."
			return res
		}
		res.Summary = fmt.Sprintf("Port %d accepted the connection but the TLS handshake failed (%s).", t.Port, classifyConnErr(err))
		res.Reason = "The certificate listener is not answering TLS; check the replica server's certificate settings."
		return res
	}
	leaf := chain[0]
	ev := []string{
		fmt.Sprintf("TLS %s with %s %s", tlsVersionName(version), t.Addr(), where),
		"subject: " + leaf.Subject.String(),
		"issuer:  " + leaf.Issuer.String(),
	}
	if version == 0 {
		ev[0] = fmt.Sprintf("TLS with %s %s: the server presented its certificate, then ended the handshake (it may require a client certificate)", t.Addr(), where)
	}
	return Result{Status: StatusPass, Evidence: ev,
		Summary: fmt.Sprintf("Port %d answers TLS %s and presents %s.", t.Port, where, leafName(leaf))}
}

func looksLikeTLS(err error) bool {
	return strings.Contains(err.Error(), "malformed HTTP") && strings.Contains(err.Error(), "\\x15\\x03")
}

func tlsVersionName(v uint16) string {
	switch v {
	case 0:
		return ""
	}
	return strings.TrimPrefix(tls.VersionName(v), "TLS ")
}
