package probes

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

func directTarget(t *testing.T, host string, port int, auth string, timeout time.Duration) *Target {
	t.Helper()
	tg, err := ParseTarget(TargetInput{Replica: host, Port: port, Auth: auth, Timeout: timeout, Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func TestTCPClosedPortRefused(t *testing.T) {
	tg := directTarget(t, "127.0.0.1", closedPort(t), "kerberos", 2*time.Second)
	res := TCPProbe{}.Run(context.Background(), tg)
	if res.Status != StatusFail || !strings.Contains(res.Summary, "refused") {
		t.Fatalf("closed port: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	if !hasFix(res, `Enable-NetFirewallRule -DisplayName "Hyper-V Replica HTTP Listener (TCP-In)"`) || !hasFix(res, "netsh http show servicestate") {
		t.Errorf("refused should name the firewall rule and the listener state: %+v", res.Fixes)
	}
}

func TestTCPOpenPortConnects(t *testing.T) {
	o := labtest.HTTPOrigin(t, lab.OriginOptions{})
	_, p, _ := net.SplitHostPort(o.Addr)
	port, _ := strconv.Atoi(p)
	res := TCPProbe{}.Run(context.Background(), directTarget(t, "127.0.0.1", port, "kerberos", time.Second))
	if res.Status != StatusPass || !strings.Contains(res.Evidence[0], "connected in") {
		t.Fatalf("open port: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
}

func TestDNSUnknownNameFails(t *testing.T) {
	tg := directTarget(t, "hvrdoctor-no-such-host.invalid", 0, "kerberos", 3*time.Second)
	res := DNSProbe{}.Run(context.Background(), tg)
	if res.Status != StatusFail || !strings.Contains(res.Summary, "does not resolve") || res.Codes[0] != "0x80072EE7" {
		t.Fatalf("unknown name: %s %q %v", res.Status, res.Summary, res.Codes)
	}
	// The whole plan then skips what depends on the name.
	results := Runner{}.Run(context.Background(), tg, Plan(tg))
	if results[1].Status != StatusSkip || results[2].Status != StatusSkip {
		t.Errorf("tcp/listener after failed DNS: %s %s", results[1].Status, results[2].Status)
	}
}

// fakeResolver answers from a table (the system resolver cannot be made
// to return a short name's FQDN here).
type fakeResolver map[string][]string

func (f fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	var out []net.IPAddr
	for _, a := range f[host] {
		out = append(out, net.IPAddr{IP: net.ParseIP(a)})
	}
	if out == nil {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return out, nil
}

func (f fakeResolver) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return f["rev:"+addr], nil
}

func TestDNSShortNameAndAddresses(t *testing.T) {
	r := fakeResolver{"hv-dr01": {"10.0.0.7", "fd00::7"}, "rev:10.0.0.7": {"hv-dr01.contoso.com."}}
	k := DNSProbe{Resolver: r}.Run(context.Background(), directTarget(t, "hv-dr01", 0, "kerberos", time.Second))
	ev := strings.Join(k.Evidence, "\n")
	if k.Status != StatusPass || !strings.Contains(ev, "A    10.0.0.7") || !strings.Contains(ev, "AAAA fd00::7") || !strings.Contains(ev, "short name") {
		t.Errorf("kerberos short name: %s %q\n%s", k.Status, k.Summary, ev)
	}
	c := DNSProbe{Resolver: r}.Run(context.Background(), directTarget(t, "hv-dr01", 0, "certificate", time.Second))
	if c.Status != StatusWarn || !strings.Contains(c.Fixes[0].Command, "--replica 'hv-dr01.contoso.com'") {
		t.Errorf("certificate short name should warn and suggest the FQDN: %s %+v", c.Status, c.Fixes)
	}
}

func TestListenerProtocols(t *testing.T) {
	httpO := labtest.HTTPOrigin(t, lab.OriginOptions{})
	tlsO := labtest.TLSOrigin(t, lab.OriginOptions{})
	port := func(o *lab.Origin) int { _, p, _ := net.SplitHostPort(o.Addr); n, _ := strconv.Atoi(p); return n }

	res := ListenerProbe{}.Run(context.Background(), directTarget(t, "127.0.0.1", port(httpO), "kerberos", 2*time.Second))
	if res.Status != StatusPass || !strings.Contains(res.Summary, "401") {
		t.Errorf("HTTP listener for kerberos: %s %q", res.Status, res.Summary)
	}
	res = ListenerProbe{}.Run(context.Background(), directTarget(t, "127.0.0.1", port(tlsO), "certificate", 2*time.Second))
	if res.Status != StatusPass || !strings.Contains(res.Summary, "CN=localhost") {
		t.Errorf("TLS listener for certificate: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	res = ListenerProbe{}.Run(context.Background(), directTarget(t, "127.0.0.1", port(tlsO), "kerberos", 2*time.Second))
	if res.Status != StatusFail || !strings.Contains(res.Summary, "speaks TLS") {
		t.Errorf("TLS port with kerberos: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	res = ListenerProbe{}.Run(context.Background(), directTarget(t, "127.0.0.1", port(httpO), "certificate", 2*time.Second))
	if res.Status != StatusFail || !strings.Contains(res.Summary, "plain HTTP") {
		t.Errorf("HTTP port with certificate: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
}

// TestTCPDroppedAndUnroutableInNetns runs TestTCPInNetns in a fresh network
// namespace (unshare -n, as root) where iptables drops SYNs to port 9 on
// loopback and 198.51.100.7 (TEST-NET-2) has an "unreachable" route. A
// namespace keeps the DROP rule away from the machine's other traffic and
// makes both outcomes certain, which an arbitrary unroutable address on
// the host network does not.
func TestTCPDroppedAndUnroutableInNetns(t *testing.T) {
	if os.Getenv("HVRDOCTOR_IN_NETNS") == "1" {
		t.Skip("parent test only")
	}
	var missing string
	for _, tool := range []string{"unshare", "ip", "iptables"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = tool + " not found"
		}
	}
	if os.Geteuid() != 0 {
		missing = "needs root for a network namespace"
	}
	if missing != "" {
		labtest.SkipUnless(t, fmt.Errorf("%w: %s", lab.ErrUnavailable, missing))
	}
	script := `set -e; ip link set lo up; iptables -A INPUT -p tcp --dport 9 --syn -j DROP; ip route add unreachable 198.51.100.7/32; exec "$0" -test.run '^TestTCPInNetns$' -test.v -test.count=1`
	cmd := exec.Command("unshare", "-n", "sh", "-c", script, os.Args[0])
	cmd.Env = append(os.Environ(), "HVRDOCTOR_IN_NETNS=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestTCPInNetns") {
		if strings.Contains(string(out), "Operation not permitted") && !labtest.RequireIntegration() {
			t.Skipf("network namespaces not permitted here: %s", out)
		}
		t.Fatalf("netns child failed: %v\n%s", err, out)
	}
}

// TestTCPInNetns is the child of TestTCPDroppedAndUnroutableInNetns.
func TestTCPInNetns(t *testing.T) {
	if os.Getenv("HVRDOCTOR_IN_NETNS") != "1" {
		t.Skip("runs only inside the network namespace set up by TestTCPDroppedAndUnroutableInNetns")
	}
	timeout := 700 * time.Millisecond
	res := TCPProbe{}.Run(context.Background(), directTarget(t, "127.0.0.1", 9, "kerberos", timeout))
	if res.Status != StatusFail || !strings.Contains(res.Summary, "timed out after 700ms") {
		t.Errorf("SYN drop: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	res = TCPProbe{}.Run(context.Background(), directTarget(t, "198.51.100.7", 80, "kerberos", timeout))
	if res.Status != StatusFail || !strings.Contains(res.Summary, "unreachable") {
		t.Errorf("unreachable route: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
}
