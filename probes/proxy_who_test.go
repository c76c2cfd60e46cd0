package probes

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

// Issue 12 "who answered": through real squid, a reply squid generated
// itself (407 from proxy_auth, 403 from an ACL deny, 503 for a name it
// cannot resolve) never passes a step; it is a finding about the proxy.

func allText(r Result) string {
	var b strings.Builder
	b.WriteString(r.Summary + "\n" + r.Reason + "\n" + strings.Join(r.Evidence, "\n") + "\n")
	for _, f := range r.Fixes {
		b.WriteString(f.Text + "\n" + f.Command + "\n")
	}
	return b.String()
}

func TestSquidProxyAuthIsAFindingNotAPass(t *testing.T) {
	squid := labtest.Squid(t, lab.SquidOptions{ProxyAuth: true})
	// Nothing listens on the replica's port: only squid can answer.
	kt := originTarget(t, closedAddr(t), "kerberos", squid.URL)
	kt.VMName = "SQL01"

	for name, res := range map[string]Result{
		"listener":     ListenerProbe{}.Run(context.Background(), kt),
		"large-upload": LargeUploadProbe{}.Run(context.Background(), kt),
	} {
		if res.Status != StatusFail {
			t.Errorf("%s: status %s, want fail: %s", name, res.Status, res.Summary)
		}
		if !strings.Contains(res.Summary, "demands authentication") || !strings.Contains(res.Summary, "407") {
			t.Errorf("%s: summary should name the proxy's authentication demand: %q", name, res.Summary)
		}
		if !strings.Contains(res.Reason, "Virtual Machine Management service") || !strings.Contains(res.Reason, "unconfirmed") {
			t.Errorf("%s: reason should explain vmms is a service and word the unsourced part as unconfirmed: %q", name, res.Reason)
		}
		text := allText(res)
		for _, want := range []string{"Proxy-Authenticate: Basic", "http_access allow hvr_replica", "acl hvr_replica dst 127.0.0.1",
			"Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true", "--auth certificate"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: missing %q in\n%s", name, want, text)
			}
		}
		if strings.Contains(text, "Enable-NetFirewallRule") {
			t.Errorf("%s: firewall fixes for a proxy that demands authentication:\n%s", name, text)
		}
		if res.Cause == nil || res.Cause.Kind != "proxy-auth" {
			t.Errorf("%s: finding should be a cause for later steps: %+v", name, res.Cause)
		}
	}

	ct := originTarget(t, closedAddr(t), "certificate", squid.URL)
	for name, res := range map[string]Result{
		"listener-tls": ListenerProbe{}.Run(context.Background(), ct),
		"inspection":   InspectionProbe{}.Run(context.Background(), ct),
	} {
		if res.Status != StatusFail || !strings.Contains(res.Summary, "demands authentication") {
			t.Errorf("%s through CONNECT: %s %q", name, res.Status, res.Summary)
		}
		if strings.Contains(allText(res), "inspection on the proxy") {
			t.Errorf("%s: HTTPS-inspection fixes for an authentication demand:\n%s", name, allText(res))
		}
	}
}

