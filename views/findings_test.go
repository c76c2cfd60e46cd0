package views

import (
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

var updateFindings = flag.Bool("update-findings", false, "rewrite views/testdata/findings_* golden files")

// findingsReport is a fixed report: the probes' own result texts for a
// Kerberos replica behind a proxy that refuses large uploads, with
// deterministic timings, host and time.
func findingsReport() probes.Report {
	proxy, _ := url.Parse("http://proxy.contoso.com:3128")
	t := &probes.Target{Replica: "hv-dr01.contoso.com", Port: 80, Auth: probes.AuthKerberos, Proxy: proxy,
		ProxySource: "--proxy", Timeout: 5 * time.Second, VMName: "SQL01"}
	steps := probes.Plan(t)[:5]
	ms := time.Millisecond
	results := []probes.Result{
		{ProbeID: "dns", Status: probes.StatusPass, Summary: "hv-dr01.contoso.com resolves to 10.0.0.7.",
			Evidence: []string{"hv-dr01.contoso.com resolved in 1.2 ms", "A    10.0.0.7"}, Duration: 1200 * time.Microsecond},
		{ProbeID: "tcp", Status: probes.StatusPass, Summary: "Port 80 accepts connections (10.0.0.7:80 in 0.9 ms).",
			Evidence: []string{"10.0.0.7:80 connected in 0.9 ms"}, Duration: ms},
		{ProbeID: "listener", Status: probes.StatusPass, Summary: "Port 80 answers HTTP directly: HTTP/1.1 401 Unauthorized.",
			Evidence: []string{"GET http://hv-dr01.contoso.com:80/ directly: HTTP/1.1 401 Unauthorized (Server: Microsoft-HTTPAPI/2.0)"}, Duration: 3 * ms},
		{ProbeID: "proxy-path", Status: probes.StatusPass, Summary: "Proxy proxy.contoso.com:3128 (from --proxy) is in the path and accepts connections.",
			Evidence: []string{"proxy proxy.contoso.com:3128 in the path (from --proxy)"}, Duration: 2 * ms},
		{ProbeID: "proxy-large-upload", Status: probes.StatusFail,
			Summary: "The proxy refuses large uploads: a ~500 GB POST answered 413 Payload Too Large while the 1 KB one got 401.",
			Evidence: []string{"control POST Content-Length 1024 (headers only): HTTP/1.1 401 Unauthorized in 3.1 ms",
				"large   POST Content-Length 536870912000 (500 GiB, headers only): HTTP/1.1 413 Payload Too Large in 0.7 ms (Server: squid/6.13)"},
			Reason: "With Kerberos, Hyper-V Replica sends its data as an HTTP POST whose Content-Length is about 500 GB. Proxies such as Forefront TMG terminate uploads over 4 GB.",
			Codes:  []string{"0x00002EE2"},
			Fixes: []probes.Fix{
				{Text: "Existing replication: switch it to bypass the proxy.", Command: "Set-VMReplication -VMName SQL01 -BypassProxyServer $true", Where: probes.OnPrimary},
				{Text: "Or let the proxy pass uploads over 4 GB to hv-dr01.contoso.com (Squid: request_body_max_size; Forefront TMG has no such setting).", Where: probes.OnProxy},
			}, Duration: 9 * ms},
	}
	return probes.NewReport(t, steps, results, "hvrdoctor v1.0.0", "HV-PRI01", time.Date(2026, 11, 24, 3, 4, 5, 0, time.UTC))
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateFindings {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./views -run Findings -update-findings to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file; got:\n%s", name, got)
	}
}

func TestFindingsTextGolden(t *testing.T) {
	r := findingsReport()
	out := FindingsText(r)
	checkGolden(t, "findings_text.golden", out)
	// Prose wraps for an 80-column console; only verbatim evidence and
	// commands (kept whole so they can be copied) may be wider.
	verbatim := map[string]bool{}
	for _, s := range r.Steps {
		for _, e := range s.Evidence {
			verbatim[e] = true
		}
		for _, f := range s.Fixes {
			verbatim[f.Command] = true
		}
	}
	for i, line := range strings.Split(out, "\n") {
		if len(line) > 80 && !verbatim[strings.TrimSpace(line)] {
			t.Errorf("line %d is wider than 80 columns: %q", i+1, line)
		}
	}
}

func TestFindingsMarkdownGolden(t *testing.T) {
	out := FindingsMarkdown(findingsReport())
	checkGolden(t, "findings_markdown.golden", out)
	if !strings.Contains(out, "   ```powershell\n   Set-VMReplication -VMName SQL01 -BypassProxyServer $true\n   ```") {
		t.Error("fix commands must be in copyable powershell blocks, unescaped")
	}
}

func TestFindingsExplainRendersEverything(t *testing.T) {
	e, err := probes.Explain("%%2148074243")
	if err != nil {
		t.Fatal(err)
	}
	out := FindingsExplain(e, e.Fixes(nil))
	for _, want := range []string{"0x80090303  SEC_E_TARGET_UNKNOWN", "event log form %%2148074243", "-2146893053",
		"The specified target is unknown or unreachable.", "Hyper-V Replica Service", "setspn -L <replica>", "Restart-Service vmms"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
}

// Issue 12: text, Markdown and explain output keep every command whole on
// one line, however long, so it copies from an 80-column console.
func TestFindingsKeepEachCommandOnOneLine(t *testing.T) {
	proxy, _ := url.Parse("http://proxy-with-a-long-name.branch-office.contoso.com:3128")
	tg := &probes.Target{Replica: "hyper-v-replica-server-with-a-long-name.datacenter.contoso.com", Port: 443, Auth: probes.AuthCertificate,
		Proxy: proxy, ProxySource: "--proxy", Timeout: 5 * time.Second, VMName: "SQL Server 2022 production (do not stop)"}
	e, err := probes.Explain("0x00002EF3")
	if err != nil {
		t.Fatal(err)
	}
	fixes := e.Fixes(tg)
	steps := probes.Plan(tg)[:1]
	r := probes.NewReport(tg, steps, []probes.Result{{ProbeID: steps[0].Probe.ID(), Status: probes.StatusFail, Summary: "x", Fixes: fixes}},
		"hvrdoctor test", "HV-PRI01", time.Date(2026, 11, 24, 3, 4, 5, 0, time.UTC))
	outs := map[string]string{"text": FindingsText(r), "markdown": FindingsMarkdown(r), "explain": FindingsExplainFor(e, tg, fixes)}
	long := 0
	for _, f := range fixes {
		if f.Command == "" {
			continue
		}
		if len(f.Command) > 80 {
			long++
		}
		for name, out := range outs {
			found := false
			for _, line := range strings.Split(out, "\n") {
				if strings.TrimSpace(line) == f.Command {
					found = true
				}
			}
			if !found {
				t.Errorf("%s output breaks or lacks the command %q:\n%s", name, f.Command, out)
			}
		}
	}
	if long == 0 {
		t.Fatal("the test needs commands wider than 80 columns")
	}
}
