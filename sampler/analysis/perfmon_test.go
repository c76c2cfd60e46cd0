package analysis

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// perfmonFixture is typed from the documented PDH-CSV layout that
// `relog LOG.blg -f csv` and Performance Monitor write (every cell quoted,
// first header cell "(PDH-CSV 4.0) (zone)(bias)", counter paths
// \\HOST\Object(Instance)\Counter, repeated image names numbered #1, a
// single space for a missing value, the first row's rates missing). It was
// not captured from a Windows machine.
func perfmonFixture() string {
	cols := []string{
		`(PDH-CSV 4.0) (W. Europe Standard Time)(-60)`,
		`\\SQL01\Process(sqlservr)\IO Write Bytes/sec`,
		`\\SQL01\Process(sqlservr)\ID Process`,
		`\\SQL01\Process(System)\IO Write Bytes/sec`,
		`\\SQL01\Process(System)\ID Process`,
		`\\SQL01\Process(svchost)\IO Write Bytes/sec`,
		`\\SQL01\Process(svchost)\ID Process`,
		`\\SQL01\Process(svchost#1)\IO Write Bytes/sec`,
		`\\SQL01\Process(svchost#1)\ID Process`,
		`\\SQL01\Process(_Total)\IO Write Bytes/sec`,
		`\\SQL01\Process(Idle)\IO Write Bytes/sec`,
		`\\SQL01\PhysicalDisk(0 C:)\Disk Write Bytes/sec`,
		`\\SQL01\PhysicalDisk(_Total)\Disk Write Bytes/sec`,
	}
	var b strings.Builder
	q := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"` + c + `"`)
		}
		b.WriteString("\r\n")
	}
	q(cols)
	// First row: rates blank, PIDs known.
	q([]string{"11/24/2026 04:50:00.000", " ", "1800", " ", "4", " ", "812", " ", "944", " ", " ", " ", " "})
	for m := 51; m <= 59; m++ {
		sql := 100000.0
		if m == 57 {
			sql = 3000000
		}
		sys, s1, s2 := 20000.0, 500.0, 1500.0
		total := sql + sys + s1 + s2
		q([]string{fmt.Sprintf("11/24/2026 04:%02d:00.012", m),
			fmt.Sprintf("%.6f", sql), "1800", fmt.Sprintf("%.6f", sys), "4",
			fmt.Sprintf("%.6f", s1), "812", fmt.Sprintf("%.6f", s2), "944",
			fmt.Sprintf("%.6f", total), "0", fmt.Sprintf("%.6f", total), fmt.Sprintf("%.6f", total)})
	}
	return b.String()
}

func TestPerfmonWideExport(t *testing.T) {
	p := writeFile(t, "sql01-writes.csv", perfmonFixture())
	cl := sampler.DefaultClassifier()
	res, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{Classify: cl.Classify})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs[0].Kind != KindPerfmon || res.Partial() {
		t.Fatalf("inputs %+v", res.Inputs)
	}
	r := res.Report
	if r.Samples != 9 || r.Minutes != 9 {
		t.Fatalf("samples %d minutes %d, want 9 and 9 (the blank first row is not a sample)", r.Samples, r.Minutes)
	}
	normal := 60 * (100000.0 + 20000 + 500 + 1500)
	spike := 60 * (3000000.0 + 20000 + 500 + 1500)
	if r.Baseline != normal {
		t.Errorf("baseline %.0f, want %.0f", r.Baseline, normal)
	}
	if len(r.Spikes) != 1 || r.Spikes[0].Label != "04:57" || math.Abs(r.Spikes[0].Factor-spike/normal) > 1e-9 {
		t.Fatalf("spikes %+v", r.Spikes)
	}
	c := r.Spikes[0].Culprits[0]
	if c.Name != "sqlservr" || c.PID != 1800 || c.Class != sampler.ClassWorkload {
		t.Errorf("culprit %+v", c)
	}
	// svchost and svchost#1 are two processes named svchost, told apart by PID.
	byPID := map[int32]ProcessStat{}
	for _, ps := range r.Processes {
		byPID[ps.PID] = ps
	}
	if byPID[812].Name != "svchost" || byPID[944].Name != "svchost" || byPID[944].WriteBytes != 9*60*1500 {
		t.Errorf("svchost instances: %+v %+v", byPID[812], byPID[944])
	}
	if byPID[4].Class != sampler.ClassInbox || byPID[812].Class != sampler.ClassInbox {
		t.Errorf("System/svchost should be inbox: %+v %+v", byPID[4], byPID[812])
	}
	if r.ProcessCount != 4 {
		t.Errorf("%d processes; _Total and Idle must not count", r.ProcessCount)
	}
	if !strings.Contains(strings.Join(res.Notes, " "), "all I/O writes") {
		t.Errorf("notes should say what the perfmon counter counts: %q", res.Notes)
	}
}

func TestPerfmonWithoutProcessWrites(t *testing.T) {
	p := writeFile(t, "disk.csv", "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\H\\PhysicalDisk(_Total)\\Disk Write Bytes/sec\"\n\"11/24/2026 04:50:00.000\",\"5\"\n")
	_, err := OpenFile(p, ColumnMap{})
	if err == nil || !strings.Contains(err.Error(), `relog`) || !strings.Contains(err.Error(), p+":1:") {
		t.Fatalf("err = %v, want the relog command to export the counter", err)
	}
}

func TestParseCounterPath(t *testing.T) {
	for in, want := range map[string]counterPath{
		`\\SQL01\Process(sqlservr)\IO Write Bytes/sec`:       {"Process", "sqlservr", "IO Write Bytes/sec"},
		`\\SQL01\PhysicalDisk(0 C: D:)\Disk Write Bytes/sec`: {"PhysicalDisk", "0 C: D:", "Disk Write Bytes/sec"},
		`\\H\Memory\Pages/sec`:                               {"Memory", "", "Pages/sec"},
	} {
		got, ok := parseCounterPath(in)
		if !ok || got != want {
			t.Errorf("%s: %+v %v, want %+v", in, got, ok, want)
		}
	}
	if _, ok := parseCounterPath("Timestamp"); ok {
		t.Error("Timestamp is not a counter path")
	}
}
