package probes

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func noEnv(string) string { return "" }

func noWinHTTP(context.Context) (WinHTTPProxy, error) { return WinHTTPProxy{}, nil }

func TestParseTargetRejectsBadInputWithOneLineNamingIt(t *testing.T) {
	cases := []struct {
		name string
		in   TargetInput
		want string // the input named in the error
	}{
		{"empty host", TargetInput{Replica: "  "}, "--replica"},
		{"url as host", TargetInput{Replica: "http://replica01"}, `--replica "http://replica01"`},
		{"host with port", TargetInput{Replica: "replica01:80"}, `--replica "replica01:80"`},
		{"bad label", TargetInput{Replica: "-replica"}, `--replica "-replica"`},
		{"port too big", TargetInput{Replica: "r1", Port: 70000}, `--port "70000"`},
		{"port negative", TargetInput{Replica: "r1", Port: -1}, `--port "-1"`},
		{"garbage proxy", TargetInput{Replica: "r1", ProxyURL: "ht!tp://::bad"}, "--proxy"},
		{"socks proxy", TargetInput{Replica: "r1", ProxyURL: "socks5://p:1080"}, `--proxy "socks5://p:1080"`},
		{"proxy port", TargetInput{Replica: "r1", ProxyURL: "http://p:99999"}, "--proxy"},
		{"proxy path", TargetInput{Replica: "r1", ProxyURL: "http://p:8080/pac"}, "--proxy"},
		{"unknown auth", TargetInput{Replica: "r1", Auth: "ntlm"}, `--auth "ntlm"`},
		{"bad env proxy", TargetInput{Replica: "r1", Env: func(k string) string {
			if k == "HTTP_PROXY" {
				return "::::"
			}
			return ""
		}}, "HTTP_PROXY"},
		{"vm with quote", TargetInput{Replica: "r1", VMName: `a"b`}, "--vm"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.in.Env == nil {
				c.in.Env = noEnv
			}
			c.in.WinHTTP = noWinHTTP
			_, err := ParseTarget(c.in)
			if err == nil {
				t.Fatalf("ParseTarget(%+v) accepted bad input", c.in)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q should be one line naming %s", msg, c.want)
			}
		})
	}
}

