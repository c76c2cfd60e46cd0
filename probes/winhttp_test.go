package probes

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
)

// The netsh outputs in testdata are transcriptions of `netsh winhttp show
// proxy` on English Windows Server (CRLF line ends kept): netsh cannot run
// here, so the parser is tested on recorded text.
func readNetsh(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseNetshDirect(t *testing.T) {
	w, err := ParseNetshWinHTTP(readNetsh(t, "netsh_winhttp_direct.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !w.Direct() || w.ServerFor(AuthKerberos) != "" {
		t.Errorf("direct access parsed as %+v", w)
	}
}

func TestParseNetshProxyWithBypassList(t *testing.T) {
	w, err := ParseNetshWinHTTP(readNetsh(t, "netsh_winhttp_proxy_bypass.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if w.Direct() || w.ServerFor(AuthKerberos) != "proxy.contoso.com:8080" || w.ServerFor(AuthCertificate) != "proxy.contoso.com:8080" {
		t.Errorf("server: %+v", w)
	}
	if want := []string{"*.contoso.local", "10.1.*", "<local>"}; !reflect.DeepEqual(w.Bypass, want) {
		t.Errorf("bypass = %q, want %q", w.Bypass, want)
	}
	// And the detection that uses it: the replica in the bypass list goes direct.
	tg := &Target{Replica: "hv2.contoso.local", Port: 80, Auth: AuthKerberos}
	if err := detectProxy(tg, noEnv, func(context.Context) (WinHTTPProxy, error) { return w, nil }); err != nil {
		t.Fatal(err)
	}
	if in, why := tg.ProxyInPath(); in || !strings.Contains(why, "*.contoso.local") {
		t.Errorf("replica in bypass list: in path %v (%s)", in, why)
	}
}

func TestParseNetshPerSchemeProxies(t *testing.T) {
	w, err := ParseNetshWinHTTP(readNetsh(t, "netsh_winhttp_per_scheme.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := w.ServerFor(AuthKerberos); got != "webproxy.contoso.com:8080" {
		t.Errorf("kerberos (http) proxy = %q", got)
	}
	if got := w.ServerFor(AuthCertificate); got != "sslproxy.contoso.com:8443" {
		t.Errorf("certificate (https) proxy = %q", got)
	}
	if len(w.Bypass) != 0 {
		t.Errorf("(none) bypass list parsed as %q", w.Bypass)
	}
	if got := (WinHTTPProxy{Server: "https=only:443"}).ServerFor(AuthKerberos); got != "" {
		t.Errorf("no http entry should mean direct for Kerberos, got %q", got)
	}
}

func TestParseNetshUnrecognisedOutput(t *testing.T) {
	_, err := ParseNetshWinHTTP(readNetsh(t, "netsh_winhttp_german.txt"))
	if err == nil || !strings.Contains(err.Error(), "--proxy") {
		t.Errorf("localized output should fail with advice to pass --proxy: %v", err)
	}
}
