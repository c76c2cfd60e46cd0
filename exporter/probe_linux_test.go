package exporter

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

// scrapeProbe fetches /probe as Prometheus would, with its timeout header.
func scrapeProbe(t *testing.T, addr, target, module string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://%s/probe?target=%s&module=%s", addr, target, module), nil)
	req.Header.Set(ScrapeTimeoutHeader, "10")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("/probe %s %s: %s: %s", target, module, resp.Status, body)
	}
	return string(body)
}

// TestProbeThroughLabSquid runs the real hvrdoctor serve's /probe against
// a lab origin through real squid: with squid's 4 GB request body limit
// the large-upload step fails (and the probe with it); without the limit
// every step passes.
func TestProbeThroughLabSquid(t *testing.T) {
	limited := labtest.Squid(t, lab.SquidOptions{RequestBodyMaxSize: "4 GB"})
	open := labtest.Squid(t, lab.SquidOptions{})
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	mods := fmt.Sprintf(`modules:
  limited:
    auth: kerberos
    proxy: %s
    timeout: 3s
    steps: [dns, tcp, listener, proxy-path, proxy-large-upload]
  open:
    auth: kerberos
    proxy: %s
    timeout: 3s
    steps: [dns, tcp, listener, proxy-path, proxy-large-upload]
`, limited.URL, open.URL)
	cfg := filepath.Join(t.TempDir(), "modules.yml")
	if err := os.WriteFile(cfg, []byte(mods), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := startServe(t, "--files", "off", "--probe.config.file", cfg)

	got := scrapeProbe(t, addr, origin.Addr, "limited")
	for _, want := range []string{
		`hvrdoctor_probe_step_success{status="fail",step="proxy-large-upload"} 0`,
		`hvrdoctor_probe_step_success{status="pass",step="proxy-path"} 1`,
		"hvrdoctor_probe_success 0",
		"hvrdoctor_probe_timeout_seconds 9.5",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("4 GB limit: exposition lacks %q:\n%s", want, got)
		}
	}
	got = scrapeProbe(t, addr, origin.Addr, "open")
	for _, want := range []string{
		`hvrdoctor_probe_step_success{status="pass",step="proxy-large-upload"} 1`,
		"hvrdoctor_probe_success 1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no limit: exposition lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(got, `hvrdoctor_probe_step_duration_seconds{step="proxy-large-upload"}`) {
		t.Errorf("no step duration:\n%s", got)
	}

	// A real Prometheus scrapes /probe with the README's relabelling, one
	// job per module, and answers per target and step.
	if _, err := exec.LookPath("prometheus"); err != nil {
		testutil.SkipOrFail(t, "prometheus not found on PATH (apt-get install prometheus)")
	}
	job := func(module string) string {
		return fmt.Sprintf(`  - job_name: probe-%[1]s
    metrics_path: /probe
    params: {module: [%[1]s]}
    scrape_interval: 5s
    scrape_timeout: 5s
    static_configs:
      - targets: [%[2]q]
    relabel_configs:
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [__param_target], target_label: instance}
      - {target_label: __address__, replacement: %[3]q}
`, module, origin.Addr, addr)
	}
	base := startPrometheus(t, job("limited")+job("open"))
	res := waitQuery(t, base, `hvrdoctor_probe_success`, 30*time.Second, func(r []promVector) bool { return len(r) == 2 })
	for _, r := range res {
		want := map[string]float64{"probe-limited": 0, "probe-open": 1}[r.Metric["job"]]
		if value(r) != want || r.Metric["instance"] != origin.Addr {
			t.Errorf("hvrdoctor_probe_success%v = %v, want %v for instance %s", r.Metric, value(r), want, origin.Addr)
		}
	}
	res, err := query(t, base, `hvrdoctor_probe_step_success{step="proxy-large-upload",status="fail"}`)
	if err != nil || len(res) != 1 || res[0].Metric["job"] != "probe-limited" {
		t.Errorf("failing upload step through Prometheus: %v %v", res, err)
	}
}