func TestParseTargetDefaults(t *testing.T) {
	k, err := ParseTarget(TargetInput{Replica: " Replica01.contoso.com. ", Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	if k.Replica != "Replica01.contoso.com" || k.Port != 80 || k.Auth != AuthKerberos || k.Timeout != DefaultTimeout || k.Proxy != nil {
		t.Errorf("kerberos defaults wrong: %+v", k)
	}
	c, err := ParseTarget(TargetInput{Replica: "[::1]", Auth: "Certificate", Timeout: time.Second, Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	if c.Replica != "::1" || c.Port != 443 || c.Auth != AuthCertificate || c.Addr() != "[::1]:443" {
		t.Errorf("certificate defaults wrong: %+v addr %s", c, c.Addr())
	}
	p, err := ParseTarget(TargetInput{Replica: "r1", ProxyURL: "proxy.contoso.com:3128", Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	if p.Proxy.String() != "http://proxy.contoso.com:3128" || p.ProxySource != "--proxy" {
		t.Errorf("proxy without scheme: %v from %s", p.Proxy, p.ProxySource)
	}
}

func TestProxyDetectionOrder(t *testing.T) {
	env := map[string]string{
		"HTTP_PROXY":  "http://envproxy:8080",
		"HTTPS_PROXY": "http://sslproxy:8443",
		"NO_PROXY":    ".contoso.com,10.0.0.0/8",
	}
	getenv := func(k string) string { return env[k] }
	winhttp := func(context.Context) (WinHTTPProxy, error) {
		return WinHTTPProxy{Server: "winproxy:80", Bypass: []string{"<local>"}}, nil
	}

	// Explicit --proxy wins over everything.
	tg, _ := ParseTarget(TargetInput{Replica: "r1.contoso.com", ProxyURL: "http://explicit:1", Env: getenv, WinHTTP: winhttp})
	if tg.ProxySource != "--proxy" {
		t.Errorf("explicit proxy not preferred: %s", tg.ProxySource)
	}
	// Kerberos (HTTP) uses HTTP_PROXY; NO_PROXY bypasses contoso.com.
	tg, _ = ParseTarget(TargetInput{Replica: "r1.contoso.com", Env: getenv, WinHTTP: winhttp})
	if tg.ProxySource != "HTTP_PROXY" || tg.Proxy.Host != "envproxy:8080" {
		t.Errorf("kerberos env proxy: %v %s", tg.Proxy, tg.ProxySource)
	}
	if in, why := tg.ProxyInPath(); in || !strings.Contains(why, ".contoso.com") {
		t.Errorf("NO_PROXY .contoso.com should bypass: %v %s", in, why)
	}
	// Certificate (HTTPS) uses HTTPS_PROXY.
	tg, _ = ParseTarget(TargetInput{Replica: "r2.fabrikam.com", Auth: "certificate", Env: getenv, WinHTTP: winhttp})
	if tg.Proxy.Host != "sslproxy:8443" {
		t.Errorf("certificate env proxy: %v", tg.Proxy)
	}
	if in, _ := tg.ProxyInPath(); !in {
		t.Error("r2.fabrikam.com is not in NO_PROXY: the proxy should be in the path")
	}
	// No environment: the WinHTTP machine proxy, with its bypass list.
	tg, _ = ParseTarget(TargetInput{Replica: "replica01", Env: noEnv, WinHTTP: winhttp})
	if tg.ProxySource != "WinHTTP" || tg.Proxy.Host != "winproxy:80" {
		t.Errorf("WinHTTP proxy: %v %s", tg.Proxy, tg.ProxySource)
	}
	if in, _ := tg.ProxyInPath(); in {
		t.Error("<local> should bypass the short name replica01")
	}
	// --bypass-proxy mirrors -BypassProxyServer $true.
	tg, _ = ParseTarget(TargetInput{Replica: "r2.fabrikam.com", BypassProxy: true, Env: getenv, WinHTTP: winhttp})
	if in, why := tg.ProxyInPath(); in || !strings.Contains(why, "BypassProxyServer") {
		t.Errorf("--bypass-proxy: %v %s", in, why)
	}
	// An unreadable WinHTTP setting is reported, not fatal.
	tg, err := ParseTarget(TargetInput{Replica: "r1", Env: noEnv, WinHTTP: func(context.Context) (WinHTTPProxy, error) {
		return WinHTTPProxy{}, errors.New("netsh: access denied")
	}})
	if err != nil || tg.Proxy != nil || !strings.Contains(tg.ProxySource, "unreadable") {
		t.Errorf("unreadable WinHTTP: %v %+v", err, tg)
	}
}

func TestMatchBypass(t *testing.T) {
	list := []string{"*.contoso.local", "10.1.*", "<local>", "fabrikam.com", "192.168.0.0/16", "special:8080", "[fd00::1]"}
	cases := []struct {
		host  string
		port  int
		match bool
	}{
		{"rep.contoso.local", 80, true},
		{"contoso.local", 80, false}, // *.contoso.local needs a subdomain (WinHTTP)
		{"10.1.2.3", 80, true},
		{"10.2.2.3", 80, false},
		{"replica01", 80, true}, // <local>: no dot
		{"replica01.other.com", 80, false},
		{"fabrikam.com", 443, true},
		{"hv1.fabrikam.com", 443, true},
		{"notfabrikam.com", 443, false},
		{"192.168.7.9", 80, true},
		{"special", 8080, true},
		{"special", 80, true}, // <local> matches the short name anyway
		{"special.x", 8080, false},
		{"fd00::1", 443, true},
	}
	for _, c := range cases {
		if _, got := MatchBypass(list, c.host, c.port); got != c.match {
			t.Errorf("MatchBypass(%s:%d) = %v, want %v", c.host, c.port, got, c.match)
		}
	}
	if _, ok := MatchBypass([]string{"*"}, "anything.example", 1); !ok {
		t.Error("* should match everything")
	}
}
