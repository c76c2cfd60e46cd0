package fileio_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/blockio"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

func sampleInterval(at time.Time) fileio.Interval {
	p := sampler.ProcKey{PID: 4242, Start: 99}
	return fileio.Interval{
		Time:    at,
		Elapsed: 2 * time.Second,
		Files: []fileio.FileActivity{
			{Key: fileio.FileKey{Proc: p, Path: `/var/lib/db/"big", log.dat`}, Name: "sqlservr", WriteBytes: 3000001, ReadBytes: 10},
			{Key: fileio.FileKey{Proc: p, Path: "/tmp/touched"}, Name: "sqlservr", BytesUnknown: true},
			{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: 7}, Path: "/srv/idle"}, Name: "idle"},
		},
	}
}

// The recording is the documented format, flushed at every Write (readable
// before Close, as after a kill -9), and analyze reads it back.
func TestRecorderWritesFileStatsFormat(t *testing.T) {
	dir := testutil.TempDir(t)
	zone := time.FixedZone("CET", 3600)
	r, err := fileio.NewRecorder(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	r.Location = zone
	if err := r.Write(fileio.Interval{Time: time.Now()}, 1); err != nil { // baseline: no row
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 3, 57, 1, 0, time.UTC)
	if err := r.Write(sampleInterval(at), 1); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "FileStats-1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "Timestamp,HourMinute,Process,PID,File,WriteBytesPerSec,ReadBytesPerSec,WriteBytes,ReadBytes,Sample,Via,Medium,Deleted,DiskWriteBytes,DiskResponseMs\n" +
		`2026-11-24T04:57:01.000+01:00,04:57,sqlservr,4242,"/var/lib/db/""big"", log.dat",1500001,5,3000001,10,1,,,,,` + "\n"
	if string(got) != want {
		t.Errorf("FileStats-1.csv before Close =\n%s\nwant\n%s", got, want)
	}
	if r.Rows() != 1 {
		t.Errorf("Rows = %d, want 1 (idle and bytes-unknown pairs are not written)", r.Rows())
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Write(sampleInterval(at), 1); err == nil || !strings.Contains(err.Error(), "FileStats-1.csv") {
		t.Errorf("Write after Close = %v, want an error naming the file", err)
	}

	sr, err := analysis.OpenFile(r.Path(), analysis.ColumnMap{})
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	if sr.Kind() != analysis.KindFileStats {
		t.Errorf("analyze sees kind %q", sr.Kind())
	}
	s, err := sr.Next()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Files) != 1 || s.Files[0].Path != `/var/lib/db/"big", log.dat` || s.Files[0].WriteBytes != 3000001 || s.Files[0].PID != 4242 {
		t.Errorf("analyze read back %+v", s.Files)
	}
	if _, err := sr.Next(); err != io.EOF {
		t.Errorf("second sample: %v, want EOF", err)
	}
}

// N is the first number no kind of recording uses; an explicit N joins the
// sampler's recording and never overwrites.
func TestRecorderNumbering(t *testing.T) {
	dir := testutil.TempDir(t)
	for _, name := range []string{"HVRStats-1.csv", "ProcStats-1.csv", "ProcStats-2.csv", "FileStats-3.csv", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := fileio.NewRecorder(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if filepath.Base(r.Path()) != "FileStats-4.csv" {
		t.Errorf("picked %s, want FileStats-4.csv", r.Path())
	}
	r2, err := fileio.NewRecorder(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	r2.Close()
	if filepath.Base(r2.Path()) != "FileStats-2.csv" {
		t.Errorf("joined %s, want FileStats-2.csv", r2.Path())
	}
	if _, err := fileio.NewRecorder(dir, 3); err == nil || !strings.Contains(err.Error(), "FileStats-3.csv") {
		t.Errorf("NewRecorder over an existing FileStats-3.csv = %v, want an error naming it", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "FileStats-3.csv")); string(b) != "x\n" {
		t.Error("FileStats-3.csv was overwritten")
	}
}

// An interval with more active pairs than MaxRows writes the top ones and
// one "(N other files)" row per process for the rest: no byte is lost.
func TestRecorderBoundsRowsAndKeepsTotals(t *testing.T) {
	dir := testutil.TempDir(t)
	r, err := fileio.NewRecorder(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	r.MaxRows = 3
	iv := fileio.Interval{Time: time.Now(), Elapsed: time.Second}
	var want [3]uint64
	for i := 0; i < 30; i++ {
		pid := int32(100 + i%3)
		b := uint64(1000 * (30 - i))
		iv.Files = append(iv.Files, fileio.FileActivity{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: pid, Start: 1}, Path: fmt.Sprintf("/data/f%d", i)},
			Name: "w", WriteBytes: b})
		want[i%3] += b
	}
	iv.Files = append(iv.Files, fileio.FileActivity{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: 100, Start: 1}, Path: "/idle"}, Name: "w"})
	// Ten short-lived readers of libraries: one row for all of them.
	for i := 0; i < 10; i++ {
		iv.Files = append(iv.Files, fileio.FileActivity{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: int32(200 + i), Start: 1}, Path: "/lib/libc.so.6"},
			Name: "reader", ReadBytes: 100})
	}
	if err := r.Write(iv, 1); err != nil {
		t.Fatal(err)
	}
	r.Close()
	f, _ := os.Open(r.Path())
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got [3]uint64
	others := 0
	for _, row := range rows[1:] {
		pid, _ := strconv.Atoi(row[3])
		b, _ := strconv.ParseUint(row[7], 10, 64)
		if pid == 0 {
			if row[2] != fileio.OtherProcessesName || row[4] != "(10 files read by 10 other processes)" || row[8] != "1000" {
				t.Errorf("readers' row %q, want their 1000 bytes read in one %q row", row, fileio.OtherProcessesName)
			}
			continue
		}
		got[pid-100] += b
		if strings.HasPrefix(row[4], "(") {
			others++
			if !strings.HasSuffix(row[4], " other files)") {
				t.Errorf("other row path %q", row[4])
			}
		}
	}
	if len(rows)-1 != 3+3+1 || others != 3 {
		t.Errorf("%d rows (%d other-files rows), want the top 3, one other-files row for each of the 3 writing processes and one for the readers", len(rows)-1, others)
	}
	if got != want {
		t.Errorf("bytes per process %v, want %v", got, want)
	}
}

