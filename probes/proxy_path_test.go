package probes

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A proxy that refuses connections is reported as refused, not as a vague
// "failed": the admin must know whether the proxy is down or dropped.
func TestProxyPathRefusedProxySaysRefused(t *testing.T) {
	proxy := fmt.Sprintf("http://127.0.0.1:%d", closedPort(t))
	tg, err := ParseTarget(TargetInput{Replica: "replica01.contoso.com", VMName: "SQL01", ProxyURL: proxy,
		Timeout: 2 * time.Second, Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	res := ProxyPathProbe{}.Run(context.Background(), tg)
	if res.Status != StatusFail {
		t.Fatalf("refusing proxy: status %s, want fail (%q)", res.Status, res.Summary)
	}
	if !strings.Contains(res.Summary, "does not accept connections: refused") {
		t.Errorf("summary should say the proxy refused: %q", res.Summary)
	}
}

// No fix may point at "the test below" unless a later fix of the same
// result is that test: check output and explain print fixes in order.
func TestBypassFixesDoNotPointAtAMissingTest(t *testing.T) {
	proxy := fmt.Sprintf("http://127.0.0.1:%d", closedPort(t))
	tg, err := ParseTarget(TargetInput{Replica: "replica01.contoso.com", VMName: "SQL01", ProxyURL: proxy,
		Timeout: 2 * time.Second, Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	res := ProxyPathProbe{}.Run(context.Background(), tg)
	lists := map[string][]Fix{"proxy-path": res.Fixes}
	for _, code := range []string{"0x00002EF3", "0x00002EE2"} {
		ex, err := Explain(code)
		if err != nil {
			t.Fatalf("explain %s: %v", code, err)
		}
		// hvrdoctor explain shows the fixes without a target.
		lists["explain "+code] = ex.Fixes(nil)
	}
	for name, fixes := range lists {
		for i, f := range fixes {
			if !strings.Contains(f.Text, "test below") {
				continue
			}
			found := false
			for _, later := range fixes[i+1:] {
				if strings.HasPrefix(later.Command, "Test-VMReplicationConnection") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: fix %d says %q but no Test-VMReplicationConnection follows", name, i+1, f.Text)
			}
		}
	}
}

// The "no proxy" evidence names the variable the authentication type reads:
// Kerberos goes over HTTP (HTTP_PROXY), certificates over HTTPS
// (HTTPS_PROXY), so an admin who set only HTTPS_PROXY sees why a Kerberos
// check went direct.
func TestNoProxyEvidenceNamesTheVariableRead(t *testing.T) {
	env := func(name string) string {
		if name == "HTTPS_PROXY" {
			return "http://proxy.contoso.com:8080"
		}
		return ""
	}
	tg, err := ParseTarget(TargetInput{Replica: "replica01.contoso.com", Auth: "kerberos", Env: env, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	in, why := tg.ProxyInPath()
	if in || !strings.Contains(why, "no HTTP_PROXY") && !strings.Contains(why, ", HTTP_PROXY or") {
		t.Errorf("kerberos with only HTTPS_PROXY: in path %v, %q; want direct, naming HTTP_PROXY", in, why)
	}
	if strings.Contains(why, "HTTPS") {
		t.Errorf("kerberos evidence %q names HTTPS_PROXY, which kerberos does not read", why)
	}
	tg, err = ParseTarget(TargetInput{Replica: "replica01.contoso.com", Auth: "certificate", Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	if _, why := tg.ProxyInPath(); !strings.Contains(why, "HTTPS_PROXY") {
		t.Errorf("certificate evidence %q should name HTTPS_PROXY", why)
	}
}
