package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// shortSession writes the short session: 29 s of a 16 MiB/s writer.
func shortSession(t *testing.T) string {
	t.Helper()
	dir := testutil.TempDir(t)
	start := time.Date(2026, 11, 24, 10, 0, 1, 0, time.FixedZone("CET", 3600))
	_, err := synth.Write(dir, 1, synth.Scenario{Start: start, Interval: time.Second, Samples: 29, Host: "sql-vm",
		Processes: []synth.Process{{Name: "dd", PID: 4242, Start: 7, Class: sampler.ClassInbox,
			Files: []synth.FileRate{{Path: "/var/lib/images/disk.img", Rate: func(time.Time) int64 { return 16 << 20 }}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func analyzeIn(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runCmd("analyze", args, &out, &errb)
	return out.String(), errb.String(), code
}

// 29 s against 100 Mbit: the output says the recording is shorter than
// every cycle, never "keeps up", and projects from the sustained rate that
// the link would not keep up, labelled as a projection (it said "keeps up
// (largest cycle uses 9% of the link)" for 5 min).
func TestAnalyzeShortSessionIsHonest(t *testing.T) {
	dir := shortSession(t)
	for _, format := range []string{"text", "markdown"} {
		out, errOut, code := analyzeIn(t, dir, "--link", "100Mbit", "--format", format)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		if strings.Contains(out, "keeps up") {
			t.Errorf("%s: a partial window must never keep up:\n%s", format, out)
		}
		for _, iv := range []string{"30 s", "5 min", "15 min"} {
			want := iv + ": 29 s recorded; a " + iv + " cycle needs " + iv
			if !strings.Contains(out, want) {
				t.Errorf("%s: lacks %q:\n%s", format, want, out)
			}
		}
		if n := strings.Count(out, "projection: the link (100 Mbit/s) would not keep up"); n != 3 {
			t.Errorf("%s: %d projections saying the link would not keep up, want 3:\n%s", format, n, out)
		}
		if !strings.Contains(out, "Projection from the sustained rate (16.0 MiB/s)") || !strings.Contains(out, "needing 134 Mbit/s (174 Mbit/s with 30% growth)") {
			t.Errorf("%s: projection figures:\n%s", format, out)
		}
		if !strings.Contains(out, "growth 30%") || !strings.Contains(out, "Host: sql-vm") {
			t.Errorf("%s: growth and host should be stated:\n%s", format, out)
		}
		if !strings.Contains(out, "too short for a baseline") || !strings.Contains(out, "too short to tell") {
			t.Errorf("%s: baseline and patterns should say the session is too short:\n%s", format, out)
		}
	}
}

// Every float flag refuses NaN, infinities and negative numbers with one
// line naming it and exit 2 (NaN compression printed "NaN bit/s ... keeps
// up"); the screens' flags too.
func TestAnalyzeFloatFlagsRefuseNaN(t *testing.T) {
	dir := shortSession(t)
	for _, flagName := range []string{"compression", "spike-factor", "growth"} {
		for _, v := range []string{"NaN", "nan", "Inf", "+Inf", "-Inf", "-0.5", "-30"} {
			_, errOut, code := analyzeIn(t, dir, "--"+flagName, v, "--format", "text")
			if code != exitUsage || !strings.Contains(errOut, "--"+flagName+" ") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("analyze --%s %s: exit %d, stderr %q; want exit 2 and one line naming the flag", flagName, v, code, errOut)
			}
			var errb bytes.Buffer
			if _, code, ok := parseUI([]string{"--" + flagName, v}, io.Discard, &errb); ok || code != exitUsage || !strings.Contains(errb.String(), "--"+flagName+" ") {
				t.Errorf("ui --%s %s: exit %d, stderr %q", flagName, v, code, errb.String())
			}
		}
	}
	if _, errOut, code := analyzeIn(t, dir, "--growth", "0", "--format", "text"); code != 0 {
		t.Errorf("--growth 0 plans for no growth: exit %d %s", code, errOut)
	}
}

// The files a recording's FileStats names appear in every output: text,
// Markdown and JSON, overall and per spike.
func TestAnalyzeTopFilesInEveryOutput(t *testing.T) {
	dir := testutil.TempDir(t)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	if _, err := synth.Write(dir, 1, synth.IncidentDay(day)); err != nil {
		t.Fatal(err)
	}
	text, _, _ := analyzeIn(t, dir, "--format", "text")
	md, _, _ := analyzeIn(t, dir, "--format", "markdown")
	js, _, _ := analyzeIn(t, dir, "--format", "json")
	if !regexp.MustCompile(`(?m)^  D:\\SQLData\\sales\.mdf +40\.2 GiB +sqlservr\.exe \(PID 1800\) +workload$`).MatchString(text) ||
		!strings.Contains(text, `[D:\SQLData\tempdb.mdf 997 MiB;`) || !strings.Contains(text, `E:\Transfer\data.iso`) {
		t.Errorf("text top files:\n%s", text)
	}
	if !strings.Contains(md, "## Top files") || !strings.Contains(md, `| D:\\SQLData\\sales.mdf | 40.2 GiB | sqlservr.exe (PID 1800) | workload |`) {
		t.Errorf("markdown top files:\n%s", md)
	}
	var doc analysis.Document
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Files) == 0 || doc.Files[0].Path != `D:\SQLData\sales.mdf` || len(doc.Spikes) == 0 || doc.Spikes[0].Culprits[0].Files[0].Path != `D:\SQLData\tempdb.mdf` {
		t.Errorf("json files: %+v, spikes %+v", doc.Files, doc.Spikes)
	}
	if strings.Contains(text+md, "Per-file data was not collected") {
		t.Error("the report must not say per-file data was not collected when FileStats was read")
	}
}

// The JSON document's schema, pinned by a golden file: a 12-minute
// recording with a spike, one interval measured and one projected, a link,
// a disk size (the resync forecast).
func TestAnalyzeJSONGolden(t *testing.T) {
	dir := testutil.TempDir(t)
	start := time.Date(2026, 11, 24, 4, 50, 0, 0, time.FixedZone("CET", 3600))
	spikeFrom := start.Add(7 * time.Minute)
	_, err := synth.Write(dir, 1, synth.Scenario{Start: start, Interval: 10 * time.Second, Samples: 72, Host: "sql-vm",
		Processes: []synth.Process{
			{Name: "sqlservr.exe", PID: 1800, Start: 1000, Class: sampler.ClassWorkload, Files: []synth.FileRate{
				{Path: `D:\SQLData\sales.mdf`, Rate: func(time.Time) int64 { return 500_000 }},
				{Path: `D:\SQLData\tempdb.mdf`, Rate: func(t time.Time) int64 {
					if !t.Before(spikeFrom) && t.Before(spikeFrom.Add(time.Minute)) {
						return 20_000_000
					}
					return 0
				}}}},
			{Name: "System", PID: 4, Start: 1, Class: sampler.ClassInbox, Files: []synth.FileRate{
				{Path: `C:\pagefile.sys`, Rate: func(time.Time) int64 { return 100_000 }}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := analyzeIn(t, dir, "--format", "json", "--link", "100Mbit", "--interval", "30s,15m", "--disk-size", "100GiB")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The tool's version and the temp dir vary.
	out = regexp.MustCompile(`"tool": "[^"]*"`).ReplaceAllString(out, `"tool": "hvrdoctor VERSION"`)
	out = strings.ReplaceAll(out, filepath.ToSlash(dir)+"/", "RECORDING/")
	// On Windows the paths are C:\\...\\ escaped in JSON.
	out = strings.ReplaceAll(out, strings.ReplaceAll(dir+`\`, `\`, `\\`), "RECORDING/")
	golden := filepath.Join("testdata", "analyze-json.golden")
	if *updateGolden {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestAnalyzeJSONGolden -update)", err)
	}
	if out != string(want) {
		t.Errorf("analyze --format json differs from %s (run with -update after a deliberate change):\n%s", golden, out)
	}
	var doc analysis.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Schema != "hvrdoctor.analyze/v1" {
		t.Fatalf("schema %q, err %v", doc.Schema, err)
	}
	if len(doc.Impact.Intervals) != 2 || doc.Impact.Intervals[0].Projection != nil || doc.Impact.Intervals[1].Projection == nil ||
		doc.Impact.Intervals[1].PeakAt != nil || doc.Samples != 72 || doc.Host != "sql-vm" {
		t.Errorf("document: %+v", doc.Impact)
	}
}

// The real recorder's files (with the Sample and Host columns, FileStats
// written after the other two) analyse to exactly the recorded samples,
// with the recorded host.
func TestAnalyzeRealRecordingCountsItsSamples(t *testing.T) {
	bin := testutil.Binary(t)
	dir := testutil.TempDir(t)
	_, errOut, code := analyzeRun(t, bin, "record", "--out", dir, "--duration", "3s", "--interval", "500ms")
	if code != 0 {
		t.Fatalf("record: exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(filepath.Join(dir, "HVRStats-1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Count(strings.TrimSpace(string(data)), "\n") // lines after the header
	out, errOut, code := analyzeRun(t, bin, "analyze", dir, "--format", "json")
	if code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errOut)
	}
	var doc analysis.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if rows < 4 || doc.Samples != rows || doc.Host != host {
		t.Errorf("recorded %d samples on %q; analyze says %d on %q", rows, host, doc.Samples, doc.Host)
	}
	for _, in := range doc.Inputs {
		if in.Samples > rows || (in.Kind == analysis.KindHVRStats && in.Samples != rows) {
			t.Errorf("%s: %d samples of %d", in.Path, in.Samples, rows)
		}
	}
}