// With the block-layer source, DiskResponseMs is the mean issue-to-complete
// time of the pair's requests, empty for a pair with none timed; the
// "other files" row keeps the mean of the requests it sums.
func TestRecorderDiskResponseMs(t *testing.T) {
	dir := testutil.TempDir(t)
	r, err := fileio.NewRecorder(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	r.MaxRows = 1
	p := sampler.ProcKey{PID: 10, Start: 1}
	iv := fileio.Interval{Time: time.Now(), Elapsed: time.Second, Disk: &blockio.Interval{},
		Files: []fileio.FileActivity{
			{Key: fileio.FileKey{Proc: p, Path: "/db/log"}, Name: "db", WriteBytes: 9000, DiskWriteBytes: 8192, DiskIONanos: 3_000_000, DiskIOCount: 4},
			{Key: fileio.FileKey{Proc: p, Path: "/db/a"}, Name: "db", WriteBytes: 800, DiskWriteBytes: 4096, DiskIONanos: 1_000_000, DiskIOCount: 1},
			{Key: fileio.FileKey{Proc: p, Path: "/db/b"}, Name: "db", WriteBytes: 700, DiskWriteBytes: 4096, DiskIONanos: 2_000_000, DiskIOCount: 1},
			{Key: fileio.FileKey{Proc: sampler.ProcKey{PID: 11}, Path: "/tmp/x"}, Name: "w", WriteBytes: 600},
		}}
	if err := r.Write(iv, 1); err != nil {
		t.Fatal(err)
	}
	r.Close()
	f, err := os.Open(r.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if head[len(head)-1] != "DiskResponseMs" || head[len(head)-2] != "DiskWriteBytes" {
		t.Fatalf("header %v: want DiskResponseMs added at the end", head)
	}
	got := map[string]string{}
	for _, row := range rows[1:] {
		got[row[4]] = row[len(row)-1]
	}
	want := map[string]string{"/db/log": "0.750", "(2 other files)": "1.500", "(1 other file)": ""}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("DiskResponseMs of %q = %q (present %v), want %q; rows %v", k, g, ok, v, rows)
		}
	}
}

// Recordings made before DiskResponseMs (and before DiskWriteBytes) still
// read: analyze finds its columns by name.
func TestOldFileStatsStillRead(t *testing.T) {
	dir := testutil.TempDir(t)
	for name, text := range map[string]string{
		"FileStats-1.csv": "Timestamp,HourMinute,Process,PID,File,WriteBytesPerSec,ReadBytesPerSec,WriteBytes,ReadBytes,Sample,Via,Medium,Deleted,DiskWriteBytes\n" +
			"2026-11-24T04:57:01.000+01:00,04:57,db,42,/db/log,1000,0,2000,0,1,,,,4096\n",
		"FileStats-2.csv": "Timestamp,HourMinute,Process,PID,File,WriteBytesPerSec,ReadBytesPerSec,WriteBytes,ReadBytes,Sample\n" +
			"2026-11-24T04:57:01.000+01:00,04:57,db,42,/db/log,1000,0,2000,0,1\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		sr, err := analysis.OpenFile(path, analysis.ColumnMap{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, err := sr.Next()
		sr.Close()
		if err != nil || len(s.Files) != 1 || s.Files[0].WriteBytes != 2000 || s.Files[0].Path != "/db/log" {
			t.Errorf("%s read back %+v, %v", name, s.Files, err)
		}
	}
}

// On Windows the ETW backend gives per-file disk figures itself
// (Interval.DiskFiles, no block-layer reading): FileStats records its
// DiskWriteBytes and DiskResponseMs instead of leaving them empty.
func TestRecorderDiskFiguresFromBackend(t *testing.T) {
	dir := testutil.TempDir(t)
	r, err := fileio.NewRecorder(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := sampler.ProcKey{PID: 2840, Start: 1}
	iv := fileio.Interval{Time: time.Now(), Elapsed: time.Second, DiskFiles: true,
		Files: []fileio.FileActivity{
			{Key: fileio.FileKey{Proc: p, Path: `C:\MSSQL\DATA\tempdb.mdf`}, Name: "sqlservr.exe", WriteBytes: 9000, DiskWriteBytes: 65536, DiskIONanos: 6_000_000, DiskIOCount: 2},
		}}
	if err := r.Write(iv, 1); err != nil {
		t.Fatal(err)
	}
	r.Close()
	f, err := os.Open(r.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows %v, want a header and one row", rows)
	}
	row := rows[1]
	if row[len(row)-2] != "65536" || row[len(row)-1] != "3.000" {
		t.Errorf("DiskWriteBytes %q, DiskResponseMs %q; want 65536 and 3.000", row[len(row)-2], row[len(row)-1])
	}
}
