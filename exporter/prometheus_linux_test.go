package exporter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// startServe runs the real hvrdoctor serve on a loopback port the OS
// picks and returns its address, read from its start line.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	bin := testutil.Binary(t)
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("hvrdoctor serve exited before listening")
			}
			if _, rest, ok := strings.Cut(l, "listening on "); ok {
				addr, _, _ := strings.Cut(rest, " ")
				go func() {
					for l := range lines {
						t.Logf("serve: %s", l)
					}
				}()
				return addr
			}
			t.Logf("serve: %s", l)
		case <-deadline:
			t.Fatal("hvrdoctor serve did not say where it listens within 30 s")
		}
	}
}

// freePort returns a loopback address free at the time of the call.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startPrometheus runs a real Prometheus on loopback with its own config
// and data directory, scraping target every second; it returns its base URL.
func startPrometheus(t *testing.T, scrapeConfigs string) string {
	t.Helper()
	bin := needTool(t, "prometheus")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	conf := "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n" + scrapeConfigs
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	var log bytes.Buffer
	cmd := exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--storage.tsdb.retention.time=1h")
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", lastLines(log.String(), 20))
		}
	})
	base := "http://" + addr
	for i := 0; ; i++ {
		resp, err := http.Get(base + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
		if i > 300 {
			t.Fatalf("prometheus not ready on %s after 30 s", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}

// promVector is one sample of an instant query's result.
type promVector struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// query runs an instant PromQL query through Prometheus's HTTP API.
func query(t *testing.T, base, q string) ([]promVector, error) {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string       `json:"resultType"`
			Result     []promVector `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("query %s: %v: %s", q, err, body)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("query %s: %s", q, r.Error)
	}
	return r.Data.Result, nil
}

func value(v promVector) float64 {
	s, _ := v.Value[1].(string)
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// waitQuery polls q until ok accepts its result or the time is up.
func waitQuery(t *testing.T, base, q string, within time.Duration, ok func([]promVector) bool) []promVector {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		res, err := query(t, base, q)
		if err == nil && ok(res) {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("query %s: no acceptable answer within %s (last: %v, %v)", q, within, res, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestPrometheusScrapesWriterBytes: a real Prometheus scrapes the real
// hvrdoctor serve while a child writes 64 MiB; PromQL through the HTTP API
// gives the child's bytes within 10%, and promtool accepts the exposition.
func TestPrometheusScrapesWriterBytes(t *testing.T) {
	promtool := needTool(t, "promtool")
	needTool(t, "prometheus")
	fixtures, err := filepath.Abs(filepath.Join("..", "hyperv", "testdata", "status", "ps7"))
	if err != nil {
		t.Fatal(err)
	}
	serveAddr := startServe(t, "--interval", "1s", "--files", "auto", "--replication-from", fixtures)
	base := startPrometheus(t, fmt.Sprintf("  - job_name: hvrdoctor\n    static_configs:\n      - targets: [%q]\n", serveAddr))
	waitQuery(t, base, `up{job="hvrdoctor"}`, 30*time.Second, func(r []promVector) bool { return len(r) == 1 && value(r[0]) == 1 })

	// The host view's series as Prometheus stores them: the Critical VM,
	// and the near-resync rule's expression picks LOG01 alone (90%).
	waitQuery(t, base, `hvrdoctor_vm_replication_health{vm="SQL01",relationship="primary",health="Critical"} == 1`, 10*time.Second,
		func(r []promVector) bool { return len(r) == 1 })
	near := waitQuery(t, base, `hvrdoctor_vm_replication_pending_bytes / on (instance, job, vm, relationship) hvrdoctor_vm_replication_resync_threshold_bytes >= 0.8`,
		10*time.Second, func(r []promVector) bool { return len(r) >= 1 })
	if len(near) != 1 || near[0].Metric["vm"] != "LOG01" || math.Abs(value(near[0])-0.9) > 1e-9 {
		t.Errorf("near-resync expression: %+v, want LOG01 at 0.9 only", near)
	}

	const size = 64 << 20
	w := testutil.StartWriter(t, filepath.Join(testutil.BlockBackedDir(t), "churn.bin"), size)
	select {
	case err := <-w.Done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("writer did not finish 64 MiB within 60 s")
	}
	name := filepath.Base(os.Args[0])
	if len(name) > 15 {
		name = name[:15] // the kernel's comm
	}
	q := fmt.Sprintf(`sum(hvrdoctor_process_written_bytes_total{name=%q})`, name)
	res := waitQuery(t, base, q, 20*time.Second, func(r []promVector) bool { return len(r) == 1 && value(r[0]) >= 0.9*size })
	got := value(res[0])
	if math.Abs(got-size)/size > 0.10 {
		t.Errorf("%s = %.0f bytes, want %d within 10%%", q, got, size)
	}
	t.Logf("%s = %.0f (writer wrote %d)", q, got, size)

	checkDashboardQueries(t, base)

	// The exposition as Prometheus gets it passes promtool's lint.
	resp, err := http.Get("http://" + serveAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cmd := exec.CommandContext(context.Background(), promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// checkDashboardQueries runs every query of the Grafana dashboard in
// deploy/grafana through Prometheus's HTTP API (Grafana's variables
// replaced as Grafana would: all instances, a 1m rate interval): none may
// fail, and those on the churn metrics must return data.
func checkDashboardQueries(t *testing.T, base string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "deploy", "grafana", "hvrdoctor-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Definition string `json:"definition"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	vars := strings.NewReplacer("$instance", ".*", "$__rate_interval", "1m")
	info, err := query(t, base, "hvrdoctor_sampler_info")
	if err != nil || len(info) != 1 {
		t.Fatalf("hvrdoctor_sampler_info: %v %v", info, err)
	}
	noFiles := info[0].Metric["file_backend"] == "none"
	if noFiles {
		t.Logf("no per-file backend here (%s): the files panel may be empty", info[0].Metric["file_note"])
	}
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			q := vars.Replace(tg.Expr)
			res, err := query(t, base, q)
			n++
			if err != nil {
				t.Errorf("panel %q: %v", p.Title, err)
				continue
			}
			// Probe results, the spike factor (3 complete minutes) and the
			// link (--link-rate) do not exist in this run; all else must.
			optional := strings.Contains(q, "probe_") || strings.Contains(q, "spike_factor") || strings.Contains(q, "link_bytes") ||
				(noFiles && strings.Contains(q, "file_written"))
			if !optional && len(res) == 0 {
				t.Errorf("panel %q: %s returned no data", p.Title, q)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d dashboard queries found", n)
	}
	// The instance variable's query: label_values(METRIC, LABEL).
	for _, v := range dash.Templating.List {
		if v.Definition == "" {
			continue
		}
		var metric, label string
		if _, err := fmt.Sscanf(strings.NewReplacer("label_values(", "", ",", " ", ")", "").Replace(v.Definition), "%s %s", &metric, &label); err != nil {
			t.Errorf("variable query %q: %v", v.Definition, err)
			continue
		}
		res, err := query(t, base, fmt.Sprintf("count by (%s) (%s)", label, metric))
		if err != nil || len(res) == 0 {
			t.Errorf("variable query %q: %v, %d values", v.Definition, err, len(res))
		}
	}
}
