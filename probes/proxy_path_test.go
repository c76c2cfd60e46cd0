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
