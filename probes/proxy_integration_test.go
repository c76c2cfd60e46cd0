package probes

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

// originTarget builds a validated target for a lab origin reached through
// proxyURL.
func originTarget(t *testing.T, addr, auth, proxyURL string) *Target {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	tg, err := ParseTarget(TargetInput{Replica: host, Port: p, Auth: auth, ProxyURL: proxyURL,
		Timeout: 3 * time.Second, Env: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestLargeUploadThroughSquidWith4GBLimitFails(t *testing.T) {
	squid := labtest.Squid(t, lab.SquidOptions{RequestBodyMaxSize: "4 GB"})
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	tg := originTarget(t, origin.Addr, "kerberos", squid.URL)

	res := LargeUploadProbe{}.Run(context.Background(), tg)
	if res.Status != StatusFail {
		t.Fatalf("status = %s, want fail; %s %v", res.Status, res.Summary, res.Evidence)
	}
	if !strings.Contains(res.Summary, "413") || !strings.Contains(res.Reason, "4 GB") {
		t.Errorf("summary/reason should name squid's 413 and the 4 GB limit: %q / %q", res.Summary, res.Reason)
	}
	if !hasFix(res, "Set-VMReplication -VMName <VM> -BypassProxyServer $true") {
		t.Errorf("missing the Set-VMReplication bypass fix: %+v", res.Fixes)
	}
	if !strings.Contains(strings.Join(res.Evidence, "\n"), "536870912000") {
		t.Errorf("evidence should show the 500 GiB Content-Length: %v", res.Evidence)
	}
}

func TestLargeUploadThroughSquidWithoutLimitPasses(t *testing.T) {
	squid := labtest.Squid(t, lab.SquidOptions{})
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	tg := originTarget(t, origin.Addr, "kerberos", squid.URL)

	res := LargeUploadProbe{}.Run(context.Background(), tg)
	if res.Status != StatusPass {
		t.Fatalf("status = %s, want pass; %s %v", res.Status, res.Summary, res.Evidence)
	}
	if origin.Requests() != 2 {
		t.Errorf("origin saw %d requests, want both POSTs forwarded", origin.Requests())
	}
}

func hasFix(r Result, cmd string) bool {
	for _, f := range r.Fixes {
		if strings.Contains(f.Command, cmd) {
			return true
		}
	}
	return false
}
