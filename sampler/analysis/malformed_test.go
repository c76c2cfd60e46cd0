package analysis

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

const procHeader = "Timestamp,HourMinute,Process,PID,Class,WriteBytesPerSec,ReadBytesPerSec,WriteBytesTotal,ReadBytesTotal,ProcessStart\n"

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(testutil.TempDir(t), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEmptyFileIsAClearError(t *testing.T) {
	p := writeFile(t, "ProcStats-1.csv", "")
	_, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	var fe *FileError
	if !errors.As(err, &fe) || !errors.Is(err, ErrEmpty) || fe.File != p {
		t.Fatalf("err = %v, want an empty-file error naming %s", err, p)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
}

func TestHeaderOnlyHasNoSamples(t *testing.T) {
	p := writeFile(t, "ProcStats-1.csv", procHeader)
	_, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "no usable samples") {
		t.Fatalf("err = %v, want no usable samples", err)
	}
}

func TestMissingColumnNamesFileLineAndColumn(t *testing.T) {
	body := "Timestamp,HourMinute,Process,Class,WriteBytesPerSec,ReadBytesPerSec,WriteBytesTotal,ReadBytesTotal,ProcessStart\n" +
		"2026-11-24T04:57:00.000+01:00,04:57,sqlservr.exe,workload,100,0,100,0,5\n"
	p := writeFile(t, "ProcStats-3.csv", body)
	_, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	var fe *FileError
	if !errors.As(err, &fe) || !errors.Is(err, ErrMissingColumn) || fe.Line != 1 {
		t.Fatalf("err = %v, want missing column at line 1", err)
	}
	if !strings.Contains(err.Error(), p+":1:") || !strings.Contains(err.Error(), "missing column PID") {
		t.Errorf("message %q should name the file, line 1 and PID", err)
	}
}

func TestGenericMissingColumnNamesTheFlag(t *testing.T) {
	p := writeFile(t, "writes.csv", "Moment,Image,Bytes\n2026-11-24 04:57:00,sqlservr.exe,100\n")
	_, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "--time-col") || !strings.Contains(err.Error(), "Moment,Image,Bytes") {
		t.Fatalf("err = %v, want a hint to --time-col and the header", err)
	}
	p = writeFile(t, "writes.csv", "When,Image,Bytes\n2026-11-24 04:57:00,sqlservr.exe,100\n")
	_, err = AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "--write-col") || !strings.Contains(err.Error(), "When,Image,Bytes") {
		t.Fatalf("err = %v, want a hint to --write-col and the header", err)
	}
}

func TestBadRowsAreSkippedWithLineNumbers(t *testing.T) {
	rows := []string{
		"2026-11-24T04:57:00.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,10000,0,5",
		"2026-11-24T04:57:00.000+01:00,04:57,System,4,inbox,abc,0,10000,0,1", // line 3: bad number
		"2026-11-24T04:57:10.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,20000,0,5",
		"2026-11-24T04:57:10.000+01:00,04:57,System,4,inbox,-5,0,10000,0,1",                // line 5: negative
		"2026-11-24T04:57:20.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,30000",      // line 6: short row
		"2026-11-24T04:57:20.000+01:00,04:57,sqlservr.exe,x1800,workload,1000,0,30000,0,5", // line 7: bad PID
		"2026-11-24T04:57:20.000+01:00,04:57,backup.exe,77,unknown,1000,0,30000,0,5",       // line 8: bad class
		"2026-11-24T04:57:20.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,30000,0,5",
	}
	p := writeFile(t, "ProcStats-1.csv", procHeader+strings.Join(rows, "\n")+"\n")
	res, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sk := res.Inputs[0].Skipped
	if sk.Count != 5 || !equalInts(sk.Lines, []int{3, 5, 6, 7, 8}) || sk.TruncatedLast {
		t.Fatalf("skipped %+v, want lines 3 5 6 7 8", sk)
	}
	if !strings.Contains(sk.First, `line 3: column WriteBytesPerSec: "abc" is not a number`) {
		t.Errorf("first reason %q", sk.First)
	}
	if !res.Partial() {
		t.Error("result should be partial")
	}
	msg := sk.String()
	if !strings.Contains(msg, "skipped 5 rows (line 3, 5, 6, 7, 8)") || strings.Contains(msg, "\n") {
		t.Errorf("summary %q", msg)
	}
	// The good rows still count: sqlservr wrote 1000 B/s for 3 samples,
	// 10,000 bytes each by its counter.
	if got := res.Report.Processes[0]; got.Name != "sqlservr.exe" || got.WriteBytes != 30000 {
		t.Errorf("sqlservr %+v, want 30000 bytes", got)
	}
}

func TestMixedTimestampFormatsAreSkipped(t *testing.T) {
	rows := []string{
		"2026-11-24T04:57:00.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,10000,0,5",
		"11/24/2026 04:57:10.000,04:57,sqlservr.exe,1800,workload,1000,0,20000,0,5",
		"2026-11-24T04:57:20.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,30000,0,5",
	}
	p := writeFile(t, "ProcStats-1.csv", procHeader+strings.Join(rows, "\n")+"\n")
	res, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sk := res.Inputs[0].Skipped
	if sk.Count != 1 || sk.Lines[0] != 3 || !strings.Contains(sk.First, "not in the file's format (RFC 3339, set by its first row)") {
		t.Fatalf("skipped %+v", sk)
	}
}

// A recorder killed with kill -9 leaves a cut-off last line: the analysis
// uses every complete row and says the last line was cut off.
func TestTruncatedLastLine(t *testing.T) {
	p, _ := incidentDay(t)
	data, err := os.ReadFile(p.ProcStats)
	if err != nil {
		t.Fatal(err)
	}
	// Cut the last row in the middle of a number.
	lastStart := strings.LastIndex(strings.TrimSuffix(string(data), "\n"), "\n") + 1
	cut := data[:lastStart+40]
	lines := strings.Count(string(cut), "\n") + 1
	if err := os.WriteFile(p.ProcStats, cut, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := AnalyzeFiles([]string{p.ProcStats}, ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sk := res.Inputs[0].Skipped
	if sk.Count != 1 || !sk.TruncatedLast || sk.Lines[0] != lines {
		t.Fatalf("skipped %+v, want only the cut-off line %d", sk, lines)
	}
	if !strings.Contains(sk.String(), "the last line was cut off") {
		t.Errorf("summary %q", sk.String())
	}
	// The cut row was VeeamAgent's last sample (1000 B/s x 10 s).
	if res.Report.AttributedBytes != allTotal-10*1000 {
		t.Errorf("attributed %.0f, want %d", res.Report.AttributedBytes, int64(allTotal-10*1000))
	}
	if res.Report.Spikes[0].Label != "04:57" {
		t.Errorf("spike lost: %+v", res.Report.Spikes)
	}
}

func TestUnterminatedQuoteAtEndIsTruncation(t *testing.T) {
	body := procHeader +
		"2026-11-24T04:57:00.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,10000,0,5\n" +
		"2026-11-24T04:57:10.000+01:00,04:57,\"my, app"
	p := writeFile(t, "ProcStats-1.csv", body)
	res, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sk := res.Inputs[0].Skipped; sk.Count != 1 || !sk.TruncatedLast || sk.Lines[0] != 3 {
		t.Fatalf("skipped %+v", sk)
	}
}

func TestBadOptionsNameTheValue(t *testing.T) {
	for _, o := range []Options{{SpikeFactor: 0.5}, {Compression: 2}, {Intervals: []time.Duration{time.Minute + time.Second}}} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
