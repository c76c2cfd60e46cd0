package probes

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// ParseProxyURL accepts a forward proxy as "http://host:port", "host:port"
// or "http://user@host:port" and returns it with the scheme set. Only HTTP
// proxies are supported: that is how the primary talks to a forward proxy.
func ParseProxyURL(s string) (*url.URL, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return nil, fmt.Errorf("empty proxy: give http://HOST:PORT")
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a proxy URL: give http://HOST:PORT")
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("proxy scheme %q is not supported: give http://HOST:PORT", u.Scheme)
	}
	host := u.Hostname()
	if _, err := ValidateHost(host); err != nil {
		return nil, fmt.Errorf("proxy host: %w", err)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("a proxy URL has no path: give http://HOST:PORT")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("proxy port %q must be between 1 and 65535", p)
		}
	} else {
		u.Host = net.JoinHostPort(host, "80")
	}
	u.Path = ""
	return u, nil
}

// proxyEnvNames lists the variables consulted for a scheme, in order.
func proxyEnvNames(auth AuthType) []string {
	if auth == AuthCertificate {
		return []string{"HTTPS_PROXY", "https_proxy"}
	}
	return []string{"HTTP_PROXY", "http_proxy"}
}

// detectProxy fills t's proxy fields from the environment, then from the
// WinHTTP machine proxy. Bad environment values are reported naming the
// variable.
func detectProxy(t *Target, env func(string) string, winhttp func(context.Context) (WinHTTPProxy, error)) error {
	t.Proxy, t.ProxySource, t.NoProxy = nil, "", nil
	for _, name := range proxyEnvNames(t.Auth) {
		v := strings.TrimSpace(env(name))
		if v == "" {
			continue
		}
		u, err := ParseProxyURL(v)
		if err != nil {
			return fmt.Errorf("environment variable %s=%s: %w (fix it, or pass --proxy or --bypass-proxy)", name, ShowValue(v), err)
		}
		t.Proxy, t.ProxySource = u, name
		for _, n := range []string{"NO_PROXY", "no_proxy"} {
			if v := env(n); v != "" {
				t.NoProxy = splitBypassList(v)
				break
			}
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.timeout())
	defer cancel()
	w, err := winhttp(ctx)
	if err != nil {
		// The machine proxy could not be read: treat as direct, but say so
		// in ProxySource so the proxy probe reports it.
		t.ProxySource = "WinHTTP (unreadable: " + err.Error() + ")"
		return nil
	}
	if w.Direct() {
		return nil
	}
	server := w.ServerFor(t.Auth)
	if server == "" {
		return nil
	}
	u, err := ParseProxyURL(server)
	if err != nil {
		return fmt.Errorf("WinHTTP proxy %s: %w (fix it with netsh winhttp set proxy, or pass --proxy or --bypass-proxy)", ShowValue(server), err)
	}
	t.Proxy, t.ProxySource, t.NoProxy = u, "WinHTTP", w.Bypass
	t.WinHTTPServer = strings.TrimSpace(w.Server)
	return nil
}

// splitBypassList splits NO_PROXY (commas) or WinHTTP (semicolons) lists.
func splitBypassList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// ProxyInPath reports whether the primary's traffic to the replica goes
// through t.Proxy, and why (one line, for evidence).
func (t *Target) ProxyInPath() (bool, string) {
	if t.Proxy == nil {
		if t.ProxySource != "" && strings.HasPrefix(t.ProxySource, "WinHTTP (") {
			return false, "no proxy: " + t.ProxySource
		}
		// Name the variable this authentication reads: a user with only
		// HTTPS_PROXY set must see that Kerberos (HTTP) ignores it.
		return false, fmt.Sprintf("no proxy configured (no --proxy, %s or WinHTTP proxy)", proxyEnvNames(t.Auth)[0])
	}
	if t.BypassProxy {
		return false, fmt.Sprintf("proxy %s (%s) bypassed: --bypass-proxy, like -BypassProxyServer $true", t.Proxy.Host, t.ProxySource)
	}
	if e, ok := t.matchBypass(t.Replica, t.Port); ok {
		return false, fmt.Sprintf("proxy %s (%s) not used for %s: bypass entry %q", t.Proxy.Host, t.ProxySource, t.Replica, e)
	}
	return true, fmt.Sprintf("proxy %s in the path (from %s)", t.Proxy.Host, t.ProxySource)
}

// matchBypass matches host:port against t's bypass list by the rules of
// the list's source: WinHTTP's for the machine proxy, NO_PROXY's
// otherwise.
func (t *Target) matchBypass(host string, port int) (string, bool) {
	if t.ProxySource == "WinHTTP" {
		return MatchWinHTTPBypass(t.NoProxy, host, port)
	}
	return MatchBypass(t.NoProxy, host, port)
}

// MatchWinHTTPBypass matches host:port against a WinHTTP bypass list
// (`netsh winhttp show proxy`'s Bypass List). WINHTTP_PROXY_INFO's page:
// the list holds server names, and "<local>" stands for every name
// without a period; netsh's examples use wildcards ("*.contoso.com").
// Unlike NO_PROXY, a bare name is taken to name that server only (no
// subdomains), and CIDR ranges and leading-dot suffixes are not WinHTTP
// forms: the documentation gives no suffix rule (UNCONFIRMED beyond it;
// reported measurements agree), so such entries do not count as a bypass
// and the proxy is checked as in the path.
func MatchWinHTTPBypass(list []string, host string, port int) (string, bool) {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	ip := net.ParseIP(h)
	for _, raw := range list {
		e := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case e == "":
			continue
		case e == "*":
			return raw, true
		case e == "<local>":
			if ip == nil && !strings.Contains(h, ".") {
				return raw, true
			}
			continue
		}
		if eh, ep, err := net.SplitHostPort(e); err == nil {
			if ep != strconv.Itoa(port) {
				continue
			}
			e = eh
		}
		e = strings.Trim(e, "[]")
		if strings.ContainsAny(e, "*?") {
			if ok, _ := path.Match(e, h); ok {
				return raw, true
			}
			continue
		}
		if eip := net.ParseIP(e); eip != nil {
			if ip != nil && eip.Equal(ip) {
				return raw, true
			}
			continue
		}
		if h == e {
			return raw, true
		}
	}
	return "", false
}

