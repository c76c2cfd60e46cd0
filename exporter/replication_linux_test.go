package exporter

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// get returns the body of http://addr+path.
func get(t *testing.T, addr, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// copyDir copies the regular files of src into a new temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestServeReplicationFrom scrapes the real hvrdoctor serve given hyperv's
// saved PowerShell 7 fixtures (typed from the documented formats; no
// Windows host here): Critical, Warning and Normal VMs with their pending
// bytes, promtool accepts the exposition, the landing page says where the
// figures come from, and the files are read again (a removed
// Measure-VMReplication output takes its pending bytes away).
func TestServeReplicationFrom(t *testing.T) {
	promtool := needTool(t, "promtool")
	dir := copyDir(t, filepath.Join("..", "hyperv", "testdata", "status", "ps7"))
	addr := startServe(t, "--files", "off", "--replication-from", dir, "--replication-read-interval", "5s")
	body := get(t, addr, "/metrics")
	for _, line := range []string{
		`hvrdoctor_vm_replication_health{health="Critical",relationship="primary",vm="SQL01"} 1`,
		`hvrdoctor_vm_replication_health{health="Warning",relationship="primary",vm="FILE01"} 1`,
		`hvrdoctor_vm_replication_health{health="Normal",relationship="primary",vm="WEB01"} 1`,
		`hvrdoctor_vm_replication_health{health="Normal",relationship="primary",vm="SQL01"} 0`,
		`hvrdoctor_vm_replication_pending_bytes{relationship="primary",vm="SQL01"} 6.442450944e+09`,
		`hvrdoctor_vm_replication_pending_bytes{relationship="primary",vm="FILE01"} 3.145728e+08`,
		`hvrdoctor_vm_replication_resync_forecast_seconds{relationship="primary",vm="LOG01"} 5120`,
		`hvrdoctor_replication_source_up 1`,
	} {
		if !strings.Contains(body, "\n"+line+"\n") {
			t.Errorf("/metrics lacks %s", line)
		}
	}
	cmd := exec.CommandContext(context.Background(), promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
	if page := get(t, addr, "/"); !strings.Contains(page, "from the saved PowerShell outputs in "+dir) {
		t.Errorf("landing page does not say where the replication metrics come from:\n%s", page)
	}

	if err := os.Remove(filepath.Join(dir, "measure.json")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		body = get(t, addr, "/metrics")
		if !strings.Contains(body, "hvrdoctor_vm_replication_pending_bytes{") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("pending bytes still exposed 20 s after measure.json was removed: the files are not read again")
		}
		time.Sleep(time.Second)
	}
	if !strings.Contains(body, `hvrdoctor_vm_replication_health{health="Critical",relationship="primary",vm="SQL01"} 1`) {
		t.Error("after the re-read SQL01's health (from Get-VMReplication) is gone")
	}
}

// TestServeWithoutReplicationSaysWhy: off a Hyper-V host and without
// --replication-from there are no vm_replication series, and the landing
// page says why in one line.
func TestServeWithoutReplicationSaysWhy(t *testing.T) {
	addr := startServe(t, "--files", "off")
	if body := get(t, addr, "/metrics"); strings.Contains(body, "hvrdoctor_vm_replication_") || strings.Contains(body, "hvrdoctor_replication_source_") {
		t.Error("replication series exposed without a host view")
	}
	page := get(t, addr, "/")
	if !strings.Contains(page, "no replication metrics (hvrdoctor_vm_replication_*): this is not a Hyper-V host; give --replication-from DIR") {
		t.Errorf("landing page does not say why there are no replication metrics:\n%s", page)
	}
}
