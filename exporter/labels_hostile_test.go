package exporter

import (
	"strings"
	"testing"
	"unicode/utf8"

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

// Names longer than MaxLabelBytes are cut in the middle on a character
// boundary; two that are alike once cut share one series, so the scrape
// does not fail on a duplicate.
func TestChurnLabelsBounded(t *testing.T) {
	s := newScript()
	c := newTestChurn(t, s, Options{TopPIDs: 5})
	long := strings.Repeat("ä", 200) // 400 bytes, two per character
	s.write(10, long+"1"+long, 1000)
	s.write(11, long+"2"+long, 500)
	step(c, s)
	step(c, s)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("scrape failed: %v", err)
	}
	var series int
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				v := l.GetValue()
				if len(v) > MaxLabelBytes || !utf8.ValidString(v) {
					t.Errorf("%s{%s=%q}: %d bytes, want valid UTF-8 of at most %d", mf.GetName(), l.GetName(), v, len(v), MaxLabelBytes)
				}
			}
			if mf.GetName() == "hvrdoctor_process_written_bytes_total" {
				series++
				if got := m.GetCounter().GetValue(); got != 1500 {
					t.Errorf("cut names' series = %v bytes, want both processes' 1500", got)
				}
			}
		}
	}
	if series != 1 {
		t.Errorf("%d process series, want one for the two names alike once cut", series)
	}
}
