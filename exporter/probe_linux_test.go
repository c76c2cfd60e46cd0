package exporter

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
}
