package tui

import (
	"context"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes"
)

// recordedProbe replays a result recorded from a real run of the probes
// (hvrdoctor's wizard against squid with request_body_max_size 4 GB and a
// loopback origin as the replica, 2026-11-24), so goldens and benchmarks
// see real content with stable ports and timings. The real probes run in
// the integration tests (TestWizardAgainstSquid..., the tmux end to end).
type recordedProbe struct {
	id, title, about string
	res              probes.Result
}

func (p recordedProbe) ID() string                     { return p.id }
func (p recordedProbe) Title() string                  { return p.title }
func (p recordedProbe) About() string                  { return p.about }
func (p recordedProbe) AppliesTo(probes.AuthType) bool { return true }
func (p recordedProbe) Run(ctx context.Context, _ *probes.Target) probes.Result {
	r := p.res
	r.ProbeID = p.id
	return r
}

// recordedPlan is the Kerberos plan's steps with the results of the
// recorded run (VM SQL01, replica 127.0.0.1:43713, squid 127.0.0.1:41285);
// titles and descriptions come from the real probes.
func recordedPlan(*probes.Target) []probes.Step {
	real := map[string]probes.Probe{}
	for _, s := range probes.Plan(&probes.Target{Auth: probes.AuthKerberos}) {
		real[s.Probe.ID()] = s.Probe
	}
	rec := func(id string, r probes.Result) probes.Step {
		p := real[id]
		return probes.Step{Probe: recordedProbe{id: id, title: p.Title(), about: p.About(), res: r}}
	}
	fixesUpload := []probes.Fix{
		{Text: "New replication: bypass the proxy (PowerShell or WMI only; Hyper-V Manager has no such option).",
			Command: "Enable-VMReplication -VMName SQL01 -ReplicaServerName 127.0.0.1 -ReplicaServerPort 43713 -AuthenticationType Kerberos -BypassProxyServer $true", Where: "primary"},
		{Text: "Existing replication: switch it to bypass the proxy.", Command: "Set-VMReplication -VMName SQL01 -BypassProxyServer $true", Where: "primary"},
		{Text: "Or add the replica to the WinHTTP machine proxy's bypass list (Replica appears to use WinHTTP's settings, inferred from its WinHTTP error codes: verify with the test below).",
			Command: `netsh winhttp set proxy proxy-server="127.0.0.1:41285" bypass-list="127.0.0.1"`, Where: "primary"},
		{Text: "Or let the proxy pass uploads over 4 GB to 127.0.0.1 (Squid: request_body_max_size; Forefront TMG has no such setting).", Where: "proxy"},
		{Text: `Confirm from the primary (success says the connection "was successful").`,
			Command: "Test-VMReplicationConnection 127.0.0.1 43713 Kerberos -BypassProxyServer $true", Where: "primary"},
	}
	return []probes.Step{
		rec(probes.IDDNS, probes.Result{Status: probes.StatusWarn, Summary: "127.0.0.1 is an IP address: nothing to resolve, but authentication needs a name.",
			Evidence: []string{"replica given as IP address 127.0.0.1"}, Duration: 1649 * time.Microsecond,
			Reason: "Hyper-V Replica identifies the replica by name: Kerberos looks up the SPN Hyper-V Replica Service/<name> and certificate authentication matches the certificate's subject or SAN against the name. With an IP address authentication usually fails; use the FQDN.",
			Fixes:  []probes.Fix{{Text: "Find the replica's FQDN and use it as -ReplicaServerName.", Command: "Resolve-DnsName 127.0.0.1", Where: "primary"}}}),
		rec(probes.IDTCP, probes.Result{Status: probes.StatusPass, Summary: "Port 43713 accepts connections (127.0.0.1:43713 in 0.2 ms).",
			Evidence: []string{"127.0.0.1:43713 connected in 0.2 ms"}}),
		rec(probes.IDListener, probes.Result{Status: probes.StatusPass, Summary: "Port 43713 answers HTTP directly: HTTP/1.1 401 Unauthorized.",
			Evidence: []string{"GET http://127.0.0.1:43713/ directly: HTTP/1.1 401 Unauthorized (Server: hvrdoctor-lab-origin)"}}),
		rec(probes.IDProxyPath, probes.Result{Status: probes.StatusPass, Summary: "Proxy 127.0.0.1:41285 (from --proxy) is in the path and accepts connections.",
			Evidence: []string{"proxy 127.0.0.1:41285 in the path (from --proxy)", "connected to proxy 127.0.0.1:41285 in 1.2 ms"}}),
		rec(probes.IDProxyLargeUpload, probes.Result{Status: probes.StatusFail,
			Summary: "The proxy refuses large uploads: a ~500 GB POST answered 413 Payload Too Large while the 1 KB one got 401.",
			Evidence: []string{
				"control POST Content-Length 1024 (headers only): HTTP/1.1 401 Unauthorized (Server: hvrdoctor-lab-origin) in 23 ms",
				"large   POST Content-Length 536870912000 (500 GiB, headers only): HTTP/1.1 413 Payload Too Large (Server: squid/5.7) in 6.9 ms"},
			Reason: `With Kerberos, Hyper-V Replica sends its data as an HTTP POST whose Content-Length is about 500 GB. Proxies such as Forefront TMG terminate uploads over 4 GB, so replication never reaches the replica; the primary reports that it "cannot connect to the specified Replica server due to connection timed out" (usually 0x00002EE2) and asks you to verify the proxy settings.`,
			Codes:  []string{"0x00002EE2"}, Fixes: fixesUpload}),
		rec("spn", probes.Result{Status: probes.StatusSkip, Summary: "Cannot check the SPNs from here: give --kdc and --realm with credentials (--keytab and --principal, --principal for a password prompt, or --ccache), or --ldap URL."}),
		rec("clock-skew", probes.Result{Status: probes.StatusPass, Summary: "Clocks agree within 0s.",
			Evidence: []string{"method: Date header of http://127.0.0.1:43713/: Tue, 24 Nov 2026 14:30:02 GMT", "difference: 0s (KDC/replica minus this host)"}}),
	}
}

// fixedClock is a clock that says the scene's time.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// newWizardModel is the scene's model with a wizard over the recorded plan
// and a fixed clock, at w x h.
func newWizardModel(t testing.TB, w, h int, fields TargetFields) *Model {
	t.Helper()
	e := sceneEngine(t, 12)
	m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm", Clock: fixedClock{sceneStart.Add(5 * time.Second)},
		Tool: "hvrdoctor test", ReportDir: testutil.TempDir(t),
		Wizard: WizardOptions{Fields: fields, Plan: recordedPlan, RunAtStart: fields.Replica != "",
			ReadVMs: func(context.Context) ([]VMReplication, error) { return nil, nil }}})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// runAll executes cmd and every command it leads to, ticks and spinner
// frames excepted, until nothing is left: a probe run ends within it.
func runAll(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			runAll(m, c)
		}
	case tickMsg, nil:
	default:
		if isSpinnerTick(msg) {
			return
		}
		_, next := m.Update(msg)
		if _, isSample := msg.(sampleMsg); !isSample {
			runAll(m, next)
		}
	}
}

// pressAll sends keys and runs what they start (a wizard run included).
func pressAll(m *Model, keys ...string) {
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		runAll(m, cmd)
	}
}

// typeText types s into whatever has the keyboard.
func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func isSpinnerTick(msg tea.Msg) bool {
	_, ok := msg.(spinner.TickMsg)
	return ok
}