func TestSquidACLDenyIsAFindingNotAPass(t *testing.T) {
	squid := labtest.Squid(t, lab.SquidOptions{DenyDst: []string{"127.0.0.1"}})
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	tg := originTarget(t, closedAddr(t), "kerberos", squid.URL)
	res := ListenerProbe{}.Run(context.Background(), tg)
	if res.Status != StatusFail || !strings.Contains(res.Summary, "refuses to forward") || !strings.Contains(res.Summary, "403") {
		t.Errorf("ACL deny: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	if !strings.Contains(allText(res), "ERR_ACCESS_DENIED") {
		t.Errorf("evidence should show squid's X-Squid-Error: %v", res.Evidence)
	}
	// The origin listens, but the 4 GB probe must not pass on two
	// identical 403s from the proxy either.
	tg = originTarget(t, origin.Addr, "kerberos", squid.URL)
	up := LargeUploadProbe{}.Run(context.Background(), tg)
	if up.Status == StatusPass || !strings.Contains(up.Summary, "refuses to forward") {
		t.Errorf("large upload through a deny rule: %s %q", up.Status, up.Summary)
	}
	if origin.Requests() != 0 {
		t.Errorf("origin saw %d requests through a deny rule", origin.Requests())
	}
}

// Squid 5.7 answers a name its DNS says does not exist with 502 and
// ERR_READ_ERROR (not ERR_DNS_FAIL); the probe tells it from a refused
// connection because the name does not resolve here either.
func TestSquidUnresolvableReplica(t *testing.T) {
	squid := labtest.Squid(t, lab.SquidOptions{NXDomainDNS: true})
	tg, err := ParseTarget(TargetInput{Replica: "replica.hvrdoctor.invalid", Port: 80, Auth: "kerberos", ProxyURL: squid.URL,
		Timeout: 10 * time.Second, Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := ListenerProbe{}.Run(context.Background(), tg)
	t.Logf("squid answered in %s", time.Since(start))
	if res.Status != StatusFail || !strings.Contains(res.Summary, "cannot resolve replica.hvrdoctor.invalid") {
		t.Fatalf("unresolvable through squid: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	text := allText(res)
	if strings.Contains(text, "Enable-NetFirewallRule") || !strings.Contains(text, "nslookup 'replica.hvrdoctor.invalid'") {
		t.Errorf("a name the proxy cannot resolve gets DNS fixes, not firewall ones:\n%s", text)
	}
	// Clock skew never reads squid's own Date as the replica's.
	ck := ClockSkewProbe{}.Run(context.Background(), tg)
	if ck.Status != StatusSkip || !strings.Contains(ck.Summary, "proxy") {
		t.Errorf("clock skew from the proxy's own reply: %s %q %v", ck.Status, ck.Summary, ck.Evidence)
	}
}

// A forwarded answer of the replica still passes, and its Date is used.
func TestSquidForwardedReplyPasses(t *testing.T) {
	squid := labtest.Squid(t, lab.SquidOptions{})
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	tg := originTarget(t, closedAddr(t), "kerberos", squid.URL)
	tg.Port = portOf(origin.Addr)
	// The listener goes direct when it can: take its proxy path.
	res := ListenerProbe{}.runHTTP(context.Background(), tg, nil, true)
	if res.Status != StatusPass || !strings.Contains(strings.Join(res.Evidence, "\n"), "forwarded by the proxy") {
		t.Errorf("forwarded 401 of the origin: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	ck := ClockSkewProbe{}.Run(context.Background(), tg)
	if ck.Status != StatusPass || !strings.Contains(strings.Join(ck.Evidence, "\n"), "forwarded by proxy") {
		t.Errorf("clock skew from the forwarded reply: %s %q %v", ck.Status, ck.Summary, ck.Evidence)
	}
}

// The squid fix line for the 4 GB limit works: with it squid passes the
// large POST.
func TestSquidNoBodyLimitLineWorks(t *testing.T) {
	squid := labtest.Squid(t, lab.SquidOptions{RequestBodyMaxSize: strings.TrimPrefix(squidNoBodyLimit, "request_body_max_size ")})
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	res := LargeUploadProbe{}.Run(context.Background(), originTarget(t, origin.Addr, "kerberos", squid.URL))
	if res.Status != StatusPass {
		t.Errorf("with %q: %s %q", squidNoBodyLimit, res.Status, res.Summary)
	}
}

// Issue 12 deliverable 5: through mitmproxy, the mutual-TLS step fails
// too, and says it is likely caused by the HTTPS inspection found before,
// with the inspection's fixes instead of firewall ones.
func TestMutualTLSThroughInspectionPointsAtInspection(t *testing.T) {
	mitm := labtest.Mitmproxy(t)
	origin := labtest.TLSOrigin(t, lab.OriginOptions{})
	tg := originTarget(t, origin.Addr, "certificate", mitm.URL)
	client, err := origin.CA.Issue(lab.LeafSpec{CommonName: "primary.lab.test", DNSNames: []string{"primary.lab.test"}, ServerAuth: true, ClientAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	tg.CertSource = filepath.Join(testutil.TempDir(t), "primary.pem")
	if err := os.WriteFile(tg.CertSource, client.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	tg.CertName = "primary.lab.test"
	steps := Plan(tg)
	results := Runner{}.Run(context.Background(), tg, steps)
	byID := map[string]Result{}
	for _, r := range results {
		byID[r.ProbeID] = r
	}
	if r := byID[IDHTTPSInspection]; r.Status != StatusFail {
		t.Fatalf("inspection: %s %q", r.Status, r.Summary)
	}
	m := byID[IDCertMutualTLS]
	if m.Status == StatusPass || m.Status == StatusSkip {
		t.Fatalf("mutual TLS through mitmproxy: %s %q", m.Status, m.Summary)
	}
	if !strings.Contains(m.Summary, "Likely caused by HTTPS inspection") || !strings.Contains(m.LikelyCause, "HTTPS inspection") {
		t.Errorf("mutual TLS should point at the inspection: %q / %q", m.Summary, m.LikelyCause)
	}
	text := allText(m)
	if strings.Contains(text, "Enable-NetFirewallRule") || !strings.Contains(text, "from HTTPS inspection") {
		t.Errorf("mutual TLS fixes should be the inspection's:\n%s", text)
	}
	if !strings.Contains(text, "-CertificateThumbprint "+client.Thumbprint()) || strings.Contains(text, "<THUMBPRINT>") {
		t.Errorf("the thumbprint of the loaded certificate should fill the fixes:\n%s", text)
	}
}

func portOf(addr string) int {
	_, p, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(p)
	return n
}
