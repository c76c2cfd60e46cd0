package cli

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

func analyzeRun(t *testing.T, bin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// The "Done when": analyze on a recording with a planted spike
// prints the minute, the factor, the culprit and its class, and the
// bandwidth needed for each replication interval.
func TestAnalyzeBinaryIncidentDay(t *testing.T) {
	bin := testutil.Binary(t)
	dir := testutil.TempDir(t)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	if _, err := synth.Write(dir, 2, synth.IncidentDay(day)); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := analyzeRun(t, bin, "analyze", dir, "--link", "100Mbit", "--compression", "0.5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	spikes := section(out, "Spikes (minutes above 10x the baseline)")
	if !regexpLine(spikes, "04:57", "30.0x", "sqlservr.exe (PID 1800, workload, persistent)", `D:\SQLData\tempdb.mdf`) {
		t.Errorf("spike line missing:\n%s", spikes)
	}
	if !regexpLine(spikes, "13:52", "21.8x", "explorer.exe (PID 3120, inbox, burst)") {
		t.Errorf("copy burst missing:\n%s", spikes)
	}
	impact := section(out, "Replication impact (compression 0.5, growth 30%, link 100 Mbit/s)")
	for _, want := range [][]string{
		{"30 s", "516 MiB", "04:57:00", "72.1 Mbit/s", "keeps up"},
		{"5 min", "1.6 GiB", "13:50:00", "22.4 Mbit/s"},
		{"15 min", "1.9 GiB", "13:45:00", "9.1 Mbit/s"},
	} {
		if !regexpLine(impact, want...) {
			t.Errorf("impact row %q missing:\n%s", want, impact)
		}
	}
	// Nothing records write offsets: no sentence may claim they are used.
	if !strings.Contains(out, "upper bound of the changed blocks") || strings.Contains(out, "offsets") {
		t.Errorf("basis of the estimate missing:\n%s", out)
	}

	// Markdown for a ticket, one interval, a link too slow for the spike.
	md, errOut, code := analyzeRun(t, bin, "analyze", "--format", "markdown", "--interval", "30s", "--link", "50Mbit",
		filepath.Join(dir, "HVRStats-2.csv"), filepath.Join(dir, "ProcStats-2.csv"))
	if code != 0 {
		t.Fatalf("markdown: exit %d: %s", code, errOut)
	}
	if !strings.Contains(md, "## Spikes (minutes above 10x the baseline)") || !strings.Contains(md, "| 04:57 | 30.0x |") {
		t.Errorf("markdown spikes:\n%s", md)
	}
	if !strings.Contains(md, "| 30 s |") || strings.Contains(md, "| 5 min |") || !strings.Contains(md, "falls behind") {
		t.Errorf("markdown impact for 30 s only, falling behind at 50 Mbit:\n%s", md)
	}
}

func TestAnalyzeBinaryBadInput(t *testing.T) {
	bin := testutil.Binary(t)
	dir := testutil.TempDir(t)
	empty := filepath.Join(dir, "ProcStats-1.csv")
	os.WriteFile(empty, nil, 0o644)
	cut := filepath.Join(dir, "cut.csv")
	os.WriteFile(cut, []byte("Timestamp,HourMinute,Process,PID,Class,WriteBytesPerSec,ReadBytesPerSec,WriteBytesTotal,ReadBytesTotal,ProcessStart\n"+
		"2026-11-24T04:57:00.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,10000,0,5\n"+
		"2026-11-24T04:57:10.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,20000,0,5\n"+
		"2026-11-24T04:57:20.000+01:00,04:57,sqlservr.exe,1800,work"), 0o644)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"analyze"}, 2, "no input"},
		{[]string{"analyze", filepath.Join(dir, "nope")}, 2, "nope"},
		{[]string{"analyze", empty}, 2, empty + ": the file is empty"},
		{[]string{"analyze", cut, "--link", "100"}, 2, "add a unit"},
		{[]string{"analyze", cut, "--compression", "2"}, 2, "--compression 2"},
		{[]string{"analyze", cut, "--interval", "1m"}, 2, "use 30s, 5m, 15m or all"},
		{[]string{"analyze", cut, "--format", "html"}, 2, "--format \"html\""},
		{[]string{"analyze", cut, "--time-format", "yyyy"}, 2, "Go layout"},
	}
	for _, c := range cases {
		_, errOut, code := analyzeRun(t, bin, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d, one line with %q", c.args, code, errOut, c.code, c.want)
		}
	}
	// A cut-off last line: a partial result that says what was skipped.
	out, errOut, code := analyzeRun(t, bin, "analyze", cut)
	if code != 0 || !strings.Contains(out, "skipped 1 row (line 4)") || !strings.Contains(out, "the last line was cut off") || !strings.Contains(errOut, "partial result") {
		t.Errorf("cut file: exit %d\n%s\n%s", code, out, errOut)
	}
}

