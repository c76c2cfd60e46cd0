package analysis

import (
	"strings"
	"testing"
)

// A one-sample recording (record stopped by Ctrl-C after a second) reads
// "1 sample, 1 minute", not "1 samples, 1 minutes".
func TestRecordingSummarySingular(t *testing.T) {
	p := writeFile(t, "ProcStats-1.csv", procHeader+
		"2026-11-24T04:57:01.000+01:00,04:57,sqlservr.exe,812,workload,1048576,0,1048576,0,5\n")
	res, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := res.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, ", 1 sample, 1 minute.") || !strings.Contains(out, "ProcStats, 1 sample.") || !strings.Contains(out, "(1 process).") {
		t.Errorf("one-sample recording summary:\n%s", out)
	}
}