// MatchBypass reports whether host:port matches a bypass list entry and
// which one. It understands both NO_PROXY forms ("*", "example.com",
// ".example.com", "10.0.0.0/8", "host:port") and WinHTTP forms ("<local>"
// for names without a dot, "*.contoso.com", "10.1.*").
func MatchBypass(list []string, host string, port int) (string, bool) {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	ip := net.ParseIP(h)
	for _, raw := range list {
		e := strings.ToLower(strings.TrimSpace(raw))
		if e == "" {
			continue
		}
		if e == "*" {
			return raw, true
		}
		if e == "<local>" {
			if ip == nil && !strings.Contains(h, ".") {
				return raw, true
			}
			continue
		}
		if _, cidr, err := net.ParseCIDR(e); err == nil {
			if ip != nil && cidr.Contains(ip) {
				return raw, true
			}
			continue
		}
		// Optional port, also on bracketed IPv6 entries.
		if eh, ep, err := net.SplitHostPort(e); err == nil {
			if ep != strconv.Itoa(port) {
				continue
			}
			e = eh
		}
		e = strings.Trim(e, "[]")
		if strings.ContainsAny(e, "*?") {
			if ok, _ := path.Match(e, h); ok {
				return raw, true
			}
			continue
		}
		if eip := net.ParseIP(e); eip != nil {
			if ip != nil && eip.Equal(ip) {
				return raw, true
			}
			continue
		}
		e = strings.TrimPrefix(e, ".")
		if h == e || strings.HasSuffix(h, "."+e) {
			return raw, true
		}
	}
	return "", false
}
