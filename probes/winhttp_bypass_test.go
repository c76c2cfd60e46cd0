package probes

import (
	"context"
	"strings"
	"testing"
)

// A WinHTTP bypass list as `netsh winhttp show proxy` prints it, typed from
// the documented forms (WINHTTP_PROXY_INFO: server names separated by
// semicolons or whitespace, "<local>" for names without a period; netsh's
// wildcard examples), not captured from a machine. A bare name is that
// server only: "fabrikam.com" must not count as a bypass for
// hv1.fabrikam.com, which would report the proxy out of the path while
// WinHTTP sends the replica's traffic through it. NO_PROXY keeps its
// suffix rule.
func TestWinHTTPBypassBareNameIsOneServer(t *testing.T) {
	noEnv := func(string) string { return "" }
	winhttp := func(context.Context) (WinHTTPProxy, error) {
		return ParseNetshWinHTTP("Current WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  winproxy:8080\r\n" +
			"    Bypass List     :  <local>;fabrikam.com;*.contoso.com;10.1.*;192.168.0.0/16\r\n")
	}
	for _, c := range []struct {
		replica string
		inPath  bool
	}{
		{"hv1.fabrikam.com", true}, // bare name: that server only
		{"fabrikam.com", false},
		{"rep.contoso.com", false}, // wildcard
		{"replica01", false},       // <local>
		{"10.1.2.3", false},        // wildcard on an address
		{"192.168.7.9", true},      // CIDR is not a WinHTTP form
	} {
		tg, err := ParseTarget(TargetInput{Replica: c.replica, Env: noEnv, WinHTTP: winhttp})
		if err != nil || tg.ProxySource != "WinHTTP" {
			t.Fatalf("%s: %v %+v", c.replica, err, tg)
		}
		if in, why := tg.ProxyInPath(); in != c.inPath {
			t.Errorf("%s: proxy in path = %v (%s), want %v", c.replica, in, why, c.inPath)
		}
	}
	// The same entry in NO_PROXY covers subdomains (curl's rule).
	env := map[string]string{"HTTP_PROXY": "http://envproxy:8080", "NO_PROXY": "fabrikam.com"}
	tg, _ := ParseTarget(TargetInput{Replica: "hv1.fabrikam.com", Env: func(k string) string { return env[k] }, WinHTTP: winhttp})
	if in, why := tg.ProxyInPath(); in || !strings.Contains(why, "fabrikam.com") {
		t.Errorf("NO_PROXY fabrikam.com should bypass hv1.fabrikam.com: %v %s", in, why)
	}
}
