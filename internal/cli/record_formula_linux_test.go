//go:build linux

package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Any local user can name a process "=SUM(1)+cmd" (the name of the binary
// it runs): record wrote that name as the ProcStats cell, which Excel and
// LibreOffice take for a formula when the admin opens the CSV. With real
// writer processes (copies of dd named like formulas, and one whose name
// starts with a quote), every Process, File and Host cell of the
// recording must not start with = + - @, and analyze must read the names
// back exactly as the processes named themselves.
func TestRecordNamesCannotBeFormulas(t *testing.T) {
	dd, err := exec.LookPath("dd")
	if err != nil {
		testutil.SkipOrFail(t, "dd is needed for the writer processes: %v", err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "rec")
	os.MkdirAll(out, 0o755)
	bin := filepath.Join(dir, "bin")
	os.MkdirAll(bin, 0o755)
	names := []string{"=SUM(1)+cmd", "@evil", "-2+3", "'quoted"}
	for _, n := range names {
		data, err := os.ReadFile(dd)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bin, n), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rec := startRecorder(t, "--out", out, "--interval", "500ms", "--files", "auto")
	// One long-lived writer each (analyze lists the top ten processes).
	var writers []*exec.Cmd
	for i, n := range names {
		cmd := exec.Command(filepath.Join(bin, n), "if=/dev/zero", "of="+filepath.Join(dir, "w"+string(rune('a'+i))), "bs=16k", "count=1000000", "oflag=dsync", "status=none")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		writers = append(writers, cmd)
	}
	stopWriters := func() {
		for _, w := range writers {
			if w.ProcessState == nil {
				w.Process.Kill()
				w.Wait()
			}
		}
	}
	defer stopWriters()
	procStats := filepath.Join(out, "ProcStats-1.csv")
	deadline := time.Now().Add(30 * time.Second)
	for {
		rows := readRecording(t, procStats)
		var seen int
		for _, n := range names {
			if slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 2 && strings.HasSuffix(r[2], n) }) {
				seen++
			}
		}
		if seen == len(names) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ProcStats has not every writer %q after 30 s", names)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second) // a second sample with every writer active
	stopWriters()
	if err := rec.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rec.wait(t)

	for file, cols := range map[string][]string{"ProcStats-1.csv": {"Process"}, "FileStats-1.csv": {"Process", "File"}, "HVRStats-1.csv": {"Host"}} {
		if _, err := os.Stat(filepath.Join(out, file)); err != nil {
			continue // no per-file backend here: no FileStats
		}
		rows := readRecording(t, filepath.Join(out, file))
		for _, col := range cols {
			i := slices.Index(rows[0], col)
			if i < 0 {
				t.Fatalf("%s has no %s column: %q", file, col, rows[0])
			}
			for _, r := range rows[1:] {
				if c := r[i]; c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("%s %s cell %q starts like a formula", file, col, c)
				}
			}
		}
	}

	res, err := exec.Command(testutil.Binary(t), "analyze", "--format", "json", out).Output()
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	var got struct {
		Processes []struct {
			Process string `json:"process"`
		} `json:"processes"`
	}
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !slices.ContainsFunc(got.Processes, func(p struct {
			Process string `json:"process"`
		}) bool {
			return p.Process == n
		}) {
			t.Errorf("analyze does not name the writer %q; processes: %+v", n, got.Processes)
		}
	}
}