// section returns the lines of out from heading to the next blank line.
func section(out, heading string) string {
	i := strings.Index(out, heading)
	if i < 0 {
		return ""
	}
	s := out[i:]
	if j := strings.Index(s, "\n\n"); j >= 0 {
		s = s[:j]
	}
	return s
}

// regexpLine reports whether one line of s contains every part, in order.
func regexpLine(s string, parts ...string) bool {
	for _, line := range strings.Split(s, "\n") {
		rest, ok := line, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

// Without --format, analyze opens the screens only on a terminal: into a
// pipe it prints exactly what --format text prints, so scripts and tickets
// keep today's output.
func TestAnalyzeBinaryPipeKeepsText(t *testing.T) {
	bin := testutil.Binary(t)
	dir := testutil.TempDir(t)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	if _, err := synth.Write(dir, 1, synth.IncidentDay(day)); err != nil {
		t.Fatal(err)
	}
	piped, errOut, code := analyzeRun(t, bin, "analyze", dir, "--link", "100Mbit")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	text, _, _ := analyzeRun(t, bin, "analyze", dir, "--link", "100Mbit", "--format", "text")
	if piped != text || !strings.HasPrefix(piped, "hvrdoctor churn analysis\n") {
		t.Errorf("into a pipe analyze should print --format text's output:\n%s\n---\n%s", piped, text)
	}
}

// The screens' churn flags mean what they mean for analyze, and bad values
// are one-line usage errors naming the flag.
func TestUIChurnFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--compression", "0"}, "--compression 0: use compressed size / original size"},
		{[]string{"--spike-factor", "1"}, "--spike-factor 1: use a number above 1"},
		{[]string{"--link", "10Gbitx"}, `--link "10Gbitx": unknown unit`},
	} {
		var out, errb bytes.Buffer
		_, code, ok := parseUI(c.args, &out, &errb)
		if ok || code != exitUsage || !strings.Contains(errb.String(), c.want) || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
			t.Errorf("ui %v: exit %d, stderr %q; want one line with %q", c.args, code, errb.String(), c.want)
		}
	}
	o, _, ok := parseUI([]string{"--link", "100Mbit", "--compression", "0.5", "--spike-factor", "20"}, io.Discard, io.Discard)
	if !ok {
		t.Fatal("good churn flags refused")
	}
	if opt := o.churnOptions(); opt.LinkRate != 100e6/8 || opt.Compression != 0.5 || opt.SpikeFactor != 20 {
		t.Errorf("ui churn options %+v", opt)
	}
}

// The header names the recording as the user gave it, or the folder of the
// files with their count.
func TestAnalyzeSource(t *testing.T) {
	if s := analyzeSource([]string{"rec"}, []string{"rec/HVRStats-1.csv", "rec/ProcStats-1.csv"}); s != "rec" {
		t.Errorf("one directory: %q", s)
	}
	want := filepath.Join("rec", "(2 files)")
	if s := analyzeSource([]string{"rec/HVRStats-1.csv", "rec/ProcStats-1.csv"}, []string{"rec/HVRStats-1.csv", "rec/ProcStats-1.csv"}); s != want {
		t.Errorf("two files: %q, want %q", s, want)
	}
}
