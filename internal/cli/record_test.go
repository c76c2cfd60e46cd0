package cli

import (
	"bytes"
	"errors"
	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

func TestRecordBadInputIsOneLineExit2(t *testing.T) {
	rules := filepath.Join(testutil.TempDir(t), "rules.txt")
	os.WriteFile(rules, []byte("virus evil.exe\n"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--interval", "5ms"}, "--interval 5ms is out of range"},
		{[]string{"--interval", "2m"}, "--interval 2m0s is out of range"},
		{[]string{"--interval", "soon"}, "soon"},
		{[]string{"--duration", "-1s"}, "--duration -1s is negative"},
		// A duration under one interval would still wait a whole interval
		// (a minute here) for the first sample.
		{[]string{"--interval", "60s", "--duration", "1s", "--out", testutil.TempDir(t)}, "--duration 1s is shorter than --interval 1m0s"},
		{[]string{"--bogus"}, "-bogus"},
		{[]string{"outdir"}, `unexpected argument "outdir"`},
		{[]string{"--out", ""}, "--out is empty"},
		{[]string{"--rules", filepath.Join(testutil.TempDir(t), "missing.txt")}, "missing.txt"},
		{[]string{"--rules", rules}, "rules.txt line 1: unknown class \"virus\""},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		code := runCmd("record", tc.args, &stdout, &stderr)
		msg := stderr.String()
		if code != exitUsage || !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") != 1 || stdout.Len() != 0 {
			t.Errorf("record %q: exit %d, stderr %q; want exit 2 and one line containing %q", tc.args, code, msg, tc.want)
		}
	}
}

func TestRecordHelpGoesToStdout(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runCmd("record", []string{"-h"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, flag := range []string{"-out", "-interval", "-duration", "-rules"} {
		if !strings.Contains(stdout.String(), flag) {
			t.Errorf("help lacks %s: %q", flag, stdout.String())
		}
	}
}

func TestRecordSummaryNamesTopWriter(t *testing.T) {
	got := recordSummary([]string{"HVRStats-2.csv", "ProcStats-2.csv"}, 10, 10_020_000_000,
		map[sampler.ProcKey]*recordWriterTotal{
			{PID: 1}: {name: "svchost.exe", pid: 1, class: "inbox", bytes: 1 << 20},
			{PID: 2}: {name: "sqlservr.exe", pid: 2, class: "workload", bytes: 50 << 20},
		})
	want := "recorded 10 samples over 10s to HVRStats-2.csv, ProcStats-2.csv; top writer: sqlservr.exe (PID 2, workload) 50.0 MiB"
	if got != want {
		t.Errorf("summary\n got %q\nwant %q", got, want)
	}
	if got := recordSummary(nil, 0, 0, nil); !strings.Contains(got, "top writer: none") {
		t.Errorf("empty summary %q", got)
	}
}

func TestRecordFilesFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runCmd("record", []string{"--files", "maybe"}, &stdout, &stderr); code != exitUsage ||
		stderr.String() != "hvrdoctor record: --files \"maybe\" is not auto, on or off\n" {
		t.Errorf("--files maybe: exit %d, stderr %q", code, stderr.String())
	}
	stdout.Reset()
	runCmd("record", []string{"-h"}, &stdout, &stderr)
	if !strings.Contains(stdout.String(), "-files") || !strings.Contains(stdout.String(), "FileStats-N.csv") {
		t.Errorf("help does not explain --files: %q", stdout.String())
	}
}

// withoutFileBackend is a testEnv in which every per-file backend fails to
// open, as on a system that has none.
func withoutFileBackend(stdout, stderr io.Writer) *Env {
	env := testEnv(stdout, stderr)
	env.OpenFileSource = func(bool) (fileio.Source, error) {
		return nil, errors.New("per-file activity is not available on plan9")
	}
	return env
}

func TestRecordFilesOnFailsWithoutBackend(t *testing.T) {
	out := testutil.TempDir(t)
	var stdout, stderr bytes.Buffer
	code := Main([]string{"record", "--out", out, "--files", "on"}, withoutFileBackend(&stdout, &stderr))
	msg := stderr.String()
	if code != exitFail || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "--files on: per-file activity is not available on plan9") || !strings.Contains(msg, "--files off") {
		t.Errorf("exit %d, stderr %q; want exit 1 and one line with the reason and what to do", code, msg)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("files created although the recording did not start: %v", entries)
	}
}

func TestRecordFilesAutoRecordsWithoutBackend(t *testing.T) {
	out := testutil.TempDir(t)
	var stdout, stderr bytes.Buffer
	code := Main([]string{"record", "--out", out, "--interval", "250ms", "--duration", "500ms"}, withoutFileBackend(&stdout, &stderr))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "hvrdoctor record: no FileStats file: per-file activity is not available on plan9\n") {
		t.Errorf("stderr %q does not say why there is no FileStats", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "FileStats-1.csv")); err == nil {
		t.Error("FileStats-1.csv written without a backend")
	}
	if _, err := os.Stat(filepath.Join(out, "ProcStats-1.csv")); err != nil {
		t.Errorf("process recording missing: %v", err)
	}
	if strings.Contains(stdout.String(), "top file") {
		t.Errorf("summary %q names a top file without per-file data", stdout.String())
	}
}

