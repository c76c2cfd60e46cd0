package sampler

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

func testFrame(at time.Duration) Frame {
	return Frame{
		Time:          t0.Add(at),
		Elapsed:       1002 * time.Millisecond,
		DiskWriteRate: 52428800.4,
		DiskReadRate:  1000.6,
		Disks: []DiskRates{{Name: "sda", WriteRate: 52428800.4, ReadRate: 1000.6,
			HasTimes: true, ActivePercent: 98.04, QueueLength: 7.904, ResponseMs: 31.256}},
		Processes: []ProcessRates{
			{Key: ProcKey{PID: 4242, Start: 123456}, Name: "sqlservr.exe", Class: Classification{Class: ClassWorkload},
				WriteRate: 50 * mib, ReadRate: 0.4, WriteTotal: 7 * mib, ReadTotal: 3, DiskIONanos: 1_250_500, DiskIOCount: 2},
			{Key: ProcKey{PID: 77, Start: 9}, Name: `odd, "name"`, Class: Classification{Class: ClassThirdParty},
				WriteRate: 0, ReadRate: 2048},
			{Key: ProcKey{PID: 78, Start: 9}, Name: "idle", WriteRate: 0.2},
			{Key: ProcKey{PID: 80, Start: 9}, Name: "tmpfile", CancelledWriteRate: 4096},
			{Key: ProcKey{PID: 79, Start: 9}, Name: "gone", WriteRate: mib, Exited: true},
		},
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s is not valid CSV: %v", path, err)
	}
	return rows
}

