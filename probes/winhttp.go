package probes

import (
	"bufio"
	"fmt"
	"strings"
)

// WinHTTPProxy is the machine-wide WinHTTP proxy as `netsh winhttp show
// proxy` reports it. Server is "host:port" or a per-scheme list
// ("http=h1:8080;https=h2:8443"); Bypass holds the bypass-list entries.
type WinHTTPProxy struct {
	Server string
	Bypass []string
}

// Direct reports whether WinHTTP goes direct (no proxy server).
func (w WinHTTPProxy) Direct() bool { return strings.TrimSpace(w.Server) == "" }

// ServerFor returns the proxy "host:port" used for the auth type's scheme:
// http for Kerberos, https for certificate. With a per-scheme list and no
// entry for the scheme it returns "" (direct).
func (w WinHTTPProxy) ServerFor(auth AuthType) string {
	s := strings.TrimSpace(w.Server)
	if !strings.Contains(s, "=") {
		// One server for every scheme; a plain list takes its first entry.
		if i := strings.IndexAny(s, "; "); i >= 0 {
			s = s[:i]
		}
		return s
	}
	want := "http"
	if auth == AuthCertificate {
		want = "https"
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' }) {
		k, v, ok := strings.Cut(part, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), want) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// ParseNetshWinHTTP parses the output of `netsh winhttp show proxy`
// (English output; Microsoft does not document the layout: that Windows
// Server 2012 R2 to 2025 print the same one is UNCONFIRMED, from the
// outputs we have seen). It returns an error when the output has
// neither the "Direct access" line nor a "Proxy Server(s)" line.
func ParseNetshWinHTTP(out string) (WinHTTPProxy, error) {
	var w WinHTTPProxy
	found := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		lower := strings.ToLower(line)
		switch {
		case strings.HasPrefix(lower, "direct access"):
			found = true
		case strings.HasPrefix(lower, "proxy server"):
			_, v, ok := strings.Cut(line, ":")
			if !ok {
				return WinHTTPProxy{}, fmt.Errorf("netsh winhttp show proxy: cannot read line %q", line)
			}
			w.Server = strings.TrimSpace(v)
			found = true
		case strings.HasPrefix(lower, "bypass list"):
			_, v, ok := strings.Cut(line, ":")
			if !ok {
				return WinHTTPProxy{}, fmt.Errorf("netsh winhttp show proxy: cannot read line %q", line)
			}
			v = strings.TrimSpace(v)
			if !strings.EqualFold(v, "(none)") {
				w.Bypass = splitBypassList(v)
			}
		}
	}
	if !found {
		return WinHTTPProxy{}, fmt.Errorf("netsh winhttp show proxy: output has no 'Direct access' or 'Proxy Server(s)' line (non-English Windows? pass --proxy or --bypass-proxy)")
	}
	return w, nil
}