func TestRecordFilesOffOpensNoBackend(t *testing.T) {
	out := testutil.TempDir(t)
	var stdout, stderr bytes.Buffer
	env := testEnv(&stdout, &stderr)
	env.OpenFileSource = func(bool) (fileio.Source, error) {
		t.Error("--files off opened a per-file backend")
		return nil, errors.New("unused")
	}
	if code := Main([]string{"record", "--out", out, "--interval", "250ms", "--duration", "250ms", "--files", "off"}, env); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "FileStats") {
		t.Errorf("stderr %q mentions FileStats with --files off", stderr.String())
	}
}

func TestRecordTopFile(t *testing.T) {
	r := &recordFiles{totals: map[fileio.FileKey]*recordFileTotal{}}
	if got := r.topFile(); got != "top file: none (no file written)" {
		t.Errorf("empty: %q", got)
	}
	r.totals[fileio.FileKey{Proc: sampler.ProcKey{PID: 4}, Path: `C:\pagefile.sys`}] = &recordFileTotal{name: "System", bytes: 3 << 20}
	r.totals[fileio.FileKey{Proc: sampler.ProcKey{PID: 812}, Path: `D:\SQL\tempdb.mdf`}] = &recordFileTotal{name: "sqlservr.exe", bytes: 700 << 20}
	if got, want := r.topFile(), `top file: D:\SQL\tempdb.mdf (sqlservr.exe, PID 812) 700 MiB written`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRecordFileTotalsStayBounded(t *testing.T) {
	r := &recordFiles{totals: map[fileio.FileKey]*recordFileTotal{}}
	for i := 0; i <= recordFileTotalsLimit; i++ {
		r.totals[fileio.FileKey{Proc: sampler.ProcKey{PID: 1}, Path: strconv.Itoa(i)}] = &recordFileTotal{name: "robocopy.exe", bytes: uint64(i + 1)}
	}
	r.forgetSmallest()
	if n := len(r.totals); n > recordFileTotalsLimit/2+1 {
		t.Errorf("%d totals kept, want at most half of %d", n, recordFileTotalsLimit)
	}
	if got := r.topFile(); !strings.Contains(got, "top file: "+strconv.Itoa(recordFileTotalsLimit)+" ") {
		t.Errorf("the largest file was forgotten: %q", got)
	}
}

func TestRecordSummarySingularSample(t *testing.T) {
	got := recordSummary([]string{"HVRStats-1.csv"}, 1, 1_800_000_000, nil)
	if !strings.HasPrefix(got, "recorded 1 sample over 1.8s to HVRStats-1.csv;") {
		t.Errorf("summary = %q, want 'recorded 1 sample over 1.8s ...'", got)
	}
}

// The summary says how many (process, file) pairs only reached the
// "other files" rows because the backend's table was full.
func TestRecordSummaryNamesDroppedPairs(t *testing.T) {
	r := &recordFiles{totals: map[fileio.FileKey]*recordFileTotal{
		{Proc: sampler.ProcKey{PID: 7}, Path: "/data/a"}: {name: "dd", bytes: 1 << 20},
	}, dropped: 12}
	if got := r.topFile(); !strings.Contains(got, "/data/a") || !strings.Contains(got, "12 (process, file) pairs counted only in \"other files\" rows") {
		t.Errorf("topFile() = %q, want the top file and the 12 dropped pairs", got)
	}
	r.totals = map[fileio.FileKey]*recordFileTotal{}
	if got := r.topFile(); !strings.Contains(got, "12 (process, file) pairs") {
		t.Errorf("topFile() with no file = %q, want the dropped pairs named", got)
	}
}
