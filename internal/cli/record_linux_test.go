//go:build linux

package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// readRecording parses a CSV that a killed recorder may have cut in the
// middle of its last line: every line but the last must parse with the
// header's number of fields.
func readRecording(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(data), "\n")
	r := csv.NewReader(bytes.NewReader(data))
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// Only the unterminated tail after the last complete line may
			// fail (csv reports a short record as a field count error).
			if len(rows) != lines {
				t.Fatalf("%s: row %d of %d complete lines damaged (%v); only a truncated last line is allowed", filepath.Base(path), len(rows)+1, lines, err)
			}
			break
		}
		rows = append(rows, rec)
	}
	return rows
}

func pidRows(rows [][]string, pid int) [][]string {
	var out [][]string
	for _, r := range rows[1:] {
		if len(r) > 3 && r[3] == strconv.Itoa(pid) {
			out = append(out, r)
		}
	}
	return out
}

// TestRecordSurvivesKill9: hvrdoctor record runs while a writer writes; it
// is killed with SIGKILL, and what it left must parse and show the writer.
func TestRecordSurvivesKill9(t *testing.T) {
	dir := testutil.BlockBackedDir(t)
	bin := testutil.Binary(t)
	writer := testutil.StartChurn(t, filepath.Join(dir, "churn.bin")).Cmd
	out := filepath.Join(dir, "rec")

	rec := exec.Command(bin, "record", "--out", out, "--interval", "250ms")
	var stderr bytes.Buffer
	rec.Stderr = &stderr
	if err := rec.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Process.Kill(); rec.Wait() })

	procPath := filepath.Join(out, "ProcStats-1.csv")
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, _ := os.ReadFile(procPath)
		if bytes.Contains(data, []byte(","+strconv.Itoa(writer.Process.Pid)+",workload,")) && strings.Count(string(data), "\n") > 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writer PID %d not in %s after 20 s; recorder said %q; file:\n%s", writer.Process.Pid, procPath, stderr.String(), data)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := rec.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := rec.Wait()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("recorder did not die of SIGKILL: %v", err)
	}
	if !strings.Contains(stderr.String(), "recording to "+filepath.Join(out, "HVRStats-1.csv")) {
		t.Errorf("start message %q does not say where it records", stderr.String())
	}

	hvr := readRecording(t, filepath.Join(out, "HVRStats-1.csv"))
	if len(hvr) < 2 || strings.Join(hvr[0][:5], ",") != "Timestamp,HourMinute,IntervalSeconds,TotalWriteBytesPerSec,TotalReadBytesPerSec" || len(hvr[0]) < 7 {
		t.Fatalf("HVRStats header %v (%d rows), want the fixed columns and at least one disk", hvr[0], len(hvr))
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000-07:00", hvr[1][0]); err != nil {
		t.Errorf("timestamp %q: %v", hvr[1][0], err)
	}
	rows := pidRows(readRecording(t, procPath), writer.Process.Pid)
	if len(rows) == 0 {
		t.Fatal("writer rows missing after the kill")
	}
	for _, r := range rows {
		rate, err := strconv.ParseInt(r[5], 10, 64)
		if err != nil || rate <= 0 || r[4] != "workload" {
			t.Errorf("writer row %v: want a positive integer WriteBytesPerSec and class workload", r)
		}
	}
}

// TestRecordCtrlCPrintsSummary: SIGINT ends the recording cleanly with a
// one-line summary naming the files and the top writer.
func TestRecordCtrlCPrintsSummary(t *testing.T) {
	dir := testutil.BlockBackedDir(t)
	bin := testutil.Binary(t)
	writer := testutil.StartChurn(t, filepath.Join(dir, "churn.bin")).Cmd
	out := filepath.Join(dir, "rec")
	// An earlier recording exists: this one must be number 2.
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "HVRStats-1.csv"), []byte("old\n"), 0o644)

	rec := exec.Command(bin, "record", "--out", out, "--interval", "250ms")
	stdout, err := rec.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Process.Kill(); rec.Wait() })
	procPath := filepath.Join(out, "ProcStats-2.csv")
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, _ := os.ReadFile(procPath)
		if bytes.Contains(data, []byte(","+strconv.Itoa(writer.Process.Pid)+",")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writer not recorded in %s", procPath)
		}
		time.Sleep(100 * time.Millisecond)
	}
	rec.Process.Signal(os.Interrupt)
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if err := rec.Wait(); err != nil {
		t.Fatalf("recorder after Ctrl-C: %v", err)
	}
	if !strings.HasPrefix(line, "recorded ") || !strings.Contains(line, "HVRStats-2.csv") || !strings.Contains(line, "top writer: ") {
		t.Errorf("summary %q", line)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "HVRStats-1.csv")); string(b) != "old\n" {
		t.Error("the earlier recording was overwritten")
	}
}
