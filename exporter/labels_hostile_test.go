package exporter

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"
)

// Any local user can name a process with bytes that are not UTF-8 (Linux
// prctl(PR_SET_NAME) takes any bytes): the churn collector panicked on the
// label value, and every scrape of /metrics answered 500 for as long as
// the series was kept. Escape sequences in names reached whoever read a
// scrape in a terminal. Process, disk and file labels are cleaned.
func TestChurnLabelsFromHostileNames(t *testing.T) {
	s := newScript()
	s.disk.Name = "sd\x1b[2Ja"
	c := newTestChurn(t, s, Options{TopPIDs: 5})
	s.write(10, "\xff\xfe\x1b[31mEVIL\x1b", 1000)
	s.write(11, "\xfe\xff\x1b[31mEVIL\x1b", 500) // cleaned to the same name: one series
	s.write(12, "ok\u202eexe.txt", 7)
	step(c, s)
	step(c, s)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("scrape failed: %v", err)
	}
	var names []string
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				v := l.GetValue()
				if strings.ContainsAny(v, "\x1b\u202e") || strings.ContainsRune(v, 0xff) {
					t.Errorf("%s{%s=%q}: raw control character", mf.GetName(), l.GetName(), v)
				}
				if mf.GetName() == "hvrdoctor_process_written_bytes_total" && l.GetName() == "name" {
					names = append(names, v)
				}
			}
		}
	}
	if len(names) != 2 {
		t.Errorf("process series %q, want the two cleaned names", names)
	}
	if problems, err := promtest.CollectAndLint(c); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}