func TestRecorderColumnsAndRows(t *testing.T) {
	dir := testutil.TempDir(t)
	r, err := NewRecorder(dir, []string{"sda", "sdb"})
	if err != nil {
		t.Fatal(err)
	}
	r.Location = time.FixedZone("CET", 3600)
	if err := r.Write(Frame{Time: t0, Elapsed: 0}); err != nil { // baseline: skipped
		t.Fatal(err)
	}
	if err := r.Write(testFrame(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if r.Samples() != 1 {
		t.Errorf("Samples = %d, want 1", r.Samples())
	}
	paths := r.Paths()
	if filepath.Base(paths[0]) != "HVRStats-1.csv" || filepath.Base(paths[1]) != "ProcStats-1.csv" {
		t.Fatalf("Paths = %v", paths)
	}
	hvr := readCSV(t, paths[0])
	host, _ := os.Hostname()
	wantHVR := [][]string{
		{"Timestamp", "HourMinute", "IntervalSeconds", "TotalWriteBytesPerSec", "TotalReadBytesPerSec",
			"sda.WriteBytesPerSec", "sda.ReadBytesPerSec", "sdb.WriteBytesPerSec", "sdb.ReadBytesPerSec", "Sample", "Host",
			"sda.ActiveTimePercent", "sda.AvgQueueLength", "sda.AvgResponseMs",
			"sdb.ActiveTimePercent", "sdb.AvgQueueLength", "sdb.AvgResponseMs"},
		// sdb is not in the frame: its time cells are empty, not 0.
		{"2026-11-24T04:57:01.000+01:00", "04:57", "1.002", "52428800", "1001", "52428800", "1001", "0", "0", "1", host,
			"98.0", "7.90", "31.26", "", "", ""},
	}
	if !equalRows(hvr, wantHVR) {
		t.Errorf("HVRStats:\n got %q\nwant %q", hvr, wantHVR)
	}
	proc := readCSV(t, paths[1])
	wantProc := [][]string{
		{"Timestamp", "HourMinute", "Process", "PID", "Class", "WriteBytesPerSec", "ReadBytesPerSec", "WriteBytesTotal", "ReadBytesTotal", "ProcessStart", "Sample",
			"CancelledWriteBytesPerSec", "WriteBasis", "ChildrenWriteBytes", "DirtiedBytesPerSec", "DiskResponseMs"},
		{"2026-11-24T04:57:01.000+01:00", "04:57", "sqlservr.exe", "4242", "workload", "52428800", "0", "7340032", "3", "123456", "1", "0", "storage", "0", "", "0.625"},
		{"2026-11-24T04:57:01.000+01:00", "04:57", `odd, "name"`, "77", "third-party", "0", "2048", "0", "0", "9", "1", "0", "storage", "0", "", ""},
		// Net writes 0, but writes were cancelled: the row says so.
		{"2026-11-24T04:57:01.000+01:00", "04:57", "tmpfile", "80", "", "0", "0", "0", "0", "9", "1", "4096", "storage", "0", "", ""},
	}
	if !equalRows(proc, wantProc) {
		t.Errorf("ProcStats (idle, rounding to 0, and exited rows must be left out):\n got %q\nwant %q", proc, wantProc)
	}
	if err := r.Write(testFrame(2 * time.Second)); err == nil {
		t.Error("Write after Close succeeded")
	}
}

func TestRecorderNeverOverwrites(t *testing.T) {
	dir := testutil.TempDir(t)
	// A FileStats-1.csv from the per-file recorder and an unrelated file
	// already exist: N must skip 1.
	os.WriteFile(filepath.Join(dir, "FileStats-1.csv"), []byte("x\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "HVRStats-x.csv"), []byte("x\n"), 0o644)
	var ns []int
	for i := 0; i < 3; i++ {
		r, err := NewRecorder(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		ns = append(ns, r.N())
		r.Close()
	}
	if ns[0] != 2 || ns[1] != 3 || ns[2] != 4 {
		t.Errorf("recording numbers %v, want [2 3 4]", ns)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "FileStats-1.csv")); string(b) != "x\n" {
		t.Error("FileStats-1.csv was touched")
	}
	// A gap is reused: the first number no kind uses.
	os.Remove(filepath.Join(dir, "FileStats-1.csv"))
	if n, _ := NextRecordingNumber(dir); n != 1 {
		t.Errorf("NextRecordingNumber = %d, want 1", n)
	}
}

func TestRecorderCreatesDirAndReportsUnwritable(t *testing.T) {
	dir := filepath.Join(testutil.TempDir(t), "new", "sub")
	r, err := NewRecorder(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	file := filepath.Join(testutil.TempDir(t), "plainfile")
	os.WriteFile(file, nil, 0o644)
	_, err = NewRecorder(filepath.Join(file, "x"), nil)
	if err == nil || !strings.Contains(err.Error(), "plainfile") {
		t.Errorf("err = %v, want an error naming the directory", err)
	}
}

// TestRecordingSurvivesKill simulates kill -9 at every byte of the last
// row: the files are flushed after each sample, so everything before the
// cut parses and only the truncated last row is damaged.
func TestRecordingSurvivesKill(t *testing.T) {
	dir := testutil.TempDir(t)
	r, err := NewRecorder(dir, []string{"sda"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := r.Write(testFrame(time.Duration(i) * time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	// No Close: this is what a killed process leaves.
	for _, path := range r.Paths() {
		full, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		complete := readCSV(t, path) // flushed: the whole file is on disk
		if len(complete) < 6 {
			t.Fatalf("%s has %d rows before Close, want header + 5 samples", path, len(complete))
		}
		lastStart := bytes.LastIndexByte(full[:len(full)-1], '\n') + 1
		for cut := lastStart + 1; cut < len(full)-1; cut++ {
			rd := csv.NewReader(bytes.NewReader(full[:cut]))
			rd.FieldsPerRecord = len(complete[0])
			var got [][]string
			var readErr error
			for {
				rec, err := rd.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					readErr = err
					break
				}
				got = append(got, rec)
			}
			if len(got) < len(complete)-1 || !equalRows(got[:len(complete)-1], complete[:len(complete)-1]) {
				t.Fatalf("%s cut at byte %d: intact rows lost (%d of %d)", filepath.Base(path), cut, len(got), len(complete)-1)
			}
			// The damage is confined to the last row: either it fails to
			// parse, or (cut inside its last field) it parses shortened.
			if readErr != nil && len(got) != len(complete)-1 {
				t.Fatalf("%s cut at byte %d: error %v after %d rows, want it only on the last row", filepath.Base(path), cut, readErr, len(got))
			}
		}
	}
	r.Close()
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
