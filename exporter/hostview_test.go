package exporter

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/prometheus/client_golang/prometheus"
)

// gather collects c and returns each series as name{label="value",...}
// (labels sorted by name) with its value.
func gather(t *testing.T, c prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var ls []string
			for _, l := range m.GetLabel() {
				ls = append(ls, l.GetName()+`="`+l.GetValue()+`"`)
			}
			sort.Strings(ls)
			name := mf.GetName()
			if len(ls) > 0 {
				name += "{" + strings.Join(ls, ",") + "}"
			}
			switch {
			case m.GetGauge() != nil:
				out[name] = m.GetGauge().GetValue()
			case m.GetCounter() != nil:
				out[name] = m.GetCounter().GetValue()
			}
		}
	}
	return out
}

// TestHostViewFixtures reads hyperv's committed status fixtures (saved
// PowerShell 7 and Windows PowerShell 5.1 outputs, typed from the
// documented formats: no Windows host here) through HostView and checks
// the series of a Critical, a Warning and a Normal VM.
func TestHostViewFixtures(t *testing.T) {
	for _, dir := range []string{"ps7", "ps51"} {
		t.Run(dir, func(t *testing.T) {
			path := filepath.Join("..", "hyperv", "testdata", "status", dir)
			r := NewReplication(HostView{Paths: []string{path}}, "files", time.Minute)
			if err := r.Step(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := gather(t, r)
			health := func(vm, h string) string {
				return `hvrdoctor_vm_replication_health{health="` + h + `",relationship="primary",vm="` + vm + `"}`
			}
			want := map[string]float64{
				health("SQL01", "Critical"): 1, health("SQL01", "Warning"): 0, health("SQL01", "Normal"): 0,
				health("FILE01", "Warning"): 1, health("FILE01", "Critical"): 0,
				health("WEB01", "Normal"): 1, health("WEB01", "Warning"): 0,
				`hvrdoctor_vm_replication_pending_bytes{relationship="primary",vm="SQL01"}`:                                6442450944,
				`hvrdoctor_vm_replication_pending_bytes{relationship="primary",vm="FILE01"}`:                               314572800,
				`hvrdoctor_vm_replication_pending_bytes{relationship="extended",vm="SQL01"}`:                               20971520,
				`hvrdoctor_vm_replication_missed_cycles{relationship="primary",vm="SQL01"}`:                                26,
				`hvrdoctor_vm_replication_rule{level="Critical",relationship="primary",rule="suspended-event",vm="SQL01"}`: 1,
				`hvrdoctor_vm_replication_rule{level="Warning",relationship="primary",rule="missed-cycles",vm="FILE01"}`:   1,
				// LOG01: 45 GiB pending of a 50 GiB threshold at 1 MiB/s of counter writes: 5,120 s.
				`hvrdoctor_vm_replication_resync_threshold_bytes{relationship="primary",vm="LOG01"}`:  53687091200,
				`hvrdoctor_vm_replication_resync_forecast_seconds{relationship="primary",vm="LOG01"}`: 5120,
				`hvrdoctor_vm_replication_resync_threshold_bytes{relationship="primary",vm="WEB01"}`:  32212254720,
				`hvrdoctor_replication_source_up`: 1,
				// Rules applied as of the latest time in the files: 2026-12-06 09:00 UTC.
				`hvrdoctor_replication_source_as_of_timestamp_seconds`: float64(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC).Unix()),
			}
			for name, v := range want {
				if g, ok := got[name]; !ok || g != v {
					t.Errorf("%s = %v (present %v), want %v", name, g, ok, v)
				}
			}
			// WEB01 has no write-rate counters: no forecast time, not a 0.
			if _, ok := got[`hvrdoctor_vm_replication_resync_forecast_seconds{relationship="primary",vm="WEB01"}`]; ok {
				t.Error("WEB01 has a resync forecast time without any write rate in the files")
			}
			if dir == "ps7" {
				if got[`hvrdoctor_vm_replication_state{mode="Primary",relationship="primary",state="WaitingToStartResync",vm="APP01"}`] != 1 {
					t.Errorf("APP01's state WaitingToStartResync missing; states: %v", keysWith(got, "_state{"))
				}
			}
		})
	}
}

func keysWith(m map[string]float64, sub string) []string {
	var out []string
	for k := range m {
		if strings.Contains(k, sub) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TestHostViewErrorsNameTheFlag: hyperv's input errors name serve's flag,
// not status's --from.
func TestHostViewErrorsNameTheFlag(t *testing.T) {
	empty := t.TempDir()
	notJSON := filepath.Join(t.TempDir(), "x.json")
	if err := os.WriteFile(notJSON, []byte("{oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/nonexistent/dir", empty, notJSON} {
		_, err := HostView{Paths: []string{p}}.Read(context.Background())
		var ie *probes.InputError
		if err == nil || !strings.HasPrefix(err.Error(), ReplicationFromFlag+" ") && !strings.HasPrefix(err.Error(), ReplicationFromFlag+":") ||
			strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v; want one line starting with %s", p, err, ReplicationFromFlag)
		} else if !errors.As(err, &ie) {
			t.Errorf("%s: %T is not an InputError", p, err)
		}
	}
}
