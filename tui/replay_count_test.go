package tui

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// A recording with FileStats, whose rows are a few milliseconds off the
// other files' as the recorder writes them, replays with exactly its
// sample count everywhere: the header's "sample N of M", the report, the
// Churn tab (it said "sample 1 of 60" for 30 samples, every other frame
// empty). Old recordings without the Sample column are matched by time.
// The host is the recorded one, never the directory's name; the top file
// is on the Churn tab and in the report.
func TestReplayShowsRecordedSampleCountAndHost(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		dir := testutil.TempDir(t)
		start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		_, err := synth.Write(dir, 1, synth.Scenario{Start: start, Interval: time.Second, Samples: 30, Host: "sql-vm",
			Legacy: legacy, FileSkew: 4 * time.Millisecond,
			Processes: []synth.Process{{Name: "sqlservr.exe", PID: 1800, Start: 9, Class: sampler.ClassWorkload,
				Files: []synth.FileRate{{Path: `D:\SQLData\tempdb.mdf`, Rate: func(time.Time) int64 { return 1 << 20 }}}}}})
		if err != nil {
			t.Fatal(err)
		}
		paths, err := analysis.ExpandPaths([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := OpenRecording(dir, paths, analysis.ColumnMap{}, analysis.Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		wantHost := "sql-vm"
		if legacy {
			wantHost = ""
		}
		if rec.Count() != 30 || rec.Host() != wantHost {
			t.Fatalf("legacy %v: %d samples, host %q; want 30, %q", legacy, rec.Count(), rec.Host(), wantHost)
		}
		m := New(Options{Replay: rec, Host: rec.Host()})
		t.Cleanup(func() { m.Close() }) // the replay keeps its CSVs open
		m.Update(sizeMsg(120, 40))
		run(m, m.Init())
		if h := headerLine(m); !strings.Contains(h, "(sample 1 of 30)") || legacy == strings.Contains(h, "host sql-vm") {
			t.Errorf("legacy %v: header on open %q", legacy, h)
		}
		keys(m, "end")
		if h := headerLine(m); !strings.Contains(h, "10:00:29 (sample 30 of 30)") {
			t.Errorf("legacy %v: header at the end %q", legacy, h)
		}
		d := m.incident()
		md := views.IncidentMarkdown(d)
		if d.Analysis.Samples != 30 || !strings.Contains(md, "30 samples") || !strings.Contains(md, `| D:\\SQLData\\tempdb.mdf | 30.0 MiB | sqlservr.exe (PID 1800) | workload |`) {
			t.Errorf("legacy %v: report with %d samples:\n%s", legacy, d.Analysis.Samples, md)
		}
		wantReportHost := "# Hyper-V Replica incident report: sql-vm"
		if legacy {
			wantReportHost = "# Hyper-V Replica incident report: host not recorded"
		}
		if !strings.Contains(md, wantReportHost) || strings.Contains(md, "report: "+dir) {
			t.Errorf("legacy %v: report host:\n%s", legacy, md)
		}
		lines := churnLines(m, 120)
		if !hasText(lines, "Top files", `D:\SQLData\tempdb.mdf`, "30.0 MiB", "sqlservr.exe (PID 1800)") {
			t.Errorf("legacy %v: Churn tab lacks the top file:\n%s", legacy, strings.Join(lines, "\n"))
		}
	}
}

// A generic CSV opened in the screens says on the Churn tab how its
// columns were read, as analyze's text does.
func TestReplayGenericCSVShowsMapping(t *testing.T) {
	p := testutil.TempDir(t) + "/excel.csv"
	body := "DateTime;Process Name;Process ID;Bytes Written\n" +
		"24.11.2026 13:52:00;sqlservr.exe;1800;10000000,0\n24.11.2026 13:52:10;sqlservr.exe;1800;10000000\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, err := OpenRecording(p, []string{p}, analysis.ColumnMap{}, analysis.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Replay: rec})
	// The replay keeps the CSV open; on Windows an open file cannot be
	// deleted, so the temp dir's cleanup (after this) failed under wine.
	t.Cleanup(func() { m.Close() })
	m.Update(sizeMsg(120, 40))
	run(m, m.Init())
	if lines := churnLines(m, 120); !hasText(lines, "Generic CSV excel.csv, semicolon-separated", `time from "DateTime" (day-first date (DD.MM.YYYY))`,
		`process from "Process Name"`, `writes from "Bytes Written" (bytes per interval)`) {
		t.Errorf("Churn tab lacks the column mapping:\n%s", strings.Join(lines, "\n"))
	}
}
