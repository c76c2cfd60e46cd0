package probes

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// dialProxy opens a TCP connection to t's proxy.
func dialProxy(ctx context.Context, t *Target) (net.Conn, error) {
	if t.Proxy == nil {
		return nil, fmt.Errorf("no proxy configured")
	}
	d := net.Dialer{Timeout: t.timeout()}
	c, err := d.DialContext(ctx, "tcp", t.Proxy.Host)
	if err != nil {
		return nil, fmt.Errorf("proxy %s: %w", t.Proxy.Host, trimOpErr(err))
	}
	return c, nil
}

// statusLine renders a response's first line with its Server header.
func statusLine(resp *http.Response) string {
	s := fmt.Sprintf("%s %s", resp.Proto, resp.Status)
	if sv := resp.Header.Get("Server"); sv != "" {
		s += " (Server: " + sv + ")"
	}
	return s
}

// requestHead builds an HTTP/1.1 request head. target is the request
// target: an absolute URL through a proxy, a path when direct.
func requestHead(method, target, host string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: hvrdoctor-probe\r\n", method, target, host)
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// bufConn is a net.Conn whose reads drain a bufio.Reader first.
type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (b bufConn) Read(p []byte) (int, error) { return b.r.Read(p) }

// connectTunnel asks t's proxy for a CONNECT tunnel to the replica. On
// success the returned connection carries the tunnel; otherwise the proxy's
// answer (if any) is returned with the error, a *tunnelRefused when the
// proxy answered with its own reply.
func connectTunnel(ctx context.Context, t *Target) (net.Conn, *http.Response, error) {
	c, err := dialProxy(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	r, err := exchangeReply(ctx, t, c, requestHead("CONNECT", t.Addr(), t.Addr()), exchangeOptions{tunnel: true})
	if err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("proxy %s CONNECT %s: %w", t.Proxy.Host, t.Addr(), err)
	}
	resp := r.resp
	if resp.StatusCode/100 != 2 {
		body := readEvidenceBody(resp)
		c.Close()
		return nil, resp, &tunnelRefused{proxy: t.Proxy.Host, addr: t.Addr(), line: statusLine(resp), from: whoAnswered(resp, body, true).nameCheck(ctx, t)}
	}
	c.SetDeadline(time.Time{})
	return bufConn{c, r.br}, resp, nil
}

// tunnelRefused is connectTunnel's error when the proxy answered CONNECT
// with anything but 2xx: the proxy's own answer.
type tunnelRefused struct {
	proxy, addr, line string
	from              replyFrom
}

func (e *tunnelRefused) Error() string {
	return fmt.Sprintf("proxy %s refused CONNECT %s: %s", e.proxy, e.addr, e.line)
}

// tunnelFinding turns a refused CONNECT into the finding about the proxy;
// ok is false for other errors.
func tunnelFinding(t *Target, err error, ev []string) (Result, bool) {
	var tr *tunnelRefused
	if !errors.As(err, &tr) {
		return Result{}, false
	}
	return proxyFinding(t, "CONNECT "+t.Addr(), tr.from, ev), true
}

// tlsPeer performs a TLS handshake on c as a client and returns the chain
// the server presented. It does not trust or verify it (the probes compare
// and report; certificate checks live in part 2) and presents no client
// certificate: a replica that requires one still shows its own first.
func tlsPeer(ctx context.Context, t *Target, c net.Conn) (chain []*x509.Certificate, version uint16, err error) {
	cfg := &tls.Config{
		InsecureSkipVerify: true, // observed, not trusted: see doc comment
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			for _, r := range raw {
				if cert, err := x509.ParseCertificate(r); err == nil {
					chain = append(chain, cert)
				}
			}
			return nil
		},
	}
	if net.ParseIP(t.Replica) == nil {
		cfg.ServerName = t.Replica
	}
	hctx, cancel := context.WithTimeout(ctx, t.timeout())
	defer cancel()
	tc := tls.Client(c, cfg)
	err = tc.HandshakeContext(hctx)
	if err == nil {
		version = tc.ConnectionState().Version
	}
	if len(chain) > 0 {
		// The server's chain arrived: a later failure (a required client
		// certificate) does not matter for what the probes look at.
		return chain, version, nil
	}
	return nil, 0, err
}

// dialReplicaTLS returns the chain the replica presents, directly or
// through the proxy's CONNECT tunnel.
func dialReplicaTLS(ctx context.Context, t *Target, viaProxy bool) ([]*x509.Certificate, error) {
	var c net.Conn
	var err error
	if viaProxy {
		c, _, err = connectTunnel(ctx, t)
	} else {
		d := net.Dialer{Timeout: t.timeout()}
		c, err = d.DialContext(ctx, "tcp", t.Addr())
		if err != nil {
			err = fmt.Errorf("%s: %w", t.Addr(), trimOpErr(err))
		}
	}
	if err != nil {
		return nil, err
	}
	defer c.Close()
	chain, _, err := tlsPeer(ctx, t, c)
	if err != nil {
		return nil, fmt.Errorf("TLS handshake with %s: %w", t.Addr(), err)
	}
	return chain, nil
}
