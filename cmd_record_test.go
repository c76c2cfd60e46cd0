package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

func TestRecordBadInputIsOneLineExit2(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.txt")
	os.WriteFile(rules, []byte("virus evil.exe\n"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--interval", "5ms"}, "--interval 5ms is out of range"},
		{[]string{"--interval", "2m"}, "--interval 2m0s is out of range"},
		{[]string{"--interval", "soon"}, "soon"},
		{[]string{"--duration", "-1s"}, "--duration -1s is negative"},
		{[]string{"--bogus"}, "-bogus"},
		{[]string{"outdir"}, `unexpected argument "outdir"`},
		{[]string{"--out", ""}, "--out is empty"},
		{[]string{"--rules", filepath.Join(t.TempDir(), "missing.txt")}, "missing.txt"},
		{[]string{"--rules", rules}, "rules.txt line 1: unknown class \"virus\""},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		code := runRecord(tc.args, &stdout, &stderr)
		msg := stderr.String()
		if code != exitUsage || !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") != 1 || stdout.Len() != 0 {
			t.Errorf("record %q: exit %d, stderr %q; want exit 2 and one line containing %q", tc.args, code, msg, tc.want)
		}
	}
}

func TestRecordHelpGoesToStdout(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runRecord([]string{"-h"}, &stdout, &stderr); code != exitOK {
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
